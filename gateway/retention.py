"""Retention of chat turns: ``dvcbot db purge-turns --older-than-days N``.

Citizens' messages are kept only as long as the care centre needs them
(``DVCBOT_TURN_RETENTION_DAYS``; 0 keeps everything). Older turns are anonymised by default: the
text, the reply and the conversation's identifiers are removed, while channel, intent, confidence,
status and time stay for the statistics. ``delete=True`` removes the rows instead.
Rasa's tracker store holds the same messages; :func:`purge_rasa_events` removes its old events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, func, inspect, literal, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from gateway.models import ChatTurn

#: what an anonymised turn's text becomes
REMOVED = ""


@dataclass
class PurgeResult:
    turns: int
    rasa_events: int = 0


def cutoff(days: int, now: dt.datetime | None = None) -> dt.datetime:
    if days < 1:
        raise ValueError("older_than_days must be at least 1")
    return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)


def purge_turns(session: Session, older_than_days: int, delete_rows: bool = False,
                now: dt.datetime | None = None) -> int:
    """Anonymise (or delete) the chat turns created before ``now - older_than_days``; how many."""
    before = cutoff(older_than_days, now)
    old = ChatTurn.created_at < before
    if delete_rows:
        return session.execute(delete(ChatTurn).where(old)).rowcount or 0
    # identifiers become "purged-<row id>": unique per row, linked to nobody
    purged_id = literal("purged-", String) + cast(ChatTurn.id, String)
    not_yet = ChatTurn.session_id.not_like("purged-%")
    result = session.execute(
        update(ChatTurn).where(old, not_yet).values(
            text=REMOVED, response=None, session_id=purged_id, message_id=purged_id,
            updated_at=now or dt.datetime.now(dt.UTC)))
    return result.rowcount or 0


def purge_rasa_events(engine: Engine, older_than_days: int, now: dt.datetime | None = None) -> int:
    """Delete events older than the cutoff from Rasa's SQL tracker store (table ``events``)."""
    if not inspect(engine).has_table("events"):
        return 0
    before = cutoff(older_than_days, now).timestamp()
    with engine.begin() as conn:
        return conn.execute(text("DELETE FROM events WHERE timestamp < :before"), {"before": before}).rowcount or 0


def count_turns(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ChatTurn)) or 0


def purge_command(args) -> int:
    """``dvcbot db purge-turns [--older-than-days N] [--delete] [--url URL] [--rasa-tracker-url URL]``."""
    from sqlalchemy import create_engine

    from dvcbot.db import get_engine, session_scope
    from dvcbot.settings import get_settings

    settings = get_settings()
    days = args.older_than_days if args.older_than_days is not None else settings.turn_retention_days
    if days < 1:
        print("nothing to do: set --older-than-days N or DVCBOT_TURN_RETENTION_DAYS (0 keeps every turn)")
        return 0
    url = args.url or settings.db_url
    with session_scope(url) as session:
        turns = purge_turns(session, days, delete_rows=args.delete)
    get_engine(url).dispose()
    tracker_url = args.rasa_tracker_url or f"sqlite:///{settings.var_dir / 'rasa_tracker.db'}"
    events = 0
    if args.rasa_tracker_url or (settings.var_dir / "rasa_tracker.db").exists():
        engine = create_engine(tracker_url)
        try:
            events = purge_rasa_events(engine, days)
        finally:
            engine.dispose()
    verb = "deleted" if args.delete else "anonymised"
    print(f"{verb} {turns} chat turns older than {days} days; deleted {events} Rasa tracker events")
    return 0
