"""``POST /api/v1/chat``: one citizen message in, the assistant's replies out."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from dvcbot.logs import mask_pii
from gateway.rasa_client import BackendDown, RasaClient
from gateway.replies import APOLOGY, STILL_PROCESSING
from gateway.schemas import BotMessage, ChatRequest, ChatResponse
from gateway.store import TurnStore

log = logging.getLogger("gateway.chat")
router = APIRouter(prefix="/api/v1", tags=["chat"])


def _to_messages(raw: list[dict]) -> list[BotMessage]:
    messages = []
    for m in raw:
        if not (m.get("text") or m.get("buttons") or m.get("custom")):
            continue
        messages.append(BotMessage(text=m.get("text") or "", buttons=m.get("buttons") or None,
                                   custom=m.get("custom")))
    return messages


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True,
             summary="Send one message to the assistant")
async def chat(body: ChatRequest, request: Request) -> ChatResponse:
    store: TurnStore = request.app.state.turns
    rasa: RasaClient = request.app.state.rasa
    claim = await run_in_threadpool(store.claim, body.session_id, body.message_id, body.channel.value, body.text)
    if not claim.fresh:
        if claim.response is None:
            return ChatResponse(session_id=body.session_id, message_id=claim.message_id,
                                messages=[BotMessage(text=STILL_PROCESSING)], replayed=True)
        return ChatResponse(**{**claim.response, "replayed": True})

    sender = f"{body.channel.value}:{body.session_id}"
    start = time.perf_counter()
    metadata = {**body.metadata, "channel": body.channel.value, "message_id": claim.message_id}
    try:
        readiness = await request.app.state.readiness.get()
        if not readiness.ready and not (readiness := await request.app.state.readiness.get(fresh=True)).ready:
            down = ", ".join(name for name, c in readiness.components.items() if not c.ok)
            raise BackendDown(f"not ready: {down}")
        raw = await rasa.send(sender, body.text, metadata)
        intent, confidence = await rasa.latest_intent(sender)
        # the cached readiness may be up to a few seconds old: a reply without an understood intent
        # is checked against a fresh probe, so a part that just went down gives the apology
        if (not raw or not intent) and not (await request.app.state.readiness.get(fresh=True)).ready:
            raise BackendDown("a part went down during the turn")
        response = ChatResponse(session_id=body.session_id, message_id=claim.message_id,
                                messages=_to_messages(raw), intent=intent, confidence=confidence)
        ok = True
    except BackendDown as exc:
        log.warning("session %s: back end down (%s)", body.session_id, exc)
        response = ChatResponse(session_id=body.session_id, message_id=claim.message_id,
                                messages=[BotMessage(text=APOLOGY)], degraded=True)
        ok = False
    await run_in_threadpool(store.finish, body.session_id, claim.message_id,
                            response.model_dump(exclude_none=True), response.intent, response.confidence, ok)
    log.info("turn %s/%s channel=%s intent=%s conf=%s %.0f ms text=%r", body.session_id, claim.message_id,
             body.channel.value, response.intent, response.confidence, (time.perf_counter() - start) * 1000,
             mask_pii(body.text[:200]))
    return response
