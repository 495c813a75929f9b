"""``action_find_agent``: the nearest places that help with public services.

Uses :func:`routing.answers.find_agent_answer`: a message
naming a ward (or a shared location) gives the nearest agents; without a place the answer asks
for the ward; a follow-up without a new place ("còn chỗ nào khác không?") gives the next ones,
excluding those already shown (slot ``agent_ids``). When the routing data cannot be loaded the
citizen gets an honest message with the hotline, never made-up addresses.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.message import entity_values, intent_name, is_payload, location, message_text
from dvcbot.textnorm import fold

log = logging.getLogger(__name__)

#: agents shown per answer
PER_PAGE = 3
#: the "Xem điểm khác" button of routing.answers sends this intent
MORE_INTENT = "find_agent_more"


Request = tuple[dict[str, Any], tuple[str, ...]]


def search_requests(
    message: dict[str, Any], previous: dict[str, Any] | None, shown: list[str]
) -> list[Request]:
    """The searches to try in order, each ``(place, agent ids to skip)``; the first that finds a
    place wins.

    A shared location is a new search. "Xem điểm khác" (``find_agent_more``) continues the
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


class ActionFindAgent(Action):
    def name(self) -> str:
        return "action_find_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from routing.answers import find_agent_answer as find  # imported on first use: it is not cheap

        previous = tracker.get_slot("agent_search")
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
        if not result.get("text"):
            dispatcher.utter_message(response="utter_find_agent_unavailable")
            return []
        dispatcher.utter_message(text=result["text"], buttons=result.get("buttons") or [])
        if result.get("needs_ward") or not result.get("agent_ids"):
            return [SlotSet("fallback_count", 0.0)]
        return [
            SlotSet("agent_search", request),
            SlotSet("agent_ids", [*exclude, *map(str, result["agent_ids"])]),
            SlotSet("agent_ward", result.get("ward_code")),
            SlotSet("fallback_count", 0.0),
        ]
