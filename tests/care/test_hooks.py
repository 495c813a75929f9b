import asyncio
import datetime as dt

from sqlalchemy import select, update

from care import handoff
from care.hooks import handoff_hook
from care.models import ConversationMessage, Handoff
from dvcbot.db import session_scope
from dvcbot.settings import Settings
from gateway.turns import TurnRequest

ALWAYS = dict(working_days="1,2,3,4,5,6,7", working_hours="00:00-23:59")
NEVER = dict(working_days="", working_hours="08:00-17:00")


def ask(settings, session_id="s1", text="còn ai không?"):
    req = TurnRequest(session_id=session_id, text=text, channel="web", message_id="m")
    return asyncio.run(handoff_hook(settings)(req, "m"))


def test_hook_holds_in_hours_tells_hotline_once_then_lets_the_bot_answer(care_db):
    s_in = Settings(database_url=care_db, care_handoff_wait_minutes=10, **ALWAYS)
    assert ask(s_in) is None  # no handoff: the dialogue answers
    with session_scope(care_db) as s:
        h, _ = handoff.open_handoff(s, "web", "s1", "request_human")
        hid = h.id
    held = ask(s_in)
    assert held.messages == [] and held.intent == "handoff"
    with session_scope(care_db) as s:  # nobody took it for 11 minutes
        s.execute(update(Handoff).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)))
    nobody = ask(s_in)
    assert "1022" in nobody.messages[0].text
    assert ask(s_in) is None  # told once; the bot helps meanwhile
    with session_scope(care_db) as s:
        s.execute(update(Handoff).where(Handoff.id == hid).values(status="taken"))
    assert ask(s_in).messages == []  # a person has it: the bot is silent
    with session_scope(care_db) as s:
        stored = list(s.scalars(select(ConversationMessage.text)))
    assert len(stored) == 4  # every message kept for the staff member


def test_out_of_hours_the_bot_keeps_answering(care_db):
    s_out = Settings(database_url=care_db, **NEVER)
    with session_scope(care_db) as s:
        handoff.open_handoff(s, "web", "s2", "fallback")
    assert ask(s_out, "s2") is None
    with session_scope(care_db) as s:
        assert s.scalar(select(ConversationMessage.text)) == "còn ai không?"


def test_thanks_while_waiting_for_a_person_is_thanked_by_the_bot(care_db):
    from care.hooks import only_thanks

    assert only_thanks("ok cam on ad") and only_thanks("dạ vâng cháu cảm ơn nhiều ạ") and only_thanks("tks")
    assert not only_thanks("cảm ơn, mà bao giờ mới có người trả lời") and not only_thanks("ok")
    s_in = Settings(database_url=care_db, care_handoff_wait_minutes=10, **ALWAYS)
    with session_scope(care_db) as s:
        h, _ = handoff.open_handoff(s, "web", "s3", "request_human")
        hid = h.id
    assert ask(s_in, "s3", "vâng em cảm ơn nhé") is None  # the dialogue thanks; kept for staff too
    assert ask(s_in, "s3").intent == "handoff"  # anything else still waits for the person
    with session_scope(care_db) as s:
        s.execute(update(Handoff).where(Handoff.id == hid).values(status="taken"))
    assert ask(s_in, "s3", "ok cảm ơn").messages == []  # a person has it: they answer the thanks
