"""Fees as a phrase, with dates: a fee clause whose end date has passed is never said as current.

A reduced online fee "đến hết ngày 31/12/2025" ends; the national records do not carry Hanoi's own
exemptions, so amounts are "theo hồ sơ quốc gia", approximate; a record labelled free that cites a
fee rule says so instead of "miễn phí".
"""

from __future__ import annotations

import datetime as dt
import re

from knowledge_base.answer_format import format_number, format_vnd
from knowledge_base.catalogue import SubmissionMode
from knowledge_base.submission_modes import parse_vnd_amounts, split_clauses
from knowledge_base.validity import fee_now, periods

HANOI_FEE_NOTE = (
    "Mức phí trên là theo hồ sơ thủ tục quốc gia; khi nộp trực tuyến tại Hà Nội mức thu có thể "
    "được giảm hoặc miễn, nên số tiền chỉ là gần đúng."
)



_UNTIL = re.compile(
    r"(?:đến hết ngày|đến ngày|đến hết)\s*(?:(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})"
    r"|(\d{1,2}) tháng (\d{1,2}) năm (\d{4})|năm (\d{4}))",
    re.IGNORECASE,
)


def end_date(text: str) -> dt.date | None:
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


def current_clauses(text: str, today: dt.date) -> tuple[list[str], list[dt.date]]:
    """Split a fee description into clauses; drop those whose end date has passed."""
    keep, ended = [], []
    for clause in split_clauses(text):
        until = end_date(clause)
        if until is not None and until < today:
            ended.append(until)
        else:
            keep.append(clause)
    return keep, ended


_RULE_REF = re.compile(r"(?:Thông tư|Nghị định|Quyết định|Nghị quyết)(?: số)? \d+(?:/\d{4})?/[A-ZĐ]+(?:-[A-ZĐ]+g?)*")


#: "Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố ... quyết định"
COUNCIL_SETS = re.compile(r"do\s+Hội\s+đồng\s+nhân\s+dân[^.;]{0,80}?quyết\s+định", re.IGNORECASE)
#: "Miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn, người thuộc ...; người khuyết tật."
_EXEMPT_CASES = re.compile(r"miễn\s+(?:lệ\s+)?phí\s+(?:đối\s+với|cho)\s+([^.]+)", re.IGNORECASE)
#: the phrase of a mode whose every amount was a dated rule that has ended
EXPIRED_PHRASE = "mức phí ghi trong hồ sơ đã hết thời hạn áp dụng, anh chị nên xem mức hiện hành tại nguồn"
#: a case heading in front of the amount ("- Gia hạn tạm trú theo danh sách: + Trường hợp ... thu
#: 10.000 đồng/người/lần đăng ký"): the amount holds for that case only
_CASE_HEADING = re.compile(r"^[-+\s]*([^:+;.]{5,80}?)\s*:\s*\+", re.IGNORECASE)


def council_phrase(desc: str) -> str:
    """A fee the provincial council sets, with the cases the record exempts."""
    phrase = ("lệ phí theo mức do Hội đồng nhân dân thành phố quyết định (hồ sơ quốc gia không ghi số tiền, "
              "anh chị xem tại nguồn hoặc hỏi nơi nộp hồ sơ)")
    m = _EXEMPT_CASES.search(desc)
    if m:
        cases = " ".join(m.group(1).replace(";", ",").split()).rstrip(" ,")
        phrase = f"miễn lệ phí đối với {cases}; các trường hợp khác nộp " + phrase
    return phrase


def case_note(desc: str) -> str:
    """" mỗi người, khi gia hạn tạm trú theo danh sách" when the description's heading limits the amount."""
    m = _CASE_HEADING.match(desc or "")
    if not m or "theo danh sách" not in m.group(1).lower():
        return ""
    per_person = " mỗi người" if "/người" in desc else ""
    heading = m.group(1).strip()
    return f"{per_person}, khi {heading[:1].lower()}{heading[1:]}"


