"""When an FAQ answer goes before a procedure or a place search (issue 9). Phrasings are written for
these tests, not taken from the evaluation sets."""

from __future__ import annotations

from actions.agents import ActionFindAgent, rule_answer
from actions.faq import ActionAnswerFaq, asks_intent_aspect
from knowledge_base.faq import get_faq
from tests.bot.test_actions import TAM_TRU, message, run, tracker

KHAI_SINH = "1.001193"


def _first_sentence(faq_id: str) -> str:
    return get_faq(faq_id).answer.split(". ")[0]


def test_asks_intent_aspect_looks_at_the_question_not_the_story() -> None:
    assert asks_intent_aspect(message("đăng ký tạm trú nộp online được không", "ask_online_submission"))
    assert asks_intent_aspect(message("lệ phí đăng ký tạm trú bao nhiêu", "ask_online_payment"))
    story = ("Tối qua tôi làm khai sinh cho cháu trên dịch vụ công, chuyển khoản xong tài khoản đã bị trừ tiền, "
             "sao hồ sơ vẫn ghi là chưa thanh toán")
    assert not asks_intent_aspect(message(story, "ask_online_payment"))
    assert asks_intent_aspect(message("/ask_online_payment", "ask_online_payment"))


def test_a_payment_problem_after_naming_a_procedure_gets_the_faq() -> None:
    story = ("Tối qua tôi làm khai sinh cho cháu trên dịch vụ công, chuyển khoản xong tài khoản đã bị trừ tiền, "
             "sao hồ sơ vẫn ghi là chưa thanh toán")
    msgs, _ = run(ActionAnswerFaq(), tracker(message(story, "ask_online_payment", {"procedure": KHAI_SINH})))
    assert _first_sentence("payment.deducted_unpaid") in msgs[0]["text"]
    # the fee of a named procedure is still that procedure's answer
    msgs, _ = run(ActionAnswerFaq(), tracker(message("đăng ký tạm trú nộp online được không", "ask_online_submission",
                                                     {"procedure": TAM_TRU})))
    assert "(mã 1.004194)" in msgs[0]["text"]


def test_a_rule_question_naming_a_place_is_answered_not_searched() -> None:
    text = "nhà tôi ở Đông Anh, có nhất thiết phải về chi nhánh Đông Anh nộp không hay chỗ nào cũng được"
    answer = rule_answer(text, ["Đông Anh"])
    assert answer and _first_sentence("contact.branches_any_residence") in answer
    msgs, _ = run(ActionFindAgent(), tracker(message(text, "find_agent", {"ward": "Đông Anh"})))
    assert _first_sentence("contact.branches_any_residence") in msgs[0]["text"]
    assert rule_answer("điểm hỗ trợ gần nhất ở Đông Anh") is None


def test_a_contact_question_gets_the_aspect_it_asks() -> None:
    cases = {
        "đường dây nóng 1022 tối thứ bảy có ai trực không": "contact.hours",
        "cho xin email trung tâm hành chính công": "contact.email",
        "số mấy để kiến nghị về thủ tục vậy": "contact.feedback_1022",
    }
    for text, entry in cases.items():
        msgs, _ = run(ActionAnswerFaq(), tracker(message(text, "ask_contact")))
        assert _first_sentence(entry) in msgs[0]["text"], text
    msgs, _ = run(ActionAnswerFaq(), tracker(message("tổng đài có trực cả ngày lễ không", "ask_contact")))
    assert "24 giờ" in msgs[0]["text"]


def test_a_rule_question_naming_two_places_is_answered() -> None:
    text = "tôi thường trú ở Thạch Thất nhưng làm việc ở Đống Đa, có được nộp giấy tờ ở chi nhánh gần cơ quan không"
    answer = rule_answer(text)
    assert answer and _first_sentence("contact.branches_any_residence") in answer
