"""The callbot's table (an ORM model on ``dvcbot.db.Base``; created by Alembic migration 0003)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from dvcbot.db import Base


class VoiceCall(Base):
    """One phone call: its transcript (turns, timing, keys) and how it ended.

    ``call_id`` is Twilio's CallSid, which is also the conversation's ``session_id`` in the turn
    service (channel ``voice``), so the care console can show the call's turns like a chat's. The
    caller is kept only as a keyed hash of the number.
    """

    __tablename__ = "voice_calls"

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    caller_hash: Mapped[str] = mapped_column(String(32), default="", index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: care_centre | agent, when the call was transferred
    transfer_kind: Mapped[str | None] = mapped_column(String(16))
    transfer_number: Mapped[str | None] = mapped_column(String(32))
    transfer_reason: Mapped[str | None] = mapped_column(String(64))
    hangup_reason: Mapped[str] = mapped_column(String(64), default="")
    #: [{"t": seconds since start, "event": "caller" | "bot" | "dtmf" | "turn" | ..., ...}]
    events: Mapped[list] = mapped_column(JSON, default=list)
