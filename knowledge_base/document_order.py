"""Order a procedure's documents by how common the case is (issue 9, item 6).

The national records list papers in whatever order the clerk typed them, so an answer often
started with "Văn bản ủy quyền ...", "Trường hợp trẻ em bị bỏ rơi ..." or a sub-case heading
("Trường hợp đăng ký doanh nghiệp xã hội") instead of what nearly everybody brings. The rule is
read from the text of the record itself, no hand-made list per procedure:

Documents get a *tier* (lower = more people bring it), stable within a tier:

0. the form ("Tờ khai", "Phiếu", "Đơn", "Mẫu", "Giấy/Văn bản đề nghị"),
1. any other paper (the ID, the birth certificate, the main paper),
2. the electronic twin of a form ("... điện tử tương tác": filled in on the portal by those who
   file online),
3. a *qualified* paper: an ordinary paper whose first clause narrows it to some applicants ("Giấy
   chứng nhận đăng ký phương tiện ... đối với phương tiện không thuộc đối tượng phải đăng ký", "...
   đối với trường hợp ..."): only those people bring it, so it comes after what everybody brings,
4. a conditional item: it starts with "Trường hợp", "Nếu", "Đối với", "Ví dụ", "Lưu ý", or its
   first clause (up to ";" or ". ") names a rare situation (an authorised representative, a
   foreigner, a child under 14 / a minor, a lost or missing paper, an abandoned child, surrogacy,
   a fee exemption, "(nếu có)", "trong trường hợp ...").

Case headings (``Document.case``) group the papers; a heading is
- a *part* of the one dossier everybody files (empty, "Giấy tờ phải nộp", "Thành phần hồ sơ", the
  procedure's own name + "hồ sơ gồm", a heading that names a paper such as "Phiếu đề nghị ..."),
- a *sub-case* when it adds words to the procedure's name ("Đăng ký tạm trú theo danh sách"),
- *conditional* when it starts like a conditional item ("Trường hợp ủy quyền ...").
The common dossier is every part; sub-cases and conditional cases come after, in that order; among
them, a case whose heading names a rare situation ("Trường hợp ủy quyền ...") comes last, whatever
its kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dvcbot.textnorm import fold
from knowledge_base.catalogue import Document

__all__ = [
    "TIER_FORM",
    "TIER_PAPER",
    "TIER_ELECTRONIC",
    "TIER_QUALIFIED",
    "TIER_CONDITIONAL",
    "CASE_PART",
    "CASE_SUB",
    "CASE_CONDITIONAL",
    "document_tier",
    "case_kind",
    "order_documents",
    "rare_heading",
    "common_dossier",
]

TIER_FORM, TIER_PAPER, TIER_ELECTRONIC, TIER_QUALIFIED, TIER_CONDITIONAL = 0, 1, 2, 3, 4
CASE_PART, CASE_SUB, CASE_CONDITIONAL = 0, 1, 2

_BULLET = r"^[\s\-+*•()ivx]*(?:[a-zđ]\)\s*)?"
_CONDITIONAL_START = re.compile(_BULLET + r"\(?\s*(trường hợp|nếu|đối với|ví dụ|lưu ý)\b", re.IGNORECASE)
_FORM_START = re.compile(_BULLET + r"(tờ khai|phiếu|đơn|mẫu|giấy đề nghị|văn bản đề nghị)\b", re.IGNORECASE)
_ELECTRONIC = re.compile(r"điện tử tương tác", re.IGNORECASE)
#: rare situations, matched on the first clause of an item (folded: no diacritics, lower case)
_RARE = re.compile(
    r"\b(uy quyen|nguoi nuoc ngoai|nuoc ngoai cap|duoi 14 tuoi|chua thanh nien|bi mat|"
    r"bi bo roi|mang thai ho|mien, giam|mien hoac giam|mien giam|neu co|trong truong hop|"
    r"khong co giay|khong xac dinh duoc)\b"
)
_FIRST_CLAUSE = re.compile(r";|\.\s")
#: a paper narrowed to some applicants inside its first clause (folded)
_QUALIFIED = re.compile(r"\b(?:doi voi|truong hop)\b")
#: words of a heading that do not make it a sub-case
_HEADING_BOILERPLATE = frozenset(
    "ho so gom bao thanh phan giay to phai nop xuat trinh cac ban chinh sao moi loai va cua thu tuc "
    "de nghi a b c".split()
)


def _first_clause(name: str) -> str:
    return _FIRST_CLAUSE.split(name, maxsplit=1)[0]


def document_tier(name: str) -> int:
    """The tier of one document name (see the module docstring)."""
    if _CONDITIONAL_START.match(name) or _RARE.search(fold(_first_clause(name))):
        return TIER_CONDITIONAL
    if _ELECTRONIC.search(_first_clause(name)):
        return TIER_ELECTRONIC
    if _FORM_START.match(name):
        return TIER_FORM
    if _QUALIFIED.search(fold(_first_clause(name))):
        return TIER_QUALIFIED
    return TIER_PAPER


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def case_kind(heading: str, procedure_name: str, doc_names: Iterable[str] = ()) -> int:
    """Whether a case heading is a part of the common dossier, a sub-case or a conditional case."""
    heading = (heading or "").strip()
    if not heading:
        return CASE_PART
    if _CONDITIONAL_START.match(heading):
        return CASE_CONDITIONAL
    if _FORM_START.match(heading):  # the heading names a paper: a part, not a situation
        return CASE_PART
    key = fold(heading)[:30]
    if any(fold(n).lstrip(" -+*•").startswith(key) for n in doc_names):
        return CASE_PART
    extra = _words(heading) - _words(procedure_name) - _HEADING_BOILERPLATE
    return CASE_SUB if extra else CASE_PART


#: situations of few people that case headings name besides those of :data:`_RARE` (folded): the
#: residents of social-support, religious or military establishments and of boats, someone without
#: an electronic ID account yet
_RARE_HEADING = re.compile(
    r"\b(?:tro giup xa hoi|co so tin nguong|co so ton giao|don vi dong quan|nha o cong vu|phuong tien|chua co)\b"
)


def rare_heading(heading: str) -> bool:
    """Whether a case heading names a rare situation (an authorised representative, a foreigner, a
    lost paper ...: the words of :data:`_RARE` and :data:`_RARE_HEADING`)."""
    folded = fold(heading or "")
    return bool(_RARE.search(folded) or _RARE_HEADING.search(folded))


def _case_kinds(docs: Sequence[Document], procedure_name: str) -> dict[str, int]:
    names: dict[str, list[str]] = {}
    for d in docs:
        names.setdefault(d.case or "", []).append(d.name)
    return {case: case_kind(case, procedure_name, ns) for case, ns in names.items()}


def order_documents(docs: Sequence[Document], procedure_name: str) -> list[Document]:
    """The documents, the common dossier first (by tier), then sub-cases, then conditional cases;
    within each case group by tier; stable otherwise."""
    kinds = _case_kinds(docs, procedure_name)
    case_order = {c: i for i, c in enumerate(dict.fromkeys(d.case or "" for d in docs))}
    indexed = list(enumerate(docs))

    def key(pair: tuple[int, Document]) -> tuple[int, int, int, int, int, int]:
        i, d = pair
        case = d.case or ""
        kind = kinds[case]
        # the common dossier is one group whatever its headings; other cases stay together, those
        # whose heading names a rare situation ("Trường hợp ủy quyền ...") after the others
        group = 0 if kind == CASE_PART else case_order[case]
        rare = 0 if kind == CASE_PART else int(rare_heading(case))
        return (int(kind != CASE_PART), rare, kind, group, document_tier(d.name), i)

    return [d for _, d in sorted(indexed, key=key)]


def common_dossier(
    docs: Sequence[Document], procedure_name: str
) -> tuple[list[Document], list[str], str | None]:
    """(the papers of the common dossier in order, the headings of the other cases in order, the
    heading of the case standing for the common dossier or None).

    When a record has no common part (every heading is a sub-case or conditional), the first case
    in order stands for it and its heading is returned so the answer can say which case it is."""
    ordered = order_documents(docs, procedure_name)
    kinds = _case_kinds(docs, procedure_name)
    common = [d for d in ordered if kinds[d.case or ""] == CASE_PART]
    others = list(dict.fromkeys(d.case for d in ordered if kinds[d.case or ""] != CASE_PART))
    if not common and others:
        first = others.pop(0)
        return [d for d in ordered if d.case == first], others, first
    return common, others, None
