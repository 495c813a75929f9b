"""Session 16 (faq16): an FAQ is chosen by the message's own request and its distinctive term, not by the
words every entry of a topic shares ("qua mạng", "nộp hồ sơ"). Phrasings are our own, not the dev set's."""

from __future__ import annotations

from knowledge_base.answer_check import (
    GENERIC_ASPECTS,
    asks_same_aspect,
    best_entry,
    content_words,
    distinctive_match,
    entry_words,
    search_lead_entry,
)
from knowledge_base.faq import get_faq

POSTAGE = get_faq("submission.postage_support_100")
SIGNATURE = get_faq("payment.digital_signature_support")
PORTAL = get_faq("submission.which_portal")
STEPS = get_faq("submission.steps")
WHY = get_faq("submission.why_online")
LEVELS = get_faq("vneid.level1_vs_level2")
LEVEL2 = get_faq("vneid.level2_register")


def test_the_topic_word_online_is_no_aspect_that_tells_entries_apart() -> None:
    assert "online" in GENERIC_ASPECTS
    assert not asks_same_aspect("nộp hồ sơ qua mạng thì vào trang nào", POSTAGE)


def test_a_digital_signature_is_one_word_not_the_ky_of_dang_ky() -> None:
    words = content_words("cháu bảo phải có chữ ký số, nhà nước có hỗ trợ tiền không")
    assert "chukyso" in words and "ky" not in words
    assert "chukyso" in entry_words(SIGNATURE) and "chukyso" not in entry_words(POSTAGE)


def test_the_entry_naming_the_rare_term_wins_among_equals() -> None:
    message = "ông bà già rồi, cháu nó bảo phải có chữ ký số mới nộp được, cái đó nhà nước có hỗ trợ tiền không"
    assert distinctive_match(message, SIGNATURE, [POSTAGE, SIGNATURE]) > distinctive_match(message, POSTAGE,
                                                                                           [POSTAGE, SIGNATURE])
    assert best_entry(message, [POSTAGE, SIGNATURE]) is SIGNATURE
    assert best_entry("chu ky so ca nhan thanh pho co tra tien ho khong", [POSTAGE, SIGNATURE]) is SIGNATURE
    assert best_entry("nộp hồ sơ trực tuyến có được hỗ trợ tiền gửi bưu điện không", [SIGNATURE, POSTAGE]) is POSTAGE


def test_the_level_number_is_part_of_the_word() -> None:
    assert {"muc1", "muc2"} <= content_words("tk muc 1 voi muc do 2 khac gi nhau")
    assert best_entry("tk level 1 thi dung duoc gi, co can len level 2 ko", [LEVEL2, LEVELS]) is LEVELS


def test_papers_handed_in_are_the_file() -> None:
    assert best_entry("e ở hn, nộp giấy tờ onl thì lên web nào vậy ad", [STEPS, WHY, PORTAL]) is PORTAL


def test_a_search_lead_does_not_overrule_the_entry_whose_own_question_asks_the_request() -> None:
    message = "muốn nộp giấy tờ qua mạng thì vào trang web nào"

    def sim(_message: str, entry: object) -> float:
        return {STEPS.id: 0.97, PORTAL.id: 0.95, WHY.id: 0.90}[entry.id]  # type: ignore[attr-defined]

    assert search_lead_entry(message, PORTAL, [(STEPS, 0.69), (PORTAL, 0.45)], sim) is PORTAL
    # a lead still overrules a chosen entry whose own question does not ask the request
    assert search_lead_entry(message, WHY, [(PORTAL, 0.69), (STEPS, 0.45)], sim) is PORTAL


def test_the_rate_paid_is_the_fee_not_a_menu_item() -> None:
    # folded, "mức" (rate) is "mục" (menu item) of the paying steps' answer
    assert "phi" in content_words("thế bây giờ làm online thì đóng tiền theo mức nào")
    assert "phi" not in content_words("cần tài khoản định danh mức nào mới nộp được hồ sơ")
    zero_fee, paying = get_faq("payment.zero_fee_hanoi"), get_faq("payment.steps")
    assert best_entry("vay h nop onl thi tinh muc bao nhieu", [paying, zero_fee],
                      context="nop truc tuyen co con 0 dong khong") is zero_fee
