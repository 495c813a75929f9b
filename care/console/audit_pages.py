"""The audit log (supervisors and admins) and staff accounts (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from care import auth
from care.console.common import DB, Admin, ConsoleRoute, Denied, Form, Supervisor, audit, page
from care.models import AuditEntry, StaffUser

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
PER_PAGE = 50


@router.get("/audit")
def audit_log(request: Request, db: DB, user: Supervisor) -> Response:
    try:
        page_no = max(1, int(request.query_params.get("page") or 1))
    except ValueError:
        raise Denied(400, "bad_request", "Số trang không hợp lệ.") from None
    total = db.scalar(select(func.count(AuditEntry.id))) or 0
    rows = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())
                           .offset((page_no - 1) * PER_PAGE).limit(PER_PAGE)))
    staff = {u.id: u for u in db.scalars(select(StaffUser))}
    return page(request, "audit.html", {"rows": rows, "staff": staff, "page_no": page_no,
                                        "pages": max(1, (total + PER_PAGE - 1) // PER_PAGE)})


@router.get("/staff")
def staff_list(request: Request, db: DB, user: Admin) -> Response:
    return page(request, "staff.html", {"rows": list(db.scalars(select(StaffUser).order_by(StaffUser.username))),
                                        "roles": auth.ROLES, "error": request.query_params.get("error")})


@router.post("/staff")
def staff_create(request: Request, db: DB, user: Admin, form: Form) -> Response:
    try:
        new = auth.create_staff(db, form.get("username", ""), form.get("display_name", ""),
                                form.get("password", ""), form.get("role", ""))
    except ValueError as exc:
        rows = list(db.scalars(select(StaffUser).order_by(StaffUser.username)))
        return page(request, "staff.html", {"rows": rows, "roles": auth.ROLES, "error": str(exc)}, status_code=400)
    audit(db, user, "create_staff", "staff", new.id, f"{new.username} {new.role}")
    db.commit()  # committed before the browser follows the redirect
    return RedirectResponse("/console/staff", status_code=303)
