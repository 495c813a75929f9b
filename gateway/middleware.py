"""ASGI middleware of the gateway: a request body limit and security headers on every answer.

Pure ASGI (not ``BaseHTTPMiddleware``) so that a WebSocket or a streamed body passes untouched and
an oversized body is refused before it is read into memory.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dvcbot.errors import _HTTP_DETAILS


async def _send_error(send: Send, status: int, detail: str | None = None) -> None:
    key, default = _HTTP_DETAILS[status]
    body = json.dumps({"error": key, "detail": detail or default}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 in the one error shape for a body over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"Nội dung gửi lên quá lớn (tối đa {self.max_bytes // 1024} KB)."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_bytes
                except ValueError:
                    too_large = False
                if too_large:
                    await _send_error(send, 413, detail)
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, detail)


class SecurityHeadersMiddleware:
    """``nosniff`` and a referrer policy on every answer; a CSP and frame options on HTML pages.

    ``img_hosts``: extra image origins for the CSP (an operator's map tile server).
    """

    def __init__(self, app: ASGIApp, img_hosts: tuple[str, ...] = ()) -> None:
        self.app = app
        extra = " ".join(img_hosts)
        self.csp = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    f"img-src 'self' data: blob: {extra}".rstrip() + "; connect-src 'self' ws: wss:; "
                    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                    "frame-ancestors 'none'").encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {n.lower() for n, _ in headers}
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                add = [(b"x-content-type-options", b"nosniff"),
                       (b"referrer-policy", b"strict-origin-when-cross-origin")]
                if content_type.startswith(b"text/html"):
                    add += [(b"content-security-policy", self.csp), (b"x-frame-options", b"DENY")]
                headers += [(n, v) for n, v in add if n not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL template (for the CSP), or None when it has none."""
    parts = urlsplit(url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
