"""Follow-ups that rely on the topic (session 18, follow18): who goes or files in a family's words ("bố mẹ đi
làm hộ", "ai được đi đăng ký"), which office ("nộp cho bên nào") stay on the procedure answered, also when
longer than a plain follow-up but made of a follow-up's own words; a second procedure asked together with
the current one ("làm luôn thẻ BHYT cho cháu") is their interconnected bundle.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.bundle_followup import asks_together, bundle_with
from actions.followup import followup_aspect, followup_words, general_followup
from knowledge_base.catalogue import load_catalogue

DEATH = "1.000656"
CHILD_ID = "1.012549"
SOCIAL_INSURANCE_BOOK = "1.002759"
BIRTH = "1.001193"
BIRTH_BHYT = "2.001023"
BIRTH_RESIDENCE_BHYT = "2.000986"


def _message(text: str, procedure: str | None = None) -> dict:
    entities = [{"entity": "procedure", "value": procedure, "extractor": "dvcbot_kb"}] if procedure else []
    return {"text": text, "entities": entities, "procedure_candidates": []}


@pytest.fixture(scope="module")
def known():
    return load_catalogue()


@pytest.mark.parametrize("text", ["con cháu trong nhà đi khai thay được không", "ai di dang ky dc vay ad",
                                  "bo me di lam ho cho be dc k", "vợ hay chồng đi đăng ký cũng được à",
                                  "hang xom di nop ho duoc ko",
                                  # longer, yet only a follow-up's words
                                  "chau nho co can den tan noi khong hay me di nop ho thay duoc khong"])
def test_who_goes_stays_on_the_procedure(known, text: str) -> None:
    code = CHILD_ID if "chau" in text or "be" in text.split() else DEATH
    assert general_followup(_message(text), code, known)


def test_on_behalf_is_not_the_ho_of_a_passport() -> None:
    assert "thay" in followup_words("bố mẹ đi làm hộ được không")
    assert "chieu" in followup_words("làm hộ chiếu mất bao lâu")
    assert "khau" in followup_words("nhập hộ khẩu thì sao")


@pytest.mark.parametrize("text", ["gui ho so cho ben nao vay", "vậy tôi nộp ở cơ quan nào, bên công ty cũ hay "
                                  "bên bảo hiểm", "sổ này nộp tại đơn vị nào ạ"])
def test_which_office_is_where(known, text: str) -> None:
    assert followup_aspect(_message(text), SOCIAL_INSURANCE_BOOK, known) == "where"


def test_a_longer_message_with_words_of_its_own_is_no_followup(known) -> None:
    text = "tôi muốn hỏi thêm về việc chuyển nhượng quyền sử dụng đất cho con trai thì làm sao"
    assert followup_aspect(_message(text), DEATH, known) is None
    assert not general_followup(_message(text), DEATH, known)


@pytest.mark.parametrize("text", ["kem the bhyt cho be luon dc ko", "tiện thể làm thẻ bảo hiểm y tế cho cháu luôn "
                                  "được không ạ", "đồng thời cấp thẻ BHYT cho bé được không"])
def test_a_second_procedure_together_is_the_bundle(known, text: str) -> None:
    assert bundle_with(BIRTH, text, known) == BIRTH_BHYT


def test_the_bundle_with_the_most_parts_asked(known) -> None:
    text = "nhân tiện đăng ký thường trú và bhyt cho bé luôn được không"
    assert bundle_with(BIRTH, text, known) == BIRTH_RESIDENCE_BHYT


@pytest.mark.parametrize("text", ["làm thẻ bhyt mất bao lâu", "lam luon giay khai tu duoc ko", "ok làm luôn"])
def test_no_bundle_without_both_parts(known, text: str) -> None:
    assert bundle_with(BIRTH, text, known) is None


def test_no_bundle_without_the_current_procedure_in_it(known) -> None:
    assert bundle_with(DEATH, "làm luôn thẻ bảo hiểm y tế được không", known) is None
    assert not asks_together("thẻ bảo hiểm y tế cần gì")
