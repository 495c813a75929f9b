"""Sign-in and sign-out pages, and the vendored static files."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from care import auth
from care.console.common import (
    DB,
    HERE,
    ConsoleRoute,
    Denied,
    Form,
    audit,
    is_https,
    optional_staff,
    page,
    secret,
)

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
STATIC = HERE / "static"


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    target = (STATIC / path).resolve()
    if STATIC.resolve() not in target.parents or not target.is_file():
        raise Denied(404, "not_found", "Không tìm thấy tệp.")
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/login")
def login_page(request: Request, db: DB) -> Response:
    if optional_staff(request, db) is not None:
        return RedirectResponse("/console/tickets", status_code=303)
    return page(request, "login.html", {"error": None})


@router.post("/login")
def login(request: Request, db: DB, form: Form) -> Response:
    username = form.get("username", "")[:64]
    try:
        user = auth.authenticate(db, username, form.get("password", "")[:1024], request.app.state.settings)
    except auth.AuthError as exc:
        audit(db, None, "login_locked" if exc.locked else "login_failed", "staff", username)
        db.commit()  # keep the failure count even though the answer is an error page
        msg = ("Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Anh chị thử lại sau ít phút."
               if exc.locked else "Tên đăng nhập hoặc mật khẩu không đúng.")
        return page(request, "login.html", {"error": msg, "username": username}, status_code=401)
    s = request.app.state.settings
    cookie = auth.start_session(db, user, secret(request), s.console_session_minutes)
    audit(db, user, "login", "staff", user.id)
    response = RedirectResponse("/console/tickets", status_code=303)
    response.set_cookie(auth.COOKIE, cookie, max_age=s.console_session_minutes * 60, path="/console",
                        httponly=True, samesite="strict", secure=is_https(request))
    db.commit()  # committed before the browser follows the redirect
    return response


@router.post("/logout")
def logout(request: Request, db: DB, form: Form) -> Response:
    auth.end_session(db, request.cookies.get(auth.COOKIE), secret(request))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(auth.COOKIE, path="/console")
    db.commit()  # committed before the browser follows the redirect
    return response


@router.get("")
@router.get("/")
def home() -> Response:
    return RedirectResponse("/console/tickets", status_code=303)
