"""Follow-ups that ask how, where or what if not of the procedure answered (session 15, follow15): the
channel asked ("báo bằng cách nào") is where and how to file, a question of what follows ("không báo thì
có sao không") is no "no" and stays on the procedure, an office asked with whose it is ("làm ở phường nhà
trai hay nhà gái") is where the procedure is done.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.followup import consequence_followup, followup_aspect
from knowledge_base.aspects import asks_consequence, detect_aspect
from knowledge_base.catalogue import load_catalogue
from nlu.request import asks_consequence as nlu_asks_consequence
from nlu.request import corrects_request

TEMP_RESIDENCE = "1.004194"
STAY_NOTICE = "2.001159"
MARRIAGE = "1.000894"
ACCOUNTANTS_EXAM = "1.007411"


def _message(text: str, procedure: str | None = None) -> dict:
    entities = [{"entity": "procedure", "value": procedure, "extractor": "dvcbot_kb"}] if procedure else []
    return {"text": text, "entities": entities, "procedure_candidates": []}


@pytest.mark.parametrize("text", ["bao bang cach nao", "nộp qua hình thức nào", "gửi hồ sơ qua kênh nào",
                                  "có mấy cách nộp", "khai bằng cách nào vậy ad", "có những cách nào để báo"])
def test_the_channel_asked_is_where_and_how_to_file(text: str) -> None:
    assert detect_aspect(text) == "where"


@pytest.mark.parametrize("text", ["làm bằng cách nào", "thủ tục thế nào", "các bước ra sao"])
def test_how_to_do_it_stays_the_steps(text: str) -> None:
    assert detect_aspect(text) == "steps"


@pytest.mark.parametrize("text", ["ko khai thi co bi phat k", "chưa làm thì có bị phạt không", "nếu quên không "
                                  "đăng ký thì sẽ bị gì", "hok lam co bi phat ko", "để muộn thì có sao không",
                                  "ko dk thi sao", "không báo thì sao"])
def test_a_question_of_what_follows(text: str) -> None:
    assert asks_consequence(text)
    assert nlu_asks_consequence("deny", text) and not nlu_asks_consequence("ask_procedure", text)


@pytest.mark.parametrize("text", ["không", "không cần đâu", "ko co sao dau", "không có sao đâu", "thôi khỏi",
                                  "không phải thủ tục đó", "có sao đâu",
                                  # a bare "còn ... thì sao" switches the topic (dev d021 after tạm trú)
                                  "còn đăng ký kết hôn thì sao", "thế nghỉ hẳn thì sao", "con lam ho chieu thi sao"])
def test_a_plain_no_is_no_question(text: str) -> None:
    assert not asks_consequence(text)


def test_a_question_of_what_follows_stays_on_the_procedure_whatever_look_alike_it_meets() -> None:
    known = load_catalogue()
    # "đăng ký ... thi" meets the accountants' exam; the words are the temporary residence's own
    assert consequence_followup(_message("chua dang ky thi co sao khong", ACCOUNTANTS_EXAM), TEMP_RESIDENCE, known)
    assert consequence_followup(_message("nếu lỡ quên không báo thì bị phạt không"), STAY_NOTICE, known)
    assert not consequence_followup(_message("chưa đăng ký thì có sao không"), None, known)
    # another topic named, or no question of what follows
    assert not consequence_followup(_message("không có hộ chiếu thì có sao không"), TEMP_RESIDENCE, known)
    assert not consequence_followup(_message("khai bằng cách nào"), STAY_NOTICE, known)


@pytest.mark.parametrize("text", ["làm ở xã bên vợ hay bên chồng", "nộp ở phường chỗ bố hay chỗ mẹ",
                                  "đăng ký ở ủy ban nhà trai hay nhà gái"])
def test_an_office_asked_with_whose_it_is_is_where(text: str) -> None:
    assert followup_aspect(_message(text), MARRIAGE, load_catalogue()) == "where"


def test_whose_office_does_not_open_the_door_to_other_topics() -> None:
    known = load_catalogue()
    assert followup_aspect(_message("còn hộ chiếu thì làm ở phường được không"), MARRIAGE, known) is None
    assert followup_aspect(_message("giấy xác nhận tình trạng hôn nhân cấp ở xã nào"), MARRIAGE, known) is None


HOUSEHOLD_PAUSE = "1.001570"
HOUSEHOLD_CLOSE = "1.001266"
PASSPORT_LOSS = "1.010386"
PASSPORT = "1.001456"


@pytest.mark.parametrize("text, current, expected", [
    ("thế đóng hẳn thì làm sao", HOUSEHOLD_PAUSE, HOUSEHOLD_CLOSE),
    ("còn dừng hẳn thì cần giấy gì", HOUSEHOLD_PAUSE, HOUSEHOLD_CLOSE),
    ("muốn làm quyển mới thì sao", PASSPORT_LOSS, PASSPORT),
    ("lam cuon khac mat bao lau", PASSPORT_LOSS, PASSPORT),
])
def test_a_variant_named_by_a_word_whose_context_is_the_topic(text: str, current: str, expected: str) -> None:
    from actions.topic_terms import switched_variant

    assert switched_variant(_message(text), current, load_catalogue()) == expected


@pytest.mark.parametrize("text, current", [
    ("nghỉ hẳn thì sao", TEMP_RESIDENCE),  # no shop in the topic: "nghỉ hẳn" names nothing
    ("bao lâu thì xong", PASSPORT_LOSS),   # no term at all
    ("tạm ngừng thì mất phí không", HOUSEHOLD_PAUSE),  # the topic's own words
])
def test_no_variant_without_its_term_in_the_message(text: str, current: str) -> None:
    from actions.topic_terms import switched_variant

    assert switched_variant(_message(text), current, load_catalogue()) is None


@pytest.mark.parametrize(("text", "restated"), [
    ("à không, ý tôi là đăng ký tạm trú, tôi ở thuê", True),
    ("ko y minh la cap lai cccd", True),
    ("không phải, em định hỏi về khai sinh cho con", True),
    # a plain no, or "that is what I meant", restates nothing
    ("không", False), ("không phải ý tôi là", False), ("đúng rồi, ý tôi là thế đấy", False),
])
def test_a_correction_restates_the_request(text: str, restated: bool) -> None:
    assert corrects_request("deny", text) is restated
    assert not corrects_request("ask_procedure", text)
