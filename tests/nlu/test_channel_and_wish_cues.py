"""Issue 9, session 10: the words that decide an intent whatever the classifier reads.

- VNeID named only as the channel of a named procedure is a procedure question; an account or app
  matter keeps the VNeID intent (:func:`nlu.request.vneid_is_the_channel`), and so does a wrong entry
  that the app itself shows (:func:`nlu.request.is_record_correction`).
- The portal's name alone ("trên dịch vụ công", "qua cổng") is no word of the filing process.
- The centre's hotline named without a procedure is a contact question (:func:`asks_about_hotline`).
- A declared wish to complain or give feedback is a complaint (:func:`declares_complaint`).
- An everyday errand (a shop, an ATM, savings rates) with no public service named is out of scope
  (:func:`asks_everyday_errand`).
- A story sure of a topic (VNeID, paying or filing online) keeps it when its question names no procedure
  (:func:`story_topic`).

All phrasings are our own, about other procedures and topics than the evaluation messages.
"""

from __future__ import annotations

import pytest

from nlu.request import (
    asks_about_hotline,
    asks_everyday_errand,
    declares_complaint,
    is_record_correction,
    procedure_without_cue,
    story_topic,
    vneid_is_the_channel,
)


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("đăng ký thường trú qua ứng dụng vneid được không", True),
        ("khai báo tạm vắng trên vneid", True),
        ("xin phiếu lý lịch tư pháp số 2 bằng app vneid", True),
        ("gia hạn tạm trú làm trên vneid mất mấy ngày", True),
        ("nop ho so khai sinh cho be tren vneid duoc ko", True),
        # the account or the app itself is asked about
        ("quên mật khẩu vneid", False),
        ("tích hợp bằng lái vào vneid", False),
        ("vneid báo lỗi khi nộp hồ sơ tạm trú", False),
        ("kích hoạt vneid mức 2 ở đâu", False),
        ("vneid không hiện thẻ bhyt của tôi", False),
    ],
)
def test_vneid_as_the_channel_of_a_procedure(text: str, channel: bool) -> None:
    assert vneid_is_the_channel("ask_vneid", text) is channel
    assert vneid_is_the_channel("ask_procedure", text) is False


@pytest.mark.parametrize(
    ("text", "moved"),
    [
        ("ngày sinh trên app vneid đang bị sai, sửa ở đâu", False),  # what the app shows
        ("thông tin nơi thường trú hiển thị trên vneid sai, muốn sửa lại", False),
        ("quê quán trong dữ liệu dân cư bị ghi sai, muốn sửa lại", True),  # the record itself
    ],
)
def test_a_wrong_entry_the_vneid_app_shows_stays_vneid(text: str, moved: bool) -> None:
    assert is_record_correction("ask_vneid", text) is moved


@pytest.mark.parametrize(
    ("text", "moved"),
    [
        ("gia hạn tạm trú trên dịch vụ công cần giấy gì", True),
        ("đăng ký khai sinh qua cổng dvc có mất phí không", True),
        ("cấp lại giấy phép lái xe trên dichvucong mất mấy ngày", False),  # the site's address: the portal
        ("đổi bằng lái trên cổng dịch vụ công tải file ở mục nào", False),
        ("khai sinh nộp qua cổng thì đăng nhập bằng gì", False),
    ],
)
def test_the_portals_name_alone_is_not_a_filing_word(text: str, moved: bool) -> None:
    assert procedure_without_cue("ask_online_submission", text) is moved


@pytest.mark.parametrize(
    ("intent", "text", "asked"),
    [
        ("ask_procedure", "gọi 1022 có mất tiền không", True),
        ("ask_procedure", "đường dây nóng của trung tâm gọi ban đêm được không", True),
        ("nlu_fallback", "hotline 19001009 tính cước bao nhiêu", True),
        ("ask_procedure", "tong dai co ho tro tieng anh ko", True),
        # "ad" normalises to "tổng đài viên": a person, not the line; other intents keep theirs
        ("ask_procedure", "ad ơi lệ phí bao nhiêu", False),
        ("ask_procedure", "cho gặp tổng đài viên", False),
        ("request_human", "nối máy tổng đài giúp tôi", False),
    ],
)
def test_the_hotline_named_is_a_contact_question(intent: str, text: str, asked: bool) -> None:
    assert asks_about_hotline(intent, text) is asked


@pytest.mark.parametrize(
    ("intent", "text", "declared"),
    [
        ("ask_vneid", "vneid khóa tài khoản của tôi vô cớ, tôi muốn khiếu nại", True),
        ("ask_online_payment", "trả phí 2 lần mà không hoàn, mình cần phản ánh", True),
        ("ask_online_submission", "trang dịch vụ công treo cả ngày, tôi mún báo lỗi", True),
        ("ask_contact", "chị muốn góp ý về cách tiếp đón ở chi nhánh", True),
        ("nlu_fallback", "xin gui y kien ve viec xep hang qua lau", True),
        # asking the channel to complain through stays a contact question; a procedure stays one
        ("ask_contact", "muốn góp ý thì gửi email nào", False),
        ("ask_procedure", "tôi muốn khiếu nại quyết định thu hồi đất", False),
        ("ask_vneid", "vneid báo lỗi không đăng nhập được", False),
    ],
)
def test_a_declared_wish_to_complain_is_a_complaint(intent: str, text: str, declared: bool) -> None:
    assert declares_complaint(intent, text) is declared


