"""Deciding functions of session 12 (places, the Hanoi structure, vague openings): a ward named with
"nộp ở đâu" is a place question; "hỏi cái này với ạ" is an opening; "thế quận không làm nữa à" gets
the Hanoi note (no districts since 1/7/2025) and where the current procedure is done now."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import answer_district_question
from knowledge_base.hanoi import asks_about_districts
from nlu.request import asks_to_ask, asks_where_in_place


@pytest.mark.parametrize(
    ("intent", "aspect", "moved"),
    [
        ("ask_procedure", "where", True),  # "xã Tân Lập Đan Phượng giờ nộp giấy tờ ở đâu"
        ("ask_online_submission", "where", True),
        ("nlu_fallback", "where", True),
        ("ask_procedure", "fee", False),  # "ở phường Láng lệ phí bao nhiêu": not a place search
        ("ask_procedure", None, False),
        ("file_complaint", "where", False),
        ("ask_contact", "where", False),
    ],
)
def test_a_ward_with_where_to_go_is_a_place_question(intent: str, aspect: str | None, moved: bool) -> None:
    assert asks_where_in_place(intent, aspect, "  bây giờ nộp giấy tờ ở đâu") is moved


@pytest.mark.parametrize(
    ("rest", "moved"),
    [
        ("nhà tôi ở  , giờ muốn làm giấy tờ thì lên chỗ nào hả cháu", True),
        ("o   thi lam thu tuc o dau", True),
        # what is to be done is named: a procedure question, even without a sure procedure entity
        ("tôi ở   cũ, giờ đăng ký thường trú cho vợ về nhà chồng thì nộp ở đâu", False),
        ("  làm hộ chiếu ở đâu", False),
    ],
)
def test_only_general_filing_words_besides_the_place(rest: str, moved: bool) -> None:
    assert asks_where_in_place("ask_procedure", "where", rest) is moved


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ("cho mình hỏi chút", True),
        ("e hỏi tí đc ko", True),
        ("bác muốn hỏi việc này", True),
        ("xin hỏi ạ", True),
        ("ad ơi cho em hỏi xíu", True),
        ("toi can hoi viec", True),
        # an amount of errands, papers in general, or a plea for help naming no person: still an opening
        ("em có vài việc muốn hỏi", True),
        ("cho bác hỏi mấy cái về thủ tục", True),
        ("toi muon hoi ve giay to", True),
        ("hỗ trợ mình với", True),
        ("mình cần tư vấn chút", True),
        ("ad oi giup e vs", True),
        # a topic, a person or a procedure named: not a bare opening
        ("cho hỏi làm căn cước ở đâu", False),
        ("tôi muốn hỏi người thật", False),
        ("cho hỏi giờ làm việc", False),
        ("cảm ơn nhé", False),
        ("nhờ cán bộ giúp", False),  # a person asked for
        ("cần người hỗ trợ", False),
        ("có ai giúp tôi không", False),
        ("hỏi về hồ sơ đất", False),  # a topic named beside the general word
        ("hướng dẫn giúp tôi làm hộ chiếu", False),
    ],
)
def test_a_wish_to_ask_that_names_nothing_is_an_opening(text: str, opening: bool) -> None:
    assert asks_to_ask(text) is opening


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("vậy giờ không lên huyện nữa hả", True),
        ("ủa bây giờ hết quận rồi à", True),
        ("giờ còn quận huyện không", True),
        ("thi tran bi bo roi a", True),
        # a longer message counts by its last clause
        ("ngày trước bác toàn lên ủy ban huyện làm giấy tờ đất, nay không còn huyện nữa à", True),
        ("nhà tôi ở huyện Gia Lâm cũ, muốn làm sổ đỏ cho mảnh đất của bố mẹ thì làm thế nào", False),
        # the word only folds like the level, or the level is not asked about
        ("làm cho con ở quận nào", False),
        ("cơ quan nào cấp nữa", False),
        ("hết hạn thì làm lại ở huyện à", False),
        ("mấy ngày nữa thì có", False),
    ],
)
def test_a_question_whether_the_district_level_still_works(text: str, asked: bool) -> None:
    assert asks_about_districts(text) is asked


def _say(text: str, code: str | None) -> str | None:
    latest = {"text": text, "intent": {"name": "ask_procedure", "confidence": 0.9}, "entities": []}
    d = CollectingDispatcher()
    events = answer_district_question(d, latest, code)
    if events is None:
        return None
    return "\n".join(m.get("text") or "" for m in d.messages)


def test_the_district_question_gets_the_note_and_where_the_procedure_is_done_now() -> None:
    reply = _say("vậy giờ không lên huyện nữa hả", "1.004873")
    assert reply is not None and "1/7/2025" in reply and "1.004873" in reply and "xã, phường" in reply
    alone = _say("giờ hết quận rồi à", None)
    assert alone is not None and "1/7/2025" in alone
    assert _say("mất bao lâu", "1.004873") is None


def test_the_district_question_is_answered_after_a_procedure_in_the_conversation() -> None:
    from actions.fallback import ActionFallback

    latest = {"text": "thế huyện không làm nữa à", "intent": {"name": "nlu_fallback", "confidence": 0.3},
              "entities": []}
    t = Tracker("u", {"procedure": "1.001193"}, latest,
                [{"event": "user", "text": latest["text"], "parse_data": latest}], False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionFallback().run(d, t, {}))
    text = "\n".join(m.get("text") or "" for m in d.messages)
    assert "1/7/2025" in text
