"""Knowledge gaps (grouped unanswered questions) and FAQ drafts with four-eyes approval."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from care import gaps
from care.console.common import DB, ConsoleRoute, Denied, Form, Supervisor, audit, page
from care.models import FaqDraft, StaffUser

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
SOURCES = {"fallback": "không hiểu", "low_confidence": "không chắc", "low_rating": "bị chấm điểm thấp"}


@router.get("/gaps")
async def gap_list(request: Request, db: DB, user: Supervisor) -> Response:
    texts = await run_in_threadpool(gaps.candidates, db)
    found = await run_in_threadpool(gaps.group, texts)
    return page(request, "gaps.html", {"gaps": found, "total": len(texts), "sources": SOURCES,
                                       "today": request.app.state.settings.current_date().isoformat()})


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Denied(400, "bad_request", f"Ngày không hợp lệ ở trường {field}.") from None


@router.post("/faq-drafts")
def draft_create(request: Request, db: DB, user: Supervisor, form: Form) -> Response:
    try:
        examples = [e for e in json.loads(form.get("examples") or "[]") if isinstance(e, str)]
    except json.JSONDecodeError:
        examples = []
    try:
        draft = gaps.create_draft(db, user.id, form.get("question", ""), form.get("answer", ""),
                                  form.get("source", ""),
                                  _date(form.get("valid_from"), "valid_from") or request.app.state.settings.current_date(),
                                  _date(form.get("valid_until"), "valid_until"), examples)
    except ValueError as exc:
        raise Denied(400, "bad_request", f"Chưa tạo được bản nháp: {exc}.") from None
    audit(db, user, "faq_draft", "faq_draft", draft.id)
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse("/console/faq-drafts", status_code=303)


@router.get("/faq-drafts")
def draft_list(request: Request, db: DB, user: Supervisor) -> Response:
    rows = list(db.scalars(select(FaqDraft).order_by(FaqDraft.id.desc()).limit(200)))
    staff = {u.id: u for u in db.scalars(select(StaffUser))}
    return page(request, "faq_drafts.html", {"rows": rows, "staff": staff})


@router.post("/faq-drafts/{draft_id}/approve")
def draft_approve(draft_id: int, db: DB, user: Supervisor, form: Form) -> Response:
    try:
        gaps.approve(db, draft_id, user.id)
    except gaps.ApprovalError as exc:
        raise Denied(409, "not_approved", f"Chưa duyệt được: {exc}.") from None
    audit(db, user, "faq_approve", "faq_draft", draft_id)
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse("/console/faq-drafts", status_code=303)


@router.post("/faq-drafts/{draft_id}/retire")
def draft_retire(draft_id: int, db: DB, user: Supervisor, form: Form) -> Response:
    draft = db.get(FaqDraft, draft_id)
    if draft is None:
        raise Denied(404, "not_found", "Không tìm thấy bản nháp.")
    draft.status = "retired"
    audit(db, user, "faq_retire", "faq_draft", draft_id)
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse("/console/faq-drafts", status_code=303)
