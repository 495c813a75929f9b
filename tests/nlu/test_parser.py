"""The trained classifier and the full parse (real model, real knowledge base and gazetteer)."""

from __future__ import annotations

import pytest

from nlu.data import heldout_file, load_examples
from nlu.intents import INTENTS
from nlu.parser import FALLBACK_THRESHOLD, EmptyText, TextTooLong


def test_heldout_accuracy_floor(parser) -> None:
    # every third held-out example: a fixed sample, never trained on
    sample = load_examples(heldout_file())[::3]
    assert len(sample) >= 80
    right = sum(parser.parse(e.text)["intent"]["name"] == e.intent for e in sample)
    assert right / len(sample) >= 0.9, f"{right}/{len(sample)}"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("xin chào", "greet"),
        ("cam on nhieu nhe", "thank"),
        ("vâng", "affirm"),
        ("ko phai", "deny"),
        ("lam giay khai sinh can gi", "ask_procedure"),
        ("quen mat khau vneid", "ask_vneid"),
        ("cho tôi gặp tổng đài viên", "request_human"),
        ("2 sao", "rate_service"),  # a rating button's payload, whatever the classifier makes of it
        ("cho 4 sao nhé", "rate_service"),
    ],
)
def test_everyday_texts_with_and_without_accents(parser, text: str, intent: str) -> None:
    assert parser.parse(text)["intent"]["name"] == intent


def test_rasa_parse_format(parser) -> None:
    r = parser.parse("Làm giấy khai sinh cho con cần những gì?")
    assert set(r) >= {"text", "intent", "intent_ranking", "entities", "procedure_candidates"}
    assert r["intent"]["name"] == "ask_procedure"
    assert 0.0 <= r["intent"]["confidence"] <= 1.0
    names = [x["name"] for x in r["intent_ranking"]]
    assert names[0] == "ask_procedure" and len(names) == len(set(names)) <= 10
    assert set(names) <= set(INTENTS)
    for e in r["entities"]:
        assert set(e) >= {"entity", "value", "start", "end", "confidence"}
        assert 0 <= e["start"] < e["end"] <= len(r["text"])


def test_procedure_entity_and_candidates(parser) -> None:
    text = "đăng ký khai sinh cần giấy tờ gì"
    r = parser.parse(text)
    cands = r["procedure_candidates"]
    assert 1 <= len(cands) <= 5 and set(cands[0]) == {"code", "name", "score"}
    proc = [e for e in r["entities"] if e["entity"] == "procedure"]
    assert proc and proc[0]["value"] == "1.001193"
    assert "khai sinh" in text[proc[0]["start"] : proc[0]["end"]]
    aspect = [e for e in r["entities"] if e["entity"] == "procedure_aspect"]
    assert aspect and aspect[0]["value"] == "documents"


def test_no_procedure_entity_when_none_is_named(parser) -> None:
    for text in ("nộp hồ sơ trực tuyến như thế nào", "xin chào", "cảm ơn bạn"):
        r = parser.parse(text)
        assert not [e for e in r["entities"] if e["entity"] == "procedure"], text


def test_ward_entity_with_offsets(parser) -> None:
    text = "Tôi ở phường Hoàn Kiếm, đại lý dịch vụ công gần nhất ở đâu?"
    r = parser.parse(text)
    assert r["intent"]["name"] == "find_agent"
    (ward,) = [e for e in r["entities"] if e["entity"] == "ward"]
    assert "Hoàn Kiếm" in text[ward["start"] : ward["end"]]
    assert isinstance(ward["value"], str) and ward["value"].isdigit()


def test_meaningless_text_falls_back(parser) -> None:
    r = parser.parse("??? !!!")
    assert r["intent"] == {"name": "nlu_fallback", "confidence": FALLBACK_THRESHOLD}
    assert [x["name"] for x in r["intent_ranking"]][0] == "nlu_fallback"
    assert len(r["intent_ranking"]) > 1  # the real intents are still listed


def test_button_payloads_like_rasa(parser) -> None:
    r = parser.parse('/ask_procedure{"procedure": "1.001193", "procedure_aspect": "fee"}')
    assert r["intent"] == {"name": "ask_procedure", "confidence": 1.0}
    assert {(e["entity"], e["value"]) for e in r["entities"]} == {
        ("procedure", "1.001193"),
        ("procedure_aspect", "fee"),
    }
    assert parser.parse("/affirm")["intent"] == {"name": "affirm", "confidence": 1.0}
    assert parser.parse("/restart")["intent"]["name"] == "restart"  # Rasa's own default intent
    # intents only the dialogue knows (buttons of bot/domain.yml) are passed through as well
    for name in parser.payload_intents - set(parser.intents):
        assert parser.parse(f"/{name}")["intent"] == {"name": name, "confidence": 1.0}


