"""``action_fallback``: two-stage fallback for messages the NLU service did not understand.

First time: ask to rephrase, with three topic buttons (``utter_rephrase``). Second time in a row:
offer a person (``utter_offer_human``, the hotline numbers). "In a row" is counted from the
conversation itself (consecutive ``nlu_fallback`` user messages), so it is right whatever the
other actions did; the count is also kept in the ``fallback_count`` slot for the staff console.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import try_followup

FALLBACK_INTENT = "nlu_fallback"


def consecutive_fallbacks(events: list[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


async def understood_anyway(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
                            ) -> list[dict[str, Any]] | None:
    """The intent was unclear, but the message names a procedure ("giải thể doanh nghiệp") or an FAQ
    entry covers it ("quên passcode thì sao"): answer that instead of asking to rephrase."""
    from actions import kb
    from actions.faq import best_faq_answer
    from actions.message import is_payload, message_text
    from actions.procedure import ActionAnswerProcedure, choose_procedure

    message = tracker.latest_message or {}
    text = message_text(message)
    if not text.strip() or is_payload(text):
        return None
    decision = choose_procedure(message, None, kb.catalogue())
    if decision.kind in ("answer", "clarify"):
        return await ActionAnswerProcedure().run(dispatcher, tracker, domain)
    answer = best_faq_answer(text)
    if answer:
        dispatcher.utter_message(text=answer)
        return [SlotSet("fallback_count", 0.0)]
    return None


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if (events := try_followup(dispatcher, tracker)) is not None:  # "bao lâu thì xong?"
            return events
        if (events := await understood_anyway(dispatcher, tracker, domain)) is not None:
            return events
        count = max(1, consecutive_fallbacks(tracker.events))
        dispatcher.utter_message(response="utter_rephrase" if count == 1 else "utter_offer_human")
        return [SlotSet("fallback_count", float(count))]


class ActionOutOfScope(Action):
    """Out of scope, unless it is a short follow-up about the current procedure ("mấy ngày thì xong")."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if (events := try_followup(dispatcher, tracker)) is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
