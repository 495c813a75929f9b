"""Session 16, procedures told as stories in everyday words (issue 9).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from dvcbot.textnorm import fold
from knowledge_base.vocabulary import correct_pairs, find_term, situations_in

LOST_PASSPORT = "1.010386"
CERTIFIED_COPY = "2.000815"
NEW_HOUSE_PERMIT = "1.013225"
LAND_CHANGE = "1.013831"


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


@pytest.mark.parametrize(("typed", "meant"), [
    ("đánh rơi hộ chíu ngoài chợ", "đánh rơi hộ chiếu ngoài chợ"),
    ("em lm mat ho chiu roi", "em lm mat ho chieu roi"),
])
def test_a_shortened_diphthong_is_read_by_its_neighbour(typed: str, meant: str) -> None:
    assert correct_pairs(typed) == meant


@pytest.mark.parametrize("text", ["anh ấy không chịu làm", "cho tui hỏi", "tôi chưa hiu lắm", "nguoi cao tui"])
def test_everyday_words_with_a_short_diphthong_stay(text: str) -> None:
    assert correct_pairs(text) == text


@pytest.mark.parametrize("text", [
    "bà cụ nhà tôi mất hộ chíu, giờ báo mất ở đâu",
    "đánh rơi hộ chíu ngoài chợ thì trình báo chỗ nào",
])
def test_a_misspelt_passport_loss_names_the_report(text: str) -> None:
    assert _code(text) == LOST_PASSPORT


@pytest.mark.parametrize("text", [
    "cong chung may ban photo so huu o phuong duoc ko",
    "ông cần chứng thực vài bản thẻ hưu trí với bằng tốt nghiệp",
    "bác muốn công chứng mấy tờ giấy khai sinh cũ với học bạ nộp cho cơ quan",
    "mẹ tôi già rồi, cần công chứng mấy bản sổ đỏ để nộp ngân hàng, ra ủy ban xã được không",
])
def test_certifying_counted_papers_is_a_certified_copy(text: str) -> None:
    assert _code(text) == CERTIFIED_COPY


@pytest.mark.parametrize("text", [
    "công chứng hợp đồng mua bán nhà mấy tờ",
    "chứng thực chữ ký mấy bản giấy ủy quyền",
    "công chứng di chúc mấy trang hết bao nhiêu",
])
def test_certifying_a_contract_signature_or_will_is_no_copy(text: str) -> None:
    assert _code(text) != CERTIFIED_COPY


@pytest.mark.parametrize("text", [
    "nhà cũ xuống cấp quá muốn đập đi xây mới thì xin phép ở đâu",
    "nha em o trong ngo muon pha di xay lai 3 tang can giay to gi",
    "xây lại nhà trên đất cũ cần thủ tục gì",
])
def test_a_house_pulled_down_and_rebuilt_needs_a_new_building_permit(text: str) -> None:
    assert _code(text) == NEW_HOUSE_PERMIT


@pytest.mark.parametrize("text", ["xây lại nhà nhưng chỉ sửa chữa mái", "muốn xây lại tường rào nhà"])
def test_a_repair_or_a_fence_is_no_new_house(text: str) -> None:
    assert _code(text) != NEW_HOUSE_PERMIT


def test_so_hong_without_diacritics_is_the_pink_certificate() -> None:
    assert fold("gio sang ten so hong o dau") == "gio sang ten so hong o dau"
    assert fold("lam duoc hong ban") == "lam duoc khong ban"
    assert _code("toi mua lai nha cua hang xom, co hop dong cong chung roi, gio sang ten so hong o dau") == LAND_CHANGE


@pytest.mark.parametrize("text", [
    "khai sinh của bé bỏ trống phần cha, nay muốn bổ sung tên cha",
    "giấy khai sinh của cháu để trống phần cha vì lúc đó chưa cưới, giờ anh ấy muốn nhận con",
    "con em đã làm giấy khai sinh rồi nhưng chưa có tên bố, giờ bố cháu muốn nhận con thì làm sao",
])
def test_a_father_added_to_an_issued_birth_certificate_is_a_recognition(text: str) -> None:
    assert _code(text) == "1.001022"
    assert "birth_with_father" not in {s.name for s in situations_in(text)}


def test_a_newborn_of_unmarried_parents_stays_the_combined_registration() -> None:
    text = "bé nhà tôi mới sinh, hai đứa chưa đăng ký kết hôn, làm khai sinh có tên bố được không"
    assert _code(text) != "1.001022"
    assert "birth_with_father" in {s.name for s in situations_in(text)}


@pytest.mark.parametrize("text", [
    "bố cho tôi mảnh đất, giấy cho tặng thì chứng thực ở đâu",
    "viết giấy mua bán xe máy với người quen có phải chứng thực không",
    "giấy chuyển nhượng đất thì ra phường chứng thực được không",
])
def test_certifying_a_gift_or_sale_paper_is_a_transaction(text: str) -> None:
    assert _code(text) == "2.001035"


def test_a_will_or_inheritance_paper_is_no_transaction() -> None:
    assert _code("chứng thực giấy tặng cho phần di sản của bố") != "2.001035"


@pytest.mark.parametrize("text", [
    "me toi mat, nha dat chia cho cac con, gio lam so do sang ten cho toi the nao",
    "nhà của mẹ để lại, mấy chị em đồng ý cho tôi, sổ hồng sang tên tôi thủ tục gì",
])
def test_the_land_paper_named_before_the_transfer_verb_is_the_transfer(text: str) -> None:
    assert _code(text) == LAND_CHANGE
