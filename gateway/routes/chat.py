"""``POST /api/v1/chat``: one citizen message in, the assistant's replies out (the JSON channel)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from dvcbot.errors import ERROR_RESPONSES, ApiError, ErrorBody
from gateway.deps import RateLimiterDep, TurnServiceDep
from gateway.ratelimit import TOO_FAST
from gateway.schemas import ChatRequest, ChatResponse
from gateway.turns import TurnRequest

router = APIRouter(prefix="/api/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True,
             summary="Send one message to the assistant",
             responses={**ERROR_RESPONSES, 413: {"model": ErrorBody, "description": "body too large"},
                        429: {"model": ErrorBody, "description": "too many messages; try again shortly"}})
async def chat(body: ChatRequest, request: Request, turns: TurnServiceDep, limiter: RateLimiterDep) -> ChatResponse:
    client = request.client.host if request.client else None
    if not limiter.allow(f"{body.channel.value}:{body.session_id}", client):
        raise ApiError(429, "too_many_requests", TOO_FAST, headers={"Retry-After": "10"})
    return await turns.handle(TurnRequest(session_id=body.session_id, text=body.text, channel=body.channel.value,
                                          message_id=body.message_id, metadata=body.metadata.for_dialogue()))
