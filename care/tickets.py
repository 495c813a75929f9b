"""Complaint tickets: codes, per-category SLA, the status workflow, and the queries the console needs.

Every function takes a SQLAlchemy ``Session`` and leaves committing to the caller
(``dvcbot.db.session_scope``), except :func:`file_complaint`, which is what the action server calls.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from care.models import ConversationMessage, StaffUser, Ticket, TicketEvent, utcnow

#: category key → (Vietnamese label, hours within which the centre answers)
CATEGORIES: dict[str, tuple[str, int]] = {
    "staff_attitude": ("Thái độ, tác phong cán bộ", 72),
    "overdue": ("Hồ sơ quá hạn giải quyết", 48),
    "extra_fees": ("Yêu cầu nộp thêm phí, lệ phí", 48),
    "wrong_guidance": ("Hướng dẫn sai, không đầy đủ", 72),
    "system_error": ("Lỗi cổng dịch vụ công, hệ thống", 24),
    "other": ("Phản ánh, kiến nghị khác", 120),
}

STATUSES: dict[str, str] = {
    "new": "Mới tiếp nhận",
    "in_progress": "Đang xử lý",
    "waiting_citizen": "Chờ người dân bổ sung",
    "resolved": "Đã giải quyết",
    "closed": "Đã đóng",
}
OPEN_STATUSES = ("new", "in_progress", "waiting_citizen")

#: allowed moves of the workflow; resolved/closed → in_progress is "reopen"
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"in_progress", "resolved"}),
    "in_progress": frozenset({"waiting_citizen", "resolved"}),
    "waiting_citizen": frozenset({"in_progress", "resolved"}),
    "resolved": frozenset({"closed", "in_progress"}),
    "closed": frozenset({"in_progress"}),
}

MAX_DESCRIPTION = 4000
#: the ticket list counts matches up to this many (then shows "hơn 10.000")
COUNT_CAP = 10_000
MAX_WHERE = 500
MAX_NOTE = 4000

CODE_RE = re.compile(r"\bPA[\s\-_.]*(\d{2})[\s\-_.]*(\d{1,6})\b", re.IGNORECASE)


class WorkflowError(ValueError):
    """A status change the workflow does not allow."""


def make_code(year: int, number: int) -> str:
    return f"PA-{year % 100:02d}-{number:06d}"


def find_code(text: str) -> str | None:
    """The ticket code in a message (``pa 26 123``, ``PA-26-000123``) in its canonical form."""
    m = CODE_RE.search(text or "")
    return make_code(int(m.group(1)), int(m.group(2))) if m else None


def sla_hours(category: str) -> int:
    return CATEGORIES.get(category, CATEGORIES["other"])[1]


def response_time_text(category: str) -> str:
    """The expected response time as a citizen hears it ("trong 3 ngày", "trong 24 giờ")."""
    hours = sla_hours(category)
    return f"trong {hours // 24} ngày làm việc" if hours % 24 == 0 and hours >= 48 else f"trong {hours} giờ"


_PHONE_DIGITS = re.compile(r"[\s.\-()]")


def normalize_phone(text: str) -> str | None:
    """A Vietnamese mobile (0[35789]x, 10 digits) or landline (02x, 11 digits) number, or None."""
    raw = _PHONE_DIGITS.sub("", text or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if re.fullmatch(r"0[35789]\d{8}", raw) or re.fullmatch(r"02\d{9}", raw):
        return raw
    return None


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]


@dataclass
class ComplaintInput:
    """What the dialogue collected; ``idem_key`` is ``sender_id:message_id`` of the submitting turn."""

    idem_key: str
    category: str
    description: str
    channel: str
    session_id: str
    where_text: str | None = None
    ward_code: str | None = None
    ward_name: str | None = None
    procedure_code: str | None = None
    dossier_code: str | None = None
    phone: str | None = None
    consent: bool = False
    urgent: bool = False
    created_at: str | None = None  # ISO time when filed offline (kept through the outbox)

    def check(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not self.description.strip():
            raise ValueError("empty description")
        self.description = self.description.strip()[:MAX_DESCRIPTION]
        if self.where_text:
            self.where_text = self.where_text[:MAX_WHERE]
        if self.phone is not None and normalize_phone(self.phone) is None:
            raise ValueError("invalid phone")


def create_ticket(session: Session, data: ComplaintInput) -> tuple[Ticket, bool]:
    """Insert the ticket (or find the one this idempotency key filed before); (ticket, created)."""
    data.check()
    existing = session.scalar(select(Ticket).where(Ticket.idem_key == data.idem_key))
    if existing is not None:
        return existing, False
    created = dt.datetime.fromisoformat(data.created_at) if data.created_at else utcnow()
    ticket = Ticket(
        idem_key=data.idem_key, category=data.category, status="new", description=data.description,
        where_text=data.where_text, ward_code=data.ward_code, ward_name=data.ward_name,
        procedure_code=data.procedure_code, dossier_code=data.dossier_code,
        phone=normalize_phone(data.phone) if data.phone else None, consent=data.consent, urgent=data.urgent,
        channel=data.channel, session_id=data.session_id, created_at=created, updated_at=created,
        due_at=created + dt.timedelta(hours=sla_hours(data.category)))
    try:
        with session.begin_nested():
            session.add(ticket)
            session.flush()
            ticket.code = make_code(created.year, ticket.id)
            session.add(TicketEvent(ticket_id=ticket.id, kind="created", to_status="new", at=created))
            session.flush()
            from care.rollups import count_ticket

            count_ticket(session, ticket)
    except IntegrityError:  # the same message filed concurrently by another worker
        existing = session.scalar(select(Ticket).where(Ticket.idem_key == data.idem_key))
        if existing is None:
            raise
        return existing, False
    return ticket, True


def by_code(session: Session, code: str) -> Ticket | None:
    canonical = find_code(code)
    return session.scalar(select(Ticket).where(Ticket.code == canonical)) if canonical else None


def public_status(session: Session, code: str) -> dict | None:
    """What anyone holding the code may know: never the description, phone or place."""
    t = by_code(session, code)
    if t is None:
        return None
    return {"code": t.code, "status": t.status, "status_label": STATUSES[t.status],
            "category_label": CATEGORIES[t.category][0], "created": t.created_at.date().isoformat(),
            "due": t.due_at.date().isoformat(), "public_reply": t.public_reply}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def is_overdue(ticket: Ticket, now: dt.datetime | None = None) -> bool:
    return ticket.status in OPEN_STATUSES and _aware(ticket.due_at) < (now or utcnow())


def change_status(session: Session, ticket: Ticket, to_status: str, staff_id: int | None,
                  note: str | None = None) -> None:
    if to_status not in STATUSES:
        raise WorkflowError(f"unknown status {to_status!r}")
    if to_status not in TRANSITIONS[ticket.status]:
        raise WorkflowError(f"{ticket.status} → {to_status} is not allowed")
    now = utcnow()
    session.add(TicketEvent(ticket_id=ticket.id, kind="status", staff_id=staff_id, from_status=ticket.status,
                            to_status=to_status, body=(note or None) and note[:MAX_NOTE], at=now))
    if to_status == "resolved":
        ticket.resolved_at = now
    elif to_status == "closed":
        ticket.closed_at = now
    elif ticket.status in ("resolved", "closed"):  # reopen
        ticket.resolved_at = ticket.closed_at = None
    ticket.status = to_status
    ticket.updated_at = now


def assign(session: Session, ticket: Ticket, assignee_id: int | None, staff_id: int | None) -> None:
    if assignee_id is not None and session.get(StaffUser, assignee_id) is None:
        raise ValueError("unknown staff member")
    ticket.assignee_id = assignee_id
    ticket.updated_at = utcnow()
    session.add(TicketEvent(ticket_id=ticket.id, kind="assign", staff_id=staff_id,
                            body=str(assignee_id) if assignee_id else None))


def add_note(session: Session, ticket: Ticket, staff_id: int, body: str) -> None:
    body = body.strip()
    if not body:
        raise ValueError("empty note")
    if len(body) > MAX_NOTE:
        raise ValueError("note too long")
    session.add(TicketEvent(ticket_id=ticket.id, kind="note", staff_id=staff_id, body=body))
    ticket.updated_at = utcnow()


def add_reply(session: Session, ticket: Ticket, staff_id: int, body: str) -> ConversationMessage:
    """A public reply: shown by the status lookup and stored for the citizen's conversation."""
    body = body.strip()
    if not body:
        raise ValueError("empty reply")
    if len(body) > MAX_NOTE:
        raise ValueError("reply too long")
    ticket.public_reply = body
    ticket.updated_at = utcnow()
    session.add(TicketEvent(ticket_id=ticket.id, kind="reply", staff_id=staff_id, body=body))
    text = f"Trả lời phản ánh {ticket.code}: {body}"
    message = ConversationMessage(channel=ticket.channel, session_id=ticket.session_id, sender="staff",
                                  text=text, staff_id=staff_id, ticket_id=ticket.id)
    session.add(message)
    session.flush()
    return message


