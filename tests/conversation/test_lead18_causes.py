"""Causes the lead mended after the session-17 merge (issue 9): a "mất" of time or money is no loss; a
question how to pay after the 0-đồng policy answer asks the payment steps, not the policy again."""

from __future__ import annotations

import pytest

from actions.followup import asks_how_to_pay
from knowledge_base.vocabulary import situations_in


def _names(text: str) -> list[str]:
    return [s.name for s in situations_in(text)]


@pytest.mark.parametrize("text", ["lm mat may ngay", "làm mất mấy ngày hả em", "làm mất bao lâu",
                                  "làm cái này mất phí không", "lam mat bao nhieu tien", "làm mất 2 tuần à"])
def test_a_mat_of_time_or_money_is_no_loss(text: str) -> None:
    assert "lost" not in _names(text)


@pytest.mark.parametrize("text", ["bi mat the roi", "tôi bị mất thẻ, làm lại mất bao lâu", "làm mất bằng lái",
                                  "đánh mất căn cước hôm qua"])
def test_a_loss_is_still_read(text: str) -> None:
    assert "lost" in _names(text)


@pytest.mark.parametrize("text", ["thế giờ thanh toán lệ phí trực tuyến kiểu gì", "vay thanh toan phi online lam sao",
                                  "thanh toán qua mạng thế nào hả cháu"])
def test_how_to_pay(text: str) -> None:
    assert asks_how_to_pay(text)


@pytest.mark.parametrize("text", ["vậy giờ nộp online thì trả theo mức nào", "thế bây giờ tính phí thế nào",
                                  "thanh toán bao nhiêu"])
def test_how_much_is_not_how_to_pay(text: str) -> None:
    assert not asks_how_to_pay(text)


@pytest.mark.parametrize("text", ["vậy giờ trả phí online thế nào", "thế bây giờ đóng phí trên mạng kiểu gì",
                                  "thế giờ thanh toán lệ phí kiểu gì hả cháu"])
def test_how_to_pay_after_the_policy_answer_is_the_payment_way_in(text: str) -> None:
    from actions.faq import TOPIC_ENTRIES
    from actions.followup import faq_followup

    entry = faq_followup(text, "payment.zero_fee_hanoi", asked_category="payment")
    assert entry is not None and entry.id == TOPIC_ENTRIES["ask_online_payment"]


def test_a_named_means_of_paying_keeps_its_own_entry() -> None:
    from actions.faq import TOPIC_ENTRIES
    from actions.followup import faq_followup

    entry = faq_followup("chuyển khoản được không", "payment.zero_fee_hanoi", asked_category="payment")
    assert entry is not None and entry.id != TOPIC_ENTRIES["ask_online_payment"]


def test_a_procedure_record_answer_is_reported_as_a_procedure_question() -> None:
    from actions import kb
    from actions.followup import ANSWER_INTENT_KEY, PROCEDURE_INTENT
    from actions.procedure import answer_with

    class _Dispatcher:
        def __init__(self) -> None:
            self.messages: list[dict] = []

        def utter_message(self, **kwargs) -> None:
            self.messages.append(kwargs)

    d = _Dispatcher()
    answer_with(d, kb.procedure("1.000656"), "fee")
    assert d.messages[0][ANSWER_INTENT_KEY] == PROCEDURE_INTENT and "1.000656" in d.messages[0]["text"]


def test_a_where_question_naming_a_ward_gets_that_wards_office_for_a_commune_committee_record() -> None:
    from actions.ward_office import ward_office_note
    from routing.gazetteer import get_gazetteer

    ward = get_gazetteer().ward("00097")
    message = {"text": "khai sinh cho bé ở Phúc Xá Ba Đình thì nộp ở đâu",
               "entities": [{"entity": "ward", "value": "00097"}]}
    committee = "Thủ tục đăng ký khai sinh (mã 1.001193). Nơi giải quyết: Ủy ban nhân dân xã, phường."
    police = "Thủ tục Đăng ký tạm trú (mã 1.004194). Cơ quan giải quyết: Công an cấp Xã."
    note = ward_office_note(message, committee)
    assert ward is not None and note is not None and ward.full_name in note
    assert ward_office_note(message, police) is None  # the commune police, not the committee's desk
    assert ward_office_note({"text": "khai sinh nộp ở đâu", "entities": []}, committee) is None
