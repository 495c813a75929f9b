"""Which contact fact a question asks for (knowledge_base.contact), and a rule asked about a place.
Phrasings are written for these tests, not taken from the evaluation sets."""

from __future__ import annotations

import pytest

from knowledge_base.answer_check import asks_rule
from knowledge_base.contact import CONTACT_ASPECTS, asks_for_number, contact_entry_id, names_channel
from knowledge_base.faq import load_faqs


def test_every_aspect_is_an_existing_contact_entry() -> None:
    faqs = {f.id: f for f in load_faqs()}
    for entry_id, cues in CONTACT_ASPECTS:
        assert entry_id in faqs and faqs[entry_id].category == "contact", entry_id
        assert cues and all(cues), entry_id


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # the hours, however they are asked: evenings, weekends, holidays, "24/7"
        ("đường dây nóng có người trực ban đêm không", "contact.hours"),
        ("sáng chủ nhật gọi 1022 có ai nghe không ạ", "contact.hours"),
        ("tong dai nghi le tet co lam k", "contact.hours"),
        ("hotline làm việc đến mấy giờ", "contact.hours"),
        ("zalo trung tâm cuối tuần có trả lời không", "contact.hours"),
        # e-mail
        ("cho xin dia chi email cua trung tam", "contact.email"),
        ("gửi thư điện tử cho trung tâm thì gửi vào đâu", "contact.email"),
        # where to complain: the number asked together with complaining
        ("muốn kiến nghị thì gọi số nào", "contact.feedback_1022"),
        ("sdt de khieu nai can bo la gi vay", "contact.feedback_1022"),
        # Zalo, the website, the switchboard, the address, the number itself
        ("trung tâm có zalo không", "contact.zalo_viber"),
        # a channel named with complaining is that channel
        ("góp ý qua app ihanoi được không", "contact.ihanoi"),
        ("nhắn zalo để khiếu nại có được không", "contact.zalo_viber"),
        ("trang web chính thức của trung tâm", "contact.website"),
        ("số 1900 kia là của ai", "contact.switchboard"),
        ("trụ sở trung tâm hành chính công nằm ở đâu", "contact.branch_addresses"),
        ("cho tôi xin số hotline", "contact.hotline"),
        ("tong dai ho tro so may", "contact.hotline"),
    ],
)
def test_the_asked_aspect_picks_its_entry(text: str, entry: str) -> None:
    assert contact_entry_id(text) == entry


def test_no_aspect_is_left_to_the_search() -> None:
    assert contact_entry_id("liên hệ trung tâm thế nào") is None
    # "tôi" is not "tối", "trực tuyến" is not someone on duty
    assert contact_entry_id("tôi muốn nộp trực tuyến") is None
    # another body's support line is not the centre's
    assert contact_entry_id("hotline hỗ trợ vneid số mấy") is None
    assert contact_entry_id("tong dai cong an ho tro dinh danh la so nao") is None


def test_a_channel_is_named_or_a_number_asked() -> None:
    assert names_channel("số nào để góp ý vậy")
    assert names_channel("zalo của bên mình là gì")
    assert not names_channel("phản ánh xong bao lâu thì có kết quả")
    assert asks_for_number("gọi đâu để hỏi thủ tục")
    assert not asks_for_number("tôi để lại số 0912 345 678 nhé")


def test_a_permission_near_a_place_is_a_rule_a_nearest_place_is_not() -> None:
    assert asks_rule("thường trú ở Mê Linh nhưng làm ở Hoàn Kiếm, nộp ở chi nhánh gần cơ quan có được không")
    assert asks_rule("khẩu ở quê, ra điểm gần phòng trọ làm thủ tục được không")
    assert not asks_rule("gần nhà tôi có chỗ nào nhận hồ sơ không")
    assert not asks_rule("chi nhánh gần nhất có bắt buộc không, ở đâu")


def test_the_evening_with_diacritics_asks_the_hours_but_last_night_and_minimum_do_not() -> None:
    assert contact_entry_id("tối có ai trả lời không") == "contact.hours"
    assert contact_entry_id("zalo tối nay có ai trực không") == "contact.hours"
    assert contact_entry_id("mất điện thoại tối qua thì gọi số nào") == "contact.hotline"
    assert contact_entry_id("mức phí tối thiểu là bao nhiêu") is None


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # a number named in the message is what is asked about, however it is grouped ("tổng đài" alone is 1022)
        ("số 19001009 là tổng đài của ai vậy", "contact.switchboard"),
        ("tổng đài 1900.1009 thuộc đơn vị nào", "contact.switchboard"),
        ("024 1022 la so cua ben nao", "contact.hotline"),
        ("0768221221 là zalo gì thế", "contact.zalo_viber"),
        ("thấy ghi 1900 0368, số đó là của ai", "vneid.hotline"),
        # ... but an aspect asked of the number comes first
        ("19001009 có trực chủ nhật không", "contact.hours"),
    ],
)
def test_a_named_number_picks_the_entry_about_it(text: str, entry: str) -> None:
    assert contact_entry_id(text) == entry


def test_a_place_word_in_the_story_is_no_request_for_a_place() -> None:
    assert asks_rule("nhà ở Long Biên mà tiện đường đi làm qua Đống Đa, nộp ở chi nhánh Đống Đa có được không")
    assert asks_rule("tôi ở Hà Đông, sang chi nhánh Ba Đình nộp được chứ")
    assert not asks_rule("tôi ở Hà Đông, chỉ đường đi đến chi nhánh Ba Đình được không")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # a number or a place asked while complaining is where complaints go, not the general hotline
        ("thế số máy gọi là số nào", "contact.feedback_1022"),
        ("vay gui don o dau", "contact.feedback_1022"),
        ("ngoài gọi điện còn cách nào khác", "contact.feedback_1022"),
        # sent online, in an app: the iHanoi app
        ("góp ý trên mạng có được không", "contact.ihanoi"),
        ("co ung dung nao de gui y kien ko", "contact.ihanoi"),
        # a named channel or the hours stay themselves
        ("gửi qua zalo có được không", "contact.zalo_viber"),
        ("1022 tối có người nghe không", "contact.hours"),
        ("cho xin email", "contact.email"),
        # no channel asked: another question typed into the form
        ("lệ phí làm hộ chiếu bao nhiêu", None),
        ("nộp hồ sơ ở đâu", None),
        ("gửi hồ sơ qua mạng được không", None),
        ("địa chỉ trung tâm ở đâu", None),
        ("lần nào cũng bảo một kiểu, tôi muốn khiếu nại", None),
    ],
)
def test_a_channel_asked_while_complaining(text: str, entry: str | None) -> None:
    from knowledge_base.contact import feedback_entry_id

    assert feedback_entry_id(text) == entry
