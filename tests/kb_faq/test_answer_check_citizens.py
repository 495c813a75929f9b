"""The answer check on what citizens really write (issue 9): a story before the question, typos and
split loanwords, opposite requests (lock / unlock), a question about a rule versus a place search, a
question versus a statement. Phrasings are written for these tests, not taken from the evaluation sets."""

from __future__ import annotations

from knowledge_base.answer_check import (
    asks_question,
    asks_rule,
    best_entry,
    content_words,
    coverage,
    join_split_words,
    one_edit_apart,
    opposite,
    polarity,
    question_part,
)
from knowledge_base.faq import load_faqs
from tests.kb_faq.test_answer_choice import Entry

FAQS = {f.id: f for f in load_faqs()}


def _pick(message: str, *ids: str) -> str | None:
    chosen = best_entry(message, [FAQS[i] for i in ids])
    return chosen.id if chosen is not None else None


# ---- the question inside a story -------------------------------------------------------------------
def test_question_part_is_the_last_asking_clause_with_enough_words() -> None:
    story = ("Năm nay tôi 68 tuổi, mắt kém, con cháu đi làm cả ngày, "
             "tôi muốn biết làm sao lấy lại mật khẩu ứng dụng VNeID")
    assert question_part(story) == "tôi muốn biết làm sao lấy lại mật khẩu ứng dụng VNeID"
    # "có phải không" names nothing: the clause before it is added (a "làm xong thì" ends a clause of its own)
    part = question_part("Tôi ở xa, đi lại vất vả, nghe bảo giấy tờ làm xong thì bưu điện mang đến nhà, có phải không")
    assert part == "bưu điện mang đến nhà, có phải không"
    part = question_part("Tôi ở xa, đi lại vất vả, nghe bảo kết quả bưu điện mang đến tận nhà, có phải không")
    assert part.startswith("nghe bảo kết quả") and part.endswith("có phải không")
    # one clause, or no clause that asks: the whole message
    assert question_part("quên mật khẩu vneid") == "quên mật khẩu vneid"
    assert question_part("hôm qua tôi lên phường, cán bộ bảo về") == "hôm qua tôi lên phường, cán bộ bảo về"


def test_a_story_before_the_question_no_longer_hides_the_entry() -> None:
    story = ("Cháu ơi, bác mới mua điện thoại khác, cái app định danh cũ của bác do đứa cháu cài, "
             "giờ nó báo sai mật khẩu hoài, bác muốn lấy lại mật khẩu thì làm sao")
    assert coverage(story, FAQS["vneid.forgot_password"]) < 0.75  # the story's words are not the question's
    assert _pick(story, "vneid.password_rules", "vneid.forgot_password", "vneid.change_phone") == "vneid.forgot_password"
    paid = ("Chiều qua tôi nộp hồ sơ đăng ký khai sinh cho cháu trên mạng, đã chuyển tiền bằng ví điện tử, "
            "ví trừ tiền rồi nhưng hồ sơ vẫn ghi chưa thanh toán, có phải trả lần nữa không")
    assert _pick(paid, "payment.steps", "payment.deducted_unpaid", "payment.receipt") == "payment.deducted_unpaid"


def test_a_story_does_not_make_an_unrelated_question_pass() -> None:
    story = "Tôi đã nộp hồ sơ online rồi, giờ muốn vay tiền ngân hàng mua nhà thì lãi suất bao nhiêu"
    assert _pick(story, "payment.banks_wallets", "payment.bank_transfer", "submission.steps") is None


# ---- typos and split loanwords ---------------------------------------------------------------------
def test_one_edit_apart() -> None:
    assert one_edit_apart("quyen", "quen") and one_edit_apart("quen", "quyen")
    assert one_edit_apart("thuogn", "thuong")  # two letters swapped
    assert one_edit_apart("matt", "mat")
    assert not one_edit_apart("khoa", "khoa") and not one_edit_apart("quen", "quyet")


def test_split_loanwords_are_joined() -> None:
    assert join_split_words("mình quên cái pass code rồi") == "minh quen cai passcode roi"
    assert "passcode" in content_words("Quên PASS CODE của VNeID")
    assert join_split_words("quên mật khẩu") == "quên mật khẩu"  # nothing to join: the text is kept


def test_a_typo_counts_half_and_only_for_a_word_no_question_uses() -> None:
    passcode = FAQS["vneid.forgot_passcode"]
    assert coverage("quen passcode", passcode) == 1.0
    assert coverage("qeun passcode", passcode) == 0.75  # "qeun": one swap from "quen", half a word
    assert _pick("quyen pass code dinh danh", "vneid.forgot_password", "vneid.forgot_passcode") == "vneid.forgot_passcode"
    # "khoa" is not a typo of "khoản" when the message has "tài khoản" itself
    entry = Entry("e", "Tài khoản định danh dùng để làm gì?")
    assert coverage("khoa tài khoản định danh", entry) == 0.75


