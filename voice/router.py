"""Twilio's three entry points for the 1022 callbot.

- ``POST /voice/twilio/incoming`` — Twilio's voice webhook. Checks ``X-Twilio-Signature`` against
  the configured public URL (403 otherwise) and answers ``<Connect action=…/after><Stream url=
  wss://…/stream>`` with the call id, a hash of the caller's number and a stream token as parameters.
- ``WS /voice/twilio/stream`` — the Media Stream: the Pipecat pipeline of :mod:`voice.pipeline`.
- ``POST /voice/twilio/after`` — requested when the stream ends (and after a ``<Dial>``): dials the
  care centre or the agent the conversation chose, says a fallback when the dial failed.

The channel is off (503, and a warning at start) while ``DVCBOT_TWILIO_AUTH_TOKEN`` is not set.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, WebSocket
from fastapi.responses import Response
from starlette.requests import HTTPConnection
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from dvcbot.errors import ApiError
from dvcbot.settings import Settings, get_settings
from gateway.schemas import ChatResponse
from gateway.turns import TurnRequest, TurnService
from voice import menu
from voice.calls import caller_hash, safe_call_id, stream_token
from voice.pipeline import VoiceDelivery, VoiceRuntime, run_call

log = logging.getLogger("voice")

PREFIX = "/voice/twilio"
router = APIRouter(prefix=PREFIX, tags=["voice"])

#: how long Twilio rings a transfer target before giving up (seconds)
DIAL_TIMEOUT = 30
#: dial outcomes after which the caller hears the fallback
DIAL_FAILED = {"busy", "no-answer", "failed", "canceled"}


def voice_enabled(settings: Settings) -> bool:
    return bool(settings.twilio_auth_token)


if not voice_enabled(get_settings()):
    log.warning("voice channel disabled: DVCBOT_TWILIO_AUTH_TOKEN is not set (the /voice/twilio "
                "webhooks answer 503)")


def _settings(conn: HTTPConnection) -> Settings:
    return getattr(conn.app.state, "settings", None) or get_settings()


def get_voice_runtime(conn: HTTPConnection) -> VoiceRuntime:
    """The process's voice runtime (created on first use: the app factory is not ours to change)."""
    runtime = getattr(conn.app.state, "voice", None)
    if runtime is None:
        runtime = conn.app.state.voice = VoiceRuntime.from_settings(_settings(conn))
    outbound = getattr(conn.app.state, "outbound", None)
    if outbound is not None and "voice" not in outbound.channels():
        outbound.register("voice", VoiceDelivery(runtime))
    return runtime


def get_turn_service(conn: HTTPConnection) -> TurnService:
    """The gateway's one turn service (``gateway.deps`` takes a ``Request``; this serves WebSockets)."""
    return conn.app.state.turn_service


RuntimeDep = Annotated[VoiceRuntime, Depends(get_voice_runtime)]


def _public(settings: Settings, path: str, scheme: str = "http") -> str:
    base = settings.gateway_url.rstrip("/")
    if scheme == "ws":
        base = "wss://" + base.removeprefix("https://") if base.startswith("https://") else \
            "ws://" + base.removeprefix("http://")
    return f"{base}{PREFIX}{path}"


def _twiml(response: VoiceResponse) -> Response:
    return Response(content=str(response), media_type="application/xml")


async def _signed_form(request: Request, settings: Settings) -> dict[str, str]:
    """The webhook's form fields, after checking Twilio's signature over the public URL + fields."""
    if not voice_enabled(settings):
        raise ApiError(503, "voice_disabled", "Kênh gọi điện chưa được bật.")
    form = await request.form()
    params = {k: str(v) for k, v in form.items()}
    url = _public(settings, request.url.path.removeprefix(PREFIX))
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(settings.twilio_auth_token).validate(url, params, signature):
        log.warning("voice webhook %s refused: bad or missing X-Twilio-Signature", request.url.path)
        raise ApiError(403, "bad_signature", "Yêu cầu không có chữ ký hợp lệ của Twilio.")
    return params


def _say(response: VoiceResponse, text: str) -> None:
    response.say(text, language="vi-VN")


@router.post("/incoming", summary="Twilio voice webhook: answer a call with the callbot's stream")
async def incoming(request: Request, runtime: RuntimeDep) -> Response:
    settings = runtime.settings
    form = await _signed_form(request, settings)
    call_id = form.get("CallSid", "")
    if not safe_call_id(call_id):
        raise ApiError(400, "bad_call_sid", "Thiếu hoặc sai mã cuộc gọi (CallSid).")
    record = runtime.calls.get(call_id)
    if record is not None and record.ended is not None:
        log.warning("call %s: incoming webhook replayed after the call ended", call_id)
        raise ApiError(403, "replayed", "Cuộc gọi này đã kết thúc.")
    caller = caller_hash(form.get("From", ""), settings.twilio_auth_token)
    log.info("call %s: incoming (caller %s)", call_id, caller)
    response = VoiceResponse()
    connect = response.connect(action=_public(settings, "/after"))
    stream = connect.stream(url=_public(settings, "/stream", scheme="ws"))
    stream.parameter(name="call_id", value=call_id)
    stream.parameter(name="caller", value=caller)
    stream.parameter(name="token", value=stream_token(call_id, settings.twilio_auth_token))
    return _twiml(response)


@router.websocket("/stream")
async def stream(websocket: WebSocket, runtime: RuntimeDep) -> None:
    if not voice_enabled(runtime.settings):
        await websocket.close(code=1008, reason="voice channel disabled")
        return
    await websocket.accept()
    turns = get_turn_service(websocket)

    def send_turn_for(call_id: str):
        async def send(text: str, message_id: str) -> ChatResponse:
            return await turns.handle(TurnRequest(session_id=call_id, text=text, channel="voice",
                                                  message_id=message_id))
        return send

    await run_call(websocket, runtime, send_turn_for)


@router.post("/after", summary="Twilio <Connect action>: transfer, dial fallback, or hang up")
async def after(request: Request, runtime: RuntimeDep) -> Response:
    settings = runtime.settings
    form = await _signed_form(request, settings)
    call_id = form.get("CallSid", "")
    response = VoiceResponse()
    dial_status = form.get("DialCallStatus")
    if dial_status:  # Twilio is back from our <Dial>
        log.info("call %s: transfer ended (%s)", call_id, dial_status)
        if dial_status in DIAL_FAILED:
            _say(response, menu.DIAL_FAILED)
        response.hangup()
        return _twiml(response)
    record = runtime.calls.get(call_id) if safe_call_id(call_id) else None
    transfer = record.transfer if record else None
    if transfer is None:
        response.hangup()
        return _twiml(response)
    if transfer.kind == "care_centre" and not menu.within_working_hours(settings):
        _say(response, menu.out_of_hours_message(settings))
        response.hangup()
        return _twiml(response)
    log.info("call %s: dialling the %s", call_id, transfer.kind.replace("_", " "))
    dial = response.dial(action=_public(settings, "/after"), timeout=DIAL_TIMEOUT)
    dial.number(transfer.number)
    return _twiml(response)