def timeline(session: Session, ticket_id: int) -> list[TicketEvent]:
    return list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                .order_by(TicketEvent.at, TicketEvent.id)))


@dataclass
class TicketFilter:
    status: str | None = None
    category: str | None = None
    ward_code: str | None = None
    channel: str | None = None
    assignee_id: int | None = None
    overdue: bool = False
    q: str | None = None


def list_tickets(session: Session, f: TicketFilter, page: int = 1, per_page: int = 25,
                 now: dt.datetime | None = None) -> tuple[list[Ticket], int]:
    """One page of tickets, newest first, and the number matching the filter."""
    cond = []
    if f.status:
        cond.append(Ticket.status == f.status)
    if f.category:
        cond.append(Ticket.category == f.category)
    if f.ward_code:
        cond.append(Ticket.ward_code == f.ward_code)
    if f.channel:
        cond.append(Ticket.channel == f.channel)
    if f.assignee_id is not None:
        cond.append(Ticket.assignee_id == f.assignee_id)
    if f.overdue:
        cond.append(Ticket.status.in_(OPEN_STATUSES))
        cond.append(Ticket.due_at < (now or utcnow()))
    if f.q:
        code = find_code(f.q)
        if code:
            cond.append(Ticket.code == code)
        else:
            like = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cond.append(or_(Ticket.description.ilike(like, escape="\\"),
                            Ticket.where_text.ilike(like, escape="\\"),
                            Ticket.ward_name.ilike(like, escape="\\")))
    # counting stops at COUNT_CAP: "more than 10,000" is all a person needs, and it bounds the work
    total = session.scalar(select(func.count()).select_from(
        select(Ticket.id).where(*cond).limit(COUNT_CAP + 1).subquery())) or 0
    page = max(1, page)
    rows = list(session.scalars(select(Ticket).where(*cond).order_by(Ticket.created_at.desc(), Ticket.id.desc())
                                .offset((page - 1) * per_page).limit(per_page)))
    return rows, total


def mask_text(text: str | None) -> str:
    """Citizen text with phone and ID numbers masked (exports for non-supervisors)."""
    from dvcbot.logs import mask_pii

    return mask_pii(text or "")
