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


# --------------------------------------------------------------------------- money not asked (session 13)

FEE = Entry("fee", "Đăng ký, khóa hay mở khóa tài khoản VNeID có mất phí không?",
            answer="Các việc này không thu phí. Nếu có nơi yêu cầu nộp tiền, xin gọi 1022.")
UNLOCK = Entry("unlock", "Tài khoản VNeID hoặc căn cước điện tử bị khóa thì mở khóa ở đâu?",
               ("vneid bị khóa phải làm sao",), "Đề nghị mở khóa qua ứng dụng VNeID.")
BY_POST = Entry("by_post", "Kết quả giải quyết thủ tục ở Hà Nội được trả qua bưu điện phải không?",
                ("kết quả có gửi về nhà không",), "Kết quả được trả qua dịch vụ bưu chính về địa chỉ đã đăng ký.")
POSTAGE = Entry("postage", "Nộp hồ sơ trực tuyến có được hỗ trợ toàn bộ cước bưu chính không?",
                ("nhận kết quả qua bưu điện có phải trả tiền không",),
                "Nộp hồ sơ trực tuyến được hỗ trợ 100% cước bưu chính khi gửi hồ sơ và nhận kết quả về nhà.")


def test_an_entry_asking_money_is_no_answer_to_a_message_naming_none() -> None:
    from knowledge_base.answer_check import asks_money, money_unasked

    assert asks_money(FEE) and asks_money(POSTAGE) and not asks_money(UNLOCK) and not asks_money(BY_POST)
    assert not asks_money(Entry("card", "Chưa có căn cước gắn chip thì làm VNeID được không?"))  # no "cước"
    assert money_unasked("vneid bi khoa ma toi co yeu cau dau, lam sao mo lai", FEE)
    assert not money_unasked("mở khóa vneid có tốn tiền không", FEE)
    assert not any(money_unasked(m, FEE) for m in ("lam vneid co phai dong gi ko", "co mat gi khong", "chu ky so co "
                                                   "duoc ho tro khong", "van 0 dong a", "thanh toan the nao"))
    assert not money_unasked("còn mở khóa thì sao", FEE, context="làm vneid có mất phí không")  # asked before
    # the fee entry's answer names "yêu cầu", "mở khóa", "tài khoản": a shared word, not the question
    assert best_entry("vneid của tôi bị khóa, tôi không yêu cầu khóa, mở lại thế nào", [FEE, UNLOCK]) is not FEE
    # who pays the postage is not where the result goes
    assert money_unasked("hồ sơ online xong thì kết quả gửi về nhà hay phải tự lên lấy", POSTAGE)
    assert not money_unasked("gửi kết quả về nhà ai trả", POSTAGE)
    faqs = {f.id: f for f in load_faqs()}
    post = [faqs["submission.postage_support_100"], faqs["submission.results_by_post"]]
    assert best_entry("làm hồ sơ qua mạng xong, giấy tờ gửi về nhà hay phải tự đi lấy", post).id == \
        "submission.results_by_post"
    assert best_entry("gửi kết quả về nhà ai trả tiền", post[::-1]).id == "submission.postage_support_100"


def test_everyday_words_for_online_and_the_city_count_as_the_faq_words() -> None:
    from knowledge_base.answer_check import content_words, coverage

    assert {"truc", "tuyen", "ha"} <= content_words("làm online thì thành phố có hỗ trợ không")
    signature = Entry("sig", "Hà Nội có hỗ trợ chi phí chữ ký số cho người nộp hồ sơ trực tuyến không?")
    assert coverage("nộp qua mạng thì thành phố có hỗ trợ chữ ký số không", signature) == 1.0
