"""Chat turns kept by the gateway: nothing a citizen sent is lost or processed twice.

Every incoming message is written before it is forwarded. :meth:`TurnStore.claim` answers at once
with one of three outcomes:

- ``fresh``: the message is ours to process (new, or an earlier attempt failed or was released);
- ``response`` set: it was answered already, replay the stored reply;
- ``pending``: another copy is being processed right now. The caller waits for it (the turn
  service does so with an in-process event, no polling here) and then reads the reply with
  :meth:`TurnStore.get`.

A turn whose forwarding failed stays recorded as ``failed`` (care staff can see it) and is
processed again when the channel retries. A turn left ``pending`` by a process that died is taken
over once it is older than ``stale_after`` seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from gateway.models import ChatTurn

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass
class Claim:
    """Outcome of :meth:`TurnStore.claim`.

    ``fresh``: process it. Otherwise ``response`` is the stored reply to replay, or ``pending`` is
    True: another copy is being processed at this moment.
    """

    message_id: str
    fresh: bool
    response: dict | None = None
    pending: bool = False
    #: fresh, but an earlier attempt failed or was abandoned: the dialogue may have seen it already
    retry: bool = False


class TurnStore:
    def __init__(self, engine: Engine, stale_after: float = 120.0) -> None:
        """``engine``: a database at the newest migration (``dvcbot.db.upgrade``)."""
        self.engine = engine
        self.stale_after = stale_after
        self._session = sessionmaker(bind=engine, expire_on_commit=False)

    @staticmethod
    def _now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    @staticmethod
    def _key(session_id: str, message_id: str, channel: str | None = None):
        key = [ChatTurn.session_id == session_id, ChatTurn.message_id == message_id]
        if channel is not None:  # a message id is unique per channel and session
            key.append(ChatTurn.channel == channel)
        return tuple(key)

    def claim(self, session_id: str, message_id: str | None, channel: str, text: str) -> Claim:
        """Record the message; tell at once whether it is ours, answered already, or in progress."""
        message_id = message_id or uuid.uuid4().hex
        now = self._now()
        try:
            with self._session.begin() as s:
                s.add(ChatTurn(session_id=session_id, message_id=message_id, channel=channel, text=text,
                               status=PENDING, created_at=now, updated_at=now))
            return Claim(message_id, fresh=True)
        except IntegrityError:
            pass
        key = self._key(session_id, message_id, channel)
        stale = now - dt.timedelta(seconds=self.stale_after)
        with self._session.begin() as s:
            # a failed attempt, or one abandoned by a dead process, is taken over by exactly one caller
            taken = s.execute(update(ChatTurn).where(*key).where(
                (ChatTurn.status == FAILED) | ((ChatTurn.status == PENDING) & (ChatTurn.updated_at < stale)))
                .values(status=PENDING, updated_at=self._now()).execution_options(synchronize_session=False))
            if taken.rowcount == 1:
                return Claim(message_id, fresh=True, retry=True)
            status, response = s.execute(select(ChatTurn.status, ChatTurn.response).where(*key)).one()
        if status == DONE:
            return Claim(message_id, fresh=False, response=json.loads(response))
        return Claim(message_id, fresh=False, pending=True)

    def finish(self, session_id: str, message_id: str, response: dict, intent: str | None,
               confidence: float | None, ok: bool, channel: str | None = None) -> None:
        """Store the reply: ``ok`` → done (replayed to duplicates), else failed (processed on retry)."""
        with self._session.begin() as s:
            s.execute(update(ChatTurn).where(*self._key(session_id, message_id, channel)).values(
                status=DONE if ok else FAILED, response=json.dumps(response, ensure_ascii=False),
                intent=intent, confidence=confidence, updated_at=self._now())
                .execution_options(synchronize_session=False))

    def release(self, session_id: str, message_id: str, channel: str | None = None) -> bool:
        """Give a pending turn up (mark it failed) so that a retry processes it; True if it was pending."""
        with self._session.begin() as s:
            result = s.execute(update(ChatTurn).where(*self._key(session_id, message_id, channel))
                               .where(ChatTurn.status == PENDING)
                               .values(status=FAILED, updated_at=self._now())
                               .execution_options(synchronize_session=False))
            return result.rowcount == 1

    def release_abandoned(self, started_before: dt.datetime) -> int:
        """Mark failed every turn still pending from before ``started_before`` (a gateway process that
        died mid-turn); the channel's retry is then processed at once instead of after ``stale_after``.
        Safe with several gateway processes too: the retry reaches Rasa flagged as a retry, and Rasa
        answers it from the conversation if the first pass got there (``bot/dvcbot_channel.py``)."""
        with self._session.begin() as s:
            result = s.execute(update(ChatTurn).where(ChatTurn.status == PENDING,
                                                      ChatTurn.updated_at < started_before)
                               .values(status=FAILED, updated_at=self._now())
                               .execution_options(synchronize_session=False))
            return result.rowcount

    def get(self, session_id: str, message_id: str, channel: str | None = None) -> dict | None:
        """The stored reply of a finished (done) turn; None while pending, after a failure, or unknown."""
        with Session(self.engine) as s:
            row = s.execute(select(ChatTurn.status, ChatTurn.response)
                            .where(*self._key(session_id, message_id, channel))).one_or_none()
        if row is None or row.status != DONE:
            return None
        return json.loads(row.response)

    def status(self, session_id: str, message_id: str, channel: str | None = None) -> str | None:
        """``pending``, ``done``, ``failed``, or None for a message never claimed."""
        with Session(self.engine) as s:
            return s.scalar(select(ChatTurn.status).where(*self._key(session_id, message_id, channel)))

    def history(self, session_id: str, limit: int = 50) -> list[dict]:
        """The session's latest turns, oldest first, each as a dict of its columns."""
        with Session(self.engine) as s:
            turns = s.scalars(select(ChatTurn).where(ChatTurn.session_id == session_id)
                              .order_by(ChatTurn.id.desc()).limit(limit)).all()
        columns = ChatTurn.__table__.columns.keys()
        return [{c: getattr(t, c) for c in columns} for t in reversed(turns)]