def test_slash_text_that_is_not_a_known_intent_is_classified(parser) -> None:
    known = set(parser.intents) | {"nlu_fallback"}
    for text in ("/xin chào", "/" + "a" * 300, "/unknown_intent"):
        assert parser.parse(text)["intent"]["name"] in known


def test_bad_text(parser) -> None:
    with pytest.raises(EmptyText):
        parser.parse("   ")
    with pytest.raises(TextTooLong):
        parser.parse("a" * 10_000)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # the request behind an address or a story weighs more than the wrapping (nlu.request)
        ("ad ơi cho em hỏi làm hộ chiếu cần những gì", "ask_procedure"),
        ("chao ban, cho minh hoi xin phieu ly lich tu phap mat bao lau", "ask_procedure"),
        (
            "Chào bạn, nhà mình có hai con nhỏ, vợ chồng đi làm cả ngày, bà nội lên trông cháu rồi ở luôn. "
            "Bà ở quê Thanh Hóa. Giờ mình muốn đăng ký thường trú cho bà vào nhà mình thì làm thế nào?",
            "ask_procedure",
        ),
        # a named procedure with a place or a channel is a procedure question, not find_agent
        ("đổi bằng lái xe ở sở giao thông hay công an", "ask_procedure"),
        ("bà cụ nằm liệt giường làm căn cước thì có được làm tại nhà không", "ask_procedure"),
        ("tìm bưu điện gần nhất nhận hồ sơ", "find_agent"),
        # procedure names with money words are procedures; paying words make it a payment question
        ("nhận trợ cấp thất nghiệp qua tài khoản ngân hàng cần gì", "ask_procedure"),
        ("đăng ký doanh nghiệp tư nhân cần gì", "ask_procedure"),
        ("đã ck lệ phí mà hồ sơ vẫn chờ tt", "ask_online_payment"),
        # a named public service is never out of scope, and wanting one is a request, not a complaint
        ("đóng bảo hiểm y tế theo hộ gia đình ở chỗ nào", "ask_procedure"),
        ("tôi nghỉ làm rồi, giờ muốn nhận bảo hiểm xã hội một lần", "ask_procedure"),
        ("cán bộ bắt nộp tiền ngoài biên lai mới nhận hồ sơ", "file_complaint"),
        # an address word ("ad", "trung tâm") does not make a greeting of a goodbye or a contact question
        ("thôi bye ad nha", "goodbye"),
        ("chào trung tâm nhé", "greet"),
        ("zalo trung tâm có nhắn được không ad", "ask_contact"),
        # an old ward named with the merger is a place question, "sáp nhập" is not a company's merger
        ("phường Trúc Bạch quận Ba Đình cũ giờ sáp nhập thì thuộc phường nào", "find_agent"),
        ("o phuong Kim Lien cu, sau sap xep thi gio la phuong nao a", "find_agent"),
        # a wrong entry in one's own record that one wants corrected is the correction procedure
        ("quê quán trên thẻ căn cước bị ghi sai, tôi muốn sửa lại", "ask_procedure"),
        ("cán bộ phường ghi sai tên tôi lại còn quát tháo, tôi muốn khiếu nại", "file_complaint"),
        # short VNeID questions in teencode
        ("ko nhan dc otp kich hoat", "ask_vneid"),
        ("quen mk dinh danh thi lam the nao", "ask_vneid"),
    ],
)
def test_wrapped_requests_and_named_procedures(parser, text: str, intent: str) -> None:
    assert parser.parse(text)["intent"]["name"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("con tôi sắp đi du học nên phải làm hộ chiếu, nghe nói nộp trên cổng dịch vụ công thì lệ phí rẻ hơn, đúng không",
         "ask_procedure"),
        ("nộp hồ sơ trên cổng dịch vụ công có mất phí gì không", "ask_online_submission"),  # no procedure named
    ],
)
def test_the_fee_of_a_named_procedure_filed_online_is_a_procedure_question(parser, text: str, intent: str) -> None:
    assert parser.parse(text)["intent"]["name"] == intent
