"""Approved FAQ drafts answer citizens at once, without a redeploy (action server side).

:func:`answer_for` compares the citizen's question with every approved draft valid today (its
question and the gap's examples) using the e5 encoder; the drafts are re-read from the database at
most every ``REFRESH_SECONDS``, so an approval in the console is live within that time.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import numpy as np
from sqlalchemy import or_, select

from care.models import FaqDraft

THRESHOLD = 0.9
REFRESH_SECONDS = 30.0

_lock = threading.Lock()
_cache: dict[str, tuple[float, list[tuple[np.ndarray, str]]]] = {}


def _load(db_url: str, today: dt.date, encoder) -> list[tuple[np.ndarray, str]]:
    from dvcbot.db import session_scope

    with session_scope(db_url) as session:
        drafts = list(session.scalars(select(FaqDraft).where(
            FaqDraft.status == "approved", FaqDraft.valid_from <= today,
            or_(FaqDraft.valid_until.is_(None), FaqDraft.valid_until >= today))))
        items = [([d.question, *json.loads(d.examples or "[]")], f"{d.answer} Nguồn: {d.source}.") for d in drafts]
    out = []
    for texts, answer in items:
        vectors = np.asarray(encoder.encode_queries(texts), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
        out.append((vectors, answer))
    return out


def answer_for(text: str, db_url: str | None = None, today: dt.date | None = None, encoder=None) -> str | None:
    """The answer of the approved draft closest in meaning to ``text`` (None below the threshold)."""
    from care.db import current_url, ensure_tables
    from dvcbot.settings import get_settings

    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    url = current_url(db_url)
    today = today or get_settings().current_date()
    if encoder is None:
        from knowledge_base.encoder import get_encoder

        encoder = get_encoder()
    key = f"{url}|{today.isoformat()}"
    with _lock:
        cached = _cache.get(key)
        if cached is None or time.monotonic() - cached[0] > REFRESH_SECONDS:
            ensure_tables(url)
            cached = (time.monotonic(), _load(url, today, encoder))
            _cache[key] = cached
    drafts = cached[1]
    if not drafts:
        return None
    q = np.asarray(encoder.encode_queries([text]), dtype=np.float32)[0]
    q /= np.linalg.norm(q) + 1e-9
    best, answer = max(((float(np.max(v @ q)), a) for v, a in drafts), key=lambda x: x[0])
    return answer if best >= THRESHOLD else None


def forget() -> None:
    """Drop the cache (tests; an operator never needs it: it refreshes by itself)."""
    with _lock:
        _cache.clear()
