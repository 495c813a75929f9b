"""``action_find_agent``: the nearest places that help with public services.

Uses :func:`routing.answers.find_agent_answer`: a message
naming a ward (or a shared location) gives the nearest agents; without a place the answer asks
for the ward; a follow-up without a new place ("còn chỗ nào khác không?") gives the next ones,
excluding those already shown (slot ``agent_ids``). When the routing data cannot be loaded the
citizen gets an honest message with the hotline, never made-up addresses.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.agent_hours import answer_agent_hours
from actions.complaint import answer_feedback_channel
from actions.faq import say_faq
from actions.followup import try_followup
from actions.message import entity_values, intent_name, is_payload, location, message_text
from actions.ward_office import answer_ward_office
from dvcbot.textnorm import fold

log = logging.getLogger(__name__)

#: agents shown per answer
PER_PAGE = 3
#: the "Xem thêm điểm khác" button of routing.answers sends this intent
MORE_INTENT = "find_agent_more"


def _in_hanoi(lat: float, lon: float) -> bool:
    from knowledge_base.hanoi import in_hanoi

    return in_hanoi(lat, lon)


Request = tuple[dict[str, Any], tuple[str, ...]]


def search_requests(
    message: dict[str, Any], previous: dict[str, Any] | None, shown: list[str]
) -> list[Request]:
    """The searches to try in order, each ``(place, agent ids to skip)``; the first that finds a
    place wins.

    A shared location is a new search. "Xem thêm điểm khác" (``find_agent_more``) continues the
    previous search without the agents already shown. Any other message is a new search around
    the place it names, and when it names none ("còn chỗ nào khác không?") the previous search
    continues.
    """
    loc = location(message)
    if loc is not None:
        return [({"text": None, "lat": loc[0], "lon": loc[1]}, ())]
    more = (previous, tuple(shown)) if previous else None
    if more and intent_name(message) == MORE_INTENT:
        return [more]
    text = message_text(message)
    # a button's ward entity is the place ("/find_agent{"ward": "Phường Láng"}"); a bare name
    # ("Láng") is also tried as "phường Láng"
    places = [] if is_payload(text) else [text]
    for ward in entity_values(message, "ward"):
        places.append(ward)
        if not fold(ward).startswith(("phuong", "xa ")) and not ward.isdigit():
            places.append(f"phường {ward}")
    requests: list[Request] = [
        ({"text": p, "lat": None, "lon": None}, ()) for p in dict.fromkeys(places) if p
    ]
    if more:
        requests.append(more)
    return requests or [({"text": None, "lat": None, "lon": None}, ())]


#: how many earlier citizen messages a search without a place looks back for the place one named
PLACE_LOOKBACK_MESSAGES = 6


def asks_nearby(message: dict[str, Any]) -> bool:
    """True for a request for points near the citizen ("gần nhà tôi", "gần nhất", "xem thêm điểm khác"),
    not one about the network as a whole ("cả thành phố có mấy chi nhánh")."""
    return intent_name(message) == MORE_INTENT or "gan" in fold(message_text(message)).split()


def earlier_place(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The search for the place an earlier message of the conversation named, for a request for points
    that names none ("thế điểm nào gần nhà tôi" after "nhà tôi ở xã Tả Thanh Oai ... chứng thực ở
    đâu", answered with the procedure): the latest earlier message with a ward entity, searched as
    it was said (a split old ward then gets its new wards). None when no recent message named one."""
    users = [e for e in events if e.get("event") == "user"][:-1]  # the latest is the request itself
    for event in reversed(users[-PLACE_LOOKBACK_MESSAGES:]):
        parsed = event.get("parse_data") or {}
        text = str(event.get("text") or "")
        if text and not is_payload(text) and entity_values(parsed, "ward"):
            return {"text": text, "lat": None, "lon": None}
    return None


def rule_answer(text: str, places: list[str] | tuple[str, ...] = ()) -> str | None:
    """The FAQ answer to a question whether something is required or allowed that asks for no place
    (:func:`knowledge_base.answer_check.asks_rule`): "must I submit at my district's branch?" is a rule,
    not a place search, even though it names a place. The place names (``places``, the ward entities)
    are left out of the FAQ question: no entry is about one ward. None otherwise."""
    from knowledge_base.answer_check import asks_rule

    if not text or is_payload(text) or not asks_rule(text):
        return None
    from actions.faq import best_faq_answer

    for place in sorted(places, key=len, reverse=True):
        if place and not place.isdigit():
            text = re.sub(re.escape(place), " ", text, flags=re.IGNORECASE)
    question = " ".join(without_hanoi_places(text).split())
    # a rule asked about a place is first a rule of where to submit (the contact entries: any branch since
    # 1/7/2025, the branch network), then any other rule
    return best_faq_answer(question, categories=PLACE_RULE_CATEGORIES) or best_faq_answer(question)


