"""The request inside a message (address and story stripped), the ranking mix, and the
procedure-versus-agent/payment cue check (pure functions; the parse with the real model is in
test_parser.py)."""

from __future__ import annotations

import pytest

from nlu.request import (
    asks_for_number,
    asks_new_ward,
    combine,
    corrects_own_record,
    is_record_correction,
    is_request,
    procedure_without_cue,
    request_text,
)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("ad ơi cho hỏi đăng ký tạm trú cần gì", "đăng ký tạm trú cần gì"),
        ("chào em, làm hộ chiếu mất mấy ngày", "làm hộ chiếu mất mấy ngày"),
        ("Dạ cho em hỏi cấp lại bằng lái bị mất thì làm sao ạ", "cấp lại bằng lái bị mất thì làm sao ạ"),
        ("ad oi lm ho chieu o dau v", "lm ho chieu o dau v"),
    ],
)
def test_address_before_the_request_is_left_out(text: str, part: str) -> None:
    assert request_text(text) == part


@pytest.mark.parametrize(
    "text", ["chào ad", "xin chào", "cảm ơn em nhé", "làm căn cước cần gì", "ad ơi ạ", "xin chào em, chị muốn hỏi ít việc"]
)
def test_short_or_unwrapped_messages_have_no_separate_part(text: str) -> None:
    assert request_text(text) is None


def test_long_story_gives_the_asking_sentence() -> None:
    text = ("Chào bạn, nhà mình có hai con nhỏ, vợ chồng đi làm cả ngày, bà nội lên trông cháu rồi ở luôn. "
            "Bà ở quê Thanh Hóa. Giờ mình muốn đăng ký thường trú cho bà vào nhà mình thì làm thế nào?")
    part = request_text(text)
    assert part is not None
    assert "đăng ký thường trú" in part
    assert "Thanh Hóa" not in part


def test_combine_weighs_the_request_part_more() -> None:
    whole = [("greet", 0.5), ("ask_procedure", 0.3), ("thank", 0.2)]
    part = [("ask_procedure", 0.9), ("greet", 0.05), ("thank", 0.05)]
    ranked = combine(whole, part)
    assert ranked[0][0] == "ask_procedure"
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-9
    assert [n for n, _ in ranked] == ["ask_procedure", "greet", "thank"]


@pytest.mark.parametrize(
    ("intent", "text", "moved"),
    [
        ("find_agent", "đăng ký thường trú làm ở công an phường hay thành phố", True),
        ("find_agent", "làm hộ chiếu có phải lên tận nơi không", True),
        ("find_agent", "điểm tiếp nhận hồ sơ căn cước gần nhà tôi", False),
        ("find_agent", "tìm đại lý làm lý lịch tư pháp", False),
        ("find_agent", "bưu điện nào nhận hồ sơ cấp hộ chiếu", False),
        ("ask_online_payment", "thanh lap doanh nghiep tu nhan", True),
        ("ask_online_payment", "nhận trợ cấp thất nghiệp qua tài khoản ngân hàng", True),
        ("ask_online_payment", "đã thanh toán lệ phí hộ chiếu mà chưa có biên lai", False),
        ("ask_online_payment", "tt le phi ho chieu bi loi", False),  # "tt" is thanh toán here
        ("ask_online_payment", "bị trừ tiền khi nộp hồ sơ khai sinh", False),
        ("ask_procedure", "làm căn cước ở đâu", False),
        ("ask_vneid", "quên mật khẩu vneid", False),
    ],
)
def test_named_procedure_without_agent_or_payment_words(intent: str, text: str, moved: bool) -> None:
    assert procedure_without_cue(intent, text) is moved


def test_a_social_or_unsure_part_is_not_a_request() -> None:
    assert is_request([("ask_procedure", 0.8), ("greet", 0.2)])
    assert not is_request([("greet", 0.8), ("ask_procedure", 0.2)])
    assert not is_request([("ask_vneid", 0.5), ("ask_procedure", 0.4)])
    assert not is_request([])


