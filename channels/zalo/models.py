"""Tables of the Zalo channel: the durable webhook inbox and the rotated OA token pair."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dvcbot.db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ZaloInboxEvent(Base):
    """One webhook event, stored before it is acknowledged.

    ``event_key`` is Zalo's ``message.msg_id`` (or a digest of the body for events without one), so
    a retried delivery is stored once and answered once, also after a restart. ``status`` goes
    ``pending`` → ``processing`` → ``replying`` (the reply is stored in ``reply``) → ``done``;
    ``ignored`` for events the assistant does not answer, ``failed`` after the last send attempt.
    """

    __tablename__ = "zalo_inbox"
    __table_args__ = (UniqueConstraint("event_key", name="uq_zalo_inbox_event_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_key: Mapped[str] = mapped_column(String(128), nullable=False)
    event_name: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reply: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class ZaloToken(Base):
    """The current OA access/refresh pair (one row, id 1): a refresh token works only once, so the
    rotated pair must survive a restart."""

    __tablename__ = "zalo_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    access_token: Mapped[str] = mapped_column(Text, nullable=False)
    refresh_token: Mapped[str] = mapped_column(Text, nullable=False)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
