"""A short follow-up that names a variant of the current procedure by an everyday word whose context is
the procedure itself: "còn nếu nghỉ hẳn thì sao" after the pause of a household business is its closing
("nghỉ hẳn" names the closing only beside a shop word, which the conversation, not the message, holds)."""

from __future__ import annotations

from typing import Any

from actions.message import message_text
from dvcbot.textnorm import fold

#: extractors of a procedure entity the NLU read from the citizen vocabulary in the message alone
VOCABULARY_EXTRACTORS = frozenset({"dvcbot_vocabulary", "dvcbot_vocabulary_bundle"})


def term_beside_topic(text: str, current_name: str) -> str | None:
    """The code of the citizen term (:mod:`knowledge_base.vocabulary`) that ``text`` names when its context
    words are read together with the current procedure's name ``current_name``; only terms said in ``text``
    itself count (the name's own words name the current procedure). None when there is none."""
    try:
        from knowledge_base.vocabulary import find_terms
    except ImportError:  # the vocabulary is optional
        return None
    said = f" {fold(text)} "
    for term in find_terms(f"{text} , {current_name}"):
        if term.code and f" {term.key} " in said:
            return term.code
    return None


def switched_variant(message: dict[str, Any], current: str | None, known: Any) -> str | None:
    """The procedure a short follow-up moves to (:func:`term_beside_topic`), when the NLU read no citizen
    term in the message alone and the term names another known procedure than ``current``; else None."""
    from actions.followup import is_short_followup, names_other_topic

    if not current or current not in known or not is_short_followup(message):
        return None
    if any(isinstance(e, dict) and e.get("entity") == "procedure" and e.get("extractor") in VOCABULARY_EXTRACTORS
           for e in message.get("entities") or []):
        return None  # the message names its term by itself: the usual resolution reads it
    text = message_text(message)
    if names_other_topic(text):
        return None
    code = term_beside_topic(text, getattr(known[current], "name", "") or "")
    return code if code and code != current and code in known else None