def test_asking_for_a_number_to_call_is_a_contact_question_not_a_handoff() -> None:
    assert asks_for_number("cho tôi xin số điện thoại để gọi hỏi cán bộ")
    assert asks_for_number("muốn hỏi trực tiếp cán bộ thì gọi số nào")
    assert asks_for_number("cho xin sdt tong dai")
    # leaving one's own number, or asking for a person, stays a request for a human
    assert not asks_for_number("để lại số để cán bộ liên hệ lại")
    assert not asks_for_number("gọi lại cho tôi số 0912345678")
    assert not asks_for_number("cho tôi gặp cán bộ")


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("năm sinh trên thẻ căn cước bị sai, tôi cần điều chỉnh", True),
        ("giấy khai sinh của cháu ghi nhầm tên mẹ, muốn cải chính", True),
        ("thong tin cu tru cua toi bi sai, lam sao de sua lai", True),
        ("muốn cập nhật lại quê quán trong cơ sở dữ liệu dân cư", True),
        # a complaint keeps its own cues: staff, delays, fees
        ("cán bộ ghi sai tên tôi rồi còn quát, tôi muốn sửa và khiếu nại", False),
        ("hồ sơ sửa mãi chưa xong, quá hạn cả tuần", False),
        ("ngày sinh bị sai", False),  # no wish to correct: the classifier decides
    ],
)
def test_a_wish_to_correct_ones_record_is_not_a_complaint(text: str, correction: bool) -> None:
    assert corrects_own_record(text) is correction
    assert procedure_without_cue("file_complaint", text) is correction


@pytest.mark.parametrize(
    ("intent", "text", "asked"),
    [
        ("ask_procedure", "phường Trúc Bạch cũ sau sáp nhập giờ là phường nào", True),
        ("ask_procedure", "xa cu cua toi o Dong Anh, sau sap xep thuoc xa nao", True),
        ("nlu_fallback", "nhà tôi ở Ngọc Khánh trước đây, giờ tên mới là gì", True),
        ("ask_contact", "sáp nhập xong thì phường Bạch Mai nay là phường nào", True),
        # a complaint or a goodbye naming a merged ward is not a place question
        ("file_complaint", "phường sáp nhập rồi mà cán bộ thái độ kém", False),
        ("ask_procedure", "phường Láng làm căn cước ở đâu", False),
    ],
)
def test_which_ward_an_old_one_became(intent: str, text: str, asked: bool) -> None:
    assert asks_new_ward(intent, text) is asked


@pytest.mark.parametrize(
    "text",
    ["chỗ nào gần nhà nhận làm hộ chiếu cho người già", "có cần mang sổ hộ khẩu khi đổi bằng lái xe không"],
)
def test_words_that_only_fold_like_an_address_are_kept(text: str) -> None:
    """"chỗ" folds like "cho" (of "cho hỏi") and "có" like "cô": with their diacritics they ask."""
    assert request_text(text) is None


def test_an_address_typed_without_diacritics_is_still_left_out() -> None:
    assert request_text("da cho em hoi lam the bhyt cho con o dau") == "lam the bhyt cho con o dau"


@pytest.mark.parametrize(
    ("intent", "text", "moved"),
    [
        ("ask_vneid", "tên đệm của tôi trong dữ liệu dân cư bị ghi sai, cần điều chỉnh lại", True),
        ("ask_vneid", "tôi muốn cập nhật thông tin bằng lái xe lên vneid", False),  # integrates, corrects nothing
        ("file_complaint", "ngay sinh tren the bi sai, muon sua lai", True),
        ("file_complaint", "cán bộ ghi sai mà còn quát tôi, muốn sửa cũng không được", False),
        ("ask_contact", "số điện thoại trên hồ sơ bị sai, muốn sửa", False),
    ],
)
def test_a_correction_taken_for_a_complaint_or_the_vneid_account_is_a_procedure(intent: str, text: str,
                                                                                 moved: bool) -> None:
    assert is_record_correction(intent, text) is moved


@pytest.mark.parametrize(
    ("text", "replaces"),
    [
        ("the can cuoc cua toi bi gay lam doi, muon lam lai", True),
        ("bằng lái xe của tôi bị mờ hết ảnh, muốn cấp lại", True),
        ("chau oi the cua ba bi nut roi, doi cai khac o dau", True),
        ("hộ chiếu bị ướt nát hết rồi muốn làm mới", True),
        ("cán bộ làm mất hồ sơ của tôi, bắt làm lại", False),  # the staff's doing: a complaint
        ("tôi muốn phản ánh thẻ bị hỏng mà cán bộ không đổi cho", False),
        ("cổng dịch vụ công bị lỗi, muốn đổi mật khẩu", False),  # no paper damaged
    ],
)
def test_a_damaged_or_lost_paper_to_renew_is_a_procedure_not_a_complaint(text: str, replaces: bool) -> None:
    from nlu.request import is_record_correction, replaces_own_paper

    assert replaces_own_paper(text) is replaces
    assert is_record_correction("file_complaint", text) is replaces
