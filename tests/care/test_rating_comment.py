"""After a low rating without a comment the bot asks once, and the next message is that comment."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select, update

from care import ratings
from care.hooks import rating_comment_hook
from care.models import Rating
from dvcbot.db import session_scope
from dvcbot.settings import Settings
from gateway.turns import TurnRequest


@pytest.mark.parametrize(("score", "comment", "ask"), [
    (1, None, True), (2, "", True), (2, "  ", True), (2, "chờ quá lâu mà không ai trả lời", False),
    (3, None, False), (4, None, False), (5, None, False)])
def test_asks_for_comment_only_for_a_low_rating_without_one(score, comment, ask):
    assert ratings.asks_for_comment(score, comment) is ask


@pytest.mark.parametrize(("text", "comment"), [
    ("không", None), ("Không ạ", None), ("ko", None), ("thôi", None), ("khong co.", None), ("", None),
    ("Cán bộ trả lời chậm", "Cán bộ trả lời chậm"), ("không ai nghe máy", "không ai nghe máy")])
def test_comment_of_the_answer(text, comment):
    assert ratings.comment_of(text) == comment


def say(settings, text, session_id="s1"):
    req = TurnRequest(session_id=session_id, text=text, channel="web", message_id="m")
    return asyncio.run(rating_comment_hook(settings)(req, "m"))


def test_next_message_is_stored_as_the_comment_once(care_db):
    st = Settings(database_url=care_db)
    assert say(st, "xin chào") is None  # no rating: the dialogue answers
    with session_scope(care_db) as s:
        ratings.record(s, 2, "web", "s1", comment_asked=True)
        ratings.record(s, 1, "web", "other", comment_asked=True)
    got = say(st, "Phải chờ quá lâu mới có người trả lời")
    assert got.intent == "rating_comment" and got.messages[0].text == ratings.COMMENT_THANKS
    assert say(st, "lệ phí hộ chiếu bao nhiêu?") is None  # asked once only: the dialogue answers again
    with session_scope(care_db) as s:
        mine = s.scalar(select(Rating).where(Rating.session_id == "s1"))
        assert (mine.comment, mine.comment_asked) == ("Phải chờ quá lâu mới có người trả lời", False)
        other = s.scalar(select(Rating).where(Rating.session_id == "other"))
        assert (other.comment, other.comment_asked) == (None, True)  # another conversation is untouched


def test_declined_or_stale_question_stores_nothing(care_db):
    st = Settings(database_url=care_db)
    with session_scope(care_db) as s:
        ratings.record(s, 1, "web", "s1", comment_asked=True)
    assert say(st, "không ạ").messages[0].text == ratings.DECLINED_THANKS
    with session_scope(care_db) as s:
        ratings.record(s, 2, "web", "s2", comment_asked=True)
        s.execute(update(Rating).where(Rating.session_id == "s2")
                  .values(created_at=dt.datetime.now(dt.UTC) - ratings.COMMENT_WAIT - dt.timedelta(minutes=1)))
    assert say(st, "thủ tục cấp đổi căn cước", session_id="s2") is None  # too late: a new topic
    with session_scope(care_db) as s:
        assert [(r.comment, r.comment_asked) for r in s.scalars(select(Rating).order_by(Rating.id))] == [
            (None, False), (None, False)]
