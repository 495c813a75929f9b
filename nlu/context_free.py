"""Parse-time helpers of issue 9 that need no dialogue context.

- :func:`topic_payload`: typing a topic button's title ("thủ tục hành chính") works like pressing
  it (titles and payloads: :data:`nlu.intents.TOPIC_BUTTONS`, checked against the domain).
- :func:`vocabulary_entity`: a citizen term of ``data/vocabulary/citizen_terms.yml`` names its
  procedure, and makes a message the NLU could not place (fallback, out of scope) a procedure
  question.
- :func:`search_text`: the query for the procedure search: the request part of a long message
  plus the official names of the citizen terms it contains.
"""

from __future__ import annotations

import logging
from typing import Any

from dvcbot.textnorm import fold
from nlu.intents import TOPIC_BUTTONS

log = logging.getLogger(__name__)

#: intents a message with a citizen term is moved from (it is about a procedure after all)
VAGUE_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "greet", "bot_challenge"})


def _topic_buttons() -> dict[str, str]:
    return {fold(title): payload for title, payload in TOPIC_BUTTONS.items()}


def topic_payload(text: str) -> str | None:
    """The payload of the topic button whose title ``text`` is (accent-insensitive), else None."""
    key = fold(text)
    return _topic_buttons().get(key) if key else None


def vocabulary_entity(text: str) -> tuple[dict[str, Any] | None, bool]:
    """``(procedure entity or None, is_procedure_question)`` from the citizen vocabulary."""
    try:
        from knowledge_base.vocabulary import find_term
    except ImportError:
        return None, False
    term = find_term(text)
    if term is None:
        return None, False
    if not term.code:
        return None, True
    return {"entity": "procedure", "value": term.code, "start": 0, "end": len(text), "confidence": 1.0,
            "extractor": "dvcbot_vocabulary"}, True


def search_text(text: str, kb: Any) -> str:
    try:
        from knowledge_base.vocabulary import expand_query
    except ImportError:
        return text
    names = getattr(kb, "procedure_names", None)
    if names is None:
        try:
            from knowledge_base.catalogue import load_catalogue

            names = {code: p.name for code, p in load_catalogue().items()}
        except Exception:  # the catalogue is optional here: search the text as it is
            names = {}
    return expand_query(text, names)
