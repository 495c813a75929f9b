"""Ticket pages: list (filters, search, paging), detail, assignment, workflow, notes, replies, CSV."""

from __future__ import annotations

import csv
import io
import json
import logging
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from care import auth, ratings, tickets
from care.console.common import DB, ConsoleRoute, Denied, Form, Staff, audit, deliver_later, page
from care.models import ConversationMessage, StaffUser, Ticket
from care.tickets import CATEGORIES, STATUSES, TRANSITIONS, TicketFilter

log = logging.getLogger("care.console")
router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PER_PAGE = 25
CHANNELS = {"web": "Web", "zalo": "Zalo", "voice": "Tổng đài", "api": "API"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise Denied(400, "bad_request", "Giá trị số không hợp lệ.") from None


def _filter(request: Request) -> TicketFilter:
    q = request.query_params
    status, category, channel = q.get("status") or None, q.get("category") or None, q.get("channel") or None
    if status and status not in STATUSES or category and category not in CATEGORIES or channel and channel not in CHANNELS:
        raise Denied(400, "bad_request", "Bộ lọc không hợp lệ.")
    text = (q.get("q") or "").strip()
    if len(text) > 200:
        raise Denied(413, "field_too_long", "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).")
    return TicketFilter(status=status, category=category, ward_code=(q.get("ward") or None) and q["ward"][:16],
                        channel=channel, assignee_id=_int(q.get("assignee")), overdue=q.get("overdue") == "1",
                        q=text or None)


def can_see_phone(user: StaffUser, ticket: Ticket) -> bool:
    return auth.has_role(user, "supervisor") or ticket.assignee_id == user.id


def can_work(user: StaffUser, ticket: Ticket) -> bool:
    return auth.has_role(user, "supervisor") or ticket.assignee_id == user.id


def _staff(db) -> dict[int, StaffUser]:
    return {u.id: u for u in db.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.username))}


@router.get("/tickets")
def ticket_list(request: Request, db: DB, user: Staff) -> Response:
    f = _filter(request)
    page_no = max(1, _int(request.query_params.get("page")) or 1)
    rows, total = tickets.list_tickets(db, f, page_no, PER_PAGE)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return page(request, "tickets.html", {
        "rows": rows, "total": total, "count_cap": tickets.COUNT_CAP, "page_no": page_no, "pages": pages, "f": f,
        "staff": _staff(db),
        "categories": CATEGORIES, "statuses": STATUSES, "channels": CHANNELS, "is_overdue": tickets.is_overdue,
        "prev_url": f"?{urlencode({**params, 'page': page_no - 1})}" if page_no > 1 else None,
        "next_url": f"?{urlencode({**params, 'page': page_no + 1})}" if page_no < pages else None,
        "export_url": f"/console/tickets.csv?{urlencode(params)}"})


def _ticket(db, code: str) -> Ticket:
    t = tickets.by_code(db, code[:32])
    if t is None:
        raise Denied(404, "not_found", "Không tìm thấy phản ánh này.")
    return t


def _conversation(db, t: Ticket) -> list[dict]:
    """The citizen's chat turns (gateway's store) and the messages staff sent, in order."""
    from gateway.models import ChatTurn

    items: list[dict] = []
    turns = list(db.execute(select(ChatTurn.text, ChatTurn.response, ChatTurn.created_at).where(
        ChatTurn.channel == t.channel, ChatTurn.session_id == t.session_id).order_by(ChatTurn.id).limit(200)))
    for r in turns:
        items.append({"sender": "citizen", "text": r.text, "at": r.created_at})
        for m in (json.loads(r.response or "{}").get("messages") or []):
            if m.get("text"):
                items.append({"sender": "bot", "text": m["text"], "at": r.created_at})
    for m in db.scalars(select(ConversationMessage).where(ConversationMessage.session_id == t.session_id)
                        .order_by(ConversationMessage.id).limit(200)):
        items.append({"sender": m.sender, "text": m.text, "at": m.created_at})
    return items


@router.get("/tickets/{code}")
def ticket_page(request: Request, code: str, db: DB, user: Staff) -> Response:
    t = _ticket(db, code)
    show_phone = can_see_phone(user, t)
    audit(db, user, "view_ticket_phone" if show_phone and t.phone else "view_ticket", "ticket", t.code)
    return page(request, "ticket.html", {
        "t": t, "events": tickets.timeline(db, t.id), "conversation": _conversation(db, t), "staff": _staff(db),
        "show_phone": show_phone, "masked_phone": tickets.mask_phone(t.phone), "can_work": can_work(user, t),
        "next_statuses": sorted(TRANSITIONS[t.status]), "categories": CATEGORIES, "statuses": STATUSES,
        "channels": CHANNELS, "overdue": tickets.is_overdue(t), "is_supervisor": auth.has_role(user, "supervisor"),
        "message": request.query_params.get("ok")})


