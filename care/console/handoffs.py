"""The handoff queue: live conversations waiting for a person, taken by one staff member at a time."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response

from care import auth, handoff, ratings
from care.console.common import DB, ConsoleRoute, Denied, Form, Staff, audit, deliver_later, page
from care.models import Handoff

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
REASONS = {"request_human": "Người dân muốn gặp cán bộ", "fallback": "Trợ lý không hiểu hai lần liền",
           "urgent_complaint": "Phản ánh khẩn"}


@router.get("/handoffs")
def queue(request: Request, db: DB, user: Staff) -> Response:
    return page(request, "handoffs.html", {"items": handoff.waiting(db), "reasons": REASONS})


@router.get("/handoffs/rows")
def queue_rows(request: Request, db: DB, user: Staff) -> Response:
    """The table body alone (htmx refreshes it every few seconds)."""
    return page(request, "handoff_rows.html", {"items": handoff.waiting(db), "reasons": REASONS})


def _get(db, handoff_id: int) -> Handoff:
    h = db.get(Handoff, handoff_id)
    if h is None:
        raise Denied(404, "not_found", "Không tìm thấy cuộc trò chuyện này.")
    return h


@router.get("/handoffs/{handoff_id}")
def conversation(request: Request, handoff_id: int, db: DB, user: Staff) -> Response:
    h = _get(db, handoff_id)
    audit(db, user, "view_handoff", "handoff", h.id)
    return page(request, "handoff.html", {"h": h, "items": handoff.conversation(db, h), "reasons": REASONS,
                                          "mine": h.taken_by == user.id,
                                          "can_close": h.taken_by == user.id or auth.has_role(user, "supervisor")})


@router.post("/handoffs/{handoff_id}/take")
def take(handoff_id: int, db: DB, user: Staff, form: Form) -> Response:
    _get(db, handoff_id)
    try:
        handoff.take(db, handoff_id, user.id)
    except handoff.HandoffTaken:
        raise Denied(409, "already_taken", "Cuộc trò chuyện đã có cán bộ khác nhận.") from None
    audit(db, user, "take", "handoff", handoff_id)
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse(f"/console/handoffs/{handoff_id}", status_code=303)


@router.post("/handoffs/{handoff_id}/reply")
def reply(request: Request, handoff_id: int, db: DB, user: Staff, form: Form, bg: BackgroundTasks) -> Response:
    h = _get(db, handoff_id)
    if h.taken_by != user.id or h.status != "taken":
        raise Denied(403, "forbidden", "Anh chị cần nhận cuộc trò chuyện trước khi trả lời.")
    try:
        m = handoff.staff_reply(db, h, user.id, form.get("body", ""))
    except ValueError:
        raise Denied(400, "bad_request", "Nội dung trả lời trống hoặc quá dài.") from None
    audit(db, user, "reply", "handoff", h.id)
    deliver_later(request, bg, h.channel, h.session_id, m.text, None)
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse(f"/console/handoffs/{handoff_id}", status_code=303)


@router.post("/handoffs/{handoff_id}/close")
def close(request: Request, handoff_id: int, db: DB, user: Staff, form: Form, bg: BackgroundTasks) -> Response:
    h = _get(db, handoff_id)
    if h.taken_by != user.id and not auth.has_role(user, "supervisor"):
        raise Denied(403, "forbidden", "Chỉ cán bộ đang hỗ trợ hoặc giám sát mới kết thúc được.")
    try:
        handoff.close(db, handoff_id, user.id)
    except handoff.HandoffTaken:
        raise Denied(409, "already_closed", "Cuộc trò chuyện đã kết thúc.") from None
    audit(db, user, "close", "handoff", h.id)
    deliver_later(request, bg, h.channel, h.session_id, handoff.CLOSED_TEXT, None)
    deliver_later(request, bg, h.channel, h.session_id, ratings.QUESTION, ratings.buttons())
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse("/console/handoffs", status_code=303)
