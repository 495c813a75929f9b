"""``action_fallback``: two-stage fallback for messages the NLU service did not understand.

First time: ask to rephrase, with the topic buttons (``utter_rephrase``). Second time in a row:
hand the conversation to a person (a handoff in the care console; ``utter_offer_human``, the
hotline numbers, when that is not possible). A ticket code on its own is answered with its status. "In a row" is counted from the
conversation itself (consecutive ``nlu_fallback`` user messages), so it is right whatever the
other actions did; the count is also kept in the ``fallback_count`` slot for the staff console.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import topic_buttons
from actions.fee_policy import answer_dated_fee_in, answer_free_online_policy
from actions.followup import ask_topic, try_followup, unplaced_in_faq_topic
from actions.online_support import answer_online_support
from actions.where_to_turn import answer_turn_to

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


def previous_action(events: list[dict[str, Any]]) -> str | None:
    """The bot's last action before the latest user message (``action_listen`` skipped)."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            return event["name"]
    return None


#: how far down the NLU's ranking, and from what confidence, an FAQ topic makes a message not understood
#: FAQ-like (its words lean to paying, filing online, VNeID or the contact channels)
LEAN_RANKS = 3
LEAN_MIN = 0.2


def leaning_faq_intent(message: dict[str, Any]) -> str | None:
    """The FAQ intent (:data:`actions.faq.CATEGORIES`) among the first :data:`LEAN_RANKS` of the NLU's
    ranking with :data:`LEAN_MIN` confidence, when the message names no procedure itself (an entity);
    None otherwise. "nộp hồ sơ 2 hôm rồi mà không thấy báo đóng tiền" falls under the threshold, but
    its words are a payment question's, not a procedure's the search finds a look-alike of."""
    from actions.faq import CATEGORIES
    from actions.procedure import procedure_entities

    if procedure_entities(message):
        return None
    ranking = [r for r in message.get("intent_ranking") or [] if isinstance(r, dict)][:LEAN_RANKS]
    return next((str(r.get("name")) for r in ranking
                 if r.get("name") in CATEGORIES and float(r.get("confidence") or 0.0) >= LEAN_MIN), None)


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
    from actions.followup import faq_marks

    leaning = leaning_faq_intent(message)
    # FAQ-like words and no procedure named: the FAQ first (a search look-alike of a procedure is no answer)
    if leaning is not None and (answer := best_faq_answer(text, leaning)):
        dispatcher.utter_message(text=answer, **faq_marks(answer))
        return [SlotSet("fallback_count", 0.0)]
    decision = choose_procedure(message, None, kb.catalogue())
    if decision.kind in ("answer", "clarify"):
        return await ActionAnswerProcedure().run(dispatcher, tracker, domain)
    answer = best_faq_answer(text)
    if answer:
        dispatcher.utter_message(text=answer, **faq_marks(answer))
        return [SlotSet("fallback_count", 0.0)]
    return None


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from actions.complaint import live_faq_answer, lookup_reply, open_handoff

        text = str((tracker.latest_message or {}).get("text") or "")
        not_understood = ((tracker.latest_message or {}).get("intent") or {}).get("name") == FALLBACK_INTENT
        if not_understood and (answer := lookup_reply(text)) is not None:  # a ticket code ("PA-26-000123")
            dispatcher.utter_message(text=answer)
            return [SlotSet("fallback_count", 0.0)]
        # a question staff answered in the care console since the last deploy (the
        # gaps they were written for are exactly what the knowledge base missed)
        if not_understood and not (tracker.active_loop or {}).get("name"):
            if (answer := live_faq_answer(text)) is not None:
                dispatcher.utter_message(text=answer)
                return [SlotSet("fallback_count", 0.0)]
        from actions.agent_hours import answer_agent_hours

        if (events := answer_agent_hours(dispatcher, tracker)) is not None:  # "cuối tuần có mở không" after places
            return events
        if (events := answer_online_support(dispatcher, tracker)) is not None:
            return events  # "mình phải tự trả hay được hỗ trợ" after the postage answer: today's support
        if (events := answer_dated_fee_in(dispatcher, tracker)) is not None:
            return events  # "online còn rẻ hơn không" after a procedure: its fee as valid today
        if (events := answer_free_online_policy(dispatcher, tracker)) is not None:
            return events  # "lam tren mang bh con mien phi ko": the 0-đồng policy by its dates
        if (events := try_followup(dispatcher, tracker, domain)) is not None:  # "bao lâu thì xong?"
            return events
        if (events := answer_turn_to(dispatcher, tracker.latest_message or {})) is not None:
            return events  # "không tự làm được thì sao": the hotline
        if not_understood and unplaced_in_faq_topic(tracker.latest_message or {}, list(tracker.events)):
            return ask_topic(dispatcher)  # which topic? never a procedure that only shares a word
        if (events := await understood_anyway(dispatcher, tracker, domain)) is not None:
            return events
        count = max(1, consecutive_fallbacks(tracker.events))
        if count == 1:
            dispatcher.utter_message(response="utter_rephrase", buttons=topic_buttons())
        elif (tracker.active_loop or {}).get("name") or previous_action(tracker.events) != "action_fallback":
            # inside a form "not understood" messages are answers (a ward, a phone number): no handoff
            dispatcher.utter_message(response="utter_offer_human")
        else:  # the second time in a row: a person takes over (care console), else the hotline
            notice = open_handoff(tracker, "fallback")
            if notice:
                dispatcher.utter_message(text="Xin lỗi, tôi vẫn chưa hiểu được câu hỏi. " + notice)
            else:
                dispatcher.utter_message(response="utter_offer_human")
        return [SlotSet("fallback_count", float(count))]


class ActionOutOfScope(Action):
    """Out of scope, unless it is a short follow-up about the current procedure ("mấy ngày thì xong")."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if (events := answer_dated_fee_in(dispatcher, tracker)) is not None:
            return events  # "mức giảm đó áp dụng tới khi nào" after a procedure: its fee as valid today
        if (events := try_followup(dispatcher, tracker, domain)) is not None:
            return events
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionGreet(Action):
    """The greeting, unless the "greeting" carries a follow-up of the topic answered before: in chat a
    question to the bot often opens or ends with "ad" / "ơi" ("zalo thì sao ad"), which reads as a
    greeting; the message is answered in the conversation's topic when it asks something there. The
    greeting offers the topic buttons: a citizen who only says hello (often an elderly one) is shown
    where to start rather than left to guess what to type."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if (events := try_followup(dispatcher, tracker, domain, procedures=False, ask=False)) is not None:
            return events
        dispatcher.utter_message(response="utter_greet", buttons=topic_buttons())
        return []
