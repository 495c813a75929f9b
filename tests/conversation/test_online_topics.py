"""Issue 9, the online topics (VNeID, online payment and submission, contacts, service points): the
FAQ entry a citizen's own wording asks for, a story before the question, how-to-pay follow-ups, fault
reports, the answer's topic as reported, and the "more points" button. The phrasings are written for
these tests, not taken from the evaluation sets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.faq import ActionAnswerFaq, best_faq_answer
from actions.followup import (
    ANSWER_FAQ_KEY,
    ANSWER_INTENT_KEY,
    asks_how_to_pay,
    faq_followup,
    faq_of_reply,
    followup_aspect,
    names_other_topic,
)
from knowledge_base.answer_check import last_asking_clause, question_part, without_purpose
from nlu.request import asks_vneid_account, declares_complaint


def _faq(text: str, intent: str = "") -> str | None:
    answer = best_faq_answer(text, intent)
    return faq_of_reply(answer) if answer else None


# --- a story before the question: the request core decides --------------------------------------

def test_a_purpose_or_reason_tail_is_not_what_is_asked() -> None:
    assert without_purpose("ông muốn làm định danh mức 2 để nhận trợ cấp qua điện thoại") == (
        "ông muốn làm định danh mức 2")
    assert without_purpose("tôi cần khóa căn cước điện tử vì đánh rơi máy") == "tôi cần khóa căn cước điện tử"
    # the goal asked about: kept
    assert without_purpose("giấy tờ gì để làm vneid mức 2") == "giấy tờ gì để làm vneid mức 2"
    assert without_purpose("làm thế nào để khóa tài khoản") == "làm thế nào để khóa tài khoản"
    # "để quên" is leaving something behind, not a purpose
    assert without_purpose("tôi để quên điện thoại ở quán") == "tôi để quên điện thoại ở quán"


def test_the_last_asking_clause_is_read_on_its_own() -> None:
    story = "Hôm qua xe ôm chở tôi về, tôi đánh rơi máy dọc đường. Giờ tôi khóa tài khoản ngay được không?"
    assert last_asking_clause(story) == "Giờ tôi khóa tài khoản ngay được không?"
    assert last_asking_clause("Em ở Hà Đông, làm sao ạ") is None  # names nothing on its own
    part = question_part("Ông tôi 75 tuổi, muốn làm định danh mức 2 để nhận lương qua thẻ, phải đi đâu", cut=True)
    assert "lương" not in part and "định danh mức 2" in part


@pytest.mark.parametrize("text, intent, expected", [
    ("Bố em mới mua điện thoại, chú muốn có định danh mức 2 để con cháu cài hộ xem bảo hiểm. Chú ra đâu làm, "
     "cầm gì?", "ask_vneid", "vneid.level2_register"),
    ("Sáng nay tôi bị móc túi mất điện thoại ở chợ, trong máy có VNeID. Giờ tôi muốn khóa tài khoản luôn thì "
     "làm sao?", "ask_vneid", "vneid.lock"),
    ("tôi muốn khóa căn cước điện tử vì vừa đánh rơi điện thoại", "ask_vneid", "vneid.lock"),
    ("Bé nhà tôi học lớp 2, cô giáo nhắc phải có định danh điện tử. Trẻ nhỏ đăng ký kiểu gì?", "ask_vneid", "vneid.children"),
    ("Em mới nộp hồ sơ cấp bản sao trên cổng, màn hình báo cần thanh toán. Lần đầu em trả online, anh chị "
     "hướng dẫn các bước với ạ", "ask_online_payment", "payment.steps"),
])
def test_a_story_first_question_finds_its_entry(text: str, intent: str, expected: str) -> None:
    assert _faq(text, intent) == expected


def test_a_reduced_clause_must_be_covered_fully() -> None:
    # "vay tiền ngân hàng" shares words with paying through a bank, but is not about it; the request core
    # alone is trusted only within the topic the NLU read
    assert _faq("tôi muốn vay tiền ngân hàng vì cần vốn") is None
    assert _faq("tôi muốn vay tiền ngân hàng để kinh doanh") is None


# --- everyday wording of the entries -------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("đã trả phí xong mà hồ sơ vẫn hiện chưa thanh toán", "payment.deducted_unpaid"),
    ("nộp trên mạng thì đóng lệ phí bằng cách nào", "payment.steps"),
    ("làm trọn trên mạng với nộp online một phần khác gì", "submission.full_vs_partial"),
    ("trung tâm có bao nhiêu chỗ nhận hồ sơ ở hà nội", "contact.branch_network"),
])
def test_everyday_wording_finds_the_entry(text: str, expected: str) -> None:
    assert _faq(text) == expected


def test_follow_ups_within_the_topic() -> None:
    assert faq_followup("trả tiền xong rồi mà vẫn hiện chưa trả thì sao", "payment.steps").id == (
        "payment.deducted_unpaid")
    assert faq_followup("cả hà nội có mấy chỗ nhận hồ sơ", "contact.branches_any_residence").id == (
        "contact.branch_network")
    assert faq_followup("có mất tiền không", "vneid.children").id == "vneid.fee"


# --- how to pay after a procedure is the payment topic ------------------------------------------

def test_how_to_pay_is_the_payment_topic_not_the_fee() -> None:
    for text in ("đóng lệ phí qua mạng kiểu gì", "trả tiền bằng cách nào ạ", "cách nộp phí online",
                 "chuyển khoản được không", "lệ phí trả như nào"):
        assert asks_how_to_pay(text) and names_other_topic(text), text
    for text in ("lệ phí bao nhiêu", "có mất tiền không", "nộp hồ sơ thế nào", "trả kết quả ở đâu"):
        assert not asks_how_to_pay(text), text
    cat = kb.catalogue()

    def m(text: str) -> dict[str, Any]:
        return {"text": text, "intent": {"name": "ask_online_payment"}, "entities": []}

    assert followup_aspect(m("trả phí kiểu gì"), "1.004194", cat) is None
    assert followup_aspect(m("mất bao nhiêu tiền"), "1.004194", cat) == "fee"


# --- intents decided from the words -----------------------------------------------------------

def test_the_vneid_account_named_is_a_vneid_question() -> None:
    runner_up = ("ask_procedure", "ask_vneid")
    assert asks_vneid_account("ask_procedure", "trường bắt học sinh có tài khoản định danh điện tử", runner_up)
    assert asks_vneid_account("ask_procedure", "con tôi cần định danh mức 2 để đi học", runner_up)
    # a message the classifier could not place, with VNeID first among its guesses
    assert asks_vneid_account("nlu_fallback", "cô giáo dặn bé phải có định danh điện tử", ("ask_vneid", "ask_procedure"))
    # VNeID as the channel of another procedure, or the topic not among the first two: no
    assert not asks_vneid_account("ask_procedure", "khai tạm trú trên app vneid được không", runner_up)
    assert not asks_vneid_account("ask_procedure", "tài khoản định danh điện tử cho con", ("ask_procedure", "find_agent"))
    assert not asks_vneid_account("nlu_fallback", "tài khoản định danh điện tử", ("find_agent", "ask_contact"))


def test_a_wish_to_report_a_fault_is_a_complaint() -> None:
    assert declares_complaint("ask_online_submission", "cổng dịch vụ công treo cả buổi, tôi muốn báo lỗi")
    assert declares_complaint("ask_vneid", "app vneid không mở được, mình cần báo sự cố")
    assert not declares_complaint("ask_online_submission", "hệ thống báo lỗi khi nộp hồ sơ thì làm sao")
    assert not declares_complaint("ask_procedure", "tôi muốn báo lỗi thông tin trên giấy khai sinh")


# --- the answer's topic is what is reported -------------------------------------------------------

def _user(text: str, intent: str) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse}


def test_an_faq_answer_is_reported_under_its_own_topic() -> None:
    events = [_user("trung tâm có bao nhiêu chỗ nhận hồ sơ ở hà nội", "ask_online_submission")]
    tracker = Tracker("u", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionAnswerFaq().run(d, tracker, {}))
    assert d.messages[0][ANSWER_FAQ_KEY] == "contact.branch_network"
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_contact"


def test_a_list_of_points_offers_more_points() -> None:
    from routing.answers import MORE_BUTTON_TITLE, find_agent_answer

    assert "thêm" in MORE_BUTTON_TITLE.lower()
    result = find_agent_answer(text="phường Láng", k=3)
    assert {"title": MORE_BUTTON_TITLE, "payload": "/find_agent_more"} in result["buttons"]
