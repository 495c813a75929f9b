"""``GET /api/v1/chat/{session_id}/messages``: what staff (or the system) said outside a bot turn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from care.models import ConversationMessage
from dvcbot.db import session_factory
from dvcbot.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["chat"])


def db_session(request: Request) -> Iterator[Session]:
    """A session on the app's database (committed on success)."""
    from care.db import ensure_tables

    url = request.app.state.settings.db_url
    ensure_tables(url)
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


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
                   after: int = Query(0, ge=0, description="the last message id the client has"),
                   limit: int = Query(50, ge=1, le=200),
                   channel: str | None = Query(None, pattern=r"^(web|zalo|voice|api)$",
                                               description="only this channel's conversation"),
                   db: Annotated[Session, Depends(db_session)] = None) -> OutMessages:
    rows = list(db.scalars(select(ConversationMessage).where(
        ConversationMessage.session_id == session_id, ConversationMessage.id > after,
        ConversationMessage.sender != "citizen",
        *([ConversationMessage.channel == channel] if channel else [])).order_by(ConversationMessage.id).limit(limit)))
    out = [OutMessage(id=m.id, sender=m.sender, text=m.text, buttons=json.loads(m.buttons) if m.buttons else None,
                      created_at=m.created_at.isoformat()) for m in rows]
    return OutMessages(session_id=session_id, messages=out, last_id=out[-1].id if out else after)
