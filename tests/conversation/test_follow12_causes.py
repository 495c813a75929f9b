"""Short follow-ups that ask where / whether / "must I redo" stay on the procedure answered (session 12,
follow12): a look-alike candidate sharing only place or aspect words with the message ("phường" /
"phương tiện", "bưu điện", "thi lại"), or a rare one sharing a few words of a long title, is no new topic.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.followup import asks_place, followup_aspect, general_followup, names_a_procedure
from actions.message import Candidate
from actions.procedure import choose_procedure, weak_beside_topic
from knowledge_base.catalogue import load_catalogue

TEMP_RESIDENCE = "1.004194"
BIRTH = "1.001193"
LICENCE_EXCHANGE = "3.000347"
HOUSEHOLD_BUSINESS = "1.001612"
PASSPORT = "1.001456"
ACCOUNTANTS_EXAM = "1.007411"
POST_OFFICE_CLOSING = "1.001201"
TAX_CODE_RESTORED = "1.008510"
VEHICLE_RE_REGISTRATION = "1.004002"


def _message(text: str, *scored: tuple[str, float], aspect: str | None = None) -> dict:
    known = load_catalogue()
    entities = [{"entity": "procedure_aspect", "value": aspect}] if aspect else []
    return {"text": text, "entities": entities,
            "procedure_candidates": [{"code": c, "name": known[c].name, "score": s} for c, s in scored]}


def _candidate(code: str, score: float) -> Candidate:
    return Candidate(code, load_catalogue()[code].name, score)


def test_place_and_aspect_words_name_no_other_procedure() -> None:
    known = load_catalogue()
    assert weak_beside_topic("nộp ở công an thành phố có được không", _candidate(PASSPORT, 0.62), known[PASSPORT])
    assert weak_beside_topic("mang ra bưu điện nộp được không", _candidate(POST_OFFICE_CLOSING, 0.68),
                             known[POST_OFFICE_CLOSING])
    assert weak_beside_topic("thế có phải thi lại từ đầu không", _candidate(ACCOUNTANTS_EXAM, 0.68),
                             known[ACCOUNTANTS_EXAM])
    assert weak_beside_topic("phường khác làm hộ được không", _candidate(VEHICLE_RE_REGISTRATION, 0.63),
                             known[VEHICLE_RE_REGISTRATION])


def test_a_rare_procedure_needs_most_of_its_title_or_a_sure_score() -> None:
    known = load_catalogue()
    proc = known[TAX_CODE_RESTORED]
    assert weak_beside_topic("vậy mã số thuế thì thế nào", _candidate(TAX_CODE_RESTORED, 0.58), proc)
    assert not weak_beside_topic("khôi phục mã số thuế thì sao", _candidate(TAX_CODE_RESTORED, 0.58), proc)
    assert not weak_beside_topic("vậy mã số thuế thì thế nào", _candidate(TAX_CODE_RESTORED, 0.8), proc)


def test_a_popular_procedure_named_by_a_word_of_its_own_still_switches() -> None:
    known = load_catalogue()
    assert not weak_beside_topic("thế còn hộ chiếu thì nộp ở đâu", _candidate(PASSPORT, 0.62), known[PASSPORT])


def test_a_follow_up_naming_an_office_asks_where() -> None:
    known = load_catalogue()
    assert asks_place("lam o phuong duoc khong")
    assert asks_place("mang ra bưu điện nộp được không")
    assert asks_place("hay phải lên công an tỉnh")
    assert not asks_place("tôi muốn đăng ký tạm trú")
    message = _message("nộp ở phường có được không", (VEHICLE_RE_REGISTRATION, 0.63))
    assert followup_aspect(message, BIRTH, known) == "where"
    choice = choose_procedure(message, BIRTH, known)
    assert (choice.kind, choice.code, choice.aspect) == ("answer", BIRTH, "where")


def test_where_beside_a_look_alike_stays_on_the_current_procedure() -> None:
    known = load_catalogue()
    message = _message("đi công an quận làm được không hay lên thành phố", (PASSPORT, 0.62), aspect="where")
    choice = choose_procedure(message, TEMP_RESIDENCE, known)
    assert (choice.kind, choice.code, choice.aspect) == ("answer", TEMP_RESIDENCE, "where")
    # without a current procedure the same candidate is still taken
    assert choose_procedure(message, None, known).code == PASSPORT


def test_must_i_redo_is_a_general_follow_up_of_the_current_procedure() -> None:
    known = load_catalogue()
    message = _message("vậy có phải thi lại không ạ", (ACCOUNTANTS_EXAM, 0.68))
    assert names_a_procedure(message)
    assert not names_a_procedure(message, LICENCE_EXCHANGE, known)
    assert general_followup(message, LICENCE_EXCHANGE, known)


def test_a_few_words_of_a_rare_title_stay_on_the_current_procedure() -> None:
    known = load_catalogue()
    message = _message("vậy mã số thuế thì thế nào", (TAX_CODE_RESTORED, 0.58))
    choice = choose_procedure(message, HOUSEHOLD_BUSINESS, known)
    assert (choice.kind, choice.code, choice.general) == ("answer", HOUSEHOLD_BUSINESS, True)


def test_a_longer_follow_up_naming_an_office_asks_where() -> None:
    from actions.followup import specific_aspect

    assert specific_aspect("làm ở công an xã được không hay là phải lên tận thành phố ạ") == "where"
    assert specific_aspect("hai vợ chồng có phải cùng đi không") is None
    assert specific_aspect("thế làm như thế nào") is None
    assert specific_aspect("nộp trực tiếp ở công an xã thì hết bao nhiêu tiền vậy") == "fee"
