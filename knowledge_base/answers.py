"""Citizen-readable answers about one procedure: short, speakable Vietnamese with full diacritics.

This module dispatches an aspect to its writer (:mod:`knowledge_base.aspect_writers`); formatting
lives in :mod:`knowledge_base.answer_format`, fees in :mod:`knowledge_base.fee_text`.

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

import datetime as dt
from collections.abc import Callable

from knowledge_base import aspect_writers as w
from knowledge_base.answer_format import procedure_head, procedure_tail, short_sentence
from knowledge_base.aspects import ASPECTS
from knowledge_base.catalogue import Procedure

Writer = Callable[[Procedure, dt.date, str | None], str]

__all__ = ["WRITERS", "procedure_answer", "procedure_full_text"]

#: aspect -> its writer (``None``: the overview); the keys are :data:`knowledge_base.aspects.ASPECTS`
WRITERS: dict[str | None, Writer] = {
    None: w.overview_text,
    "documents": w.documents_text,
    "fee": w.fee_text,
    "processing_time": w.time_text,
    "where": w.where_text,
    "steps": w.steps_text,
    "online": w.online_text,
    "legal_basis": w.legal_text,
    "result": w.result_text,
}


def procedure_answer(proc: Procedure, aspect: str | None = None, today: dt.date | None = None) -> str:
    """The answer about ``aspect`` of ``proc`` (``None``: a short overview), valid on ``today``."""
    if today is None:
        from dvcbot.settings import get_settings

        today = get_settings().current_date()
    write = WRITERS.get(aspect)
    if write is None:
        raise ValueError(f"unknown aspect {aspect!r}; one of {', '.join(ASPECTS)}")
    text = f"{procedure_head(proc)}. {write(proc, today)}"
    if proc.source_url and text.rstrip(".").endswith(proc.source_url):
        return text.rstrip(".")  # the cut-list sentence already ends with the source link
    return f"{text} {procedure_tail(proc)}"


def procedure_full_text(proc: Procedure, today: dt.date) -> str:
    """Every section, one paragraph each, as a citizen would read the procedure."""
    lines = [f"{proc.name}", f"Mã thủ tục: {proc.code}. Lĩnh vực: {proc.field or 'không ghi'}. "
             f"Cấp thực hiện: {proc.level or 'không ghi'}."]
    if proc.aliases:
        lines.append("Thường gọi là: " + ", ".join(proc.aliases) + ".")
    if proc.subjects:
        lines.append(f"Đối tượng thực hiện: {short_sentence(proc.subjects, 200)}.")
    if proc.conditions:
        cond = short_sentence(proc.conditions, 300)
        more = " (còn nữa, xem chi tiết tại đường dẫn cuối trang)" if len(cond) + 20 < len(proc.conditions) else ""
        lines.append(f"Điều kiện: {cond}{more}.")
    sections = (w.where_text, w.online_text, w.time_text, w.fee_text, w.documents_text, w.steps_text,
                w.result_text, w.legal_text)
    lines += [write(proc, today, "đường dẫn cuối trang") for write in sections]
    lines.append(procedure_tail(proc))
    return "\n\n".join(lines)
