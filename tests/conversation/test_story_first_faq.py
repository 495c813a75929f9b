"""Story-first messages whose need is an FAQ, the complaint channel, a named procedure's fee, a
re-registration and a unit the record's steps give (issue 9, faqfix).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.followup import names_other_topic
from actions.message import Candidate
from actions.procedure import choose_procedure
from actions.variants import siblings
from dvcbot.textnorm import fold
from knowledge_base.answer_check import EVERY, best_entry, content_words
from knowledge_base.aspect_writers import time_text, unit_in_steps
from knowledge_base.catalogue import load_catalogue
from knowledge_base.contact import asks_where_to_complain
from knowledge_base.faq import load_faqs
from knowledge_base.vocabulary import ruled_out
from nlu.request import procedure_without_cue
from tests.conversation.test_followup_and_variants import msg


def _faq(entry_ids: list[str]) -> list:
    by_id = {e.id: e for e in load_faqs()}
    return [by_id[i] for i in entry_ids]


# --------------------------------------------------------------------------- words that name no topic


def test_third_person_pronouns_with_diacritics_are_no_topic_but_their_folded_twins_are() -> None:
    assert {"no", "bon"}.isdisjoint(content_words("tôi sợ bọn nó vào tài khoản"))
    assert "ho" in content_words("nộp hồ sơ hộ khẩu")  # "hộ", "hồ" fold like "họ": kept
    assert "ay" not in content_words("khóa tài khoản ấy")
    assert "buoc" not in content_words("các bước làm trên mạng")  # how, as "thế nào"


def test_every_one_of_them_reads_as_all() -> None:
    assert EVERY in content_words("thủ tục gì cũng nộp qua mạng à")
    assert EVERY in content_words("o dau cung lam duoc")
    assert EVERY not in content_words("thủ tục nào nộp qua mạng được")
    assert "ca" in content_words("chữ ký số cá nhân") and "ca" not in content_words("không thấy gì cả")


@pytest.mark.parametrize("text, expected", [
    ("e gui ho so roi ma k thay nut thanh toan dau ca", "em gui ho so roi ma khong thay nut thanh toan dau ca"),
    ("tat ca ho so", "tat ca ho so"),
    ("phai ra ca phuong ko", "phai ra cong an phuong khong"),
    ("hc cua chau het han roi", "ho chieu cua chau het han roi"),
    ("lam hc o dau", "lam ho chieu o dau"),
    ("thu tuc hc", "thu tuc hanh chinh"),
    ("tt hc", "thu tuc hanh chinh"),
])
def test_ca_and_hc_are_read_by_their_neighbours(text: str, expected: str) -> None:
    assert fold(text) == expected


# --------------------------------------------------------------------------- FAQ choice


@pytest.mark.parametrize("message, entries, expected", [
    ("Sáng nay đi chợ bị giật mất điện thoại, trong máy có VNeID. Sợ bọn nó dùng định danh của tôi, "
     "khóa tài khoản thế nào?", ["vneid.activate", "vneid.unlock", "vneid.fee", "vneid.lock"], "vneid.lock"),
    ("mẹ tôi chưa có căn cước gắn chip, vẫn cầm chứng minh nhân dân cũ, làm định danh mức 2 được không",
     ["vneid.level2_register", "vneid.what_to_bring", "vneid.no_chip_card"], "vneid.no_chip_card"),
    ("bây giờ ở Hà Nội thủ tục gì cũng phải nộp trực tuyến hết à?",
     ["submission.full_vs_partial", "submission.steps", "submission.all_online"], "submission.all_online"),
    ("nộp hồ sơ xong rồi mà chẳng thấy chỗ nào để trả phí cả, sao vậy",
     ["payment.deducted_unpaid", "payment.no_fee_request"], "payment.no_fee_request"),
    ("chua nop online bao gio, huong dan cac buoc nop ho so tren dich vu cong voi",
     ["submission.all_online", "submission.steps"], "submission.steps"),
])
def test_a_story_first_faq_question_gets_its_entry(message: str, entries: list[str], expected: str) -> None:
    assert best_entry(message, _faq(entries), None, expected.split(".")[0]).id == expected


def test_looking_up_a_filed_application_is_no_follow_up_of_the_procedure() -> None:
    assert names_other_topic("nộp xong rồi tra cứu hồ sơ ở đâu")
    assert not names_other_topic("nộp ở đâu")


# --------------------------------------------------------------------------- complaints


@pytest.mark.parametrize("text, expected", [
    ("Hồ sơ sổ đỏ quá hẹn cả tháng, cán bộ cứ bảo chờ. Giờ tôi muốn kiến nghị thì gửi cho ai?", True),
    ("nop tam tru 2 tuan chua xong, hoi ko ai tra loi, muon phan anh thi lam o dau", True),
    ("Tôi muốn khiếu nại chuyện đó thì liên hệ đâu?", True),
    ("tôi muốn phản ánh cán bộ phường thái độ kém", False),
    ("phản ánh xong bao lâu có kết quả", False),
    ("cán bộ không ai nghe máy, tôi muốn phản ánh", False),
])
def test_where_to_complain_is_asked_in_the_last_clause(text: str, expected: bool) -> None:
    assert asks_where_to_complain(text) is expected


# --------------------------------------------------------------------------- a named procedure's payment


def test_a_payment_word_of_the_procedure_title_or_of_the_story_is_no_payment_cue() -> None:
    title = "Thanh toán trực tiếp chi phí khám bệnh, chữa bệnh bảo hiểm y tế"
    story = "nằm viện quên thẻ bảo hiểm nên tự trả tiền hết, giờ muốn bảo hiểm thanh toán lại thì làm sao"
    assert procedure_without_cue("ask_online_payment", story, title)
    assert not procedure_without_cue("ask_online_payment", "lệ phí hộ chiếu chuyển khoản được không", "Cấp hộ chiếu")


# --------------------------------------------------------------------------- re-registration


def test_with_the_register_lost_a_copy_is_ruled_out_and_re_registration_found() -> None:
    cat = load_catalogue()
    text = "ông tôi 85 tuổi, giấy khai sinh mất lâu rồi, sổ hộ tịch ở xã cũng không còn, làm lại được không"
    assert ruled_out(text, cat["2.000635"].name)
    assert not ruled_out("tôi làm mất giấy khai sinh, xin bản sao", cat["2.000635"].name)
    plain = Candidate("1.001193", "Đăng ký khai sinh", 0.4)
    assert [c.code for c in siblings(plain, ("đăng ký lại",), lambda c: c.name, cat)] == ["1.004884"]
    message = msg(text, entities={"procedure": "2.000635"},
                  candidates=[("2.000635", 0.88), ("1.000689", 0.44), ("1.001193", 0.43)])
    message["entities"][0]["extractor"] = "dvcbot_kb"
    assert choose_procedure(message, None, cat).code == "1.004884"


# --------------------------------------------------------------------------- processing time


def test_a_unitless_time_takes_the_unit_the_steps_give_that_number() -> None:
    cat = load_catalogue()
    proc = cat["1.004873"]
    assert unit_in_steps(proc, 3.0) == "ngày làm việc"
    assert unit_in_steps(proc, 17.0) is None
    import datetime as dt

    assert "3 ngày làm việc" in time_text(proc, dt.date(2026, 3, 1))
