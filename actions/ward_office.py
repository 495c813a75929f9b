"""Where the office of the ward just talked about is ("trụ sở phường đó ở đâu", "thế còn ủy ban xã ở
đâu" after the points near that ward): the ward the message names, else the one the last agent answer
was about (slot ``agent_ward``), answered from the registry (:mod:`routing.ward_office`)."""

from __future__ import annotations

import logging
import re
from typing import Any

from actions.message import entity_values, is_payload, message_text

log = logging.getLogger(__name__)


def ward_in(message: dict[str, Any]) -> str | None:
    """The code of the one ward the message names (its ward entity, a code or a name), else None."""
    from routing.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    for value in entity_values(message, "ward"):
        if gazetteer.ward(value) is not None:
            return value
        code = gazetteer.resolve(value).ward_code
        if code:
            return code
    return None


def answer_ward_office(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Answer where the ward's office is when the latest message asks it (:func:`routing.ward_office.
    asks_ward_office`) and the ward is known; None otherwise (the usual answer)."""
    from rasa_sdk.events import SlotSet

    from routing.ward_office import asks_ward_office, ward_office_text

    message = tracker.latest_message or {}
    text = message_text(message)
    if is_payload(text) or not asks_ward_office(text):
        return None
    try:
        code = ward_in(message) or tracker.get_slot("agent_ward")
        answer = ward_office_text(str(code)) if code else None
    except Exception as exc:  # noqa: BLE001 - no routing data: the usual answer
        log.warning("ward office unavailable: %s", type(exc).__name__)
        return None
    if not answer:
        return None
    from actions.followup import ANSWER_INTENT_KEY

    dispatcher.utter_message(text=answer, **{ANSWER_INTENT_KEY: "find_agent"})  # whatever the NLU's intent
    return [SlotSet("agent_ward", str(code)), SlotSet("fallback_count", 0.0)]


#: a procedure answer saying the commune's People's Committee does it in Hanoi ("Ủy ban nhân dân xã, phường",
#: "Bộ phận một cửa xã, phường"): the ward's office is then the place (not for the commune police's records)
_AT_COMMUNE_OFFICE = re.compile(r"(?:Ủy ban nhân dân|UBND|Bộ phận một cửa) (?:cấp )?xã", re.IGNORECASE)


def ward_office_note(message: dict[str, Any], answer: str) -> str | None:
    """The office of the ward a where-question names ("khai sinh cho con ở Hàng Bạc Hoàn Kiếm thì nộp ở đâu":
    the new ward, from old names too) when the procedure ``answer`` says the commune's People's Committee
    does it; None otherwise (no ward named, another agency, no office known)."""
    if not _AT_COMMUNE_OFFICE.search(answer or ""):
        return None
    try:
        code = ward_in(message)
        from routing.ward_office import ward_office_text

        return ward_office_text(code) if code else None
    except Exception as exc:  # noqa: BLE001 - no routing data: the answer alone
        log.warning("ward office unavailable: %s", type(exc).__name__)
        return None
