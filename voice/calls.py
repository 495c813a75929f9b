"""Every call's record: who (a hash, never the number), the turns with their timing, the keys
pressed, and how the call ended (transfer target or hang-up), which ``/voice/twilio/after`` reads.

Live calls are held in memory; a finished call is written to the ``voice_calls`` table (the shared
database layer, Alembic migration 0003). ``call_id`` is the conversation's session id in the turn
service, so its turns are in ``chat_turns`` too, like a chat's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from dvcbot.db import prepare, session_scope

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def caller_hash(number: str, key: str) -> str:
    """A stable, non-reversible id of a caller's number (HMAC with the webhook secret)."""
    digits = re.sub(r"\D", "", number or "")
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()[:16]


def stream_token(call_id: str, key: str) -> str:
    """The token the incoming webhook hands to the stream, proving the stream belongs to that call."""
    return hmac.new(key.encode(), f"stream:{call_id}".encode(), hashlib.sha256).hexdigest()


def safe_call_id(call_id: str) -> bool:
    return bool(_SAFE_ID.match(call_id or ""))


@dataclass
class Transfer:
    """Where ``/after`` dials when the stream ends: ``kind`` is "care_centre" or "agent"."""

    kind: str
    number: str
    reason: str = ""


@dataclass
class CallRecord:
    call_id: str
    caller: str = ""  # caller_hash
    started: float = field(default_factory=time.time)
    ended: float | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    transfer: Transfer | None = None
    hangup_reason: str = ""

    def add(self, event: str, **data: Any) -> None:
        """One event: ``caller`` (speech), ``bot`` (reply), ``dtmf``, ``barge_in``, ``silence``, ..."""
        self.events.append({"t": round(time.time() - self.started, 3), "event": event, **data})

    def of(self, event: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == event]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ts(seconds: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(seconds, dt.UTC) if seconds is not None else None


def _seconds(value: dt.datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite returns naive datetimes
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


class CallStore:
    """Live calls in memory, finished calls in the ``voice_calls`` table of ``db_url``."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self._live: dict[str, CallRecord] = {}
        self._lock = threading.Lock()
        prepare(db_url)

    def open(self, call_id: str, caller: str = "") -> CallRecord:
        with self._lock:
            record = self._live.get(call_id)
        record = record or self._load(call_id) or CallRecord(call_id, caller)
        record.caller = record.caller or caller
        record.ended = None
        with self._lock:
            self._live[call_id] = record
        return record

    def get(self, call_id: str) -> CallRecord | None:
        with self._lock:
            found = self._live.get(call_id)
        return found or self._load(call_id)

    def _load(self, call_id: str) -> CallRecord | None:
        from voice.models import VoiceCall

        if not safe_call_id(call_id):
            return None
        with session_scope(self.db_url) as db:
            row = db.get(VoiceCall, call_id)
            if row is None:
                return None
            transfer = Transfer(row.transfer_kind, row.transfer_number or "", row.transfer_reason or "") \
                if row.transfer_kind else None
            return CallRecord(call_id=row.call_id, caller=row.caller_hash, started=_seconds(row.started_at) or 0.0,
                              ended=_seconds(row.ended_at), events=list(row.events or []), transfer=transfer,
                              hangup_reason=row.hangup_reason)

    def finish(self, record: CallRecord) -> None:
        """The stream ended: write the call down (``/after`` and the care console read it)."""
        from voice.models import VoiceCall

        record.ended = time.time()
        with session_scope(self.db_url) as db:
            row = db.get(VoiceCall, record.call_id) or VoiceCall(call_id=record.call_id)
            row.caller_hash = record.caller
            row.started_at = _ts(record.started)
            row.ended_at = _ts(record.ended)
            t = record.transfer
            row.transfer_kind, row.transfer_number, row.transfer_reason = (
                (t.kind, t.number, t.reason[:64]) if t else (None, None, None))
            row.hangup_reason = record.hangup_reason[:64]
            row.events = list(record.events)
            db.add(row)
        with self._lock:
            self._live.pop(record.call_id, None)