def test_a_story_sets_the_topic_of_a_question_that_names_none() -> None:
    """"bố tôi muốn vneid mức 2. Cần mang những gì": the part alone reads as a procedure question."""
    sure_vneid = [("ask_vneid", 0.97), ("ask_procedure", 0.02)]
    asked_procedure = [("ask_procedure", 0.6), ("ask_vneid", 0.39)]
    assert story_topic(sure_vneid, asked_procedure) == "ask_vneid"
    assert story_topic([("ask_online_payment", 0.93)], asked_procedure) == "ask_online_payment"
    # an unsure story, a story about a procedure, or a part read as another intent: nothing moved
    assert story_topic([("ask_vneid", 0.7), ("ask_procedure", 0.3)], asked_procedure) is None
    assert story_topic([("find_agent", 0.95)], asked_procedure) is None
    assert story_topic(sure_vneid, [("ask_contact", 0.7)]) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cháu nhà tôi 10 tuổi, cô giáo dặn phải có tài khoản định danh. Làm cho trẻ nhỏ thế nào", "ask_vneid"),
        ("hôm qua tôi trả lệ phí trên cổng dịch vụ công bằng thẻ ngân hàng mà hệ thống báo lỗi. Mất bao lâu thì "
         "tiền về lại", "ask_online_payment"),
        ("đăng ký thường trú qua ứng dụng vneid được không", "ask_procedure"),
        ("ngày sinh trên app vneid đang bị sai, sửa ở đâu", "ask_vneid"),
        ("gọi 1022 có mất tiền không", "ask_contact"),
        ("vneid khóa tài khoản của tôi vô cớ, tôi muốn khiếu nại", "file_complaint"),
    ],
)
def test_end_to_end_parse_of_the_deciding_words(parser, text: str, intent: str) -> None:
    assert parser.parse(text)["intent"]["name"] == intent


@pytest.mark.parametrize(
    ("intent", "text", "errand"),
    [
        ("find_agent", "gần Thanh Xuân có nhà hàng chay nào ngon không", True),
        ("find_agent", "cây atm gần nhất ở chỗ nào", True),
        ("find_agent", "gần đây có bể bơi công cộng nào không", True),
        ("ask_online_payment", "ngân hàng nào lãi suất gửi tiết kiệm 6 tháng cao", True),
        ("find_agent", "khach san gan ga ha noi gia re", True),
        ("find_agent", "tiệm sửa điện thoại nào uy tín ở Cầu Giấy", True),  # "Giấy" of the ward is no paper
        # a public service named keeps the intent, whatever landmark is beside it
        ("find_agent", "gần siêu thị Big C có bưu điện nhận hồ sơ không", False),
        ("find_agent", "gần khách sạn Daewoo có đại lý dịch vụ công không", False),
        ("ask_online_payment", "ngân hàng nào hỗ trợ nộp lệ phí online", False),
        ("ask_procedure", "cửa hàng tạp hóa có phải đăng ký kinh doanh không", False),
    ],
)
def test_an_everyday_errand_is_out_of_scope(intent: str, text: str, errand: bool) -> None:
    assert asks_everyday_errand(intent, text) is errand


def test_when_someone_answers_is_the_hours_not_whether_the_bot_is_a_person() -> None:
    from nlu.request import asks_service_hours

    for text in ("tối có ai trả lời không", "thứ bảy có ai nghe máy không", "ngoài giờ hành chính có người trả lời không"):
        assert asks_service_hours("bot_challenge", text), text
    for text in ("có ai trả lời không", "bạn là người hay máy vậy", "tôi có đang nói với người thật không"):
        assert not asks_service_hours("bot_challenge", text), text
    assert not asks_service_hours("ask_procedure", "tối có ai trả lời không")  # only a question about the bot moves


def test_a_short_question_not_understood_asking_whether_someone_is_there_at_a_time_is_the_hours() -> None:
    from nlu.request import asks_service_hours

    for text in ("thu bay co nguoi truc khong", "đêm nhắn thì có ai trả lời không", "cuối tuần có ai hỗ trợ không"):
        assert asks_service_hours("nlu_fallback", text), text
    for text in ("chủ nhật tôi muốn đi chơi", "hôm qua tôi nộp hồ sơ vào buổi tối, đến nay chưa thấy gì, cả nhà "
                 "ai cũng sốt ruột không biết làm sao"):
        assert not asks_service_hours("nlu_fallback", text), text


def test_a_yes_no_question_whether_a_person_answers_at_a_time_is_the_hours_not_a_handoff() -> None:
    from nlu.request import asks_service_hours

    for text in ("tối gọi tổng đài có người bắt máy không", "chu nhat goi co nhan vien nghe ko a",
                 "đêm khuya gọi thì có cán bộ nghe không bác", "thứ 7 có người trực không em"):
        assert asks_service_hours("request_human", text), text
    for text in ("tối nay cho tôi gặp nhân viên", "cho tôi nói chuyện với người thật", "có người thật không"):
        assert not asks_service_hours("request_human", text), text
