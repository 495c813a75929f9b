"""Today's support for online filers, for a question whether filing costs are paid for (issue 9, session 17,
date18).

"thế giờ nộp online có hỗ trợ gì không" after the 0-đồng policy answer, "mình phải tự trả hay được hỗ trợ"
after the postage answer: the support Hanoi gives online filers as valid today (postage, digital signature,
from 1/1/2026), not an entry that merely holds the word "hỗ trợ" (help with doing it). What counts as such a
question: :func:`knowledge_base.hanoi.asks_cost_support`; which entry says the support: the Hanoi layer.
"""

from __future__ import annotations

from typing import Any

from actions.message import is_payload, message_text

#: FAQ topics whose answers are about a cost: a follow-up "được hỗ trợ không" asks about that cost
COST_CATEGORIES = frozenset({"payment"})
#: words of an answer about a cost (the postage entry is a submission entry)
_COST_WORDS = ("phí", "cước", " đồng")


def _cost_before(tracker: Any) -> bool:
    """The bot's last answer was an FAQ answer about a cost (a fee policy, the postage)."""
    from actions import kb
    from actions.followup import previous_faq_id

    faq_id = previous_faq_id(tracker)
    entry = kb.faq_entry(faq_id) if faq_id else None
    if entry is None:
        return False
    return entry.category in COST_CATEGORIES or any(w in (entry.answer or "").lower() for w in _COST_WORDS)


def online_support_text(tracker: Any) -> str | None:
    """The answer about today's support for online filers when the latest message asks it, else None."""
    from actions import kb
    from knowledge_base.answer_check import question_part
    from knowledge_base.hanoi import asks_cost_support, online_support_faq

    text = message_text(tracker.latest_message or {})
    if not text or is_payload(text) or not asks_cost_support(question_part(text), _cost_before(tracker)):
        return None
    entry = kb.faq_entry(online_support_faq() or "")
    return kb.faq_text(entry) if entry is not None else None


def answer_online_support(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Say :func:`online_support_text` marked as the FAQ answer it is; its events, else None."""
    from rasa_sdk.events import SlotSet

    from actions.followup import faq_marks

    text = online_support_text(tracker)
    if text is None:
        return None
    dispatcher.utter_message(text=text, **faq_marks(text))
    return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]
