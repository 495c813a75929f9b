"""The gateway's tables (ORM models on ``dvcbot.db.Base``; created by the Alembic migrations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dvcbot.db import Base


class ChatTurn(Base):
    """One citizen message and the assistant's reply; (channel, session_id, message_id) is processed once."""

    __tablename__ = "chat_turns"
    __table_args__ = (UniqueConstraint("channel", "session_id", "message_id", name="uq_chat_turn_channel_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(128), index=True)
    message_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    #: pending (being processed) | done (reply stored) | failed (may be retried)
    status: Mapped[str] = mapped_column(String(16))
    #: the reply as JSON text (the ChatResponse of the turn)
    response: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
