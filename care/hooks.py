"""The turn service's hook for handed-over conversations: the bot stays silent while a person helps.

Wiring (gateway/app.py)::

    from care.hooks import handoff_hook
    TurnService(settings, store, rasa, readiness, hooks=[handoff_hook(settings)])

While a staff member has the conversation ``channel:session_id`` (or, in working hours, is about to
take it) the citizen's message is stored for them (care console) instead of going to the dialogue
and the reply is empty. When nobody has taken it within ``care_handoff_wait_minutes`` the citizen is
told the hotline options once; from then on, and outside working hours, the message is still
stored for staff but the bot answers it too. A message that only thanks ("ok cảm ơn") is answered by
the bot while nobody has taken the conversation yet.
"""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool

from dvcbot.settings import Settings

#: the words of a message that only thanks ("ok cảm ơn", "dạ em cảm ơn ad nhiều ạ"), accent-folded;
#: "tks", "thanks" and "ty" fold to "cảm ơn", "ok" to "được", "ad" to "tổng đài viên"
_THANKS_ONLY = frozenset("cam on duoc oke okay da vang a nhe nha nhieu lam nhe ah em anh chi chau ban tong dai vien "
                         "minh toi xin rat".split())


def only_thanks(text: str) -> bool:
    """The message only thanks: said while waiting for a person, the bot's thanks answers it (a
    person who has taken the conversation answers it themselves)."""
    from dvcbot.textnorm import fold

    words = fold(text).split()
    return "cam on" in " ".join(words) and set(words) <= _THANKS_ONLY


def _check_and_store(settings: Settings, sender: str, text: str) -> str | None:
    """What to do with a message of ``sender``: None (no handoff open: the bot answers), "hold" (a
    person has it or will shortly: stored, no reply), "nobody" (nobody took it in time: stored, the
    hotline options once), "pass" (stored for staff, and the bot answers meanwhile)."""
    from sqlalchemy import select

    from care.db import ensure_tables
    from care.handoff import OPEN, in_working_hours
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
        if h.status == "taken":
            return "hold"
        if h.nobody_notified or not in_working_hours(settings=settings) or only_thanks(text):
            return "pass"  # out of hours the citizen was told so; the bot goes on helping meanwhile
        created = h.created_at if h.created_at.tzinfo else h.created_at.replace(tzinfo=dt.UTC)
        if utcnow() - created > dt.timedelta(minutes=settings.care_handoff_wait_minutes):
            h.nobody_notified = True
            return "nobody"
        return "hold"


def handoff_hook(settings: Settings):
    """A :data:`gateway.turns.TurnHook` answering instead of the dialogue during a handoff."""
    from care.handoff import NOBODY_TEXT
    from gateway.schemas import BotMessage, ChatResponse

    async def hook(req, message_id: str) -> ChatResponse | None:
        state = await run_in_threadpool(_check_and_store, settings, req.sender, req.text)
        if state in (None, "pass"):
            return None
        messages = [BotMessage(text=NOBODY_TEXT)] if state == "nobody" else []
        return ChatResponse(session_id=req.session_id, message_id=message_id, messages=messages,
                            intent="handoff")

    return hook


def _take_comment(settings: Settings, channel: str, session_id: str, text: str) -> str | None:
    from care.db import ensure_tables
    from care.ratings import take_comment
    from dvcbot.db import session_scope

    ensure_tables(settings.db_url)
    with session_scope(settings.db_url) as session:
        return take_comment(session, channel, session_id, text)


def rating_comment_hook(settings: Settings):
    """A :data:`gateway.turns.TurnHook`: the message right after the bot asked for the comment of a
    low rating (``action_rate_service``) is stored as that comment and thanked, not sent to the dialogue."""
    from gateway.schemas import BotMessage, ChatResponse

    async def hook(req, message_id: str) -> ChatResponse | None:
        reply = await run_in_threadpool(_take_comment, settings, req.channel, req.session_id, req.text)
        if reply is None:
            return None
        return ChatResponse(session_id=req.session_id, message_id=message_id, messages=[BotMessage(text=reply)],
                            intent="rating_comment")

    return hook
