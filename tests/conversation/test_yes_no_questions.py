"""Short yes/no questions after a procedure answer (session 16, short17b): a short message closing with
"không / ko / k" that asks about something (a paper, the time, a cost) is a question, never a "no" — a
"no" opens with it or says nothing else; whether something is needed ("có cần giấy khám sức khỏe hông")
asks the papers of the procedure answered before.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.followup import followup_aspect, needed_thing
from knowledge_base.catalogue import load_catalogue
from nlu.request import asks_yes_no

BUILDING_PERMIT = "1.013225"


def _message(text: str) -> dict:
    return {"text": text, "entities": [], "procedure_candidates": []}


@pytest.mark.parametrize("text", ["co can ban ve thiet ke ko", "mất lâu k", "nhanh ko em", "tốn tiền ko",
                                  "phai chup anh k", "có cần giấy khám sức khỏe hông",
                                  "bác hỏi thêm là có phải mang sổ hộ khẩu không cháu"])
def test_a_short_question_closing_with_khong_is_no_no(text: str) -> None:
    assert asks_yes_no("deny", text)
    assert not asks_yes_no("ask_procedure", text)


@pytest.mark.parametrize("text", ["không, cảm ơn", "ko cần đâu", "thôi không", "không ạ", "k", "không cần nữa",
                                  "thôi k cần đâu em", "không phải", "có không", "vâng không cần ạ"])
def test_a_plain_no_stays_a_no(text: str) -> None:
    assert not asks_yes_no("deny", text)


@pytest.mark.parametrize("text", ["co can ban ve thiet ke ko", "phai chup anh k",
                                  "có cần giấy khám sức khỏe hông", "thế có phải xin xác nhận của phường không",
                                  "cần đi khám sk không ad"])
def test_whether_a_thing_is_needed_asks_the_papers(text: str) -> None:
    assert needed_thing(_message(text)) is not None
    assert followup_aspect(_message(text), BUILDING_PERMIT, load_catalogue()) == "documents"


@pytest.mark.parametrize("text", ["có phải lên tận nơi không", "có phải đóng phí không", "có phải thi lại không",
                                  "có cần chờ lâu không", "có phải nộp online không", "ko cần đâu", "lâu ko",
                                  "có cần đi cả hai người không", "bố nó có phải có mặt không",
                                  "có phải làm giấy ra viện trước không", "có cần lấy dấu vân tay không"])
def test_a_need_of_going_paying_or_waiting_is_no_paper(text: str) -> None:
    assert followup_aspect(_message(text), BUILDING_PERMIT, load_catalogue()) != "documents"


DRIVING_LICENCE = "3.000347"


@pytest.mark.parametrize(("code", "text", "paper"), [
    (BUILDING_PERMIT, "phải có bản vẽ k ạ", "bản vẽ"),
    (BUILDING_PERMIT, "co can ban ve thiet ke ko", "bản vẽ thiết kế"),
    (DRIVING_LICENCE, "có cần giấy khám sức khỏe hông", "sức khỏe"),
])
def test_the_papers_asked_are_named_first(code: str, text: str, paper: str) -> None:
    from actions import kb
    from actions.followup import asked_papers_note

    note = asked_papers_note(_message(text), kb.procedure(code))
    assert note is not None and paper in note.lower()


def test_a_thing_no_paper_holds_names_none() -> None:
    from actions import kb
    from actions.followup import asked_papers_note

    assert asked_papers_note(_message("có cần mang ô tô theo không"), kb.procedure(DRIVING_LICENCE)) is None
