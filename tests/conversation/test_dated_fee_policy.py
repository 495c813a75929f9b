"""Dated online-fee questions (issue 9, session 16, date17b): whether an online fee is still cut is the fee of
the procedure named or answered just before (its fee today says the cut and until when); whether filing
online is still free is a procedure's fee only when the question names it, else Hanoi's 0-đồng FAQ.
The phrasings here are written for these tests: none is taken from the evaluation sets."""

from __future__ import annotations

import pytest

from actions.fee_policy import dated_fee_procedure
from actions.procedure import online_fee_policy_answer
from knowledge_base.hanoi import names_free

CAP_DOI = "2.001195"
TAM_TRU = "1.004194"


def msg(text: str, procedure: str | None = None) -> dict:
    entities = [{"entity": "procedure", "value": procedure}] if procedure else []
    return {"text": text, "intent": {"name": "ask_online_payment", "confidence": 0.9}, "entities": entities,
            "procedure_candidates": [], "metadata": {}}


@pytest.mark.parametrize("text", [
    "lam tren mang co con duoc giam 50% le phi ko",
    "nghe bảo làm qua VNeID được ưu đãi lệ phí, giờ vẫn còn chứ",
    "bác nghe cháu nó nói làm trên mạng được bớt một nửa tiền, còn không cháu",
    "ưu đãi lệ phí đó tới khi nào thì hết",
])
def test_a_cut_question_after_a_procedure_is_its_fee(text: str) -> None:
    assert dated_fee_procedure(msg(text), CAP_DOI) == CAP_DOI
    assert dated_fee_procedure(msg(text), None) is None  # nothing named, nothing before: not a procedure's


@pytest.mark.parametrize("text", [
    "dk tam tru online h con mien phi ko ad",
    "Tôi định đăng ký tạm trú cho con thuê trọ, làm trên mạng có còn 0 đồng không",
])
def test_a_still_free_question_naming_a_procedure_is_its_fee(text: str) -> None:
    assert dated_fee_procedure(msg(text, TAM_TRU), None) == TAM_TRU


@pytest.mark.parametrize("text", [
    "thế làm qua mạng giờ có còn miễn phí không",
    "nop online nam nay van 0 dong chu",
    "lam ho so tren mang o ha noi gio van ko mat tien ha",
])
def test_a_still_free_question_naming_nothing_is_the_policy_even_after_a_procedure(text: str) -> None:
    assert dated_fee_procedure(msg(text), TAM_TRU) is None


def test_a_story_naming_a_procedure_before_a_policy_question_is_the_policy() -> None:
    text = ("Hồi trước tôi làm tạm trú trên mạng chẳng mất xu nào. Nay làm lại thì phải trả tiền. "
            "Chính sách đổi rồi hay sao?")
    assert dated_fee_procedure(msg(text, TAM_TRU), None) is None


def test_free_is_an_everyday_word_for_nothing_to_pay() -> None:
    assert names_free("nộp online bây giờ free phí không shop") and names_free("khong mat tien")
    assert not names_free("nộp online phí bao nhiêu")
    assert online_fee_policy_answer(msg("nộp online bây giờ free phí không shop"), free_named=True)


@pytest.mark.parametrize("text", [
    "nộp qua mạng mà vẫn phải trả lệ phí à, tưởng Hà Nội miễn hết rồi",
    "lam online sao van thu phi, ha noi ko mien nua ha",
    "nghe noi nop truc tuyen o HN duoc mien ma sao van bat dong phi",
])
def test_miễn_said_alone_is_the_policy(text: str) -> None:
    assert names_free(text)
    assert online_fee_policy_answer(msg(text), free_named=True)


@pytest.mark.parametrize("text", ["miễn là nộp online thì phí bao nhiêu", "người miền Bắc nộp online phí thế nào"])
def test_miễn_là_and_a_region_are_not_free(text: str) -> None:
    assert not names_free(text)


