"""Parse-time helpers of issue 9 that need no dialogue context.

- :func:`topic_payload`: typing a topic button's title ("thủ tục hành chính") works like pressing
  it (titles and payloads: :data:`nlu.intents.TOPIC_BUTTONS`, checked against the domain).
- :func:`vocabulary_entity`: a citizen term of ``data/vocabulary/citizen_terms.yml`` names its
  procedure, and makes a message the NLU could not place (fallback, out of scope) a procedure
  question.
- :func:`search_text`: the query for the procedure search: the request part of a long message
  plus the official names of the citizen terms it contains.
- :func:`is_star_rating`: "2 sao", "cho 5 sao ạ" (what the rating buttons send) is a rating,
  whatever the classifier makes of a two-word message.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from dvcbot.textnorm import fold
from nlu.intents import FALLBACK_INTENT, TOPIC_BUTTONS

log = logging.getLogger(__name__)

#: intents a message with a citizen term or a named procedure is moved from (it is about a procedure
#: after all: "mua bảo hiểm y tế hộ gia đình" is not out of scope, "chào em, làm căn cước ở đâu" asks)
VAGUE_INTENTS = frozenset({FALLBACK_INTENT, "out_of_scope", "greet", "bot_challenge"})



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


def names_no_procedure(text: str) -> bool:
    """True when a short message names citizen terms and none has a catalogue procedure ("lãnh thất
    nghiệp ở đâu", "xin giấy phép lao động"): the search's nearest procedure is then a look-alike
    (microinsurance, a proxy for benefits), not what is asked, and the term's own answer is said.
    A long message may tell such a thing as its story and ask another procedure: never for it."""
    try:
        from knowledge_base.vocabulary import find_terms, is_long
    except ImportError:
        return False
    if is_long(text):
        return False
    found = find_terms(text)
    return bool(found) and all(t.answer and not t.code for t in found)


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


def procedure_question_intent(ranking: list[tuple[str, float]]) -> str:
    """The intent a message moved to a procedure question gets: ask_vneid when the classifier ranks it
    above ask_procedure (unlocking or levelling up the VNeID account is a named procedure too, but
    the VNeID answers serve it: "mo khoa o dau"), else ask_procedure."""
    for name, _ in ranking:
        if name in ("ask_procedure", "ask_vneid"):
            return name
    return "ask_procedure"


#: a message that is only a star rating: "5 sao", "cho 2 sao ạ", "đánh giá 4 sao", "năm sao" (folded)
_STAR_RATING = re.compile(
    r"^(?:(?:toi|em|minh|chau|xin|cho|danh gia|vote)\s+)*(?:[1-5]|mot|hai|ba|bon|nam)\s*(?:sao|\*)"
    r"(?:\s+(?:a|nhe|nha|thoi|cho ban|cho em))*$"
)


def is_star_rating(text: str) -> bool:
    """True when ``text`` is only a 1-5 star rating (the rating buttons' payloads are such texts)."""
    return bool(_STAR_RATING.match(fold(text).replace("*", " *").strip()))
