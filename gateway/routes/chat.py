"""``POST /api/v1/chat``: one citizen message in, the assistant's replies out (the JSON channel)."""

from __future__ import annotations

from fastapi import APIRouter

from dvcbot.errors import ERROR_RESPONSES
from gateway.deps import TurnServiceDep
from gateway.schemas import ChatRequest, ChatResponse
from gateway.turns import TurnRequest

router = APIRouter(prefix="/api/v1", tags=["chat"])


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True,
             summary="Send one message to the assistant", responses=ERROR_RESPONSES)
async def chat(body: ChatRequest, turns: TurnServiceDep) -> ChatResponse:
    return await turns.handle(TurnRequest(session_id=body.session_id, text=body.text, channel=body.channel.value,
                                          message_id=body.message_id, metadata=body.metadata))
