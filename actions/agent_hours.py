"""When the places just shown work ("ở đấy có làm thứ bảy không", "chỗ đó mấy giờ mở cửa", "cuoi tuan co mo
ko"): right after an answer with the nearest places, a question of days or hours is about those places, not
a procedure. The answer gives each place's hours from the registry (:mod:`routing.registry`), and says so
honestly when the registry has none, with the numbers to ask.

:func:`asks_when_open` decides, :func:`answer_agent_hours` answers.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from actions.message import is_payload, message_text
from dvcbot.textnorm import fold

log = logging.getLogger(__name__)

#: days and hours asked of a place (folded): "thứ bảy", "chủ nhật", "cuối tuần", "mấy giờ", "mở cửa", "nghỉ trưa"
_WHEN = re.compile(
    r"\b(?:thu (?:bay|7|hai|ba|tu|nam|sau)|t7|chu nhat|cuoi tuan|ngay le|ngay nghi|nghi le|may gio|gio nao"
    r"|gio lam viec|gio hanh chinh|mo cua|dong cua|nghi trua|buoi (?:sang|chieu|toi)|lam viec (?:den|tu|luc)"
    r"|ngoai gio|lam (?:sang|chieu|toi))\b")
#: the action whose answer lists the nearest places
AGENT_ACTION = "action_find_agent"
#: places an answer shows (actions.agents.PER_PAGE)
SHOWN = 3


def asks_when_open(text: str) -> bool:
    """The message asks on which days or at what hours something is open ("có làm thứ bảy không")."""
    return bool(_WHEN.search(fold(text)))


def hours_text(agents: list[Any], hotline: str) -> str:
    """The hours of ``agents`` (objects with ``name``, ``phone``, ``opening_hours``), or, for those the
    registry gives none, that it does not and whom to ask."""
    known = [f"{a.name}: {a.opening_hours}" for a in agents if a.opening_hours]
    unknown = [a for a in agents if not a.opening_hours]
    parts = [f"Dạ, giờ làm việc: {'; '.join(known)}."] if known else []
    if unknown:
        from routing.answers import speakable_phone

        names = "; ".join(a.name + (f" (điện thoại {speakable_phone(a.phone)})" if a.phone else "") for a in unknown)
        parts.append(f"{'Dạ, d' if not known else 'D'}anh bạ điểm hỗ trợ chưa ghi giờ làm việc của {names}. "
                     f"Anh chị gọi trước cho điểm đó hoặc {hotline} để hỏi ngày, giờ làm việc trước khi đến ạ.")
    return " ".join(parts)


def answer_agent_hours(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Answer the days or hours of the places just shown when the latest message asks them right after
    the nearest-places answer; None otherwise (the usual answer)."""
    from rasa_sdk.events import SlotSet

    from actions.fallback import previous_action  # (actions.fallback imports this module's callers)

    message = tracker.latest_message or {}
    text = message_text(message)
    shown = list(tracker.get_slot("agent_ids") or [])[-SHOWN:]
    if (not shown or is_payload(text) or not asks_when_open(text)
            or previous_action(list(getattr(tracker, "events", None) or [])) != AGENT_ACTION):
        return None
    try:
        from routing.service import get_routing

        registry = get_routing().registry
        agents = [a for a in (registry.get(str(i)) for i in shown) if a is not None]
    except Exception as exc:  # noqa: BLE001 - no routing data: the usual answer
        log.warning("agent hours unavailable: %s", type(exc).__name__)
        return None
    if not agents:
        return None
    from actions.followup import ANSWER_INTENT_KEY
    from dvcbot.hotlines import CALL_HOTLINE

    dispatcher.utter_message(text=hours_text(agents, CALL_HOTLINE), **{ANSWER_INTENT_KEY: "find_agent"})
    return [SlotSet("fallback_count", 0.0)]
