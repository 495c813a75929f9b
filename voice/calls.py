"""Every call's record: who (a hash, never the number), the turns with their timing, the keys
pressed, and how the call ended (transfer target or hang-up), which ``/voice/twilio/after`` reads.

Kept behind :class:`CallStore` so the storage can move to a table on the shared database layer
(``dvcbot.db.Base`` + an Alembic migration) without touching the pipeline: today the store holds
live calls in memory and writes each finished call as one JSON file under ``var/voice/calls``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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


class CallStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._live: dict[str, CallRecord] = {}
        self._done: dict[str, CallRecord] = {}
        self._lock = threading.Lock()
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def open(self, call_id: str, caller: str = "") -> CallRecord:
        with self._lock:
            record = self._live.get(call_id) or self._done.pop(call_id, None) or CallRecord(call_id, caller)
            record.caller = record.caller or caller
            record.ended = None
            self._live[call_id] = record
            return record

    def get(self, call_id: str) -> CallRecord | None:
        with self._lock:
            found = self._live.get(call_id) or self._done.get(call_id)
        if found is None and self.folder and safe_call_id(call_id):
            path = self.folder / f"{call_id}.json"
            if path.is_file():
                data = json.loads(path.read_text(encoding="utf-8"))
                transfer = data.pop("transfer", None)
                found = CallRecord(**data, transfer=Transfer(**transfer) if transfer else None)
        return found

    def seen(self, call_id: str) -> bool:
        return self.get(call_id) is not None

    def finish(self, record: CallRecord) -> None:
        """The stream ended: keep the record for ``/after`` and write it down."""
        record.ended = time.time()
        with self._lock:
            self._live.pop(record.call_id, None)
            self._done[record.call_id] = record
            while len(self._done) > 1000:
                self._done.pop(next(iter(self._done)))
        if self.folder and safe_call_id(record.call_id):
            path = self.folder / f"{record.call_id}.json"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(path)
