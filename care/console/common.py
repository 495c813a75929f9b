"""What every console page shares: templates, the signed-in staff member, roles, CSRF, audit.

Signed-out requests get 401 and wrong-role requests 403, on every route, as an HTML page for a
browser and the project's JSON error shape otherwise. A POST without a valid CSRF token (double
submit cookie from ``fastapi-csrf-protect``, sent as the ``csrf_token`` form field or the
``X-CSRF-Token`` header) gets 403 before anything is changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from fastapi_csrf_protect.exceptions import CsrfProtectError
from fastapi_csrf_protect.flexible import CsrfProtect
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from care import auth
from care.models import AuditEntry, StaffUser
from dvcbot.db import session_scope
from dvcbot.errors import error_response

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
CSRF_COOKIE = "dvcbot_csrf"
CSRF_FIELD = "csrf_token"
MAX_FORM_FIELD = 8000


class ConsoleCsrf(CsrfProtect):
    """The console's own CSRF configuration (class attributes, so kept apart from any other user)."""


ConsoleCsrf._cookie_key = CSRF_COOKIE
ConsoleCsrf._token_key = CSRF_FIELD
ConsoleCsrf._header_name = "X-CSRF-Token"
ConsoleCsrf._max_age = 8 * 3600
ConsoleCsrf._cookie_samesite = "strict"
ConsoleCsrf._httponly = True


class Denied(Exception):
    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


class ConsoleRoute(APIRoute):
    """Turns :class:`Denied` (raised by the dependencies below) into a 401/403/4xx page or JSON."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except Denied as exc:
                if _wants_html(request):
                    return templates.TemplateResponse(request, "denied.html", {
                        "status": exc.status, "detail": exc.detail, "user": None, "csrf": ""},
                        status_code=exc.status)
                return error_response(exc.status, exc.error, exc.detail)

        return route


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def settings_of(request: Request):
    return request.app.state.settings


def secret(request: Request) -> str:
    return auth.secret_key(settings_of(request))


def db_session(request: Request) -> Iterator[Session]:
    from care.db import ensure_tables

    url = settings_of(request).db_url
    ensure_tables(url)  # once per URL and process (dvcbot.db.prepare)
    with session_scope(url) as session:
        yield session


DB = Annotated[Session, Depends(db_session)]


def optional_staff(request: Request, db: DB) -> StaffUser | None:
    s = settings_of(request)
    return auth.session_user(db, request.cookies.get(auth.COOKIE), secret(request), s.console_session_minutes)


def current_staff(request: Request, db: DB) -> StaffUser:
    user = optional_staff(request, db)
    if user is None:
        raise Denied(401, "unauthorized", "Anh chị cần đăng nhập để dùng trang quản trị.")
    request.state.staff = user
    return user


Staff = Annotated[StaffUser, Depends(current_staff)]


def require(role: str) -> Callable[[StaffUser], StaffUser]:
    def dep(user: Staff) -> StaffUser:
        if not auth.has_role(user, role):
            raise Denied(403, "forbidden", "Anh chị không có quyền thực hiện thao tác này.")
        return user

    return dep


Supervisor = Annotated[StaffUser, Depends(require("supervisor"))]
Admin = Annotated[StaffUser, Depends(require("admin"))]


async def form_data(request: Request) -> dict[str, str]:
    """The posted form after the CSRF check; oversized fields are refused with 413."""
    try:
        form = await request.form(max_files=0, max_fields=50, max_part_size=64 * 1024)
    except Exception as exc:  # noqa: BLE001 - malformed bodies are the client's problem
        raise Denied(400, "bad_request", "Biểu mẫu gửi lên không hợp lệ.") from exc
    try:
        await ConsoleCsrf().validate_csrf(request, secret_key=secret(request))
    except CsrfProtectError as exc:
        raise Denied(403, "csrf_failed", "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ, "
                                         "anh chị tải lại trang rồi thử lại.") from exc
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            raise Denied(400, "bad_request", "Biểu mẫu không nhận tệp đính kèm.")
        if len(value) > MAX_FORM_FIELD:
            raise Denied(413, "field_too_long", f"Nội dung trường {key[:40]} quá dài (tối đa {MAX_FORM_FIELD} ký tự).")
        values[key] = value
    return values


Form = Annotated[dict[str, str], Depends(form_data)]


def csrf_token(request: Request) -> tuple[str, str | None]:
    """(token for the forms, signed cookie to set or None when the browser's cookie is still good)."""
    key = secret(request)
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie:
        try:
            token = URLSafeTimedSerializer(key, salt="fastapi-csrf-token").loads(cookie, max_age=ConsoleCsrf._max_age)
            return token, None
        except BadData:
            pass
    token, signed = ConsoleCsrf().generate_csrf_tokens(key)
    return token, signed


def set_csrf_cookie(request: Request, response: Response, signed: str | None) -> None:
    if signed:
        response.set_cookie(CSRF_COOKIE, signed, max_age=ConsoleCsrf._max_age, path="/console", httponly=True,
                            samesite="strict", secure=is_https(request))


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    token, signed = csrf_token(request)
    ctx = {"user": getattr(request.state, "staff", None), "csrf": token, "role_labels": auth.ROLE_LABELS,
           "now": dt.datetime.now(dt.UTC), **context}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    set_csrf_cookie(request, response, signed)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; "
                                                   "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
    return response


def audit(db: Session, user: StaffUser | None, action: str, object_type: str, object_id: Any = None,
          detail: str | None = None) -> None:
    db.add(AuditEntry(staff_id=user.id if user else None, action=action, object_type=object_type,
                      object_id=None if object_id is None else str(object_id)[:64],
                      detail=(detail or None) and detail[:2000]))


def json_denied(status: int, error: str, detail: str) -> JSONResponse:
    return error_response(status, error, detail)


def outbound_of(request: Request):
    """The app's one :class:`gateway.outbound.Outbound` (None when the app has none)."""
    outbound = getattr(request.app.state, "outbound", None)
    if outbound is None:
        try:
            from gateway.deps import get_outbound

            outbound = get_outbound(request)
        except Exception:  # noqa: BLE001 - no outbound wired: messages stay fetchable from the store
            outbound = None
    return outbound


def deliver_later(request: Request, bg: BackgroundTasks, channel: str, session_id: str, text: str,
                  buttons: list[dict] | None) -> None:
    """Push a message through the channel's delivery after the response (it is stored already)."""
    from gateway.schemas import BotMessage, Button

    outbound = outbound_of(request)
    if outbound is None:
        return
    message = BotMessage(text=text, buttons=[Button(**b) for b in buttons] if buttons else None)
    bg.add_task(outbound.send, channel, session_id, [message])
