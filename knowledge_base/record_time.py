"""What a time question gets when the record's time cells give no usable time.

The national record sometimes leaves the time cell empty ("Không có thông tin") or loses its unit ("3").
Its steps often still say the time ("... cấp Giấy chứng nhận ... trong thời hạn 03 ngày làm việc kể từ ngày
nhận hồ sơ"): that time is read out, said to come from the steps. When the steps give no single time, the
answer says plainly that the record gives no number of days and names whom to ask (the record's agency,
else the place the dossier is handed in) — never a bare "không ghi thời hạn" with nothing to do next.
"""

from __future__ import annotations

import re

from knowledge_base.answer_format import format_number, short_sentence
from knowledge_base.catalogue import Procedure
from knowledge_base.validity import unitless_time

#: "trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ", "trong vòng 5 ngày", "không quá 10 ngày"
_STEP_TIME = re.compile(
    r"(?:trong\s+(?:thời\s+hạn|vòng)|không\s+quá)\s+(?:tối\s+đa\s+|không\s+quá\s+)?0*(\d+)\s+"
    r"(ngày\s+làm\s+việc|giờ\s+làm\s+việc|ngày|giờ|tháng)\b"
    r"(\s+kể\s+từ\s+(?:ngày|khi)\s+(?:nhận|tiếp\s+nhận)\s+(?:được\s+)?(?:đủ\s+)?hồ\s+sơ(?:\s+hợp\s+lệ)?)",
    re.IGNORECASE,
)
#: a time counted from the dossier's receipt that is not the time of the result: the request for more papers
_NOT_THE_RESULT = re.compile(r"\b(?:bổ\s+sung|hoàn\s+thiện|từ\s+chối|không\s+đủ\s+điều\s+kiện)\b", re.IGNORECASE)
#: longest agency name read out as whom to ask
MAX_AGENCY_CHARS = 90


def step_time(proc: Procedure) -> str | None:
    """The one time the record's steps count from the dossier's receipt ("3 ngày làm việc kể từ ngày nhận hồ sơ"),
    not a time to add papers; None when they give none, or several different ones (which is the processing
    time cannot be told)."""
    found: dict[tuple[int, str], str] = {}
    for step in proc.steps:
        for m in _STEP_TIME.finditer(step):
            if _NOT_THE_RESULT.search(_sentence_before(step, m.start())):
                continue
            key = (int(m.group(1)), " ".join(m.group(2).lower().split()))
            found.setdefault(key, " ".join((m.group(3) or "").lower().split()))
    if len(found) != 1 or not next(iter(found))[0]:
        return None
    (number, unit), since = next(iter(found.items()))
    return f"{number} {unit} {since}"


def _sentence_before(text: str, end: int) -> str:
    """The sentence of ``text`` that ends at ``end`` (from the last full stop, semicolon or line break)."""
    start = max(text.rfind(mark, 0, end) for mark in (".", ";", "\n"))
    return text[start + 1:end]


def whom_to_ask(proc: Procedure) -> str:
    """The record's agency ("Ủy ban Nhân dân xã, phường"), else "nơi nộp hồ sơ"."""
    agency = (proc.executing_agency or proc.agency).strip(" .;")
    return short_sentence(agency, MAX_AGENCY_CHARS).rstrip(" .") if agency else "nơi nộp hồ sơ"


def missing_time_text(proc: Procedure) -> str:
    """The whole time sentence of a record whose time cells give no time at all."""
    if found := step_time(proc):
        return f"Mục thời hạn của hồ sơ quốc gia để trống; các bước của thủ tục ghi thời hạn {found}."
    return f"Thời hạn giải quyết: {unitless_time('', whom_to_ask(proc))}."


def unitless_number_text(value: float, proc: Procedure) -> str:
    """A time whose unit the record lost and its steps do not give ("5"): nearly every time of the catalogue is
    counted in days (working or calendar), so a number above one is said as about that many days, with what is
    not known and whom to ask; "1" (often a same-day service whose words were lost) is not read out."""
    whom = whom_to_ask(proc)
    if value <= 1:
        return unitless_time(format_number(value), whom)
    days = format_number(value)
    return (f"khoảng {days} ngày (hồ sơ quốc gia chỉ ghi số {days}, không nói rõ ngày làm việc hay ngày thường; "
            f"anh chị hỏi {whom} để biết chính xác)")