#: the FAQ categories a rule asked about a place is looked for first
PLACE_RULE_CATEGORIES = frozenset({"contact"})


def without_hanoi_places(text: str) -> str:
    """``text`` without the ward and district names the gazetteer finds in it (the ward entity holds
    only the first, as a code): no FAQ entry is about one place, so a place's words only lower how
    well an entry covers the question."""
    try:
        from routing.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()
    except Exception as exc:  # noqa: BLE001 - no geo data: the text is compared as it is
        log.warning("gazetteer unavailable: %s", type(exc).__name__)
        return text
    return gazetteer.without_places(text)


class ActionFindAgent(Action):
    def name(self) -> str:
        return "action_find_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        if (events := answer_ward_office(dispatcher, tracker)) is not None:
            return events  # "trụ sở phường đó ở đâu" after the points near that ward: its office
        if (events := answer_agent_hours(dispatcher, tracker)) is not None:
            return events  # "ở đấy có làm thứ bảy không": the hours of the places just shown
        if location(message) is None and (events := answer_feedback_channel(dispatcher, tracker)) is not None:
            return events  # "ngoài gọi điện còn cách nào khác" while complaining: the complaint's channels
        if location(message) is None and intent_name(message) != MORE_INTENT and (
                faq := rule_answer(message_text(message), entity_values(message, "ward"))):
            say_faq(dispatcher, faq)  # "ở Gia Lâm có bắt buộc nộp ở chi nhánh Gia Lâm không"
            return [SlotSet("fallback_count", 0.0)]
        if location(message) is None and not entity_values(message, "ward") and intent_name(message) != MORE_INTENT:
            if (events := try_followup(dispatcher, tracker)) is not None:  # "nộp ở đâu?" after a procedure
                return events
            named = [code for code in entity_values(message, "procedure") if kb.procedure(code) is not None]
            if named:  # "tách hộ làm ở công an quận hay phường?": where that procedure is done
                from actions.procedure import answer_with

                return answer_with(dispatcher, kb.procedure(named[0]), "where")
        loc = location(message)
        if loc is not None and not _in_hanoi(*loc):  # not a list of points 1,000 km away
            dispatcher.utter_message(response="utter_location_outside_hanoi")
            return [SlotSet("fallback_count", 0.0)]
        from routing.answers import find_agent_answer as find  # imported on first use: it is not cheap

        previous = tracker.get_slot("agent_search")
        if previous is None and asks_nearby(message):  # no search yet: "gần nhà tôi" after a procedure answer
            previous = earlier_place(list(tracker.events))
        shown = list(tracker.get_slot("agent_ids") or [])
        attempts = search_requests(tracker.latest_message or {}, previous, shown)
        for request, exclude in attempts:
            try:
                result = find(
                    text=request["text"],
                    lat=request["lat"],
                    lon=request["lon"],
                    exclude_ids=exclude,
                    k=PER_PAGE,
                )
            except Exception as exc:  # the routing data may be missing: say so, do not crash the turn
                log.warning("routing unavailable: %s: %s", type(exc).__name__, exc)
                dispatcher.utter_message(response="utter_find_agent_unavailable")
                return []
            if not result.get("needs_ward") or result.get("candidates"):
                break
        if result.get("candidates") and previous is not None and request is previous:
            # the old ward split among new ones was asked before; "còn chỗ nào khác không" without a choice
            # gets each new ward's nearest point (the choice stays open), not the same question again
            from routing.answers import split_ward_answer

            result = split_ward_answer(request["text"] or "", exclude) or result
        if not result.get("text"):
            dispatcher.utter_message(response="utter_find_agent_unavailable")
            return []
        if (result.get("needs_ward") and not result.get("candidates") and not entity_values(message, "ward")
                and intent_name(message) != MORE_INTENT):  # "còn chỗ nào nữa không" is never an FAQ question
            from actions.faq import best_faq_answer  # "nộp ở chi nhánh nào cũng được không?"

            text = message_text(message)
            near = asks_nearby(message)  # "gần nhất": a place question, the ward is what is missing
            faq = best_faq_answer(text) if len(text.split()) >= 4 and not near and not is_payload(text) else None
            if faq:
                say_faq(dispatcher, faq)
                return [SlotSet("fallback_count", 0.0)]
        dispatcher.utter_message(text=result["text"], buttons=result.get("buttons") or [])
        if result.get("candidates"):  # which new ward? kept, so that a request for points without a choice continues
            return [SlotSet("agent_search", request), SlotSet("agent_ids", list(exclude)), SlotSet("fallback_count", 0.0)]
        if result.get("needs_ward") or not result.get("agent_ids"):
            return [SlotSet("fallback_count", 0.0)]
        return [
            SlotSet("agent_search", request),
            SlotSet("agent_ids", [*exclude, *map(str, result["agent_ids"])]),
            SlotSet("agent_ward", result.get("ward_code")),
            SlotSet("fallback_count", 0.0),
        ]
