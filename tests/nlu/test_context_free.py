"""The context-free intent checks (nlu.context_free, nlu.request): a named procedure under the complaint or the
online-filing intent without a word of its kind, and the intent a moved message gets."""

from __future__ import annotations

import pytest

from nlu.context_free import VAGUE_INTENTS, is_star_rating, names_no_procedure, procedure_question_intent
from nlu.request import procedure_without_cue


@pytest.mark.parametrize(
    ("intent", "text", "moved"),
    [
        # a request for a procedure is not a complaint ...
        ("file_complaint", "thôi việc rồi giờ muốn nhận bảo hiểm xã hội một lần", True),
        ("file_complaint", "muon xin cap lai so bao hiem", True),
        # ... a grievance is, with or without diacritics
        ("file_complaint", "khiếu nại việc cấp sổ đỏ chậm", False),
        ("file_complaint", "can bo phuong thai do hach dich khi lam khai sinh", False),
        ("file_complaint", "làm căn cước mà cán bộ đòi thêm tiền", False),
        ("file_complaint", "hồ sơ đăng ký kết hôn quá hạn chưa trả", False),
        # the online-filing process itself stays ask_online_submission ...
        ("ask_online_submission", "tra cứu hồ sơ đăng ký tạm trú đã nộp", False),
        ("ask_online_submission", "đăng ký kết hôn online bị yêu cầu bổ sung", False),
        ("ask_online_submission", "khai sinh nộp qua cổng thì đăng nhập bằng gì", False),
        # ... a question about the procedure done online is a procedure question
        ("ask_online_submission", "cấp đổi căn cước nộp online hết bao nhiêu", True),
        # other intents are never moved by this check
        ("ask_vneid", "đăng ký tài khoản định danh mức 2", False),
        ("ask_procedure", "đăng ký khai sinh", False),
    ],
)
def test_named_procedure_without_complaint_or_filing_words(intent: str, text: str, moved: bool) -> None:
    assert procedure_without_cue(intent, text) is moved


def test_cues_do_not_fold_onto_everyday_words() -> None:
    # "y tế" folds to "y te" and "với" to "voi": neither is a complaint word
    assert procedure_without_cue("file_complaint", "đóng bảo hiểm y tế với cả nhà ở đâu") is True


def test_a_moved_message_keeps_vneid_when_the_classifier_prefers_it() -> None:
    assert procedure_question_intent([("out_of_scope", 0.6), ("ask_vneid", 0.2), ("ask_procedure", 0.1)]) == "ask_vneid"
    assert procedure_question_intent([("out_of_scope", 0.8), ("ask_procedure", 0.1), ("ask_vneid", 0.05)]) == (
        "ask_procedure"
    )
    assert procedure_question_intent([("greet", 1.0)]) == "ask_procedure"


def test_out_of_scope_and_greetings_are_vague() -> None:
    assert {"out_of_scope", "greet", "bot_challenge", "nlu_fallback"} <= VAGUE_INTENTS
    assert "file_complaint" not in VAGUE_INTENTS


@pytest.mark.parametrize(
    ("text", "rating"),
    [("2 sao", True), ("cho 5 sao ạ", True), ("năm sao", True), ("danh gia 1 sao", True),
     ("bản sao", False), ("2 bản sao", False), ("6 sao", False), ("sao chụp giấy khai sinh", False)],
)
def test_a_star_rating_is_only_a_rating(text: str, rating: bool) -> None:
    assert is_star_rating(text) is rating


@pytest.mark.parametrize(
    ("text", "none"),
    [
        # a short message naming only what the catalogue lacks: the search's look-alike is not it
        ("trợ cấp thất nghiệp ở đâu", True),
        ("xin giấy phép lao động cho người nước ngoài ở đâu", True),
        # a term with a procedure, or a term with one besides, keeps the procedure
        ("tách khẩu ở đâu", False),
        ("ủy quyền lĩnh thay trợ cấp thất nghiệp", False),
        ("làm căn cước ở đâu", False),
        # a long story may mention it and ask another procedure
        ("tôi đang hưởng trợ cấp thất nghiệp được ba tháng rồi, nay chuyển về ở nhà chị gái ở quận Cầu Giấy,"
         " giờ muốn đăng ký tạm trú thì cần giấy tờ gì", False),
    ],
)
def test_a_term_without_a_catalogue_procedure_drops_the_search_guess(text: str, none: bool) -> None:
    assert names_no_procedure(text) is none
