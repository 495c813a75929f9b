"""The turn service's hook for handed-over conversations: the bot stays silent while a person helps.

Wiring (gateway/app.py)::

    from care.hooks import handoff_hook
    TurnService(settings, store, rasa, readiness, hooks=[handoff_hook(settings)])

While a handoff is open for ``channel:session_id`` the citizen's message is stored for the staff
member (care console) instead of going to the dialogue; the reply is empty, or, when nobody has
taken the conversation within ``care_handoff_wait_minutes``, the hotline options.
"""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool

from dvcbot.settings import Settings


def _check_and_store(settings: Settings, sender: str, text: str) -> str | None:
    """None when no handoff is open; else the state ("waiting", "taken" or "overdue")."""
    from sqlalchemy import select

    from care.db import ensure_tables
    from care.handoff import OPEN
    from care.models import ConversationMessage, Handoff, utcnow
    from dvcbot.db import session_scope

    url = settings.db_url
    ensure_tables(url)
    with session_scope(url) as session:
        h = session.scalar(select(Handoff).where(Handoff.session_key == sender, Handoff.status.in_(OPEN))
                           .order_by(Handoff.id.desc()).limit(1))
        if h is None:
            return None
        session.add(ConversationMessage(channel=h.channel, session_id=h.session_id, sender="citizen",
                                        text=text[:4000], handoff_id=h.id))
        created = h.created_at if h.created_at.tzinfo else h.created_at.replace(tzinfo=dt.UTC)
        if h.status == "waiting" and utcnow() - created > dt.timedelta(minutes=settings.care_handoff_wait_minutes):
            return "overdue"
        return h.status


def handoff_hook(settings: Settings):
    """A :data:`gateway.turns.TurnHook` answering instead of the dialogue during a handoff."""
    from care.handoff import NOBODY_TEXT
    from gateway.schemas import BotMessage, ChatResponse

    async def hook(req, message_id: str) -> ChatResponse | None:
        state = await run_in_threadpool(_check_and_store, settings, req.sender, req.text)
        if state is None:
            return None
        messages = [BotMessage(text=NOBODY_TEXT)] if state == "overdue" else []
        return ChatResponse(session_id=req.session_id, message_id=message_id, messages=messages,
                            intent="handoff")

    return hook
