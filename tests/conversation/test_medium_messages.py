"""A message of a dozen words or more tells its situation in a clause, which lowers the search
scores: it gets a floor between the plain and the long one. A weak match is answered only when it
stands out; close weak ones are offered, never guessed. A question of aspect words alone with no
topic before it gets "which procedure?", not an FAQ matched on the aspect.

The phrasings are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from typing import Any

from actions.procedure import (
    MIN_SCORE,
    MIN_SCORE_MEDIUM,
    below_plain_floor,
    choose_procedure,
    names_nothing,
    score_floor,
)
from knowledge_base.catalogue import load_catalogue


def _message(text: str, *pairs: tuple[str, float]) -> dict[str, Any]:
    cat = load_catalogue()
    return {"text": text, "intent": {"name": "ask_procedure", "confidence": 0.9}, "entities": [],
            "procedure_candidates": [{"code": c, "name": cat[c].name, "score": s} for c, s in pairs]}


def test_the_floor_depends_on_how_much_the_message_tells() -> None:
    assert score_floor("tách thửa đất làm sao") == MIN_SCORE
    assert score_floor("Mảnh đất nhà tôi khá rộng, tôi muốn tách thửa ra làm hai sổ cho hai đứa con") \
        == MIN_SCORE_MEDIUM


def test_a_weak_match_that_stands_out_is_answered_in_a_medium_message() -> None:
    known = load_catalogue()
    told = _message("Mảnh đất nhà tôi khá rộng, tôi muốn tách thửa ra làm hai sổ cho hai đứa con",
                    ("1.012784", 0.44), ("1.001022", 0.36))
    assert choose_procedure(told, None, known).code == "1.012784"
    short = _message("tách thửa đất làm sao", ("1.012784", 0.44))
    assert choose_procedure(short, None, known).kind == "ask"


def test_close_weak_matches_are_offered_not_guessed() -> None:
    known = load_catalogue()
    told = _message("Nhà tôi có căn hộ cho một gia đình người nước ngoài thuê, tiền thuê đó khai thuế ra sao",
                    ("1.007689", 0.46), ("1.008323", 0.44), ("2.002235", 0.44))
    choice = choose_procedure(told, None, known)
    assert choice.kind == "clarify" and choice.candidates[0].code == "1.007689"
    assert below_plain_floor(told["text"], choice.candidates)


def test_aspect_words_alone_name_nothing() -> None:
    for text in ["có mất tiền không ạ", "mất mấy ngày ạ", "nộp ở đâu vậy"]:
        assert names_nothing(text), text
    for text in ["cước bưu điện trả kết quả bao nhiêu", "quên mật khẩu vneid thì làm sao"]:
        assert not names_nothing(text), text


def test_a_most_common_match_above_the_plain_floor_is_still_answered() -> None:
    known = load_catalogue()
    told = _message("bà già rồi, muốn chứng thực mấy trang giấy khai sinh photo thì đi đâu làm",
                    ("2.000815", 0.52), ("2.000908", 0.48), ("2.000942", 0.46))
    choice = choose_procedure(told, None, known)
    assert choice.kind == "answer" and choice.code == "2.000815"
