"""Issue 9, session 17 (faq18): causes of FAQ misses, each tested on its deciding function. Phrasings are
written for these tests, not taken from the evaluation sets."""

from __future__ import annotations

import re

import pytest

from actions.where_to_turn import ANYWHERE_ENTRY, turn_to_entry
from dvcbot.textnorm import normalize
from knowledge_base.answer_check import best_entry, clauses, question_part
from knowledge_base.faq import load_faqs

FAQS = {f.id: f for f in load_faqs()}


# ---- a clause telling what is already done, with no comma, is not what is asked ----------------------------

@pytest.mark.parametrize("message, asked", [
    ("nop tren mang xong roi co phai len lay giay khong", "co phai len lay giay khong"),
    ("thanh toán xong thì tải biên lai ở đâu", "tải biên lai ở đâu"),
    ("mình gửi hồ sơ qua mạng rồi thì kết quả nhận ở đâu", "kết quả nhận ở đâu"),
])
def test_a_done_clause_ends_before_the_question(message, asked) -> None:
    assert clauses(message)[-1] == asked


@pytest.mark.parametrize("message", ["bao lâu thì xong", "làm xong rồi", "xong rồi thì", "đánh rơi thì làm sao"])
def test_xong_and_roi_at_the_end_split_nothing(message) -> None:
    assert clauses(message) == [message]


def test_the_results_entry_answers_a_question_after_a_done_clause() -> None:
    message = "bác làm trên mạng xong rồi có phải đến chi nhánh nhận kết quả không"
    assert question_part(message).startswith("có phải đến chi nhánh")
    ids = ("submission.all_online", "submission.results_by_post", "submission.steps", "submission.login_account")
    chosen = best_entry(message, [FAQS[i] for i in ids], topic="submission")
    assert chosen is not None and chosen.id == "submission.results_by_post"


# ---- whether one must file at a given office is the any-branch rule -----------------------------------------

@pytest.mark.parametrize("message", [
    "co bat buoc nop o do khong",
    "nhất thiết phải làm tại phường mình à",
    "vậy có bắt buộc nộp ở chi nhánh đó không hay chỗ khác cũng được",
])
def test_must_i_file_there_is_the_any_branch_rule(message) -> None:
    assert turn_to_entry(message) == ANYWHERE_ENTRY


@pytest.mark.parametrize("message", ["có bắt buộc nộp online không", "có phải lên chi nhánh lấy kết quả không"])
def test_obligations_of_other_kinds_are_not_the_any_branch_rule(message) -> None:
    assert turn_to_entry(message) != ANYWHERE_ENTRY


# ---- an answer does not say "yes" to its own headline: it also answers questions asked other ways -------------

_YES_TO_HEADLINE = re.compile(r"^Dạ,\s*(?:đúng|phải|vâng)\b", re.IGNORECASE)


def test_no_answer_opens_with_a_bare_yes() -> None:
    # "có bắt buộc nộp online không" is a paraphrase of the all-online entry: "Dạ, đúng ạ" would say it is mandatory
    assert [f.id for f in FAQS.values() if _YES_TO_HEADLINE.match(f.answer)] == []


# ---- everyday shorthand ----------------------------------------------------------------------------------------

def test_kq_is_ket_qua() -> None:
    assert normalize("kq bao gio co").startswith("kết quả ")


# ---- a follow-up asking more about what the answer before only mentioned is another entry's question ----------

def test_asking_beyond_the_previous_answer_leaves_it() -> None:
    from actions.followup import faq_followup

    entry = faq_followup("cái một phần ấy thì giấy gốc gửi đi đâu", "submission.full_vs_partial")
    assert entry is not None and entry.id == "submission.send_originals"


def test_a_follow_up_naming_only_what_was_asked_stays() -> None:
    from actions.followup import asks_beyond

    info = {"asked": {"toan", "trinh", "phan"}, "answer": {"goc", "gui", "buu"}}
    assert asks_beyond({"goc", "gui"}, info)
    assert not asks_beyond({"toan", "trinh"}, info)
    assert not asks_beyond({"zalo"}, info)  # a word the answer never said: no closeness lost for it


# ---- who goes, and "những gì", name nothing asked ----------------------------------------------------------------

def test_what_to_bring_said_with_who_goes() -> None:
    from actions.followup import faq_followup
    from knowledge_base.aspects import detect_aspect

    assert detect_aspect("phải mang những gì") == "documents"
    entry = faq_followup("the bo me phai chuan bi nhung gi", "vneid.level2_time")
    assert entry is not None and entry.id == "vneid.what_to_bring"
