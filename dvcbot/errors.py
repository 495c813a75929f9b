"""The one error shape of every dvcbot JSON API (gateway, routing, NLU service, channels).

Every 4xx/5xx body is ``{"error": "<english_key>", "detail": "<Vietnamese sentence>"}``; a 422
adds ``"fields": [{"field": "a.b", "message": "...", "type": "..."}]``. Clients switch on
``error`` (stable, English, snake_case) and show ``detail`` to people.

Use :func:`error_response` to answer with it, raise :class:`ApiError` from anywhere below a route,
and call :func:`install_error_handlers` once on each FastAPI app.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error answer (documented in the OpenAPI schema of each app)."""

    error: str
    detail: str
    fields: list[FieldError] | None = None


class ApiError(Exception):
    """An error a route wants the client to see, with its status, key and Vietnamese detail."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers


def error_response(status: int, error: str, detail: str, fields: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": error, "detail": detail}
    if fields is not None:
        body["fields"] = fields
    return JSONResponse(body, status_code=status, headers=headers)


#: generic keys and Vietnamese details for plain HTTP errors raised by the framework
_HTTP_DETAILS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Anh chị cần đăng nhập."),
    403: ("forbidden", "Anh chị không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy nội dung yêu cầu."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này."),
    413: ("payload_too_large", "Nội dung gửi lên quá lớn."),
    415: ("unsupported_media_type", "Định dạng nội dung không được hỗ trợ."),
    429: ("too_many_requests", "Anh chị gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút."),
}


def validation_fields(exc: RequestValidationError) -> list[dict[str, Any]]:
    fields = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")) or "body"
        fields.append({"field": where, "message": str(e.get("msg", "invalid")).removeprefix("Value error, "),
                       "type": str(e.get("type", "invalid"))})
    return fields


def validation_response(exc: RequestValidationError) -> JSONResponse:
    """422 with the field errors (400 when the body is not JSON at all)."""
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return error_response(400, "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ.")
    fields = validation_fields(exc)
    where = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return error_response(422, "invalid_request", f"Dữ liệu gửi lên không hợp lệ ({where}).", fields)


async def _on_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    return validation_response(exc)


async def _on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.error, exc.detail, headers=exc.headers)


async def _on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    key, detail = _HTTP_DETAILS.get(exc.status_code, ("http_error", "Yêu cầu không thực hiện được."))
    if isinstance(exc.detail, str) and exc.detail and exc.detail not in ("Not Found", "Method Not Allowed"):
        detail = exc.detail
    return error_response(exc.status_code, key, detail, headers=getattr(exc, "headers", None))


#: add to a route's ``responses=`` so the OpenAPI schema documents the error body
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "bad request"},
    422: {"model": ErrorBody, "description": "invalid input; `fields` says which"},
}


def install_error_handlers(app: FastAPI) -> None:
    """Every error of ``app`` answered in the one shape."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http)
