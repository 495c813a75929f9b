"""A typed answer to the "which procedure?" list picks among the records offered.

After "làm căn cước" the bot offers the card's variants as buttons. A citizen often types the answer
instead of pressing one: "làm lần đầu, tôi 30 tuổi vừa ở nước ngoài về", "bị mất thẻ", "cho con 10
tuổi". Read alone, such a message names no procedure (the NLU may call it out of scope); read as the
answer to the list, its situation ("lần đầu", "bị mất", "hết hạn") and the age it states pick one of
the offered records (:func:`knowledge_base.vocabulary.by_situation`, :func:`actions.variants.pick`).

:func:`offered_codes` reads the list, :func:`pick_offered` decides, :func:`answer_clarification` answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actions.message import entity_values, is_payload, message_text

#: the response that offers the candidate procedures as buttons
CLARIFY_RESPONSE = "utter_clarify_procedure"
_CODE = re.compile(r'"procedure"\s*:\s*"([^"]+)"')
#: a typed answer is short; a longer message tells a new story (read the usual way)
MAX_ANSWER_WORDS = 20


@dataclass(frozen=True)
class Offered:
    code: str
    name: str
    score: float = 0.0


def offered_codes(events: list[dict[str, Any]]) -> list[str]:
    """The codes of the buttons of the bot's last message before the latest user message when that message
    was the "which procedure?" list, else []."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return []
    for e in reversed(events[:users[-1]]):
        if e.get("event") == "user":
            return []
        if e.get("event") != "bot":
            continue
        if (e.get("metadata") or {}).get("utter_action") != CLARIFY_RESPONSE:
            return []
        buttons = (e.get("data") or {}).get("buttons") or []
        return [m.group(1) for b in buttons if (m := _CODE.search(str(b.get("payload") or "")))]
    return []


def pick_offered(text: str, codes: list[str], known: Any) -> str | None:
    """The one offered record (``codes``, best first; ``known``: the catalogue) the typed answer ``text``
    picks by its situation or the age it states; None when it picks none or several."""
    from actions.variants import pick
    from knowledge_base.vocabulary import by_situation

    offered = [Offered(c, getattr(known[c], "name", "") or "") for c in codes if c in known]
    if len(offered) < 2 or not text.strip() or len(text.split()) > MAX_ANSWER_WORDS:
        return None

    def name_of(c: Offered) -> str:
        return c.name

    kept = by_situation(text, offered, name_of)
    narrowed = len(kept) < len(offered)
    kept, chosen = pick(text, kept, name_of, known)
    if chosen is not None:
        return chosen.code
    return kept[0].code if narrowed and len(kept) == 1 else None


def answer_clarification(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Answer the offered record a typed answer to the "which procedure?" list picks; None when the last bot
    message was no such list, the message names a procedure itself or picks none (the usual answer)."""
    from actions import kb

    message = tracker.latest_message or {}
    text = message_text(message)
    if not text.strip() or is_payload(text) or entity_values(message, "procedure"):
        return None
    codes = offered_codes(list(getattr(tracker, "events", None) or []))
    if not codes:
        return None
    code = pick_offered(text, codes, kb.catalogue())
    proc = kb.procedure(code) if code else None
    if proc is None:
        return None
    from actions.procedure import answer_with

    aspect = tracker.get_slot("procedure_aspect")
    return answer_with(dispatcher, proc, aspect if isinstance(aspect, str) else None, guessed=False,
                       intent="ask_procedure")
