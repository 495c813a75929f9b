"""``POST /webhooks/zalo``: verify, store, acknowledge; answering happens in the background."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.zalo import signature
from dvcbot.errors import ErrorBody, error_response

log = logging.getLogger("channels.zalo.webhook")
router = APIRouter(tags=["zalo"])

#: the part of a Zalo event the webhook relies on (the raw body is read: the signature covers it)
EVENT_SCHEMA = {
    "type": "object", "required": ["event_name", "timestamp"],
    "properties": {"app_id": {"type": "string"}, "event_name": {"type": "string"},
                   "timestamp": {"type": "string", "description": "milliseconds since 1970, signed"},
                   "sender": {"type": "object", "properties": {"id": {"type": "string"}}},
                   "message": {"type": "object", "properties": {"msg_id": {"type": "string"},
                                                                "text": {"type": "string"}}}},
}

#: a Zalo event is a few kilobytes; anything much bigger is refused before it is read whole
MAX_BODY_BYTES = 64 * 1024


async def _read_capped(request: Request, limit: int) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/webhooks/zalo", summary="Events of the Zalo Official Account (signed by Zalo)",
             responses={400: {"model": ErrorBody, "description": "not a JSON event (or not UTF-8)"},
                        401: {"model": ErrorBody, "description": "bad or missing signature, or a stale event"},
                        404: {"model": ErrorBody, "description": "the Zalo channel is not configured"},
                        413: {"model": ErrorBody, "description": "body too large"},
                        503: {"model": ErrorBody, "description": "the event could not be stored; send it again"}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": EVENT_SCHEMA}}}})
async def zalo_webhook(request: Request) -> JSONResponse:
    channel = getattr(request.app.state, "zalo", None)
    if channel is None:  # mounted without the channel started (only when wired by hand)
        return error_response(404, "zalo_disabled", "Kênh Zalo chưa được cấu hình trên máy chủ này.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return error_response(413, "payload_too_large", "Nội dung gửi lên quá lớn.")
    raw = await _read_capped(request, MAX_BODY_BYTES)
    if raw is None:
        return error_response(413, "payload_too_large", "Nội dung gửi lên quá lớn.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return error_response(400, "invalid_encoding", "Nội dung gửi lên không phải văn bản UTF-8 hợp lệ.")
    try:
        event = json.loads(text)
    except ValueError:
        return error_response(400, "invalid_json", "Nội dung gửi lên không phải JSON hợp lệ.")
    if not isinstance(event, dict) or not isinstance(event.get("event_name"), str):
        return error_response(400, "invalid_event", "Sự kiện Zalo thiếu trường event_name.")
    settings = channel.settings
    timestamp = str(event.get("timestamp", ""))
    client_ip = request.client.host if request.client else "?"
    if not signature.verify(request.headers.get("x-zevent-signature"), settings.zalo_app_id, raw, timestamp,
                            settings.zalo_oa_secret_key):
        log.warning("zalo webhook: bad or missing signature from %s (event %s)", client_ip,
                    event["event_name"][:64])
        return error_response(401, "bad_signature", "Chữ ký X-ZEvent-Signature không hợp lệ.")
    if not signature.fresh(timestamp, settings.zalo_signature_window_s):
        log.warning("zalo webhook: stale event from %s (timestamp %s)", client_ip, timestamp[:20])
        return error_response(401, "stale_event", "Sự kiện đã quá cũ, không được xử lý lại.")
    try:
        new = await channel.accept(event, raw)
    except Exception as exc:  # not stored, so not acknowledged: Zalo sends it again
        log.error("zalo webhook: event not stored (%s: %s)", type(exc).__name__, exc)
        return error_response(503, "inbox_unavailable", "Chưa lưu được sự kiện, vui lòng gửi lại sau.")
    return JSONResponse({"ok": True, "duplicate": not new})
