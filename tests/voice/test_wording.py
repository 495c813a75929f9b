"""Voice wording, transcript normalisation, keypad menu and working hours."""

import datetime as dt

import pytest

from dvcbot.settings import Settings
from gateway.schemas import Button
from voice import menu
from voice.dialogue import agent_phone, to_e164
from voice.stt.normalize import normalize_transcript
from voice.wording import LINK_OFFER, button_choices, number_words, phone_words, reply_to_speech, speak


@pytest.mark.parametrize("n, words", [
    (0, "không"), (5, "năm"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi tư"),
    (105, "một trăm linh năm"), (1022, "một nghìn không trăm hai mươi hai"),
    (200000, "hai trăm nghìn"), (1500000, "một triệu năm trăm nghìn"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
])
def test_numbers_in_words(n, words):
    assert number_words(n) == words


def test_fees_dates_phones_read_naturally():
    assert speak("Lệ phí 200.000 đồng.") == "Lệ phí hai trăm nghìn đồng."
    assert speak("Phí 26000đ") == "Phí hai mươi sáu nghìn đồng"
    assert phone_words("024.1022") == "không hai bốn, một không hai hai"
    assert phone_words("+84912345678") == "không chín một hai, ba bốn năm, sáu bảy tám"
    assert "một chín không không, một không không chín" in speak("gọi tổng đài 1900.1009")
    spoken = speak("Gọi 024.1022, nhánh 7 hoặc nhánh 8.")
    assert spoken == "Gọi không hai bốn, một không hai hai, nhánh bảy hoặc nhánh tám."
    assert speak("Hiệu lực từ 15/1/2026.") == ("Hiệu lực từ ngày mười lăm tháng một năm hai nghìn không trăm "
                                             "hai mươi sáu.")


def test_no_url_is_read_and_the_link_is_offered():
    spoken = speak("Nộp trực tuyến tại https://dichvucong.hanoi.gov.vn/thu-tuc?id=1 nhé.")
    assert "http" not in spoken and "gov" not in spoken
    assert spoken.endswith(LINK_OFFER)


def test_procedure_codes_only_when_asked():
    assert "1.004194" not in speak("Thủ tục đăng ký tạm trú (mã 1.004194) cần tờ khai.")
    assert "không" not in speak("Thủ tục đăng ký tạm trú (mã 1.004194) cần tờ khai.")
    assert speak("Mã thủ tục 1.004194.", keep_codes=True) == "Mã thủ tục một chấm không không bốn một chín bốn."


def test_buttons_become_say_or_press():
    buttons = [Button(title="Lệ phí", payload="/a"), Button(title="Thời gian", payload="/b")]
    assert button_choices(buttons) == "Anh chị nói Lệ phí hoặc bấm phím 1; nói Thời gian hoặc bấm phím 2."
    assert reply_to_speech("Anh chị muốn biết gì?", buttons).startswith("Anh chị muốn biết gì? Anh chị nói Lệ phí")


def test_a_list_the_text_already_reads_is_not_read_twice():
    """The complaint form lists its six categories; repeating them as "nói … hoặc bấm phím …" made a
    47-second prompt on the phone."""
    titles = ["Thái độ, tác phong cán bộ", "Hồ sơ quá hạn giải quyết", "Phản ánh, kiến nghị khác"]
    buttons = [Button(title=t, payload=f"/p{i}") for i, t in enumerate(titles)]
    text = ("Anh chị phản ánh về việc gì: một, thái độ, tác phong cán bộ; hai, hồ sơ quá hạn giải quyết; "
            "ba, phản ánh, kiến nghị khác?")
    said = reply_to_speech(text, buttons)
    assert said.endswith("Anh chị nói một ý ở trên, hoặc bấm phím từ 1 đến 3.")
    assert "hoặc bấm phím 1" not in said and said.lower().count("thái độ") == 1
    # named out of order, or not all of them: every choice is still said with its key
    shuffled = "Anh chị chọn: hồ sơ quá hạn giải quyết, thái độ, tác phong cán bộ, hay phản ánh, kiến nghị khác?"
    assert "nói Thái độ, tác phong cán bộ hoặc bấm phím 1" in reply_to_speech(shuffled, buttons)
    assert "hoặc bấm phím 2" in reply_to_speech("Anh chị muốn phản ánh việc gì?", buttons)


def test_transcripts_are_normalised_like_typed_text():
    assert normalize_transcript("làm sao đăng ký vê en e ai đi") == "làm sao đăng ký vneid"
    assert normalize_transcript("số của tôi là không chín tám bảy sáu năm bốn ba hai một") == \
        "số của tôi là 0987654321"
    assert normalize_transcript("   ") == ""


def test_agent_phone_from_a_routing_answer():
    text = "Bưu điện Cầu Giấy, cách khoảng 1,2 km, địa chỉ 1 Trần Đăng Ninh, điện thoại 024 3219 1319."
    assert agent_phone(text) == "02432191319"
    assert to_e164("02432191319") == "+842432191319"
    assert agent_phone("Không có số nào") is None


def test_keypad_menu_names_every_key():
    for key in "123450":
        assert f"bấm phím {key}" in menu.MENU
    assert menu.KEYPAD_BY_KEY["0"].payload == "/request_human"


def test_working_hours_in_hanoi_time():
    s = Settings(working_hours="08:00-17:30", working_days="1,2,3,4,5")
    monday_9 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=menu.TIMEZONE)
    assert menu.within_working_hours(s, monday_9)
    assert not menu.within_working_hours(s, monday_9.replace(hour=18))
    assert not menu.within_working_hours(s, dt.datetime(2026, 11, 29, 9, 0, tzinfo=menu.TIMEZONE))  # Sunday
    # 02:00 UTC is 09:00 in Hanoi
    assert menu.within_working_hours(s, dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC))
    assert "8 giờ đến 17 giờ 30" in menu.out_of_hours_message(s)


def test_links_are_found_for_the_sms_or_zalo_offer(caplog):
    import asyncio

    from voice.links import LoggingLinkSender, links_in

    text = "Nộp tại https://dichvucong.hanoi.gov.vn/thu-tuc?id=1. Xem thêm www.vneid.gov.vn, nhé."
    assert links_in(text) == ["https://dichvucong.hanoi.gov.vn/thu-tuc?id=1", "www.vneid.gov.vn"]
    with caplog.at_level("INFO", logger="voice.links"):
        assert asyncio.run(LoggingLinkSender().send("CA1", "hash", links_in(text))) is False
    assert "2 link(s) offered" in caplog.text and "gov.vn" not in caplog.text


def test_routing_answer_wording_for_the_phone():
    text = ("Điểm thứ 2: Bưu điện KHL Ba Đình 2, địa chỉ D3 Khu 7.2ha Vĩnh Phúc, điện thoại 024 3760 1080.\n"
            "Xem bản đồ tại http://127.0.0.1:8000/map?ward=00008\n"
            "Danh sách chính thức: https://ttpvhcc.hanoi.gov.vn/. Hỗ trợ qua tổng đài 1022, nhánh 7. "
            "Hạn đến ngày 15/1/2026.")
    said = speak(text)
    assert "Xem bản đồ" not in said and "Danh sách chính thức" not in said  # nothing left dangling of a link
    assert "D ba Khu bảy phẩy hai ha" in said
    assert "điện thoại không hai bốn, ba bảy sáu không, một không tám không" in said
    assert "tổng đài một không hai hai" in said and "ngày mười lăm tháng một" in said and "ngày ngày" not in said
    assert not any(ch.isdigit() for ch in said)
    assert said.endswith(LINK_OFFER)
