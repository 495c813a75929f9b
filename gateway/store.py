"""Chat turns kept by the gateway: nothing a citizen sent is lost or processed twice.

Every incoming message is written before it is forwarded. A channel that retries with the same
``message_id`` gets the stored reply back instead of a second pass through the dialogue; a turn
whose forwarding failed stays recorded as ``failed`` (care staff can see it) and may be retried.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

chat_turns = Table(
    "chat_turns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(128), nullable=False, index=True),
    Column("message_id", String(128), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending | done | failed
    Column("response", Text),
    Column("intent", String(64)),
    Column("confidence", Float),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "message_id", name="uq_chat_turn_message"),
)


@dataclass
class Claim:
    """Outcome of :meth:`TurnStore.claim`: either ours to process, or an earlier reply to replay."""

    message_id: str
    fresh: bool
    response: dict | None = None


class TurnStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    @staticmethod
    def _now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def claim(self, session_id: str, message_id: str | None, channel: str, text: str,
              wait_seconds: float = 10.0) -> Claim:
        """Record the message; tell whether it must be processed or was answered already."""
        message_id = message_id or uuid.uuid4().hex
        now = self._now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(chat_turns).values(
                    session_id=session_id, message_id=message_id, channel=channel, text=text,
                    status="pending", created_at=now, updated_at=now))
            return Claim(message_id, fresh=True)
        except IntegrityError:
            pass
        deadline = time.monotonic() + wait_seconds
        while True:
            with self.engine.connect() as conn:
                row = conn.execute(select(chat_turns.c.status, chat_turns.c.response).where(
                    chat_turns.c.session_id == session_id, chat_turns.c.message_id == message_id)).one()
            if row.status == "done":
                return Claim(message_id, fresh=False, response=json.loads(row.response))
            if row.status == "failed":
                with self.engine.begin() as conn:
                    taken = conn.execute(update(chat_turns).where(
                        chat_turns.c.session_id == session_id, chat_turns.c.message_id == message_id,
                        chat_turns.c.status == "failed").values(status="pending", updated_at=self._now()))
                if taken.rowcount == 1:
                    return Claim(message_id, fresh=True)
            if time.monotonic() > deadline:  # the first copy is still being processed
                return Claim(message_id, fresh=False, response=None)
            time.sleep(0.1)

    def finish(self, session_id: str, message_id: str, response: dict, intent: str | None,
               confidence: float | None, ok: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(chat_turns).where(
                chat_turns.c.session_id == session_id, chat_turns.c.message_id == message_id).values(
                status="done" if ok else "failed", response=json.dumps(response, ensure_ascii=False),
                intent=intent, confidence=confidence, updated_at=self._now()))

    def history(self, session_id: str, limit: int = 50) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(chat_turns).where(chat_turns.c.session_id == session_id)
                                .order_by(chat_turns.c.id.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in reversed(rows)]
