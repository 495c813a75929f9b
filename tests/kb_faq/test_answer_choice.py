"""FAQ choice among close entries (issue 9): among the entries that cover the message, the one
whose own question matches it wins, then the best covered, then the one closest to the context."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge_base.answer_check import best_entry, question_coverage
from knowledge_base.faq import load_faqs


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    paraphrases: tuple[str, ...] = ()
    answer: str = ""


ZERO_FEE = Entry("zero_fee", "Nộp hồ sơ trực tuyến ở Hà Nội có được miễn lệ phí không?",
                 answer="Chính sách miễn lệ phí khi nộp hồ sơ qua mạng, tất cả các thủ tục ở Hà Nội, đã hết hạn.")
ALL_ONLINE = Entry("all_online", "Hà Nội có nhận tất cả thủ tục qua mạng không?",
                   ("có phải thủ tục nào cũng nộp online được",), "Không phải thủ tục nào cũng nộp trực tuyến.")


def test_the_entry_whose_question_matches_wins_over_one_whose_answer_covers_more() -> None:
    message = "có phải giờ hà nội nhận hết các thủ tục qua mạng không"
    assert question_coverage(message, ALL_ONLINE) > question_coverage(message, ZERO_FEE)
    # the zero-fee entry comes first in the search order and its answer covers the words too
    assert best_entry(message, [ZERO_FEE, ALL_ONLINE]).id == "all_online"


def test_nothing_when_no_entry_covers_enough_and_context_breaks_ties() -> None:
    assert best_entry("vay tiền mua nhà lãi suất", [ZERO_FEE, ALL_ONLINE]) is None
    fee_a = Entry("vneid_fee", "Có mất phí không?", answer="Tài khoản định danh điện tử VNeID miễn phí.")
    fee_b = Entry("payment_fee", "Có mất phí không?", answer="Phí chuyển khoản ngân hàng tùy ngân hàng.")
    assert best_entry("có mất phí không", [fee_b, fee_a], context="đăng ký tài khoản định danh điện tử").id == "vneid_fee"
    assert best_entry("có mất phí không", [fee_b, fee_a]).id == "payment_fee"  # search order otherwise


def test_real_entries() -> None:
    entries = {e.id: e for e in load_faqs()}
    message = "tài khoản vneid của tôi bị khóa không đăng nhập được, mở khóa thế nào"
    assert best_entry(message, [entries["vneid.lock"], entries["vneid.unlock"]]).id == "vneid.unlock"
