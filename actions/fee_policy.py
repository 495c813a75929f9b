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
    from knowledge_base.aspects import asks_cheaper_online, asks_fee_cut
    from knowledge_base.hanoi import asks_free_online

    text = message_text(message)
    if not text or is_payload(text):
        return None
    question = question_part(text)
    if asks_free_online(question):  # "còn miễn phí không": a procedure's fee only when it is named
        return _named_procedure(message, question)
    # "còn được giảm không", "online có còn rẻ hơn không": the named procedure's fee, else the one before
    if asks_fee_cut(question) or asks_cheaper_online(question):
        return _named_procedure(message, question) or previous
    return None


def answer_dated_fee(dispatcher: Any, message: dict[str, Any], previous: str | None) -> list[dict[str, Any]] | None:
    """Say the fee as valid today of :func:`dated_fee_procedure`'s procedure; its events, else None. A
    message that names the procedure ("đổi căn cước nộp trên mạng còn được giảm 50% không") is a procedure
    question whatever payment or submission words the NLU read in it (:func:`actions.procedure.answer_with`
    reports every record answer as one)."""
    from actions import kb
    from actions.procedure import answer_with

    code = dated_fee_procedure(message, previous)
    proc = kb.procedure(code) if code else None
    if proc is None:
        return None
    return answer_with(dispatcher, proc, "fee")


def procedure_question_marks() -> dict[str, str]:
    """The metadata of a fee answer about a procedure the message names: reported as a procedure question."""
    from actions.followup import ANSWER_INTENT_KEY, PROCEDURE_INTENT

    return {ANSWER_INTENT_KEY: PROCEDURE_INTENT}


def answer_dated_fee_in(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """:func:`answer_dated_fee` for the latest message, the procedure before being the one the bot answered
    last (whatever intent the NLU read: "mức giảm đó áp dụng tới khi nào" is often taken as out of scope)."""
    from actions.followup import previous_procedure
    from actions.where_to_turn import after_procedure

    previous = previous_procedure(tracker)[0] if after_procedure(tracker) else None
    return answer_dated_fee(dispatcher, tracker.latest_message or {}, previous)


def answer_free_online_policy(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Outside a procedure's topic, a question whether filing online is still free ("lam tren mang o hn bh con
    mien phi ko") is Hanoi's 0-đồng policy by its dates, also when the NLU is unsure of it (a not-understood
    message would else get an entry sharing "miễn phí", the digital signature's); its events, else None."""
    from rasa_sdk.events import SlotSet

    from actions.followup import faq_marks
    from actions.procedure import online_fee_policy_answer
    from actions.where_to_turn import after_procedure

    if after_procedure(tracker):
        return None
    text = online_fee_policy_answer(tracker.latest_message or {}, free_named=True)
    if not text:
        return None
    dispatcher.utter_message(text=text, **faq_marks(text))
    return [SlotSet("fallback_count", 0.0)]


def policy_followup_text(message: dict[str, Any], previous_faq: str | None) -> str | None:
    """After Hanoi's 0-đồng policy answer (``previous_faq``: the FAQ answered just before), a fee question that
    names no procedure ("vậy giờ nộp online thì trả theo mức nào", "thế bây giờ tính phí thế nào") asks what
    applies now: that policy as valid today (ended; the fee each procedure's rule sets). None otherwise."""
    from actions import kb
    from knowledge_base.answer_check import question_part
    from knowledge_base.aspects import asks_fee
    from knowledge_base.hanoi import layer

    policy = layer().get("zero_fee_faq")
    text = message_text(message)
    if not policy or previous_faq != policy or not text or is_payload(text):
        return None
    question = question_part(text)
    from actions.followup import asks_how_to_pay

    if not asks_fee(question) or asks_how_to_pay(question) or _named_procedure(message, question) is not None:
        return None  # "thế giờ thanh toán lệ phí trực tuyến kiểu gì": the payment steps, not the policy again
    entry = kb.faq_entry(policy)
    return kb.faq_text(entry) if entry is not None else None
