"""The durable inbox: every webhook event is stored before Zalo gets its 200.

Zalo retries an event that is not acknowledged within 2 seconds, so the webhook only stores it
(deduplicated by ``message.msg_id``) and returns; a worker answers it afterwards. Rows left
unfinished by a stopped process are picked up again at start.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channels.zalo.models import ZaloInboxEvent, utcnow

#: statuses a restarted process resumes
UNFINISHED = ("pending", "processing", "replying")


def event_key(event: dict[str, Any], raw: bytes) -> str:
    """Zalo's message id, or a digest of the body for events without one (follow, ...)."""
    message = event.get("message")
    msg_id = message.get("msg_id") if isinstance(message, dict) else None
    if isinstance(msg_id, str | int) and str(msg_id).strip():
        return f"m:{str(msg_id).strip()[:120]}"
    return "h:" + hashlib.sha256(raw).hexdigest()


def event_user(event: dict[str, Any]) -> str | None:
    """The citizen's Zalo user id (a string; ``follower`` for follow events, ``sender`` otherwise)."""
    for key in ("sender", "follower", "user"):
        who = event.get(key)
        if isinstance(who, dict) and who.get("id") is not None:
            return str(who["id"])[:64]
    return None


@dataclass
class InboxRow:
    id: int
    event_name: str
    user_id: str | None
    event: dict[str, Any]
    status: str
    reply: dict[str, Any] | None
    attempts: int = 1


class Inbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def store(self, event: dict[str, Any], raw: bytes, ignored: bool = False) -> tuple[int | None, bool]:
        """Insert the event; ``(row id, True)`` when new, ``(None, False)`` for a duplicate."""
        row = ZaloInboxEvent(event_key=event_key(event, raw), event_name=str(event.get("event_name"))[:64],
                             user_id=event_user(event), payload=raw.decode("utf-8"),
                             status="ignored" if ignored else "pending", attempts=0)
        try:
            with Session(self.engine) as session, session.begin():
                session.add(row)
                session.flush()
                return row.id, True
        except IntegrityError:
            return None, False

    def store_many(self, items: list[tuple[dict[str, Any], bytes, bool]]) -> list[tuple[int | None, bool]]:
        """:meth:`store` for several events in one transaction (one disk sync for a burst)."""
        keys = [event_key(event, raw) for event, raw, _ignored in items]
        results: list[tuple[int | None, bool]] = [(None, False)] * len(items)
        try:
            with Session(self.engine) as session, session.begin():
                existing = set(session.scalars(select(ZaloInboxEvent.event_key)
                                               .where(ZaloInboxEvent.event_key.in_(set(keys)))))
                added: dict[str, tuple[int, ZaloInboxEvent]] = {}
                for i, (event, raw, ignored) in enumerate(items):
                    if keys[i] in existing or keys[i] in added:
                        continue
                    row = ZaloInboxEvent(event_key=keys[i], event_name=str(event.get("event_name"))[:64],
                                         user_id=event_user(event), payload=raw.decode("utf-8"),
                                         status="ignored" if ignored else "pending", attempts=0)
                    session.add(row)
                    added[keys[i]] = (i, row)
                session.flush()
                for i, row in added.values():
                    results[i] = (row.id, True)
            return results
        except IntegrityError:  # another process stored one of them meanwhile: one by one
            return [self.store(event, raw, ignored) for event, raw, ignored in items]

    def unfinished(self) -> list[tuple[int, str | None]]:
        with Session(self.engine) as session:
            rows = session.execute(select(ZaloInboxEvent.id, ZaloInboxEvent.user_id)
                                   .where(ZaloInboxEvent.status.in_(UNFINISHED))
                                   .order_by(ZaloInboxEvent.id)).all()
        return [(r.id, r.user_id) for r in rows]

    def take(self, row_id: int) -> InboxRow | None:
        """Mark the row being processed (one more attempt); None when it is finished already."""
        with Session(self.engine) as session, session.begin():
            row = session.get(ZaloInboxEvent, row_id)
            if row is None or row.status not in UNFINISHED:
                return None
            if row.status == "pending":
                row.status = "processing"
            row.attempts += 1
            row.updated_at = utcnow()
            return InboxRow(row.id, row.event_name, row.user_id, json.loads(row.payload), row.status,
                            json.loads(row.reply) if row.reply else None, row.attempts)

    def set_reply(self, row_id: int, reply: dict[str, Any]) -> None:
        self._update(row_id, status="replying", reply=json.dumps(reply, ensure_ascii=False))

    def finish(self, row_id: int, status: str, error: str | None = None) -> None:
        self._update(row_id, status=status, error=(error or None) and error[:500])

    def _update(self, row_id: int, **values: Any) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(update(ZaloInboxEvent).where(ZaloInboxEvent.id == row_id)
                            .values(updated_at=utcnow(), **values))

    def last_buttons(self, user_id: str, before_id: int) -> list[dict[str, Any]]:
        """Buttons of the latest reply sent to the citizen (to read a numbered answer)."""
        with Session(self.engine) as session:
            reply = session.scalar(select(ZaloInboxEvent.reply).where(
                ZaloInboxEvent.user_id == user_id, ZaloInboxEvent.id < before_id,
                ZaloInboxEvent.reply.is_not(None)).order_by(ZaloInboxEvent.id.desc()).limit(1))
        if not reply:
            return []
        return list(json.loads(reply).get("buttons") or [])

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with Session(self.engine) as session:
            rows = session.execute(select(ZaloInboxEvent.status, func.count())
                                   .group_by(ZaloInboxEvent.status)).all()
        return {status: n for status, n in rows}
