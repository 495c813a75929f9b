"""A clear search lead overrules the word check (:func:`knowledge_base.answer_check.search_lead_entry`):
the first hit far ahead of the second, still covering half the message, and no further in meaning than
the word-chosen entry. The similarity is a stub here (the e5 one lives in actions.faq)."""

from __future__ import annotations

from knowledge_base.answer_check import best_entry, search_lead_entry
from knowledge_base.faq import get_faq

OTP = get_faq("vneid.otp_not_received")
PASSCODE = get_faq("vneid.forgot_passcode")
ORIGINALS = get_faq("submission.send_originals")
POST_EXCEPTIONS = get_faq("submission.post_exceptions")
LOCK = get_faq("vneid.lock")
UNLOCK = get_faq("vneid.unlock")


def _similarity(table: dict[str, float]):
    return lambda _message, entry: table[entry.id]


OTP_MESSAGE = "không nhân được mã otp vneid dù đã bấm gửi lai nhiều lần"  # held-out u061's wording


def test_the_word_check_alone_misses_this() -> None:
    assert best_entry(OTP_MESSAGE, [OTP, UNLOCK, PASSCODE]) is PASSCODE


def test_a_clear_lead_the_meaning_agrees_with_overrules_the_words() -> None:
    sim = _similarity({OTP.id: 0.96, PASSCODE.id: 0.91})
    assert search_lead_entry(OTP_MESSAGE, PASSCODE, [(OTP, 0.61), (UNLOCK, 0.35)], sim) is OTP
    # nothing chosen by the words: the lead answers (no similarity needed)
    message = "thu tuc mot phan can ban goc thi gui ban goc bang cach nao"
    assert search_lead_entry(message, None, [(ORIGINALS, 0.63), (POST_EXCEPTIONS, 0.37)], sim) is ORIGINALS


def test_no_overrule_on_a_near_tie_or_when_the_meaning_disagrees() -> None:
    sim = _similarity({OTP.id: 0.96, PASSCODE.id: 0.91})
    assert search_lead_entry(OTP_MESSAGE, PASSCODE, [(OTP, 0.61), (UNLOCK, 0.50)], sim) is PASSCODE  # lead 0.11
    against = _similarity({OTP.id: 0.89, PASSCODE.id: 0.92})
    assert search_lead_entry(OTP_MESSAGE, PASSCODE, [(OTP, 0.61), (UNLOCK, 0.35)], against) is PASSCODE
    assert search_lead_entry(OTP_MESSAGE, None, [(OTP, 0.61)], sim) is None  # one hit: no lead to measure


def test_the_words_still_guard_against_a_misroute_and_an_opposite() -> None:
    sim = _similarity({OTP.id: 0.99, LOCK.id: 0.99, UNLOCK.id: 0.5})
    # a first hit covering under half of the message's words is no answer, however far ahead
    assert search_lead_entry("vay tiền mua nhà lãi suất ngân hàng nào thấp", None, [(OTP, 0.9), (LOCK, 0.2)], sim) is None
    # "mở khóa" is never answered with how to lock
    assert search_lead_entry("mở khóa tài khoản định danh VNeID", UNLOCK, [(LOCK, 0.9), (UNLOCK, 0.5)], sim) is UNLOCK


CHILDREN = get_faq("vneid.children")
LEVEL2_TIME = get_faq("vneid.level2_time")
CHANGE_PHONE = get_faq("vneid.change_phone")
SCHOOL_MESSAGE = "trường yêu cầu bố mẹ làm định danh điện tử cho con đang học lớp 2, phải làm thủ tục ra sao"


def test_nothing_chosen_a_small_lead_in_the_nlu_topic_with_the_best_meaning_answers() -> None:
    sim = _similarity({CHILDREN.id: 0.9, LEVEL2_TIME.id: 0.8, CHANGE_PHONE.id: 0.7})
    hits = [(CHILDREN, 0.50), (LEVEL2_TIME, 0.43), (CHANGE_PHONE, 0.40)]
    assert search_lead_entry(SCHOOL_MESSAGE, None, hits, sim, topic="vneid") is CHILDREN
    # no topic, another topic, a near tie, or a rival closer in meaning: nothing rather than a guess
    assert search_lead_entry(SCHOOL_MESSAGE, None, hits, sim) is None
    assert search_lead_entry(SCHOOL_MESSAGE, None, hits, sim, topic="payment") is None
    assert search_lead_entry(SCHOOL_MESSAGE, None, [(CHILDREN, 0.50), (LEVEL2_TIME, 0.47)], sim, topic="vneid") is None
    closer = _similarity({CHILDREN.id: 0.8, LEVEL2_TIME.id: 0.7, CHANGE_PHONE.id: 0.85})
    assert search_lead_entry(SCHOOL_MESSAGE, None, hits, closer, topic="vneid") is None
    # an entry the words chose is kept: the small lead only fills a gap
    assert search_lead_entry(SCHOOL_MESSAGE, LEVEL2_TIME, hits, sim, topic="vneid") is LEVEL2_TIME
