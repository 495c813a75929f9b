"""The widget's endpoints: ``/widget.js``, ``/ws/widget``, history, the HTTP fallback, the demo page.

The widget talks over ``/ws/widget?session_id=...`` (JSON frames, see :func:`widget_socket`) and
falls back to ``POST /api/v1/widget/chat`` when WebSockets are blocked. Both check the page's
origin and count every message against the per-session and per-IP limits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from channels.replies import LOCATION_TURN_TEXT, TOO_LONG
from channels.runtime import turn_service, turn_store
from channels.widget import staff_messages
from dvcbot.errors import ERROR_RESPONSES, ErrorBody, error_response
from gateway.ratelimit import TOO_FAST
from gateway.schemas import MAX_TEXT_CHARS, ChatRequest, Location
from gateway.turns import TurnRequest

log = logging.getLogger("channels.widget")
router = APIRouter(tags=["widget"])

STATIC = Path(__file__).resolve().parent / "static"
CHANNEL = "web"
SESSION_RE = re.compile(r"^[A-Za-z0-9_.:@-]{8,128}$")
#: a widget frame is one short message; anything bigger is refused
MAX_FRAME_CHARS = 8 * 1024


def _client_ip(conn: Request | WebSocket) -> str:
    return conn.client.host if conn.client else "unknown"


def _origin_ok(conn: Request | WebSocket) -> bool:
    policy = conn.app.state.widget_origins
    return policy.allows(conn.headers.get("origin"), conn.headers.get("host"), conn.url.scheme.replace("ws", "http"))


def _cors(request: Request, response: Response) -> Response:
    origin = request.headers.get("origin")
    if origin and _origin_ok(request):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    return response


def _forbidden_origin() -> JSONResponse:
    return error_response(403, "origin_not_allowed", "Trang web này không được phép dùng trợ lý trực tuyến.")


async def run_turn(app: Any, session_id: str, text: str, message_id: str | None,
                   location: dict[str, float] | None) -> dict[str, Any]:
    """One widget message through the turn service; the reply as sent to the widget."""
    metadata: dict[str, Any] = {}
    if location is not None:
        text, metadata = LOCATION_TURN_TEXT, {"location": location}
    response = await turn_service(app).handle(TurnRequest(
        session_id=session_id, text=text, channel=CHANNEL, message_id=message_id, metadata=metadata))
    return {"type": "reply", "reply_to": message_id,
            "messages": [m.model_dump(exclude_none=True) for m in response.messages],
            "degraded": bool(getattr(response, "degraded", False)), "busy": bool(getattr(response, "busy", False))}


def parse_message(data: Any, session_id: str) -> tuple[str, dict[str, float] | None, str | None] | str:
    """``(text, location, message_id)`` of a client frame, validated like the chat API's
    :class:`ChatRequest`; or the Vietnamese reason it is refused."""
    if not isinstance(data, dict):
        return "Tin nhắn không đúng định dạng."
    location = None
    text = data.get("text")
    if data.get("type") == "location":
        try:
            loc = Location(lat=data.get("lat"), lon=data.get("lon"))
        except ValidationError:
            return "Vị trí không hợp lệ."
        location, text = {"lat": loc.lat, "lon": loc.lon}, LOCATION_TURN_TEXT
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        return TOO_LONG
    try:
        req = ChatRequest(session_id=session_id, text=text if isinstance(text, str) else "",
                          channel="web", message_id=data.get("id"))
    except ValidationError as exc:
        problems = {".".join(map(str, e.get("loc", ()))) for e in exc.errors()}
        if "message_id" in problems:
            return "Mã tin nhắn không hợp lệ."
        return "Tin nhắn đang trống hoặc có ký tự không hợp lệ."
    return req.text, location, req.message_id


@router.get("/widget.js", include_in_schema=False)
async def widget_js() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/", include_in_schema=False)
async def demo_page() -> HTMLResponse:
    return HTMLResponse((STATIC / "demo.html").read_text(encoding="utf-8"))


@router.websocket("/ws/widget")
async def widget_socket(ws: WebSocket) -> None:
    """Frames from the widget: ``{"type": "message", "text", "id"}``, ``{"type": "location", "lat",
    "lon", "id"}``, ``{"type": "ping"}``. Frames to it: ``typing``, ``reply`` (with ``reply_to``),
    ``push`` (staff replies, the satisfaction question), ``error`` (``error`` key + Vietnamese
    ``detail``), ``pong``."""
    session_id = ws.query_params.get("session_id") or ""
    if not _origin_ok(ws):
        log.warning("widget socket refused: origin %s not allowed", (ws.headers.get("origin") or "")[:100])
        await ws.close(code=1008, reason="origin not allowed")
        return
    if not SESSION_RE.match(session_id):
        await ws.close(code=1008, reason="bad session id")
        return
    await ws.accept()
    hub = ws.app.state.widget_hub
    limiter = ws.app.state.rate_limiter
    ip = _client_ip(ws)
    hub.add(session_id, ws)
    try:
        while True:
            raw = await ws.receive_text()
            if len(raw) > MAX_FRAME_CHARS:
                await ws.send_json({"type": "error", "error": "too_large", "detail": TOO_LONG})
                continue
            try:
                data = json.loads(raw)
            except ValueError:
                await ws.send_json({"type": "error", "error": "invalid_json", "detail": "Tin nhắn không đúng định dạng."})
                continue
            if isinstance(data, dict) and data.get("type") == "ping":
                await ws.send_json({"type": "pong"})
                continue
            parsed = parse_message(data, session_id)
            if isinstance(parsed, str):
                await ws.send_json({"type": "error", "error": "invalid_message", "detail": parsed,
                                    "reply_to": data.get("id") if isinstance(data, dict) else None})
                continue
            text, location, message_id = parsed
            if not limiter.allow(f"{CHANNEL}:{session_id}", ip):
                await ws.send_json({"type": "error", "error": "too_many_requests", "detail": TOO_FAST,
                                    "reply_to": message_id})
                continue
            await ws.send_json({"type": "typing", "reply_to": message_id})
            try:
                reply = await run_turn(ws.app, session_id, text, message_id or uuid.uuid4().hex, location)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("widget turn failed for session %s", session_id)
                await ws.send_json({"type": "error", "error": "turn_failed", "reply_to": message_id,
                                    "detail": "Dạ, hệ thống đang bận, anh chị vui lòng thử lại sau ít phút."})
                continue
            await ws.send_json(reply)
    except WebSocketDisconnect:
        pass
    finally:
        hub.remove(session_id, ws)


class _WidgetFrame(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str = Field(pattern=SESSION_RE.pattern, description="the widget's session id (localStorage)")
    id: str | None = Field(default=None, pattern=SESSION_RE.pattern,
                           description="the widget's id of this message: a retry is answered once")


class WidgetText(_WidgetFrame):
    type: Literal["message"]
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, strict=True,
                      description="the question, or a button's payload")


class WidgetLocation(_WidgetFrame):
    type: Literal["location"]
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, strict=True)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, strict=True)


WidgetChat = Annotated[WidgetText | WidgetLocation, Field(discriminator="type")]


@router.options("/api/v1/widget/{path:path}", include_in_schema=False)
async def widget_preflight(request: Request) -> Response:
    if not _origin_ok(request):
        return _forbidden_origin()
    return _cors(request, Response(status_code=204))


#: error answers of the widget's HTTP endpoints (documented in the OpenAPI schema)
WIDGET_ERRORS = {**ERROR_RESPONSES, 403: {"model": ErrorBody, "description": "the page's origin may not use the widget"},
                 429: {"model": ErrorBody, "description": "too many messages; try again shortly"}}


@router.post("/api/v1/widget/chat", summary="The widget's HTTP fallback when WebSockets are blocked",
             responses=WIDGET_ERRORS)
async def widget_chat(body: WidgetChat, request: Request) -> Response:
    if not _origin_ok(request):
        return _forbidden_origin()
    parsed = parse_message(body.model_dump(), body.session_id)
    if isinstance(parsed, str):  # well-formed but nothing to answer (e.g. only invisible characters):
        # the same error frame the socket sends, shown to the citizen by the widget
        return _cors(request, JSONResponse({"type": "error", "error": "invalid_message", "detail": parsed,
                                            "reply_to": body.id}))
    text, location, message_id = parsed
    if not request.app.state.rate_limiter.allow(f"{CHANNEL}:{body.session_id}", _client_ip(request)):
        return _cors(request, error_response(429, "too_many_requests", TOO_FAST, headers={"Retry-After": "10"}))
    reply = await run_turn(request.app, body.session_id, text, message_id or uuid.uuid4().hex, location)
    return _cors(request, JSONResponse(reply))


@router.get("/api/v1/widget/history", responses=WIDGET_ERRORS,
            summary="The stored conversation of a widget: turns, and staff/system messages sent meanwhile")
async def widget_history(request: Request,
                         session_id: Annotated[str, Query(pattern=SESSION_RE.pattern)]) -> Response:
    """Items oldest first: ``user`` (``text``, ``id``), ``bot`` (``messages``) and ``staff``
    (``messages``, ``sender``, ``id`` of the stored care message, which a live ``push`` carries as
    ``care_id``) in the order they happened."""
    if not _origin_ok(request):
        return _forbidden_origin()
    rows = await asyncio.to_thread(turn_store(request.app).history, session_id, 50)
    timed: list[tuple[Any, int, dict[str, Any]]] = []
    for row in rows:
        if row.get("channel") != CHANNEL:
            continue
        at = staff_messages.as_utc(row.get("created_at"))
        if row.get("text") and row["text"] != LOCATION_TURN_TEXT and not row["text"].startswith("/"):
            timed.append((at, len(timed), {"role": "user", "text": row["text"], "id": row.get("message_id")}))
        elif row.get("text") == LOCATION_TURN_TEXT:
            timed.append((at, len(timed), {"role": "user", "text": "Vị trí của tôi", "id": row.get("message_id")}))
        if row.get("response"):
            try:
                messages = json.loads(row["response"]).get("messages") or []
            except (ValueError, AttributeError):
                messages = []
            timed.append((at, len(timed), {"role": "bot", "messages": messages}))
    staff = await asyncio.to_thread(staff_messages.recent, request.app.state.settings.db_url, session_id, 50)
    timed += [(item.pop("at"), len(timed) + i, item) for i, item in enumerate(staff)]
    items = [item for _at, _n, item in sorted(timed, key=lambda t: (t[0], t[1]))]
    return _cors(request, JSONResponse({"session_id": session_id, "items": items}))