# ---- opposites -------------------------------------------------------------------------------------
def test_lock_and_unlock_are_opposites() -> None:
    assert polarity("cần khóa gấp định danh điện tử vì mất máy") == {"khoa": False}
    assert polarity("tìm được máy rồi, mở khóa lại thế nào") == {"khoa": True}
    assert polarity("tài khoản của tôi bị khóa") == {"khoa": True}
    assert polarity("quên mật khẩu") == {}
    assert opposite("cần khóa gấp vneid", FAQS["vneid.unlock"])
    assert not opposite("cần khóa gấp vneid", FAQS["vneid.lock"])
    assert opposite("mở khóa vneid ở đâu", FAQS["vneid.lock"])


def test_a_lock_request_never_gets_the_unlock_answer() -> None:
    # the unlock entry comes first (its question also says "tài khoản … khóa")
    assert _pick("sợ bị hack nên muốn khóa tài khoản vneid", "vneid.unlock", "vneid.lock") == "vneid.lock"
    assert _pick("giờ muốn mở lại tài khoản vneid", "vneid.lock", "vneid.unlock") == "vneid.unlock"
    # locking something else is not answered by an entry that only shares the other words
    assert _pick("mất ví rồi, khóa tài khoản ngân hàng thế nào", "payment.bank_transfer", "vneid.lock") is None
    assert polarity("mở tài khoản ngân hàng để trả phí") == {}


# ---- the postal rules valid today ------------------------------------------------------------------
def test_who_pays_the_postage_is_the_support_in_force_today() -> None:
    for message in ("gửi kết quả về nhà qua bưu điện thì ai chịu tiền cước",
                    "nộp trên mạng thì cước bưu chính trả kết quả có được hỗ trợ không"):
        assert _pick(message, "submission.postal_fee_26000", "submission.results_by_post",
                     "submission.postage_support_100") == "submission.postage_support_100", message
    # the amount entry says first what applies today, then the 2024 amount
    answer = FAQS["submission.postal_fee_26000"].answer
    assert answer.index("100%") < answer.index("26.000 đồng")


# ---- question or statement, rule or place ----------------------------------------------------------
def test_asks_question() -> None:
    assert asks_question("phản ánh qua zalo có được không")
    assert asks_question("muốn kiến nghị thì gọi số nào")
    assert asks_question("nộp ở đâu?")
    assert asks_question("có được gửi ý kiến qua app không ạ")
    assert not asks_question("tôi muốn phản ánh cán bộ làm chậm hồ sơ của tôi")
    assert not asks_question("cán bộ không hướng dẫn, tôi không hài lòng và muốn khiếu nại")
    assert not asks_question("0987 654 321")


def test_asks_rule_not_place() -> None:
    assert asks_rule("nhà tôi ở Sóc Sơn có buộc phải về chi nhánh Sóc Sơn nộp không")
    assert asks_rule("ở Ba Đình có bắt buộc làm ở phường mình không")
    assert asks_rule("chi nhánh nào cũng nhận hồ sơ được không")
    assert not asks_rule("chi nhánh gần nhất ở Ba Đình ở đâu")
    assert not asks_rule("tìm điểm hỗ trợ ở Sóc Sơn")
    assert not asks_rule("cho tôi địa chỉ chi nhánh Đông Anh")


def test_an_undo_request_prefers_the_entry_asking_the_same_way() -> None:
    neutral = Entry("opening_hours", "Trụ sở mở cửa lúc mấy giờ?", ("mở cửa mấy giờ",))
    # "mở lại" after a lock: the unlock entry, even when a neutral entry covers the words as well
    assert best_entry("rồi mở lại ở chỗ nào", [neutral, FAQS["vneid.unlock"]]).id == "vneid.unlock"


def test_words_without_a_topic() -> None:
    assert content_words("thế đăng nhập bằng cái gì") == {"nhap", "bang"}
    assert content_words("vậy giờ phí tính sao") == {"phi"}
    assert "may" in content_words("bà không rành máy tính")


def test_a_message_asking_nothing_gets_no_entry_without_a_topic_before() -> None:
    entries = [Entry("vneid.level1", "Đăng ký tài khoản định danh mức độ 1 thế nào?", answer="Dạ, ok, mức độ 1 ...")]
    for text in ("ok", "3 sao", "ừ", "dạ vâng ạ"):
        assert best_entry(text, entries) is None
    # after a topic, a short "thế thì sao" is that topic's follow-up: the search order decides
    assert best_entry("thế thì sao", entries, context="đăng ký định danh mức 1") is entries[0]


def test_a_noun_pointing_back_at_the_story_names_no_topic():
    # "phản ánh việc này": "việc" points at the story told before, the topic is the complaint
    assert content_words("Tôi muốn phản ánh việc này thì gửi ở đâu?") == content_words("muốn phản ánh thì gửi ở đâu")
    assert "chuyen" not in content_words("hỏi chuyện đó ở đâu")
    assert "viec" in content_words("tìm việc làm ở đâu")  # "việc làm" is a topic
    assert _pick("Tôi muốn phản ánh việc này thì gửi ở đâu?", "contact.feedback_1022", "contact.ihanoi") is not None


def test_a_verb_asking_what_to_do_names_no_topic() -> None:
    words = content_words("sim mới rồi mà tài khoản vẫn gắn số cũ thì xử lý sao")
    assert "xu" not in words and "ly" not in words and {"sim", "gan"} <= words
    assert "ly" in content_words("sơ yếu lý lịch")  # "lý" alone is another word
