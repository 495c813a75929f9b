"""A typed answer stating the situation picks the record: among those offered, or the current one's variants.

After "làm căn cước" the bot offers the card's variants as buttons. A citizen often types the answer
instead of pressing one: "làm lần đầu, tôi 30 tuổi vừa ở nước ngoài về", "bị mất thẻ", "cho con 10
tuổi". Read alone, such a message names no procedure (the NLU may call it out of scope); read as the
answer to the list, its situation ("lần đầu", "bị mất", "hết hạn") and the age it states pick one of
the offered records (:func:`knowledge_base.vocabulary.by_situation`, :func:`actions.variants.pick`).

After a procedure answer, the same kind of message ("làm lần đầu, tôi 30 tuổi", "bi mat the roi") states the
citizen's situation: the current procedure's variant for it (:func:`situation_pick_of`) is the answer.

:func:`offered_codes` reads the list, :func:`pick_offered` and :func:`situation_pick_of` decide,
:func:`answer_clarification` and :func:`answer_situation` answer.
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
    return answer_with(dispatcher, proc, aspect if isinstance(aspect, str) else None, guessed=False)


#: an age stated in numbers ("tôi 30 tuổi", "cháu 8t"), folded
_STATED_AGE = re.compile(r"\b\d{1,3}\s*(?:tuoi|t)\b")


def states_situation(text: str) -> bool:
    """The message states a situation of the vocabulary ("lần đầu", "bị mất", "hết hạn") or an age in numbers."""
    from dvcbot.textnorm import fold
    from knowledge_base.vocabulary import situations_in

    return bool(situations_in(text)) or bool(_STATED_AGE.search(fold(text)))


#: words of an age clause the subject words keep ("trở lên"), folded
_AGE_CLAUSE_WORDS = frozenset({"tro", "len"})


def variant_family(current: str, known: Any) -> list[str]:
    """``current`` first, then the catalogue's procedures about the same subject (first issue, renewal,
    re-issue, for a child, of any level: the same name words once the variant words are left out)."""
    from knowledge_base.vocabulary import _subject_words  # the one definition of a name's subject words

    def subject_of(proc: Any) -> frozenset[str]:  # "(từ đủ 14 tuổi) trở lên" tells an age variant, no subject
        return frozenset(_subject_words(getattr(proc, "name", "") or "")) - _AGE_CLAUSE_WORDS

    subject = subject_of(known[current])
    if not subject:
        return [current]
    return [current, *sorted(c for c, p in known.items() if c != current and subject_of(p) == subject)]


def situation_pick_of(text: str, current: str, known: Any) -> str | None:
    """The variant of the ``current`` procedure the situation or age ``text`` states means (``current`` itself
    when it fits); None when the message states none, is long, or leaves several."""
    if current not in known or len(text.split()) > MAX_ANSWER_WORDS or not states_situation(text):
        return None
    family = variant_family(current, known)
    if len(family) < 2:
        return current
    return pick_offered(text, family, known)


def answer_situation(dispatcher: Any, message: dict[str, Any], current: str | None, guessed: bool
                     ) -> list[dict[str, Any]] | None:
    """Answer the current procedure's variant a message stating the situation means: when it is another
    variant, or the same one and the NLU left the message unplaced ("làm lần đầu, tôi 30 tuổi vừa ở nước ngoài
    về" read as out of scope); None otherwise (the usual follow-up answer)."""
    from actions import kb
    from actions.followup import answered_intent, specific_aspect

    text = message_text(message)
    if not current or not text.strip() or is_payload(text) or entity_values(message, "procedure"):
        return None
    code = situation_pick_of(text, current, kb.catalogue())
    if code is None or (code == current and answered_intent(message) is None):
        return None
    proc = kb.procedure(code)
    if proc is None:
        return None
    from actions.procedure import answer_with

    return answer_with(dispatcher, proc, specific_aspect(text), guessed=guessed and code == current)
