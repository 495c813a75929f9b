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
        until = end_date(fee.description)
        if until is not None and until < today:
            ended_all.append(until)
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
            parts.append(format_vnd(fee.amount_vnd))
    parts = list(dict.fromkeys(parts))
    if not parts:
        return "mức phí ghi trong hồ sơ đã hết thời hạn áp dụng, anh chị nên xem mức hiện hành tại nguồn", ended_all
    return " hoặc ".join(parts[:3]) + (" tùy trường hợp" if len(parts) > 1 else ""), ended_all
