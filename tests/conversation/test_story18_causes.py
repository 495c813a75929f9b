"""Session 18, story-first messages, corrections and the procedure they pick (issue 9).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.correction import takes_back
from knowledge_base.emphasis import without_emphasis
from knowledge_base.vocabulary import find_term, situations_in

PERMANENT_RESIDENCE = "1.004222"
HOUSEHOLD_CHANGE = "2.000720"


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


# --- the emphasis "hẳn" inside a phrase ----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [
    ("nhập hẳn hộ khẩu cho bố", "nhập hộ khẩu cho bố"),
    ("chuyen han khau ve nha con gai", "chuyen khau ve nha con gai"),
    ("tách hẳn hộ cho con", "tách hộ cho con"),
])
def test_the_emphasis_word_is_left_out(typed: str, meant: str) -> None:
    assert without_emphasis(typed) == meant


@pytest.mark.parametrize("text", ["gia han the tam tru", "het han roi", "thoi han bao lau", "dung han khong",
                                  "hẳn là vậy", "đúng hạn",
                                  "quán tôi nghỉ hẳn rồi", "đóng hẳn công ty", "bố mẹ lên ở hẳn với tôi"])
def test_a_deadline_word_stays(text: str) -> None:
    assert without_emphasis(text) == text


@pytest.mark.parametrize("text", [
    "ông ngoại muốn nhập hẳn hộ khẩu về nhà tôi",
    "nhap han ho khau cho bo ve o cung",
])
def test_a_stressed_moving_in_is_permanent_residence(text: str) -> None:
    assert _code(text) == PERMANENT_RESIDENCE


@pytest.mark.parametrize("text", [
    "chao ban, vo chong minh bo nhau roi, gio minh muon cung con ra thanh mot ho rieng o nha ngoai",
    "con trai cưới vợ xong muốn đứng một hộ khẩu riêng thì làm sao",
])
def test_a_household_of_ones_own_is_a_split(text: str) -> None:
    assert _code(text) == "1.010038"


def test_a_business_household_is_no_split() -> None:
    assert _code("em muốn lập hộ riêng để kinh doanh quần áo") != "1.010038"


# --- a correction takes back the topic -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "à không, ý em là đăng ký thường trú cho bố",
    "nhầm rồi, tôi muốn chuyển khẩu cho ông về nhà tôi",
    "ko phai, e hoi nhap khau cho con",
    "không phải là tạm trú, mà là thường trú cho mẹ vợ",
    "tôi gõ nhầm, là tách hộ cho con trai",
])
def test_a_correction_naming_a_new_request_takes_back_the_topic(text: str) -> None:
    assert takes_back(text)


@pytest.mark.parametrize("text", [
    "không, cảm ơn", "ý tôi là thế đấy", "không biết làm ở đâu", "không phải mang giấy khai sinh à",
    "thế thì mấy ngày", "có phải đổi thẻ không", "k có căn cước thì làm sao",
])
def test_a_follow_up_or_a_no_takes_back_nothing(text: str) -> None:
    assert not takes_back(text)


# --- a household business that moves, a "shop" --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "tiệm may nhà tôi sắp chuyển cửa hàng ra mặt đường, giấy phép kinh doanh có phải làm lại không",
    "minh dinh doi quan sang pho khac, ho kinh doanh phai lam gi",
])
def test_a_household_business_moving_is_a_change_of_registration(text: str) -> None:
    assert _code(text) == HOUSEHOLD_CHANGE


def test_a_company_moving_is_not_a_household_change() -> None:
    assert _code("công ty tôi chuyển cửa hàng sang quận khác, giấy phép kinh doanh thì sao") != HOUSEHOLD_CHANGE


@pytest.mark.parametrize("text", ["shop quần áo của em muốn tạm ngừng kd 2 tháng", "cửa tiệm nhà tôi nghỉ bán một thời gian"])
def test_a_shop_is_a_household_business(text: str) -> None:
    assert "household_business" in [s.name for s in situations_in(text)]


# --- a host declaring a foreign guest ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "homestay nhà mình đón khách quốc tế, phải khai tạm trú cho họ ở đâu",
    "nha nghi cua toi co khach tay o qua dem thi khai bao the nao",
    "phòng cho thuê nhà em có khách nước ngoài ở, có phải báo công an không",
])
def test_a_foreign_guest_is_declared_by_the_host(text: str) -> None:
    assert _code(text) == "1.001437"


@pytest.mark.parametrize("text", ["khách nước ngoài gia hạn tạm trú", "khai báo tạm trú cho khách nước ngoài bằng phiếu",
                                  "khách nước ngoài xin thẻ tạm trú"])
def test_a_foreigners_own_procedure_or_the_paper_form_is_no_web_declaration(text: str) -> None:
    assert _code(text) != "1.001437"