def fee_phrase(ch: SubmissionMode, today: dt.date) -> tuple[str, list[dt.date]]:
    """What one submission mode costs, as a phrase, and the end dates of fee clauses that have passed."""
    if ch.fee_status == "unknown":
        return "hồ sơ quốc gia không có thông tin về lệ phí", []
    if ch.fee_status == "free":
        return "miễn phí", []
    if ch.fee_status == "unclear":
        desc = " ".join(dict.fromkeys(f.description for f in ch.fees))
        keep, ended = current_clauses(desc, today)
        amounts = list(dict.fromkeys(a for a in parse_vnd_amounts(" ".join(keep)) if a > 0))
        if not amounts and COUNCIL_SETS.search(desc):
            return council_phrase(desc), ended
        if not amounts:
            rule = _RULE_REF.search(desc)
            by = f" theo {rule.group(0)}" if rule else ""
            # never "miễn phí": the record cites the rule that sets the fee but not the amount
            return (f"có thu phí{by}, hồ sơ quốc gia không ghi số tiền, anh chị xem mức thu tại nguồn "
                    "hoặc hỏi nơi nộp hồ sơ"), ended
        if len(amounts) == 1:  # "Miễn phí(- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần ...)": the fee
            return format_vnd(amounts[0]), ended
        return "khoảng " + " hoặc ".join(format_vnd(a) for a in amounts[:3]) + " tùy trường hợp", ended
    parts: list[str] = []
    ended_all: list[dt.date] = []
    for fee in ch.fees:
        now = fee_now(fee.amount_vnd, fee.description, today, ch.kind)  # every dated clause, not the first
        ended_all.extend(now.ended)
        if now.expired:
            continue
        if now.reduction is not None and now.amount is not None and fee.currency != "USD":
            parts.append(format_vnd(now.amount) + now.note())
            continue
        if fee.currency == "USD":
            parts.append(f"{format_number(fee.amount or 0)} đô la Mỹ")
        elif "amount_unit_suspect" in ch.flags and fee.amount_vnd is not None and fee.amount_vnd < 1000:
            stated = [a for a in parse_vnd_amounts(fee.description) if a >= 1000]
            parts.append(
                format_vnd(stated[0]) if stated
                else f"hồ sơ ghi {fee.amount_vnd}, nhiều khả năng là {format_vnd(fee.amount_vnd * 1000)}, "
                "anh chị nên kiểm tra lại tại nguồn"
            )
        elif fee.amount_vnd is not None:
            parts.append(format_vnd(fee.amount_vnd) + case_note(fee.description))
    parts = list(dict.fromkeys(parts))
    if not parts:
        return EXPIRED_PHRASE, ended_all
    return " hoặc ".join(parts[:3]) + (" tùy trường hợp" if len(parts) > 1 else ""), ended_all


def _undated_paid(ch: SubmissionMode) -> bool:
    return ch.fee_status == "paid" and not any(periods(f.description) for f in ch.fees)


def mode_fee_phrases(modes: tuple[SubmissionMode, ...] | list[SubmissionMode], today: dt.date
                     ) -> tuple[dict[int, str], list[dt.date], bool]:
    """The fee phrase of every mode (keyed by ``id(mode)``), the passed end dates, and whether the
    normal rate was used for a mode whose reduced rate ended.

    A mode whose whole amount was a dated reduced rate ("160.000 đồng ... áp dụng đến hết ngày
    31/12/2023") pays the normal rate once it ended: the record's undated amount of another mode
    (the in-person 200.000 đồng of the same passport record), never the ended reduced amount."""
    phrases: dict[int, str] = {}
    ended: list[dt.date] = []
    for ch in modes:
        text, e = fee_phrase(ch, today)
        phrases[id(ch)] = text
        ended.extend(e)
    normal = next((phrases[id(ch)] for ch in modes if _undated_paid(ch) and phrases[id(ch)] != EXPIRED_PHRASE), None)
    fell_back = False
    if normal is not None:
        for ch in modes:
            if phrases[id(ch)] == EXPIRED_PHRASE:
                phrases[id(ch)] = normal
                fell_back = True
    return phrases, ended, fell_back
