"""What the care console said to a widget conversation outside a bot turn (staff replies, the
satisfaction question), read from the care messages table for the widget's history and to tag a
live push with its stored id (so the widget never shows one message twice)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from care.models import ConversationMessage
from dvcbot.db import session_factory

log = logging.getLogger("channels.widget")
CHANNEL = "web"


def as_utc(value: dt.datetime | None) -> dt.datetime:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    if value is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _outbound(session_id: str):
    return (ConversationMessage.session_id == session_id, ConversationMessage.channel == CHANNEL,
            ConversationMessage.sender != "citizen")


def recent(db_url: str, session_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The session's latest outbound care messages, oldest first, as widget history items (each
    with ``at`` for merging); empty when the care tables are not there."""
    from care.db import ensure_tables

    try:
        ensure_tables(db_url)
        with session_factory(db_url)() as s:
            rows = list(s.scalars(select(ConversationMessage).where(*_outbound(session_id))
                                  .order_by(ConversationMessage.id.desc()).limit(limit)))
    except SQLAlchemyError as exc:
        log.warning("widget history without care messages: %s", type(exc).__name__)
        return []
    items = []
    for m in reversed(rows):
        message: dict[str, Any] = {"text": m.text}
        if m.buttons:
            message["buttons"] = json.loads(m.buttons)
        items.append({"role": "staff", "sender": m.sender, "id": m.id, "messages": [message],
                      "at": as_utc(m.created_at)})
    return items


def ids_for(db_url: str, session_id: str, texts: list[str | None]) -> list[int | None]:
    """For each pushed text, the id of the latest stored outbound message of the session with that
    text (the console stores a message before it pushes it); None where there is none."""
    out: list[int | None] = []
    try:
        with session_factory(db_url)() as s:
            for text in texts:
                out.append(None if not text else s.scalar(
                    select(ConversationMessage.id).where(*_outbound(session_id), ConversationMessage.text == text)
                    .order_by(ConversationMessage.id.desc()).limit(1)))
    except SQLAlchemyError as exc:
        log.info("widget push without care ids: %s", type(exc).__name__)
        return [None] * len(texts)
    return out
