"""Which procedure's fee answers a dated online-fee question (issue 9, session 16, date17b).

A question whether an online fee is still cut ("nghe nói nộp online được giảm một nửa, giờ còn không") is
the fee of the procedure it names, or of the procedure answered just before: that fee as valid today
says the cut and until when. A question whether filing online is still free ("đăng ký tạm trú qua mạng
giờ vẫn miễn phí à") is that procedure's fee only when the question itself names the procedure: the fee
text says the 0-đồng policy ended; with no procedure in it, Hanoi's 0-đồng FAQ answers by its dates.
"""

from __future__ import annotations

import re
from typing import Any

from actions.message import entity_values, is_payload, message_text, procedure_candidates
from dvcbot.textnorm import fold


def _named_procedure(message: dict[str, Any], question: str) -> str | None:
    """The procedure the message names: the NLU's entity, else its first candidate when the question says that
    procedure's whole name ("đăng ký thường trú"); a weak catalogue match of words such as "giảm 50%" names nothing."""
    named = entity_values(message, "procedure")
    if named:
        return named[0]
    first = next(iter(procedure_candidates(message)), None)
    name = re.sub(r"\s*\(.*?\)", "", first.name or "") if first is not None else ""
    return first.code if name and f" {fold(name)} " in f" {fold(question)} " else None


def dated_fee_procedure(message: dict[str, Any], previous: str | None) -> str | None:
    """The procedure whose fee as valid today answers the message, else None. ``previous``: the procedure
    the bot answered just before (None after anything else)."""
    from knowledge_base.answer_check import question_part
    from knowledge_base.aspects import asks_fee_cut
    from knowledge_base.hanoi import asks_free_online

    text = message_text(message)
    if not text or is_payload(text):
        return None
    question = question_part(text)
    if asks_free_online(question):  # "còn miễn phí không": a procedure's fee only when it is named
        return _named_procedure(message, question)
    if asks_fee_cut(question):  # "còn được giảm không": the named procedure's fee, else the one before
        return _named_procedure(message, question) or previous
    return None


def answer_dated_fee(dispatcher: Any, message: dict[str, Any], previous: str | None) -> list[dict[str, Any]] | None:
    """Say the fee as valid today of :func:`dated_fee_procedure`'s procedure; its events, else None."""
    from actions import kb
    from actions.procedure import answer_with

    code = dated_fee_procedure(message, previous)
    proc = kb.procedure(code) if code else None
    return answer_with(dispatcher, proc, "fee") if proc is not None else None