def test_a_candidate_is_named_only_by_its_whole_name() -> None:
    def with_candidate(text: str, code: str, name: str) -> dict:
        return {**msg(text), "procedure_candidates": [{"code": code, "name": name, "score": 0.5}]}

    text = "làm đăng ký tạm trú trên mạng năm nay vẫn miễn phí chứ"
    assert dated_fee_procedure(with_candidate(text, TAM_TRU, "Đăng ký tạm trú"), None) == TAM_TRU
    assert dated_fee_procedure(with_candidate("nop online gio van free ha", TAM_TRU, "Đăng ký tạm trú"), None) is None


@pytest.mark.parametrize("text", [
    "làm online giờ còn rẻ hơn nộp giấy không",
    "nghe bảo nộp qua mạng đỡ tốn tiền hơn, bây giờ vẫn thế à",
    "lam tren mang co con it tien hon ko",
])
def test_a_cheaper_online_question_after_a_procedure_is_its_fee(text: str) -> None:
    assert dated_fee_procedure(msg(text), CAP_DOI) == CAP_DOI
    assert dated_fee_procedure(msg(text), None) is None


def test_cheaper_said_of_no_way_of_filing_is_no_fee_question() -> None:
    assert dated_fee_procedure(msg("chỗ nào làm rẻ hơn"), CAP_DOI) is None


class _Dispatcher:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    def utter_message(self, **kwargs) -> None:
        self.messages.append(kwargs)


def test_a_fee_answer_for_a_procedure_the_message_names_is_reported_as_a_procedure_question() -> None:
    from actions.fee_policy import answer_dated_fee
    from actions.followup import ANSWER_INTENT_KEY

    named, before = _Dispatcher(), _Dispatcher()
    assert answer_dated_fee(named, msg("dk tam tru online h con mien phi ko ad", TAM_TRU), None)
    assert named.messages[-1].get(ANSWER_INTENT_KEY) == "ask_procedure"
    assert answer_dated_fee(before, msg("lam tren mang co con duoc giam 50% le phi ko"), CAP_DOI)
    assert before.messages[-1].get(ANSWER_INTENT_KEY) == "ask_procedure"  # the record answers a procedure question


def test_after_the_0_đồng_policy_a_fee_question_naming_nothing_is_that_policy_today() -> None:
    from actions.fee_policy import policy_followup_text

    policy = "payment.zero_fee_hanoi"
    for text in ("thế giờ làm trên mạng thì tính tiền theo mức nào", "vay bay gio nop online mat phi bao nhieu"):
        answer = policy_followup_text(msg(text), policy)
        assert answer and "31/12/2025" in answer
    assert policy_followup_text(msg("thế nộp online làm thế nào"), policy) is None  # not a fee question
    assert policy_followup_text(msg("giờ tính phí thế nào"), "submission.steps") is None  # another topic before
    assert policy_followup_text(msg("đăng ký tạm trú thì lệ phí bao nhiêu", TAM_TRU), policy) is None  # named


def test_a_still_free_question_outside_a_procedure_is_the_policy_whatever_the_nlu_read() -> None:
    from actions.fee_policy import answer_free_online_policy

    class Tracker:
        def __init__(self, text: str, events: list[dict]) -> None:
            self.latest_message, self.events = {**msg(text), "intent": {"name": "nlu_fallback"}}, events

    said = _Dispatcher()
    assert answer_free_online_policy(said, Tracker("lam giay to qua mang bh con free ko shop", []))
    assert "31/12/2025" in said.messages[-1]["text"]
    after_proc = [{"event": "user", "text": "..."}, {"event": "bot", "text": f"Thủ tục Đăng ký tạm trú (mã {TAM_TRU})."},
                  {"event": "user", "text": "lam qua mang bh con free ko"}]
    assert answer_free_online_policy(_Dispatcher(), Tracker("lam qua mang bh con free ko", after_proc)) is None