def _back(t: Ticket, ok: str) -> RedirectResponse:
    return RedirectResponse(f"/console/tickets/{t.code}?ok={ok}", status_code=303)


@router.post("/tickets/{code}/assign")
def ticket_assign(code: str, db: DB, user: Staff, form: Form) -> Response:
    t = _ticket(db, code)
    target = _int(form.get("assignee_id"))
    if not auth.has_role(user, "supervisor") and target not in (user.id, None):
        raise Denied(403, "forbidden", "Cán bộ chỉ tự nhận phản ánh; giám sát mới giao cho người khác.")
    if not auth.has_role(user, "supervisor") and t.assignee_id not in (None, user.id):
        raise Denied(403, "forbidden", "Phản ánh đã được giao cho cán bộ khác.")
    try:
        tickets.assign(db, t, target, user.id)
    except ValueError:
        raise Denied(400, "bad_request", "Cán bộ được giao không tồn tại.") from None
    audit(db, user, "assign", "ticket", t.code, f"assignee={target}")
    db.commit()  # committed before the browser follows the redirect
    return _back(t, "assigned")


@router.post("/tickets/{code}/status")
def ticket_status(request: Request, code: str, db: DB, user: Staff, form: Form, bg: BackgroundTasks) -> Response:
    t = _ticket(db, code)
    if not can_work(user, t):
        raise Denied(403, "forbidden", "Anh chị cần nhận phản ánh trước khi xử lý.")
    to = form.get("status", "")
    old = t.status
    try:
        tickets.change_status(db, t, to, user.id, form.get("note"))
    except tickets.WorkflowError:
        raise Denied(409, "invalid_transition", "Không thể chuyển sang trạng thái này.") from None
    audit(db, user, "status", "ticket", t.code, f"{old}->{to}")
    if to == "closed":  # ask the citizen for a rating through their conversation
        db.add(ConversationMessage(channel=t.channel, session_id=t.session_id, sender="system", ticket_id=t.id,
                                   text=f"Phản ánh {t.code} đã được xử lý xong. " + ratings.QUESTION,
                                   buttons=json.dumps(ratings.buttons(), ensure_ascii=False)))
        db.flush()
        deliver_later(request, bg, t.channel, t.session_id,
                      f"Phản ánh {t.code} đã được xử lý xong. " + ratings.QUESTION, ratings.buttons())
    db.commit()  # committed before the browser follows the redirect
    return _back(t, "status")


@router.post("/tickets/{code}/note")
def ticket_note(code: str, db: DB, user: Staff, form: Form) -> Response:
    t = _ticket(db, code)
    try:
        tickets.add_note(db, t, user.id, form.get("body", ""))
    except ValueError:
        raise Denied(400, "bad_request", "Ghi chú trống hoặc quá dài.") from None
    audit(db, user, "note", "ticket", t.code)
    db.commit()  # committed before the browser follows the redirect
    return _back(t, "note")


@router.post("/tickets/{code}/reply")
def ticket_reply(request: Request, code: str, db: DB, user: Staff, form: Form, bg: BackgroundTasks) -> Response:
    t = _ticket(db, code)
    if not can_work(user, t):
        raise Denied(403, "forbidden", "Anh chị cần nhận phản ánh trước khi trả lời.")
    try:
        msg = tickets.add_reply(db, t, user.id, form.get("body", ""))
    except ValueError:
        raise Denied(400, "bad_request", "Nội dung trả lời trống hoặc quá dài.") from None
    audit(db, user, "reply", "ticket", t.code)
    deliver_later(request, bg, t.channel, t.session_id, msg.text, None)
    db.commit()  # committed before the browser follows the redirect
    return _back(t, "reply")


@router.get("/tickets.csv")
def ticket_csv(request: Request, db: DB, user: Staff) -> Response:
    f = _filter(request)
    full = auth.has_role(user, "supervisor")
    rows, _total = tickets.list_tickets(db, f, 1, 100_000)
    audit(db, user, "export_csv", "ticket", None, f"rows={len(rows)} full={full}")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["ma", "trang_thai", "loai", "kenh", "phuong", "so_dien_thoai", "tao_luc", "han_xu_ly", "noi_dung"])
    for t in rows:
        phone = t.phone if full else tickets.mask_phone(t.phone)
        desc = t.description if full else tickets.mask_text(t.description)
        w.writerow([t.code, t.status, t.category, t.channel, t.ward_name or "", phone, t.created_at.isoformat(),
                    t.due_at.isoformat(), _csv_safe(desc)])
    data = "\ufeff" + buf.getvalue()
    return StreamingResponse(iter([data]), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="phan-anh.csv"'})


def _csv_safe(value: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
