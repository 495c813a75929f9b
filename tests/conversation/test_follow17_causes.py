"""Follow-ups of session 17 (follow17): a time question for a record whose time cells give no usable time
gets the one time its steps count from the dossier's receipt, else a plain "no number of days" with whom to
ask; a household business's stop or pause said with an everyday verb ("dừng bán", "thôi bán", "ngừng kinh
doanh") after its registration moves to its sibling procedure.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from actions.topic_terms import term_beside_topic
from knowledge_base.aspect_writers import time_text
from knowledge_base.catalogue import load_catalogue
from knowledge_base.record_time import missing_time_text, step_time, whom_to_ask

TODAY = dt.date(2026, 11, 30)
HOUSEHOLD_BUSINESS = "1.001612"
PAUSE = "1.001570"
CLOSE = "1.001266"


def test_a_record_without_time_reads_the_time_its_steps_count_from_receipt() -> None:
    proc = load_catalogue()[HOUSEHOLD_BUSINESS]
    assert step_time(proc) == "3 ngày làm việc kể từ ngày nhận hồ sơ"
    text = time_text(proc, TODAY)
    assert "3 ngày làm việc" in text and "các bước" in text


def test_a_time_to_add_papers_or_one_not_counted_from_receipt_is_not_the_processing_time() -> None:
    proc = load_catalogue()[HOUSEHOLD_BUSINESS]
    asked_more = replace(proc, steps=("Trường hợp hồ sơ cần bổ sung, trong thời hạn 02 ngày làm việc kể từ ngày "
                                      "nhận hồ sơ, cơ quan thông báo cho người nộp.",))
    assert step_time(asked_more) is None
    photo = replace(proc, steps=("Nộp 02 ảnh chụp trong vòng 06 tháng.",))
    assert step_time(photo) is None
    two = replace(proc, steps=("Cấp giấy trong thời hạn 3 ngày kể từ ngày nhận hồ sơ.",
                               "Cấp lại trong thời hạn 5 ngày kể từ ngày nhận hồ sơ hợp lệ."))
    assert step_time(two) is None  # which one is the processing time cannot be told


def test_no_time_anywhere_says_plainly_no_number_of_days_and_whom_to_ask() -> None:
    proc = replace(load_catalogue()[HOUSEHOLD_BUSINESS], steps=(), agency="Ủy ban nhân dân xã, phường.")
    text = missing_time_text(proc)
    assert "bao nhiêu ngày" in text and "Ủy ban nhân dân xã, phường" in text
    assert whom_to_ask(replace(proc, agency="", executing_agency="")) == "nơi nộp hồ sơ"


def test_a_unitless_time_the_steps_do_not_explain_is_about_that_many_days_with_whom_to_ask() -> None:
    cat = load_catalogue()
    text = time_text(cat["1.000689"], TODAY)  # birth registration with paternity: the record says "3", no unit
    assert "khoảng 3 ngày" in text and "không nói rõ" in text and "Ủy ban Nhân dân xã" in text
    one = time_text(cat["1.000894"], TODAY)  # "1": often a same-day service whose words were lost, not read out
    assert "bao nhiêu ngày" in one and "1 ngày" not in one


@pytest.mark.parametrize(("text", "code"), [
    ("sau nay dung ban mot thoi gian thi co can bao khong", PAUSE),
    ("nếu tạm dừng bán vài tháng thì có phải khai báo gì không", PAUSE),
    ("ngừng kinh doanh thì phải làm sao", PAUSE),
    ("bác già rồi, mai mốt thôi bán thì có phải đi báo không", CLOSE),
    ("thoi kinh doanh luon thi lam gi", CLOSE),
])
def test_stopping_a_shop_with_an_everyday_verb_moves_to_its_sibling(text: str, code: str) -> None:
    name = load_catalogue()[HOUSEHOLD_BUSINESS].name
    assert term_beside_topic(text, name) == code


def test_stopping_words_without_a_shop_name_no_procedure() -> None:
    assert term_beside_topic("dừng bán thì sao", "Đăng ký khai sinh") is None
    assert term_beside_topic("công ty tôi ngừng kinh doanh", "Đăng ký thành lập hộ kinh doanh") is None


def test_a_sibling_asked_in_a_few_words_is_answered_and_reported_as_a_procedure_question() -> None:
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.fallback import ActionFallback

    text = "sau nay ma thoi ban thi co phai bao ai khong"
    latest = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": [],
              "procedure_candidates": [], "metadata": {}}
    earlier = "Thủ tục Đăng ký thành lập hộ kinh doanh (mã 1.001612). Lệ phí: 50.000 đồng."
    events = [{"event": "user", "text": "dang ky ho kinh doanh o dau", "parse_data": {}},
              {"event": "bot", "text": earlier, "data": {}, "metadata": {}},
              {"event": "user", "text": text, "parse_data": latest}]
    tracker = Tracker("t17", {"procedure": HOUSEHOLD_BUSINESS}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionFallback().run(dispatcher, tracker, {}))
    assert CLOSE in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0].get("dvcbot_intent") == "ask_procedure"
