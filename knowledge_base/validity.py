"""Which dated fee rules apply today.

Fee descriptions of the national records carry periods, often several in one text:

    "50.000 đồng/thẻ; Kể từ ngày 01/01/2025 đến hết ngày 31/12/2025, mức thu ... theo hình thức
    trực tuyến bằng 50% mức thu ... - Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí
    cấp đổi, cấp lại thẻ căn cước bằng 50% mức thu nêu trên theo ... Thông tư 64/2025/TT-BTC"

The first reduction (online only) ended on 31/12/2025, the second is valid until 31/12/2026: on
30/11/2026 the fee is 25.000 đồng, and the answer says until when. Reading only the first end date
(as the answers did before) called the whole fee expired. :func:`fee_now` reads every period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_DATE = r"(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})"
_FROM = re.compile(r"(?:kể\s+)?từ\s+(?:ngày\s+)?" + _DATE, re.IGNORECASE)
_UNTIL = re.compile(r"đến\s+(?:hết\s+)?(?:ngày\s+)?" + _DATE, re.IGNORECASE)
_PERCENT = re.compile(r"(?:bằng|giảm)\s+(\d{1,3})\s*%", re.IGNORECASE)
_ONLINE = re.compile(r"trực\s*tuy|qua mạng|online", re.IGNORECASE)
_RULE = re.compile(r"(?:Thông tư|Nghị định|Quyết định|Nghị quyết)(?: số)? \d+/\d{4}/[A-ZĐ]+(?:-[A-ZĐ0-9]+)*")
_CLAUSE_SPLIT = re.compile(r"(?:^|\s)-\s+|;\s*|\.\s+(?=[A-ZĐ])|\n+")


def _date(groups: tuple[str, str, str]) -> dt.date | None:
    try:
        return dt.date(int(groups[2]), int(groups[1]), int(groups[0]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Period:
    """One dated clause of a fee description."""

    clause: str
    start: dt.date | None
    end: dt.date | None
    percent: int | None = None  # "bằng 50% mức thu": the fee is this share of the normal fee
    online_only: bool = False
    rule: str = ""

    def valid_on(self, today: dt.date) -> bool:
        return (self.start is None or self.start <= today) and (self.end is None or today <= self.end)


def periods(text: str) -> list[Period]:
    """The dated clauses of ``text`` (those with an end date), in order."""
    out = []
    for clause in _CLAUSE_SPLIT.split(text or ""):
        clause = clause.strip(" -;.")
        end_m = _UNTIL.search(clause)
        if not clause or not end_m:
            continue
        start_m = _FROM.search(clause)
        pct = _PERCENT.search(clause)
        rule = _RULE.search(clause)
        out.append(Period(clause, _date(start_m.groups()) if start_m else None, _date(end_m.groups()),
                          int(pct.group(1)) if pct else None, bool(_ONLINE.search(clause)),
                          rule.group(0) if rule else ""))
    return out


@dataclass(frozen=True)
class FeeNow:
    """The fee of one record line as it applies today."""

    amount: int | None  # what is paid today (None: unknown)
    base: int | None  # the normal amount before a reduction
    reduction: Period | None = None  # the reduction that applies today
    expired: bool = False  # the whole amount was a time-limited rule that has ended
    ended: list[dt.date] = field(default_factory=list)

    def note(self) -> str:
        """", đã giảm 50% so với mức 50.000 đồng, áp dụng đến hết ngày 31/12/2026 theo Thông tư ..." or ""."""
        if self.reduction is None or self.base is None or self.reduction.end is None:
            return ""
        rule = f" theo {self.reduction.rule}" if self.reduction.rule else ""
        return (f" (đã giảm {100 - (self.reduction.percent or 100)}% so với mức {vnd(self.base)}, áp dụng đến hết "
                f"ngày {self.reduction.end.strftime('%d/%m/%Y')}{rule})")


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def fee_now(amount: int | None, description: str, today: dt.date, channel_kind: str = "") -> FeeNow:
    """The amount that applies on ``today`` for a record line of ``amount`` with ``description``.

    - a reduction clause ("bằng 50% mức thu") valid today, for this channel, reduces the amount;
      ended reductions give the normal amount again (their end dates in ``ended``, never as current);
    - without reduction clauses, a description whose dated clauses have all ended means the amount
      itself was time-limited: ``expired`` (the answer says so instead of giving it);
    """
    found = periods(description)
    reductions = [p for p in found if p.percent is not None and 0 < p.percent < 100]
    if reductions:
        online = channel_kind == "truc_tuyen"
        applies = [p for p in reductions if online or not p.online_only]
        current = [p for p in applies if p.valid_on(today)]
        if amount is None or not current:  # the normal amount; the reductions that ended are dated
            return FeeNow(amount, amount, ended=[p.end for p in applies if p.end is not None and p.end < today])
        best = min(current, key=lambda p: p.percent or 100)
        return FeeNow(round(amount * (best.percent or 100) / 100), amount, best)
    ended = [p.end for p in found if p.end is not None and p.end < today]
    if ended and not any(p.valid_on(today) for p in found):
        return FeeNow(None, amount, expired=True, ended=ended)
    return FeeNow(amount, amount)


def policy_answer_prefix(valid_from: dt.date | None, valid_until: dt.date | None, today: dt.date) -> str:
    """How a yes/no question about a dated policy starts today: "Dạ, đúng" only while it applies."""
    if valid_until is not None and today > valid_until:
        return f"Dạ, không còn. Chính sách này chỉ áp dụng đến ngày {valid_until.strftime('%d/%m/%Y')}."
    if valid_from is not None and today < valid_from:
        return f"Dạ, chưa. Chính sách này áp dụng từ ngày {valid_from.strftime('%d/%m/%Y')}."
    return "Dạ, đúng."


def unitless_time(value: str, whom: str = "nơi nộp hồ sơ") -> str:
    """A processing time whose unit the crawl lost ("1"), or no time at all: not read out as a number; the
    answer says plainly that the record gives no number of days, and whom to ask (``whom``)."""
    return (f"hồ sơ quốc gia không ghi rõ là bao nhiêu ngày, anh chị hỏi {whom} hoặc xem thời hạn tại "
            "đường dẫn cuối câu trả lời")
