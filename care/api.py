"""``GET /api/v1/chat/{session_id}/messages``: what staff (or the system) said outside a bot turn."""

from __future__ import annotations

import json

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import select

from care.models import ConversationMessage
from dvcbot.errors import ERROR_RESPONSES
from gateway.deps import DbDep

router = APIRouter(prefix="/api/v1", tags=["chat"])


class OutMessage(BaseModel):
    id: int
    sender: str
    text: str
    buttons: list[dict] | None = None
    created_at: str


class OutMessages(BaseModel):
    session_id: str
    messages: list[OutMessage]
    last_id: int


@router.get("/chat/{session_id}/messages", response_model=OutMessages, responses=ERROR_RESPONSES,
            summary="Messages for the citizen sent outside a turn (staff replies, rating question)")
def messages_after(session_id: str = Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$"),
                   after: int = Query(0, ge=0, le=2**63 - 1, description="the last message id the client has"),
                   limit: int = Query(50, ge=1, le=200),
                   channel: str | None = Query(None, pattern=r"^(web|zalo|voice|api)$",
                                               description="only this channel's conversation"),
                   db: DbDep = None) -> OutMessages:
    rows = list(db.scalars(select(ConversationMessage).where(
        ConversationMessage.session_id == session_id, ConversationMessage.id > after,
        ConversationMessage.sender != "citizen",
        *([ConversationMessage.channel == channel] if channel else [])).order_by(ConversationMessage.id).limit(limit)))
    out = [OutMessage(id=m.id, sender=m.sender, text=m.text, buttons=json.loads(m.buttons) if m.buttons else None,
                      created_at=m.created_at.isoformat()) for m in rows]
    return OutMessages(session_id=session_id, messages=out, last_id=out[-1].id if out else after)
