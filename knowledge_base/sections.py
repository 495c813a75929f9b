"""Parsers for the other flattened fields of a national procedure record.

- ``thanh_phan_ho_so`` (dossier): one or several tables ``<case heading>Tên giấy tờMẫu đơn, tờ
  khaiSố lượng`` followed by items ``<name>[<form file>.doc]<n bản chính[,m bản sao]>``.
- ``trinh_tu_thuc_hien`` (steps): ``Bước 1: ... Bước 2: ...`` or lettered paragraphs.
- ``can_cu_phap_ly`` (legal basis): ``Tên văn bản pháp lýMã văn bản`` then ``<title><number>``.
- ``ket_qua_xu_ly`` (result): ``<result>Mã: KQ.G01.000185`` repeated, then page chrome.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge_base.catalogue import Document, LegalBasis

__all__ = ["clean_text", "parse_documents", "parse_legal_basis", "parse_result", "parse_steps"]

_NO_INFO = {"", "không có thông tin", "không quy định", "--"}


def clean_text(text: str | None) -> str:
    """NFC (the records mix combining marks with precomposed letters), trimmed, "no info" -> ""."""
    out = unicodedata.normalize("NFC", text or "").replace("\xa0", " ").strip()
    out = re.sub(r"[ \t]+", " ", out)
    out = re.sub(r"\s*\n\s*", "\n", out)
    return "" if out.lower() in _NO_INFO else out


# ---- dossier -----------------------------------------------------------------------------------
_TABLE_HEAD = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"\d+ bản (?:chính|sao)(?:\s*,\s*\d+ bản (?:chính|sao))*")
_TEMPLATE = re.compile(r"[A-Za-z0-9_\-.]*[A-Za-z0-9_\-]\.(?:docx?|pdf|xlsx?|rar|zip|odt)$", re.IGNORECASE)


def _clean_heading(text: str) -> str:
    text = text.strip().strip("-*:").strip()
    return "" if text.lower() in _NO_INFO else text.rstrip(":").strip()


def _split_template(item: str) -> tuple[str, str]:
    m = _TEMPLATE.search(item)
    if not m or m.start() == 0:
        return item, ""
    return item[: m.start()].strip(), m.group(0).lstrip(".")


def parse_documents(raw: str) -> tuple[list[Document], list[str]]:
    """Dossier components. Returns (documents, problems)."""
    text = clean_text(raw)
    if not text:
        return [], ["documents_empty"]
    if _TABLE_HEAD not in text:
        return [Document(name=text)], ["documents_unstructured"]
    docs: list[Document] = []
    problems: list[str] = []
    parts = text.split(_TABLE_HEAD)
    case = _clean_heading(parts[0])
    for i, chunk in enumerate(parts[1:], start=1):
        pos = 0
        for m in _QUANTITY.finditer(chunk):
            item = chunk[pos : m.start()].strip()
            pos = m.end()
            if not item:
                continue
            name, template = _split_template(item)
            name = name.strip(" ;,")
            if name:
                docs.append(Document(name=name, quantity=m.group(0).replace(",", ", ").replace(",  ", ", "),
                                     template=template, case=case))
        tail = chunk[pos:]
        if i < len(parts) - 1:
            case = _clean_heading(tail)  # the heading of the next table
        elif tail.strip(" .;"):
            # text after the last quantity: a document whose quantity was cut off
            name, template = _split_template(tail.strip())
            docs.append(Document(name=name.strip(" ;,"), quantity="", template=template, case=case))
            problems.append("documents_trailing_text")
    if not docs:
        problems.append("documents_none_parsed")
    return docs, problems


# ---- steps -------------------------------------------------------------------------------------
_STEP = re.compile(r"(?:^|\n|\s)[-+*]?\s*(?:[a-zđ]\)\s*)?Bước\s*(\d+)\s*[:.\-–]?\s*")
_LETTERED = re.compile(r"(?:^|\n)\s*(?:[a-zđ]\)|\d+[.)])\s+")


def parse_steps(raw: str) -> tuple[list[str], list[str]]:
    """Steps as a list of texts (numbering removed). Returns (steps, problems)."""
    text = clean_text(raw)
    if not text:
        return [], ["steps_empty"]
    marks = list(_STEP.finditer(text))
    if len(marks) >= 2:
        steps = []
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            step = text[m.end() : end].strip()
            if step:
                steps.append(step)
        return steps, []
    parts = [p.strip() for p in _LETTERED.split(text) if p.strip()]
    if len(parts) >= 2:
        return parts, ["steps_lettered"]
    lines = [ln.strip(" -*") for ln in text.split("\n") if ln.strip(" -*")]
    if len(lines) >= 2:  # one paragraph a step; "+" sub-points stay with their paragraph
        merged: list[str] = []
        for ln in lines:
            if merged and ln.startswith("+"):
                merged[-1] += "\n" + ln
            else:
                merged.append(ln)
        return merged, ["steps_paragraphs"]
    return [text], ["steps_unstructured"]


# ---- legal basis -------------------------------------------------------------------------------
_LEGAL_HEAD = "Tên văn bản pháp lýMã văn bản"
#: how a legal title starts: the "Mã văn bản" cell ends right before one of these (or the end)
_TITLE_START = (
    r"Luật|Bộ luật|Thông tư|Nghị định|Nghị quyết|Quyết định|Pháp lệnh|Văn bản|Chỉ thị|Hiến pháp|Lệnh|"
    r"Công văn|Hướng dẫn|Quy định|Quy chế|Sửa đổi|Ban hành|Về |Danh mục|Điều|Hiệp định|Công ước|Kế hoạch|"
    r"Thông báo|Biểu|Mức thu|Phí|Lệ phí|Tiêu chuẩn|Quy chuẩn"
)
_NUMBER = re.compile(
    r"(?P<lead>\d+(?:\.\d+)?)(?P<rest>(?:/\d{4})?/[A-ZĐ]+g?(?:-[A-ZĐ]+g?)*\d{0,2})(?=$|\s*(?:" + _TITLE_START + "))"
)


def parse_legal_basis(raw: str) -> tuple[list[LegalBasis], list[str]]:
    text = clean_text(raw)
    if not text:
        return [], ["legal_basis_empty"]
    if text.startswith(_LEGAL_HEAD):
        text = text[len(_LEGAL_HEAD) :]
    out: list[LegalBasis] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        lead, start = m.group("lead"), m.start()
        if len(lead) > 4 and lead[:2] in ("19", "20"):  # "Luật Cư trú 202068/2020/QH14": year glued
            lead, start = lead[4:], start + 4
        number = lead + m.group("rest")
        title = text[pos:start].strip(" ;,.")
        title = re.sub(r"(/[A-ZĐ]+(?:-[A-ZĐ]+)*)(ngày|của|về|quy|sửa|hướng)", r"\1 \2", title)  # "TT-BCAngày"
        pos = m.end()
        out.append(LegalBasis(title=title or number, number=number))
    rest = text[pos:].strip(" ;,.")
    problems: list[str] = []
    if rest:
        out.append(LegalBasis(title=rest, number=""))
        if not out[:-1]:
            problems.append("legal_basis_unstructured")
    return out, problems


# ---- result ------------------------------------------------------------------------------------
_RESULT_CODE = re.compile(r"Mã:\s*KQ\.[A-Z]\d+\.\d+")
_CHROME = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")


def parse_result(raw: str) -> str:
    """The results the citizen receives, joined with "; "."""
    text = clean_text(raw)
    cut = _CHROME.search(text)
    if cut:
        text = text[: cut.start()]
    names = [p.strip(" ;.") for p in _RESULT_CODE.split(text)]
    return "; ".join(dict.fromkeys(n for n in names if n))
