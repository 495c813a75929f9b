"""Tables of the care centre, as ORM models on the one declarative base."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from dvcbot.db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StaffUser(Base):
    __tablename__ = "care_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))  # agent | supervisor | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StaffSession(Base):
    """A signed-in browser; the cookie carries the signed id, the row makes it revocable."""

    __tablename__ = "care_staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("care_staff.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Ticket(Base):
    __tablename__ = "care_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: short code read out on the phone, ``PA-26-000123``; unique
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    #: idempotency key (``sender:message_id``): a retried message never files a second ticket
    idem_key: Mapped[str] = mapped_column(String(300), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="new")
    description: Mapped[str] = mapped_column(Text)
    where_text: Mapped[str | None] = mapped_column(String(500))
    ward_code: Mapped[str | None] = mapped_column(String(16), index=True)
    ward_name: Mapped[str | None] = mapped_column(String(128))
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    dossier_code: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(16), index=True)
    session_id: Mapped[str] = mapped_column(String(160), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"), index=True)
    public_reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_care_tickets_status_created", "status", "created_at"),
        # the dashboard reads these without touching the table rows
        Index("ix_care_tickets_created_cat_channel", "created_at", "category", "channel"),
        Index("ix_care_tickets_status_due", "status", "due_at"),
        Index("ix_care_tickets_resolved", "resolved_at", "created_at"),
    )


class TicketEvent(Base):
    """The timeline: creation, status changes, assignment, internal notes, public replies."""

    __tablename__ = "care_ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("care_tickets.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"))
    kind: Mapped[str] = mapped_column(String(16))  # created | status | assign | note | reply
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)


class Handoff(Base):
    """A conversation waiting for (or handled by) a person; the bot is silent while it is open."""

    __tablename__ = "care_handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``channel:session_id`` (Rasa's sender id)
    session_key: Mapped[str] = mapped_column(String(160), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[str] = mapped_column(String(160))
    reason: Mapped[str] = mapped_column(String(32))  # request_human | fallback | urgent_complaint
    status: Mapped[str] = mapped_column(String(16), index=True, default="waiting")  # waiting|taken|closed
    transcript: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {sender, text, at}
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("care_tickets.id"))
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"))
    #: the citizen was told nobody took it in time (the bot answers again meanwhile)
    nobody_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ConversationMessage(Base):
    """Messages outside a bot turn: staff replies, the rating question, citizen text during a handoff.

    The JSON chat API reads the staff/system ones with ``GET /api/v1/chat/{session_id}/messages``.
    """

    __tablename__ = "care_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[str] = mapped_column(String(160))
    sender: Mapped[str] = mapped_column(String(16))  # staff | system | citizen
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON list of {title, payload}
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"))
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("care_handoffs.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("care_tickets.id"))
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_care_messages_session", "session_id", "id"),)


class Rating(Base):
    __tablename__ = "care_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[str] = mapped_column(String(160))
    #: intent / procedure code / ticket category the rating is about
    topic: Mapped[str | None] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("care_tickets.id"))
    idem_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    #: True from the moment the bot asked for the optional comment of a low rating until the
    #: citizen's next message (stored as ``comment``, or declined) — see care.ratings.take_comment
    comment_asked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    __table_args__ = (Index("ix_care_ratings_created_cover", "created_at", "channel", "topic", "score"),)


class DailyTickets(Base):
    """Tickets filed per day, category and channel (append-only counters the dashboard reads)."""

    __tablename__ = "care_daily_tickets"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD (UTC)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class DailyRatings(Base):
    """Ratings per day, channel and topic: how many, and how many were 4 or 5."""

    __tablename__ = "care_daily_ratings"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" when unknown
    n: Mapped[int] = mapped_column(Integer, default=0)
    good: Mapped[int] = mapped_column(Integer, default=0)


class FaqDraft(Base):
    """An FAQ answer written by staff for a knowledge gap: live in the bot once a supervisor approves it."""

    __tablename__ = "care_faq_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(500))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")  # draft | approved | retired
    #: the citizens' wordings of the gap it answers (JSON list), matched together with ``question``
    examples: Mapped[str] = mapped_column(Text, default="[]")
    created_by: Mapped[int] = mapped_column(ForeignKey("care_staff.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Every view of personal data and every change made in the console."""

    __tablename__ = "care_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("care_staff.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)

