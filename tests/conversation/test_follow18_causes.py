"""Follow-ups that rely on the topic (session 18, follow18): who goes or files in a family's words ("bố mẹ đi
làm hộ", "ai được đi đăng ký"), which office ("nộp cho bên nào") stay on the procedure answered, also when
longer than a plain follow-up but made of a follow-up's own words; a second procedure asked together with
the current one ("làm luôn thẻ BHYT cho cháu") is their interconnected bundle; days or hours asked right after
the nearest places are those places' hours; a typed answer to the "which procedure?" list picks an offered
record by its situation or age, and after an answer the current procedure's variant; a follow-up the NLU left
unplaced is reported as a procedure question.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.agent_hours import asks_when_open, hours_text
from actions.bundle_followup import asks_together, bundle_with
from actions.clarify_answer import offered_codes, pick_offered, situation_pick_of, variant_family
from actions.fallback import previous_action
from actions.followup import (
    FOLLOWUP_WORDS,
    answered_intent,
    followup_aspect,
    followup_words,
    general_followup,
)
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
                                  "nguoi nha di nop ho duoc ko",
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


# --- the hours of the places just shown -------------------------------------------------------------


@pytest.mark.parametrize("text", ["chỗ đó cuối tuần có mở không", "mấy giờ thì mở cửa vậy", "chu nhat co lam ko",
                                  "sáng t7 đến được không", "ở đó nghỉ trưa không ạ"])
def test_days_and_hours_asked(text: str) -> None:
    assert asks_when_open(text)


@pytest.mark.parametrize("text", ["ở đấy làm được hộ chiếu không", "còn chỗ nào khác không", "bao lâu thì có kết quả"])
def test_no_days_or_hours_asked(text: str) -> None:
    assert not asks_when_open(text)


def test_the_last_action_before_the_message() -> None:
    events = [{"event": "user", "text": "a"}, {"event": "action", "name": "action_find_agent"},
              {"event": "bot", "text": "..."}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "b"}]
    assert previous_action(events) == "action_find_agent"
    assert previous_action(events[:1]) is None


class _Agent:
    def __init__(self, name: str, hours: str = "", phone: str = "") -> None:
        self.name, self.opening_hours, self.phone = name, hours, phone


def test_hours_said_and_unknown_hours_said_honestly() -> None:
    text = hours_text([_Agent("Bưu điện A", "Thứ Hai đến Thứ Bảy, 7 giờ đến 18 giờ"), _Agent("Một cửa B")],
                      "tổng đài 1022")
    assert "Bưu điện A: Thứ Hai đến Thứ Bảy" in text and "chưa ghi giờ làm việc của Một cửa B" in text
    assert "1022" in text
    only_unknown = hours_text([_Agent("Một cửa B", phone="02437601080")], "tổng đài 1022")
    assert only_unknown.startswith("Dạ, danh bạ") and "điện thoại" in only_unknown


# --- a typed answer to the "which procedure?" list ---------------------------------------------------

ADULT_ID, ID_RENEW, ID_LOST, CHILD_ID_ANY = "1.014061", "1.014063", "1.014064", "1.014062"


@pytest.mark.parametrize(("text", "code"), [("lam lan dau", ADULT_ID), ("chưa làm bao giờ, năm nay 25 tuổi", ADULT_ID),
                                            ("bị mất thẻ rồi", ID_LOST), ("the het han", ID_RENEW),
                                            ("cho con 10 tuoi", CHILD_ID_ANY)])
def test_the_typed_answer_picks_an_offered_record(known, text: str, code: str) -> None:
    assert pick_offered(text, [ADULT_ID, ID_RENEW, ID_LOST], known) == code


@pytest.mark.parametrize("text", ["ok", "lệ phí bao nhiêu", "cái nào cũng được"])
def test_no_pick_without_a_situation_or_age(known, text: str) -> None:
    assert pick_offered(text, [ADULT_ID, ID_RENEW, ID_LOST], known) is None


def test_the_offered_codes_are_the_last_lists_buttons() -> None:
    bot = {"event": "bot", "text": "?", "metadata": {"utter_action": "utter_clarify_procedure"},
           "data": {"buttons": [{"title": "A", "payload": '/ask_procedure{"procedure": "1.014061"}'},
                                {"title": "B", "payload": '/ask_procedure{"procedure": "1.014064"}'}]}}
    events = [{"event": "user", "text": "làm căn cước"}, bot, {"event": "user", "text": "lần đầu"}]
    assert offered_codes(events) == ["1.014061", "1.014064"]
    answered = {"event": "bot", "text": "Thủ tục ...", "metadata": {}}
    assert offered_codes([*events, answered, {"event": "user", "text": "bị mất"}]) == []


# --- a follow-up the NLU left unplaced is reported as the procedure question it was -------------------


def test_an_unplaced_followup_is_reported_as_a_procedure_question() -> None:
    assert answered_intent({"intent": {"name": "nlu_fallback"}}) == "ask_procedure"
    assert answered_intent({"intent": {"name": "out_of_scope"}}) == "ask_procedure"
    assert answered_intent({"intent": {"name": "ask_fee"}}) is None
    assert answered_intent({}) is None


# --- a situation stated after a procedure answer picks the current one's variant ----------------------
ID_FIRST_CITY, ID_RENEW_CITY, ID_LOST_CITY, CHILD_ID_CITY = "2.000200", "2.001195", "2.001194", "1.012549"


@pytest.mark.parametrize(("current", "text", "code"), [
    (ID_FIRST_CITY, "chưa làm bao giờ, năm nay tôi 25 tuổi", ID_FIRST_CITY),
    (ID_FIRST_CITY, "bi mat the roi", ID_LOST_CITY),
    (ID_FIRST_CITY, "thẻ bị gãy", ID_RENEW_CITY),
    (ID_RENEW_CITY, "lần đầu làm mà, tôi 40 tuổi", ID_FIRST_CITY),
    (ID_RENEW_CITY, "cho con 9 tuoi", CHILD_ID_CITY),
    (ADULT_ID, "đánh rơi mất thẻ", ID_LOST),
])
def test_a_stated_situation_picks_the_current_procedures_variant(known, current: str, text: str, code: str) -> None:
    assert situation_pick_of(text, current, known) == code


@pytest.mark.parametrize("text", ["bao lâu có", "lệ phí bao nhiêu", "ok cảm ơn"])
def test_no_situation_no_pick(known, text: str) -> None:
    assert situation_pick_of(text, ID_FIRST_CITY, known) is None


def test_the_family_is_the_same_subject(known) -> None:
    family = variant_family(ADULT_ID, known)
    assert family[0] == ADULT_ID and {ID_RENEW, ID_LOST, CHILD_ID_ANY} <= set(family)
    assert all("căn cước" in known[c].name for c in family)


def test_a_longer_message_naming_its_subject_before_the_place_is_no_followup(known) -> None:
    # the words of its own come before the place asked: another paper, not whose office
    assert followup_aspect(_message("giấy chứng nhận quyền sử dụng đất thì cấp ở phường nào vậy"),
                           SOCIAL_INSURANCE_BOOK, known) is None


@pytest.mark.parametrize("text", ["mẹ cháu ơi mã số thuế thì thế nào", "hạng bằng lái thì sao"])
def test_family_words_do_not_swallow_other_words(text: str) -> None:
    words = followup_words(text)
    assert "ma" in words or "hang" in words
    assert "ma" not in FOLLOWUP_WORDS and "hang" not in FOLLOWUP_WORDS
