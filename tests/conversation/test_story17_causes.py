"""Session 17, procedures told as stories in everyday words and teencode (issue 9).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from knowledge_base.vocabulary import correct_pairs, find_term, question_sentence, situations_in

DEATH_REGISTRATION = "1.000656"
LAND_CHANGE = "1.013831"
WORK_ACCIDENT = "1.001632"


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


def _situations(text: str) -> list[str]:
    return [s.name for s in situations_in(text)]


# --- a vowel mark left out, the tone typed ("lao đọng") -----------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [
    ("chồng tôi bị tai nạn lao đọng ở công trường", "chồng tôi bị tai nạn lao động ở công trường"),
    ("xin cấp hộ chiéu phổ thông", "xin cấp hộ chiếu phổ thông"),
])
def test_a_dropped_vowel_mark_is_read_by_its_neighbour(typed: str, meant: str) -> None:
    assert correct_pairs(typed) == meant


@pytest.mark.parametrize("text", ["nước đọng trong sân", "con dâu nhà tôi", "bạn tôi bận", "lao dong o xuong"])
def test_words_with_their_own_marks_stay(text: str) -> None:
    assert correct_pairs(text) == text


def test_a_work_accident_typed_with_a_dropped_mark_is_named() -> None:
    assert _code("em bị tai nạn lao đọng dập ngón tay, làm chế độ ở đâu") == WORK_ACCIDENT


# --- a damaged card is exchanged --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "thẻ căn cước của bà bị bong hết lớp ngoài, bà muốn làm thẻ khác",
    "the cccd bi cong venh, chip hong khong quet duoc",
    "cái thẻ bị nứt vỡ một góc thì làm sao",
])
def test_a_damaged_card_is_worn(text: str) -> None:
    assert "worn_or_changed" in _situations(text)


# --- a paper one carries told lost, or made again ---------------------------------------------------

@pytest.mark.parametrize("text", [
    "gplx xe máy của mình mất đâu rồi, giờ lm lại ở đâu",
    "bằng lái ô tô của anh rơi đâu mất, xin cấp lại cần gì",
    "hôm qua bị móc túi mất cả căn cước lẫn bằng lái",
])
def test_a_paper_told_lost_is_re_issued(text: str) -> None:
    assert {"lost", "own_paper_gone"} & set(_situations(text))


@pytest.mark.parametrize("text", [
    "bố tôi mất rồi, giờ làm giấy chứng tử thế nào",
    "căn cước hết hạn mất rồi",
    "làm xong mất bao lâu",
])
def test_a_death_an_expiry_or_a_cost_is_no_lost_paper(text: str) -> None:
    assert not {"lost", "own_paper_gone"} & set(_situations(text))


def test_a_paper_found_again_is_no_lost_paper() -> None:
    text = "bằng lái báo mất rồi nhưng giờ tìm thấy, dùng lại được không"
    assert "own_paper_gone" not in _situations(text)


@pytest.mark.parametrize("text", ["thế còn bằng lái ô tô thì làm lại sao", "xin lại cái thẻ bhyt ở đâu"])
def test_a_paper_made_again_is_re_issued(text: str) -> None:
    assert "remade" in _situations(text)


@pytest.mark.parametrize("text", [
    "hồ sơ bằng lái bị trả về phải làm lại hồ sơ",
    "đổi địa chỉ mới thì làm lại căn cước thế nào",
    "cưới xong có phải làm lại căn cước không",
])
def test_a_dossier_sent_back_or_a_new_address_is_no_re_issue(text: str) -> None:
    assert "remade" not in _situations(text)


# --- "để lại cho con": a gift or inheritance of land ----------------------------------------------

@pytest.mark.parametrize("text", [
    "bà nội có cái bìa đỏ, bà tính để lại cho cháu đích tôn thì làm sao",
    "bo toi dung ten so do, gio muon de lai cho con trai thi lam giay to gi",
    "ông bà muốn để lại mảnh đất cho các con, thủ tục thế nào",
])
def test_land_left_to_a_child_is_a_change_registration(text: str) -> None:
    assert _code(text) == LAND_CHANGE


def test_a_motorbike_left_to_a_child_is_no_land() -> None:
    assert _code("bố để lại cho con cái xe máy thì sang tên sao") != LAND_CHANGE


# --- the question sentence of a story names what is asked -----------------------------------------

def test_the_last_question_sentence_is_found() -> None:
    text = "Nhà tôi ở Ba Vì. Mẹ mất lâu rồi. Bây giờ khai tử muộn thì làm thế nào?"
    assert question_sentence(text) == "Bây giờ khai tử muộn thì làm thế nào?"


@pytest.mark.parametrize("text", [
    "Ông tôi mất từ năm 2015 mà nhà chưa ai đi báo tử. Giờ con cháu làm thủ tục chia thừa kế mảnh đất, "
    "văn phòng công chứng đòi giấy chứng tử. Cho hỏi đăng ký khai tử quá hạn thế nào?",
    "Mẹ em mất mấy năm rồi. Anh em đang làm thủ tục chia thừa kế nhà đất ở văn phòng công chứng. "
    "Giờ đi khai tử muộn có bị phạt không ạ?",
])
def test_a_story_asks_what_its_question_sentence_names(text: str) -> None:
    assert _code(text) == DEATH_REGISTRATION


def test_a_death_story_with_land_left_keeps_the_death_registration() -> None:
    assert _code("bố tôi mất năm ngoái để lại mảnh đất, giờ đi khai tử thì làm ở đâu") == DEATH_REGISTRATION


# --- a lost passport "made again": the request is the new passport -----------------------------------

PASSPORT = "1.001456"
PASSPORT_LOSS = "1.010386"


@pytest.mark.parametrize("text", [
    "mat ho chieu roi lm lai ntn",
    "hộ chiếu của tôi bị mất, muốn làm lại thì hết bao nhiêu tiền",
    "em đánh rơi hộ chiếu ở sân bay rồi, xin lại cuốn khác có lâu không",
])
def test_a_lost_passport_made_again_is_the_passport(text: str) -> None:
    assert _code(text) == PASSPORT


@pytest.mark.parametrize("text", ["làm mất hộ chiếu phải làm gì", "mất hộ chiếu thì trình báo ở đâu"])
def test_a_lost_passport_alone_is_the_report(text: str) -> None:
    assert _code(text) == PASSPORT_LOSS


# --- both spouses' names on the certificate: a change registration on the couple's agreement ----------

COUPLE_CHANGE = "1.013980"


@pytest.mark.parametrize("text", [
    "so do dung ten minh toi, gio muon them ten vo vao thi thu tuc gi",
    "hai vợ chồng muốn cùng đứng tên trên sổ đỏ thì làm thủ tục gì",
    "căn hộ mua xong sổ chỉ ghi tên vợ, muốn ghi tên cả hai vợ chồng",
])
def test_both_spouses_on_the_certificate_is_the_couple_change(text: str) -> None:
    assert _code(text) == COUPLE_CHANGE


@pytest.mark.parametrize("text", [
    "cả hai vợ chồng đều đi làm, muốn làm sổ hồng chung cư thì thế nào",
    "xe ô tô muốn cùng đứng tên hai vợ chồng",
])
def test_a_couple_in_another_story_is_no_couple_change(text: str) -> None:
    assert _code(text) != COUPLE_CHANGE
