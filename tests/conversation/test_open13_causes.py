"""Causes of session 13's opening, correction and follow-up misses (open13): a reason told beside the
request names no procedure ("đổi căn cước vì chuyển hộ khẩu": the card is asked, the move is why), and
a place name outside Hanoi does not pull a procedure whose title holds its words by chance.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.message import Candidate
from actions.procedure import weak_beside_topic, without_any_place
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import asked_terms, find_term, reason_clauses, without_aside_reasons
from routing.provinces import without_provinces

VISA_EXEMPTION = "1.003144"  # "... người Việt Nam định cư ở nước ngoài ..."
PERMANENT_RESIDENCE = "1.004222"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tôi cần làm lại thẻ căn cước vì đã chuyển hộ khẩu về quê", "đã chuyển hộ khẩu về quê"),
        ("do mới tách khẩu nên phải đổi căn cước à", "mới tách khẩu"),
        ("muon doi cccd vi chuyen ho khau", "chuyen ho khau"),
        ("vi phạm giao thông thì nộp phạt ở đâu", None),  # "vi" of "vi phạm" typed with diacritics: no reason
        ("nop phat vi pham giao thong o dau", None),  # ... nor without them
        ("chú làm nghề tự do, muốn đóng bảo hiểm xã hội tự nguyện", None),  # "tự do" is free, not because
        ("vì sao phải làm lại thẻ", None),  # "vì sao" asks why
        ("do vậy phải tách khẩu à", None),
    ],
)
def test_reason_clauses(text: str, reason: str | None) -> None:
    assert reason_clauses(text) == ([reason] if reason else [])


def test_a_term_only_in_the_reason_is_not_asked_when_the_rest_names_something() -> None:
    assert [t.term for t in asked_terms("xin đổi thẻ căn cước mới vì vừa chuyển hộ khẩu")] == ["đổi thẻ căn cước"]
    assert find_term("làm lại căn cước cho bà vì bà chuyển hộ khẩu về ở với con") is None
    # the reason is the whole topic: its term is what is asked
    assert find_term("vì chuyển hộ khẩu thì phải làm gì").code == PERMANENT_RESIDENCE
    # the term outside the reason stays asked
    assert find_term("muốn chuyển hộ khẩu vì cưới vợ").code == PERMANENT_RESIDENCE


def test_the_search_leaves_out_a_reason_whose_term_is_set_aside() -> None:
    assert "hộ khẩu" not in without_aside_reasons("làm lại căn cước cho bà vì bà chuyển hộ khẩu về ở với con")
    assert without_aside_reasons("muốn chuyển hộ khẩu vì cưới vợ") == "muốn chuyển hộ khẩu vì cưới vợ"


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("chồng chị quê Thái Bình thì làm ở đâu", "chồng chị quê thì làm ở đâu"),
        ("vo e o hai duong", "vo em o"),
        ("mẹ ở Khánh Hoà có làm hộ được không", "mẹ ở có làm hộ được không"),
        ("người Việt Nam định cư ở nước ngoài", "người Việt Nam định cư ở nước ngoài"),  # no place
    ],
)
def test_province_names_are_left_out(text: str, left: str) -> None:
    assert without_provinces(text) == left


def test_a_province_name_does_not_pull_a_title_that_holds_its_words() -> None:
    known = load_catalogue()
    visa = Candidate(VISA_EXEMPTION, known[VISA_EXEMPTION].name, 0.5)
    assert weak_beside_topic("bạn trai em ở Nam Định thì nộp chỗ anh ấy hay chỗ em", visa, known[VISA_EXEMPTION])
    assert "Nam Định" not in without_any_place("bạn trai em ở Nam Định thì nộp chỗ anh ấy hay chỗ em")


def test_a_short_follow_up_naming_a_province_stays_a_follow_up() -> None:
    from actions.followup import followup_aspect, general_followup

    known = load_catalogue()
    marriage = "1.000894"

    def message(text: str) -> dict:
        return {"text": text, "entities": [], "procedure_candidates": []}

    assert followup_aspect(message("chồng em ở Bắc Giang thì nộp ở đâu"), marriage, known) == "where"
    assert general_followup(message("anh ấy ở Hải Phòng có được không"), marriage, known)


def test_the_citizens_residence_named_as_the_place_names_no_procedure() -> None:
    known = load_catalogue()
    no_residence = "3.000330"  # "... không xác định được nơi thường trú hoặc nơi tạm trú"
    candidate = Candidate(no_residence, known[no_residence].name, 0.6)
    assert weak_beside_topic("nộp ở xã chỗ bác đang thường trú có được không", candidate, known[no_residence])
    assert not weak_beside_topic("còn đăng ký tạm trú thì sao", Candidate("1.004194", known["1.004194"].name, 0.6),
                                 known["1.004194"])
