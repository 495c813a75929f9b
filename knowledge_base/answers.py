"""Citizen-readable answers about one procedure: short, speakable Vietnamese with full diacritics.

Rules (they matter on the 1022 phone line as much as in chat):

- plain sentences, no emoji, tables or markdown; amounts read well ("26.000 đồng");
- every answer names the procedure and its code and ends with the source link;
- long lists stop after a few items: "và 4 giấy tờ khác, xem chi tiết tại ...";
- fees: "miễn phí" only when the record says so and nothing contradicts it; when the record has
  no fee information the answer says so; a fee clause whose end date has passed (for example a
  reduced online fee "đến hết ngày 31/12/2025") is never presented as current; the national
  records do not carry Hanoi's own exemptions, so the amount is "theo hồ sơ quốc gia", approximate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from knowledge_base.catalogue import (
    CatalogueMissingError,
    Channel,
    Procedure,
    load_catalogue,
)
from knowledge_base.channels import parse_vnd_amounts, split_clauses
from knowledge_base.hanoi import fee_note
from knowledge_base.validity import fee_now, unitless_time

__all__ = [
    "ANSWER_ASPECTS",
    "faq_answer",
    "format_time",
    "format_vnd",
    "procedure_answer",
    "procedure_full_text",
    "show_command",
]

ANSWER_ASPECTS = ("documents", "fee", "processing_time", "where", "steps", "online", "legal_basis", "result")

#: how many list items an answer reads out before "và N ... khác"
MAX_DOCS = 3
MAX_STEPS = 4
MAX_LEGAL = 3

_CHANNEL_SPOKEN = {"truc_tuyen": "nộp trực tuyến", "truc_tiep": "nộp trực tiếp", "buu_chinh": "gửi qua bưu chính"}
_HANOI_FEE_NOTE = (
    "Mức phí trên là theo hồ sơ thủ tục quốc gia; khi nộp trực tuyến tại Hà Nội mức thu có thể "
    "được giảm hoặc miễn, nên số tiền chỉ là gần đúng."
)


def faq_answer(faq, today: dt.date | None = None) -> str:  # noqa: ANN001 - re-export for callers
    """Re-export of :func:`knowledge_base.faq.faq_answer` (validity-aware FAQ text)."""
    from knowledge_base.faq import faq_answer as _faq_answer

    return _faq_answer(faq, today)


# ---- formatting ---------------------------------------------------------------------------------
def format_vnd(amount: int) -> str:
    """26000 -> "26.000 đồng"; 0 -> "miễn phí"."""
    if amount == 0:
        return "miễn phí"
    return f"{amount:,}".replace(",", ".") + " đồng"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def format_time(ch: Channel) -> str:
    """"3 ngày làm việc"; a lost unit is said as such; no information -> ""."""
    if ch.time_value is None:
        return ch.time_text if ch.time_text and "time_text" in ch.flags else ""
    if ch.time_unit:
        return f"{_num(ch.time_value)} {ch.time_unit.lower()}"
    return unitless_time(_num(ch.time_value))


#: abbreviations of the records, said in full (the phone line reads them out)
_SPOKEN_ABBREV = {
    "TTPVHCC": "Trung tâm Phục vụ hành chính công", "UBND": "Ủy ban nhân dân", "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công", "HĐND": "Hội đồng nhân dân", "BHXH": "bảo hiểm xã hội", "BHYT": "bảo hiểm y tế",
}
_ABBREV = re.compile(r"\b(?:" + "|".join(_SPOKEN_ABBREV) + r")\b")

#: words a cut sentence should not end on
_DANGLING = {"của", "về", "và", "theo", "tại", "với", "cho", "đã", "các", "những", "được", "hoặc", "trong",
             "số", "là", "từ", "đến", "do", "khi", "nếu", "thì", "mà", "có", "không", "bị", "để", "một"}


def _short(text: str, limit: int = 110) -> str:
    """First sentence of ``text``, cut at a word boundary (speakable, no ellipsis)."""
    text = re.sub(r"[*•#|`]+|(?<=\s)[-+](?=\s)", " ", text)  # bullets and table marks are not speakable
    text = _ABBREV.sub(lambda m: _SPOKEN_ABBREV[m.group(0)], text)
    text = " ".join(text.split()).strip(" -+;:")
    text = re.sub(r"^(?:\(?[0-9ivxa-zđ]{1,4}\)|[0-9]{1,2}\.)\s+", "", text)  # "(3) ", "a) ", "1. "
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    if len(first) > limit and "(" in first[20:limit]:
        first = first[: first.index("(", 20)].strip()
    if len(first) > limit:
        words = first[:limit].rsplit(" ", 1)[0].rstrip(",;:").split(" ")
        while len(words) > 3 and words[-1].lower() in _DANGLING:  # "... một số điều của" -> "... điều"
            words.pop()
        first = " ".join(words).rstrip(",;:")
    return first



def _agency_sentence(proc: Procedure, limit: int) -> str:
    """Who decides the procedure, or at which level it is done when the record names no agency."""
    agency = proc.agency or proc.executing_agency
    if agency:
        return f"Cơ quan giải quyết: {_short(agency, limit)}."
    return f"Thủ tục thực hiện ở {proc.level.lower()}." if proc.level else ""

def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def _vn_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _head(proc: Procedure) -> str:
    name = proc.name
    if name.lower().startswith("thủ tục "):
        name = name[len("thủ tục ") :]
    name = _short(name, 140) if len(name) > 140 else name
    return f"Thủ tục {name} (mã {proc.code})"


def _tail(proc: Procedure) -> str:
    return f"Xem chi tiết tại: {proc.source_url}" if proc.source_url else "Mã thủ tục " + proc.code


# ---- dates in fee descriptions --------------------------------------------------------------------
_UNTIL = re.compile(
    r"(?:đến hết ngày|đến ngày|đến hết)\s*(?:(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})"
    r"|(\d{1,2}) tháng (\d{1,2}) năm (\d{4})|năm (\d{4}))",
    re.IGNORECASE,
)


def _until(text: str) -> dt.date | None:
    m = _UNTIL.search(text)
    if not m:
        return None
    g = m.groups()
    try:
        if g[0]:
            return dt.date(int(g[2]), int(g[1]), int(g[0]))
        if g[3]:
            return dt.date(int(g[5]), int(g[4]), int(g[3]))
        return dt.date(int(g[6]), 12, 31)
    except ValueError:
        return None


def _current_clauses(text: str, today: dt.date) -> tuple[list[str], list[dt.date]]:
    """Split a fee description into clauses; drop those whose end date has passed."""
    keep, ended = [], []
    for clause in split_clauses(text):
        until = _until(clause)
        if until is not None and until < today:
            ended.append(until)
        else:
            keep.append(clause)
    return keep, ended


_RULE_REF = re.compile(r"(?:Thông tư|Nghị định|Quyết định|Nghị quyết)(?: số)? \d+(?:/\d{4})?/[A-ZĐ]+(?:-[A-ZĐ]+g?)*")


def _fee_phrase(ch: Channel, today: dt.date) -> tuple[str, list[dt.date]]:
    """What one channel costs, as a phrase, and the end dates of fee clauses that have passed."""
    if ch.fee_status == "unknown":
        return "hồ sơ quốc gia không có thông tin về lệ phí", []
    if ch.fee_status == "free":
        return "miễn phí", []
    if ch.fee_status == "unclear":
        desc = " ".join(dict.fromkeys(f.description for f in ch.fees))
        keep, ended = _current_clauses(desc, today)
        amounts = list(dict.fromkeys(a for a in parse_vnd_amounts(" ".join(keep)) if a > 0))
        if not amounts:
            rule = _RULE_REF.search(desc)
            by = f" theo {rule.group(0)}" if rule else ""
            return f"hồ sơ ghi miễn phí nhưng lại dẫn quy định về mức thu{by}, anh chị nên xem chi tiết tại nguồn", ended
        return "khoảng " + " hoặc ".join(format_vnd(a) for a in amounts[:3]) + " tùy trường hợp" * (
            len(amounts) > 1
        ), ended
    parts: list[str] = []
    ended_all: list[dt.date] = []
    for fee in ch.fees:
        now = fee_now(fee.amount_vnd, fee.description, today, ch.kind)  # every dated clause, not the first
        if now.expired:
            ended_all.extend(now.ended)
            continue
        if now.reduction is not None and now.amount is not None and fee.currency != "USD":
            parts.append(format_vnd(now.amount) + now.note())
            continue
        if fee.currency == "USD":
            parts.append(f"{_num(fee.amount or 0)} đô la Mỹ")
        elif "amount_unit_suspect" in ch.flags and fee.amount_vnd is not None and fee.amount_vnd < 1000:
            stated = [a for a in parse_vnd_amounts(fee.description) if a >= 1000]
            parts.append(
                format_vnd(stated[0]) if stated
                else f"hồ sơ ghi {fee.amount_vnd}, nhiều khả năng là {format_vnd(fee.amount_vnd * 1000)}, "
                "anh chị nên kiểm tra lại tại nguồn"
            )
        elif fee.amount_vnd is not None:
            parts.append(format_vnd(fee.amount_vnd))
    parts = list(dict.fromkeys(parts))
    if not parts:
        return "mức phí ghi trong hồ sơ đã hết thời hạn áp dụng, anh chị nên xem mức hiện hành tại nguồn", ended_all
    return " hoặc ".join(parts[:3]) + (" tùy trường hợp" if len(parts) > 1 else ""), ended_all


def _group(proc: Procedure, phrase_of) -> str:  # noqa: ANN001 - phrase_of: Channel -> str
    """"nộp trực tuyến: X; nộp trực tiếp: Y", or just "X" when every channel says the same."""
    by_kind: dict[str, list[str]] = {}
    for ch in proc.channels:
        phrase = phrase_of(ch)
        if phrase:
            by_kind.setdefault(ch.kind, [])
            if phrase not in by_kind[ch.kind]:
                by_kind[ch.kind].append(phrase)
    if not by_kind:
        return ""
    spoken = {k: " hoặc ".join(v) for k, v in by_kind.items()}
    if len(set(spoken.values())) == 1:
        return next(iter(spoken.values()))
    return "; ".join(f"{_CHANNEL_SPOKEN[k]} {v}" for k, v in spoken.items())


# ---- aspects ------------------------------------------------------------------------------------
_CONDITIONAL = re.compile(r"^[-+*•\s]*(trường hợp|nếu|đối với|ví dụ)", re.IGNORECASE)


def _real_documents(proc: Procedure) -> list:
    """Documents to hand in, the ones everybody needs first: items whose quantity is all zero are
    notes, not papers; "Trường hợp ..." items only concern some people (stable order otherwise)."""
    real = [d for d in proc.documents if not d.quantity or re.search(r"[1-9]", d.quantity)]
    real = real or list(proc.documents)
    return sorted(real, key=lambda d: bool(_CONDITIONAL.match(d.name)))


def _more(n: int, what: str, link: str) -> str:
    return f" Và {n} {what} khác, xem chi tiết tại {link}." if n > 0 else ""


def _documents(proc: Procedure, link: str) -> str:
    docs = _real_documents(proc)
    if not docs:
        return "Hồ sơ quốc gia không liệt kê thành phần hồ sơ cho thủ tục này."
    cases = list(dict.fromkeys(d.case for d in docs if d.case))
    if len(cases) > 1:
        first_case = [d for d in docs if d.case == cases[0]]
        shown = first_case[:MAX_DOCS]
        heading = _short(cases[0], 80).rstrip(":")
        lead = f"Hồ sơ có {len(cases)} nhóm hoặc trường hợp. {heading[:1].upper()}{heading[1:]}: "
    else:
        shown = docs[:MAX_DOCS]
        lead = "Hồ sơ gồm: "
    items = []
    for d in shown:
        qty = f" ({d.quantity})" if d.quantity else ""
        items.append(_short(d.name) + qty)
    return lead + "; ".join(items) + "." + _more(len(docs) - len(shown), "giấy tờ", link)


def _fee(proc: Procedure, today: dt.date) -> str:
    if not proc.channels:
        return "Hồ sơ quốc gia không có thông tin về lệ phí của thủ tục này."
    ended: list[dt.date] = []

    def phrase(ch: Channel) -> str:
        text, e = _fee_phrase(ch, today)
        ended.extend(e)
        return text

    grouped = _group(proc, phrase)
    text = f"Lệ phí: {grouped}."
    if ended:
        text += (f" Lưu ý: mức thu ưu đãi ghi trong hồ sơ chỉ áp dụng đến ngày {_vn_date(max(ended))}, "
                 "nay đã hết hạn.")
    if "đồng" in grouped or "đô la" in grouped:
        text += " " + fee_note(today, _HANOI_FEE_NOTE)
    return text


def _time(proc: Procedure) -> str:
    grouped = _group(proc, format_time)
    if not grouped:
        return "Hồ sơ quốc gia không ghi thời hạn giải quyết."
    return f"Thời hạn giải quyết: {grouped}."


def _where(proc: Procedure) -> str:
    parts = []
    if proc.where:
        parts.append(f"Nơi tiếp nhận hồ sơ: {_short(proc.where, 160)}.")
    else:  # the in-person channel's description often says where ("Nộp hồ sơ trực tiếp tại Công an cấp xã")
        office = proc.channel("truc_tiep")
        clause = next((c for c in split_clauses(office.note) if re.search(r"(?:^|\s)tại\s", c, re.IGNORECASE)), "") if office else ""
        if clause:
            clause = _short(clause, 140)
            parts.append(f"Khi nộp trực tiếp: {clause[:1].lower()}{clause[1:]}.")
    if (agency := _agency_sentence(proc, 120)):
        parts.append(agency)
    if proc.online:
        parts.append("Anh chị cũng có thể nộp trực tuyến trên Cổng Dịch vụ công.")
    if not parts:
        parts.append("Hồ sơ quốc gia không ghi nơi tiếp nhận.")
    return " ".join(parts)


def _online(proc: Procedure, today: dt.date) -> str:
    online = [c for c in proc.channels if c.kind == "truc_tuyen"]
    if not online:
        kinds = _join([_CHANNEL_SPOKEN[c.kind] for c in proc.channels if c.kind != "truc_tuyen"][:2])
        other = f" Anh chị có thể {kinds}." if kinds else ""
        return "Hồ sơ quốc gia không ghi hình thức nộp trực tuyến cho thủ tục này." + other
    time = format_time(online[0])
    fee, _ = _fee_phrase(online[0], today)
    text = "Thủ tục này nộp trực tuyến được, trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID nếu có hỗ trợ."
    if time:
        text += f" Thời hạn khi nộp trực tuyến: {time}."
    text += f" Lệ phí khi nộp trực tuyến: {fee}."
    return text


def _steps(proc: Procedure, link: str) -> str:
    if not proc.steps:
        return "Hồ sơ quốc gia không ghi các bước thực hiện."
    shown = [f"Bước {i}: {_short(s, 120)}." for i, s in enumerate(proc.steps[:MAX_STEPS], start=1)]
    return " ".join(shown) + _more(len(proc.steps) - MAX_STEPS, "bước", link)


def _legal(proc: Procedure) -> str:
    if not proc.legal_basis:
        return "Hồ sơ quốc gia không ghi căn cứ pháp lý."
    items = []
    for lb in proc.legal_basis[:MAX_LEGAL]:
        if lb.number and lb.number in lb.title:  # "Thông tư số 53/2025/TT-BCA ngày ..." -> up to the number
            items.append(" ".join(lb.title[: lb.title.index(lb.number) + len(lb.number)].split()))
            continue
        title = _short(lb.title, 90)
        if not lb.number:
            items.append(title)
        else:
            items.append(f"{title} {lb.number}" if title.endswith(" số") else f"{title}, số {lb.number}")
    text = "Căn cứ pháp lý: " + "; ".join(items) + "."
    rest = len(proc.legal_basis) - MAX_LEGAL
    if rest > 0:
        text += f" Và {rest} văn bản khác."
    return text


def _result(proc: Procedure) -> str:
    if not proc.result:
        return "Hồ sơ quốc gia không ghi kết quả của thủ tục."
    results = [_short(r, 120) for r in proc.result.split("; ") if r.strip()]
    text = "Kết quả anh chị nhận được: " + "; ".join(results[:3]) + "."
    return text + (f" Và {len(results) - 3} loại kết quả khác." if len(results) > 3 else "")


def _overview(proc: Procedure, today: dt.date) -> str:
    parts = []
    docs = _real_documents(proc)
    if docs:
        names = [_short(d.name, 70) for d in docs[:2]]
        more = f" và {len(docs) - 2} giấy tờ khác" if len(docs) > 2 else ""
        parts.append(f"Hồ sơ gồm {'; '.join(names)}{more}.")
    fee = _group(proc, lambda ch: _fee_phrase(ch, today)[0])
    if fee:
        parts.append(f"Lệ phí: {fee}.")
    time = _group(proc, format_time)
    if time:
        parts.append(f"Thời hạn giải quyết: {time}.")
    if (agency := _agency_sentence(proc, 100)):
        parts.append(agency)
    parts.append("Có thể nộp trực tuyến." if proc.online else "Hồ sơ quốc gia không ghi hình thức nộp trực tuyến.")
    return " ".join(parts)


def procedure_answer(proc: Procedure, aspect: str | None = None, today: dt.date | None = None) -> str:
    """The answer about ``aspect`` of ``proc`` (``None``: a short overview), valid on ``today``."""
    if today is None:
        from dvcbot.settings import get_settings

        today = get_settings().current_date()
    body = {
        None: lambda: _overview(proc, today),
        "documents": lambda: _documents(proc, proc.source_url),
        "fee": lambda: _fee(proc, today),
        "processing_time": lambda: _time(proc),
        "where": lambda: _where(proc),
        "steps": lambda: _steps(proc, proc.source_url),
        "online": lambda: _online(proc, today),
        "legal_basis": lambda: _legal(proc),
        "result": lambda: _result(proc),
    }.get(aspect)
    if body is None:
        raise ValueError(f"unknown aspect {aspect!r}; one of {', '.join(ANSWER_ASPECTS)}")
    text = f"{_head(proc)}. {body()}"
    if proc.source_url and text.rstrip(".").endswith(proc.source_url):
        return text.rstrip(".")  # the cut-list sentence already ends with the source link
    return f"{text} {_tail(proc)}"


def procedure_full_text(proc: Procedure, today: dt.date) -> str:
    """Every section, one paragraph each, as a citizen would read the procedure."""
    lines = [f"{proc.name}", f"Mã thủ tục: {proc.code}. Lĩnh vực: {proc.field or 'không ghi'}. "
             f"Cấp thực hiện: {proc.level or 'không ghi'}."]
    if proc.aliases:
        lines.append("Thường gọi là: " + ", ".join(proc.aliases) + ".")
    if proc.subjects:
        lines.append(f"Đối tượng thực hiện: {_short(proc.subjects, 200)}.")
    if proc.conditions:
        cond = _short(proc.conditions, 300)
        more = " (còn nữa, xem chi tiết tại đường dẫn cuối trang)" if len(cond) + 20 < len(proc.conditions) else ""
        lines.append(f"Điều kiện: {cond}{more}.")
    lines += [
        _where(proc),
        _online(proc, today),
        _time(proc),
        _fee(proc, today),
        _documents(proc, "đường dẫn cuối trang"),
        _steps(proc, "đường dẫn cuối trang"),
        _result(proc),
        _legal(proc),
        _tail(proc),
    ]
    return "\n\n".join(lines)


# ---- CLI ----------------------------------------------------------------------------------------
def show_command(args: argparse.Namespace) -> int:
    """``dvcbot kb show CODE [--aspect A]``: exit 2 for an unknown code or aspect."""
    from dvcbot.settings import get_settings

    aspect = getattr(args, "aspect", None)
    if aspect is not None and aspect not in ANSWER_ASPECTS:
        print(f"Không có khía cạnh '{aspect}'. Chọn một trong: {', '.join(ANSWER_ASPECTS)}.", file=sys.stderr)
        return 2
    try:
        catalogue = load_catalogue()
    except CatalogueMissingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    code = (args.code or "").strip()
    proc = catalogue.get(code)
    if proc is None:
        print(f"Không tìm thấy thủ tục có mã '{code}'. Mã thủ tục có dạng 1.004194 "
              "(xem trên Cổng Dịch vụ công quốc gia).", file=sys.stderr)
        return 2
    today = get_settings().current_date()
    print(procedure_answer(proc, aspect, today) if aspect else procedure_full_text(proc, today))
    return 0
