"""Formatting shared by the procedure answers: amounts, durations, short speakable sentences.

Answers are read aloud on the 1022 phone line as well as shown in chat: plain sentences, no
bullets or table marks, abbreviations said in full, no ellipsis when a sentence is cut.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from knowledge_base.catalogue import Procedure, SubmissionMode
from knowledge_base.validity import unitless_time

#: how each submission mode is said ("nộp trực tuyến: 3 ngày; nộp trực tiếp: 5 ngày")
MODE_SPOKEN = {"truc_tuyen": "nộp trực tuyến", "truc_tiep": "nộp trực tiếp", "buu_chinh": "gửi qua bưu chính"}


def format_vnd(amount: int) -> str:
    """26000 -> "26.000 đồng"; 0 -> "miễn phí"."""
    if amount == 0:
        return "miễn phí"
    return f"{amount:,}".replace(",", ".") + " đồng"


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def format_time(ch: SubmissionMode) -> str:
    """"3 ngày làm việc"; a lost unit is said as such; no information -> ""."""
    if ch.time_value is None:
        return ch.time_text if ch.time_text and "time_text" in ch.flags else ""
    if ch.time_unit:
        return f"{format_number(ch.time_value)} {ch.time_unit.lower()}"
    return unitless_time(format_number(ch.time_value))


#: abbreviations of the records, said in full (the phone line reads them out)
_SPOKEN_ABBREV = {
    "TTPVHCC": "Trung tâm Phục vụ hành chính công", "UBND": "Ủy ban nhân dân", "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công", "HĐND": "Hội đồng nhân dân", "BHXH": "bảo hiểm xã hội", "BHYT": "bảo hiểm y tế",
}
_ABBREV = re.compile(r"\b(?:" + "|".join(_SPOKEN_ABBREV) + r")\b")

#: words a cut sentence should not end on
_DANGLING = {"của", "về", "và", "theo", "tại", "với", "cho", "đã", "các", "những", "được", "hoặc", "trong",
             "số", "là", "từ", "đến", "do", "khi", "nếu", "thì", "mà", "có", "không", "bị", "để", "một", "đối", "trường"}


#: a form's code at the start of a parenthesis: "(mẫu CT01 ...", "(Mẫu số TK01 ...", "(Mẫu DC02)"
_FORM_CODE = re.compile(r"\(\s*mẫu\s+(?:số\s+)?([A-ZĐ]{1,4}\d{1,3}[a-z]?)\b", re.IGNORECASE)


def short_sentence(text: str, limit: int = 110) -> str:
    """First sentence of ``text``, cut at a word boundary (speakable, no ellipsis)."""
    text = re.sub(r"[*•#|`]+|(?<=\s)[-+](?=\s)", " ", text)  # bullets and table marks are not speakable
    text = _ABBREV.sub(lambda m: _SPOKEN_ABBREV[m.group(0)], text)
    text = " ".join(text.split()).strip(" -+;:")
    text = re.sub(r"^(?:\(?[0-9ivxa-zđ]{1,4}\)|[0-9]{1,2}\.)\s+", "", text)  # "(3) ", "a) ", "1. "
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    if len(first) > limit and "(" in first[20:limit]:
        cut = first.index("(", 20)
        form = _FORM_CODE.match(first[cut:])  # "(mẫu CT01 ban hành kèm theo ...)": keep "(mẫu CT01)",
        first = first[:cut].strip()             # the name citizens and clerks use for the form
        if form:
            first = f"{first} (mẫu {form.group(1)})"
    if len(first) > limit:
        words = first[:limit].rsplit(" ", 1)[0].rstrip(",;:").split(" ")
        while len(words) > 3 and words[-1].lower() in _DANGLING:  # "... một số điều của" -> "... điều"
            words.pop()
        first = " ".join(words).rstrip(",;:")
    return first



def agency_sentence(proc: Procedure, limit: int) -> str:
    """Who decides the procedure, or at which level it is done when the record names no agency."""
    agency = proc.agency or proc.executing_agency
    if agency:
        return f"Cơ quan giải quyết: {short_sentence(agency, limit)}."
    return f"Thủ tục thực hiện ở {proc.level.lower()}." if proc.level else ""

def join_items(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def vn_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def procedure_head(proc: Procedure) -> str:
    name = proc.name
    if name.lower().startswith("thủ tục "):
        name = name[len("thủ tục ") :]
    name = short_sentence(name, 140) if len(name) > 140 else name
    return f"Thủ tục {name} (mã {proc.code})"


def procedure_tail(proc: Procedure) -> str:
    return f"Xem chi tiết tại: {proc.source_url}" if proc.source_url else "Mã thủ tục " + proc.code


def group_by_mode(proc: Procedure, phrase_of: Callable[[SubmissionMode], str]) -> str:
    """"nộp trực tuyến: X; nộp trực tiếp: Y", or just "X" when every submission mode says the same."""
    by_kind: dict[str, list[str]] = {}
    for ch in proc.submission_modes:
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
    return "; ".join(f"{MODE_SPOKEN[k]} {v}" for k, v in spoken.items())
