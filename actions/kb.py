"""The knowledge base as the actions see it: loaded on first use, failures turned into ``None``.

The action server must keep answering (with an honest "try again / call the hotline" message)
when the catalogue, the FAQ file or the search index is missing or broken, so every call here
catches the error, logs it once with the reason, and returns ``None`` / an empty list.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from dvcbot.logs import mask_pii
from dvcbot.settings import get_settings
from knowledge_base.answers import procedure_answer
from knowledge_base.catalogue import Procedure, load_catalogue
from knowledge_base.faq import Faq, faq_answer, get_faq

log = logging.getLogger(__name__)


def today() -> dt.date:
    """ "Today" for policy validity (``DVCBOT_TODAY`` in tests and replays)."""
    return get_settings().current_date()


def _warn(what: str, exc: BaseException) -> None:
    log.warning("knowledge base %s unavailable: %s: %s", what, type(exc).__name__, mask_pii(str(exc)))


def catalogue() -> dict[str, Any]:
    """``code -> Procedure``; empty when the catalogue cannot be loaded."""
    try:
        return load_catalogue()
    except Exception as exc:  # any failure means "no catalogue", reported to the user
        _warn("catalogue", exc)
        return {}


def procedure(code: str | None) -> Procedure | None:
    if not code:
        return None
    return catalogue().get(code)


def procedure_text(proc: Procedure, aspect: str | None) -> str | None:
    """The knowledge base's Vietnamese answer for one procedure (and aspect), or None on failure."""
    try:
        text = procedure_answer(proc, aspect, today())
    except Exception as exc:
        _warn("procedure answer", exc)
        return None
    if not text:
        return None
    text = str(text).strip()
    url = proc.source_url
    if url and url not in text:  # every procedure answer links the national portal page
        text = f"{text}\nXem chi tiết tại: {url}"
    return text


def search(text: str, kinds: set[str], k: int = 5) -> list[Any]:
    """Hybrid search hits (``kind``, ``id``, ``title``, ``score``, ``aspect``), best first."""
    from knowledge_base.search import get_kb  # imported on first use: it loads numpy and faiss

    try:
        return list(get_kb().search(text, k=k, kinds=kinds))
    except Exception as exc:
        _warn("search", exc)
        return []


def faq_entry(faq_id: str) -> Faq | None:
    """One FAQ entry (``id``, ``category``, ...) or None."""
    try:
        return get_faq(faq_id)
    except Exception as exc:
        _warn("FAQ", exc)
        return None


def faq_text(entry: Faq) -> str | None:
    """The answer of ``entry`` as valid today (an ended policy is said to have ended), or None."""
    try:
        text = faq_answer(entry, today())
    except Exception as exc:
        _warn("FAQ answer", exc)
        return None
    return str(text).strip() if text else None
