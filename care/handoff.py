"""Handoff to a person: open, take (one staff member), reply, close; the bot stays silent meanwhile.

The gateway's turn service calls :func:`active_handoff` before sending a message to the dialogue;
when it is True it calls :func:`record_citizen_message` instead and answers nothing (or
:data:`WAITING_TEXT` the first time), so staff see the message in the console.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from care.models import ConversationMessage, Handoff, utcnow
from dvcbot.db import session_scope
from dvcbot.hotlines import CALL_ANY
from dvcbot.settings import Settings, get_settings

OPEN = ("waiting", "taken")
TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HOTLINE = CALL_ANY
IN_HOURS_TEXT = ("Tôi đã chuyển cuộc trò chuyện cho cán bộ chăm sóc khách hàng. Cán bộ sẽ trả lời anh chị "
                 "ngay trong cuộc trò chuyện này, anh chị vui lòng chờ trong ít phút. Nếu cần gấp, anh chị gọi "
                 + HOTLINE + ".")
OUT_OF_HOURS_TEXT = ("Hiện đã ngoài giờ làm việc nên chưa có cán bộ trực trả lời ngay. Tôi đã ghi lại cuộc trò "
                     "chuyện để cán bộ xem trong giờ làm việc. Nếu cần gấp, anh chị gọi " + HOTLINE + ".")
NOBODY_TEXT = ("Hiện các cán bộ đều đang bận. Anh chị có thể chờ thêm, hoặc gọi " + HOTLINE
               + " để được hỗ trợ ngay.")
CLOSED_TEXT = "Cán bộ đã kết thúc hỗ trợ. Trợ lý tự động tiếp tục hỗ trợ anh chị."


class HandoffTaken(Exception):
    """Someone else took this conversation first (or it is closed)."""


def session_key(channel: str, session_id: str) -> str:
    return f"{channel}:{session_id}"


def in_working_hours(now: dt.datetime | None = None, settings: Settings | None = None) -> bool:
    """Whether care staff are on duty (Hanoi time): the one calendar ``working_days`` (ISO weekdays,
    1 = Monday) and ``working_hours`` that the callbot's transfers use too, minus ``care_holidays``."""
    s = settings or get_settings()
    local = (now or utcnow()).astimezone(TIMEZONE)
    days = {int(d) for d in s.working_days.split(",") if d.strip()}
    if local.isoweekday() not in days or local.date() in s.care_holidays:
        return False
    start, _, end = s.working_hours.partition("-")
    return dt.time.fromisoformat(start.strip()) <= local.time() < dt.time.fromisoformat(end.strip())


def _open_for(session: Session, key: str) -> Handoff | None:
    return session.scalar(select(Handoff).where(Handoff.session_key == key, Handoff.status.in_(OPEN))
                          .order_by(Handoff.id.desc()).limit(1))


def open_handoff(session: Session, channel: str, session_id: str, reason: str,
                 transcript: list[dict] | None = None, ticket_id: int | None = None) -> tuple[Handoff, bool]:
    """Open a handoff for the conversation (or return the one already open); (handoff, created)."""
    key = session_key(channel, session_id)
    existing = _open_for(session, key)
    if existing is not None:
        return existing, False
    h = Handoff(session_key=key, channel=channel, session_id=session_id, reason=reason[:32],
                transcript=json.dumps(transcript or [], ensure_ascii=False), ticket_id=ticket_id)
    session.add(h)
    session.flush()
    return h, True


def citizen_notice(now: dt.datetime | None = None, settings: Settings | None = None) -> str:
    """What the citizen is told when a handoff opens (honest about working hours)."""
    return IN_HOURS_TEXT if in_working_hours(now, settings) else OUT_OF_HOURS_TEXT


def active_handoff(key: str, db_url: str | None = None) -> bool:
    """True while a person handles (or is about to handle) the conversation ``channel:session_id``."""
    from care.db import current_url, ensure_tables

    db_url = current_url(db_url)
    ensure_tables(db_url)
    with session_scope(db_url) as session:
        return _open_for(session, key) is not None


def record_citizen_message(key: str, text: str, db_url: str | None = None) -> bool:
    """Keep a citizen's message for the staff member; False when no handoff is open."""
    from care.db import current_url, ensure_tables

    db_url = current_url(db_url)
    ensure_tables(db_url)
    with session_scope(db_url) as session:
        h = _open_for(session, key)
        if h is None:
            return False
        session.add(ConversationMessage(channel=h.channel, session_id=h.session_id, sender="citizen",
                                        text=text[:4000], handoff_id=h.id))
        return True


def waiting(session: Session) -> list[Handoff]:
    return list(session.scalars(select(Handoff).where(Handoff.status.in_(OPEN)).order_by(Handoff.created_at)))


def take(session: Session, handoff_id: int, staff_id: int) -> None:
    """One staff member at a time: the conditional update succeeds for exactly one of them."""
    done = session.execute(update(Handoff).where(Handoff.id == handoff_id, Handoff.status == "waiting")
                           .values(status="taken", taken_by=staff_id, taken_at=utcnow()))
    if done.rowcount != 1:
        raise HandoffTaken(handoff_id)


def close(session: Session, handoff_id: int, staff_id: int) -> Handoff:
    h = session.get(Handoff, handoff_id)
    if h is None or h.status == "closed":
        raise HandoffTaken(handoff_id)
    from care import ratings

    h.status = "closed"
    h.closed_at = utcnow()
    session.add(ConversationMessage(channel=h.channel, session_id=h.session_id, sender="system",
                                    text=CLOSED_TEXT, staff_id=staff_id, handoff_id=h.id))
    session.add(ConversationMessage(channel=h.channel, session_id=h.session_id, sender="system",
                                    text=ratings.QUESTION, handoff_id=h.id,
                                    buttons=json.dumps(ratings.buttons(), ensure_ascii=False)))
    return h


def staff_reply(session: Session, h: Handoff, staff_id: int, text: str) -> ConversationMessage:
    text = text.strip()
    if not text or len(text) > 4000:
        raise ValueError("reply must be 1..4000 characters")
    m = ConversationMessage(channel=h.channel, session_id=h.session_id, sender="staff", text=text,
                            staff_id=staff_id, handoff_id=h.id)
    session.add(m)
    session.flush()
    return m


def conversation(session: Session, h: Handoff) -> list[dict]:
    """The transcript handed over plus everything said since."""
    items = list(json.loads(h.transcript or "[]"))
    for m in session.scalars(select(ConversationMessage).where(ConversationMessage.handoff_id == h.id)
                             .order_by(ConversationMessage.id)):
        items.append({"sender": m.sender, "text": m.text, "at": m.created_at.isoformat()})
    return items
