"""Issue 9 end to end: whole conversations through ``POST /api/v1/chat`` with the four real
processes, "today" fixed at 2026-11-30 (``DVCBOT_TODAY``) so that dated policies are judged the same
way on every run."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.stack import start_stack, stop_stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = start_stack(tmp_path_factory.mktemp("e2e_conv"), gateway=True, env={"DVCBOT_TODAY": "2026-11-30"})
    yield s
    stop_stack(s)


class Citizen:
    def __init__(self, url: str, channel: str = "web") -> None:
        self.client = httpx.Client(base_url=url, timeout=120)
        self.session = f"conv-{uuid.uuid4().hex[:8]}"
        self.channel = channel

    def say(self, text: str, **extra) -> tuple[dict, str]:
        resp = self.client.post("/api/v1/chat", json={"session_id": self.session, "text": text,
                                                      "channel": self.channel, **extra})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["degraded"] is False, body
        return body, "\n".join(m.get("text", "") for m in body["messages"])


def test_short_follow_ups_keep_the_procedure_whatever_their_intent(stack):
    c = Citizen(stack["gateway_url"])
    _, first = c.say("đăng ký tạm trú cần giấy tờ gì")
    assert "1.004194" in first
    for question, expected in [("bao lâu thì xong", "3 ngày"), ("có mất phí không", "7.000"),
                               ("nộp ở đâu", "Công an"), ("làm online được không", "trực tuyến")]:
        _, text = c.say(question)
        assert "1.004194" in text and expected in text, (question, text)


def test_fees_and_policies_by_todays_date(stack):
    c = Citizen(stack["gateway_url"])
    _, fee = c.say("đổi thẻ căn cước lệ phí bao nhiêu")
    assert "2.001195" in fee and "25.000 đồng" in fee and "31/12/2026" in fee
    assert "hết thời hạn" not in fee
    _, free = Citizen(stack["gateway_url"]).say("nghe nói nộp hồ sơ online ở Hà Nội được miễn lệ phí đúng không")
    assert "31/12/2025" in free and not free.startswith("Dạ, đúng")


def test_citizen_words_and_outside_hanoi_and_typed_topics(stack):
    _, text = Citizen(stack["gateway_url"]).say("tôi muốn tách khẩu ra ở riêng thì làm thế nào")
    assert "1.010038" in text and "1/1/2023" in text
    _, text = Citizen(stack["gateway_url"]).say("điểm nộp hồ sơ gần tôi nhất",
                                                 metadata={"location": {"lat": 10.7769, "lon": 106.7009}})
    assert "ngoài Hà Nội" in text and "1022" in text and "Điểm thứ 1" not in text
    body, text = Citizen(stack["gateway_url"]).say("thủ tục hành chính")
    assert body["intent"] == "ask_procedure" and "chưa hiểu" not in text


def test_close_variants_are_answered_with_the_usual_one_and_where_to_submit_is_offered(stack):
    c = Citizen(stack["gateway_url"])
    body, text = c.say("làm thẻ căn cước mất bao lâu")
    # "cấp đổi" is the most used of the căn cước procedures: answered, the others named and offered
    assert "2.001195" in text and "thường gặp nhất" in text and "Anh chị muốn hỏi thủ tục nào" not in text
    titles = [b["title"] for m in body["messages"] for b in (m.get("buttons") or [])]
    assert len(titles) == len(set(titles)) and "Nơi nộp hồ sơ" in titles
    assert any("Cấp lại thẻ căn cước" in t for t in titles)
    # a topic switch with an aspect answers the new procedure's fee
    _, text = c.say("thôi, giờ hỏi đăng ký tạm trú thì lệ phí bao nhiêu")
    assert "1.004194" in text and "7.000" in text


def test_a_short_question_after_an_faq_answer_stays_on_the_faq_topic(stack):
    # "giấy phép lái xe" in the VNeID question fills the procedure slot; the fee question after it is
    # still about VNeID (no fee), not the driving licence's fee
    c = Citizen(stack["gateway_url"])
    _, first = c.say("muốn tích hợp giấy phép lái xe lên VNeID thì làm sao")
    assert "tích hợp" in first
    _, fee = c.say("việc này có mất phí gì không")
    assert "không thu phí" in fee and "3.000347" not in fee, fee
    # after a procedure answer the same kind of question is still that procedure's fee
    c = Citizen(stack["gateway_url"])
    c.say("đăng ký tạm trú")
    _, fee = c.say("việc này có mất phí gì không")
    assert "1.004194" in fee and "7.000" in fee, fee


def test_asking_for_a_number_to_call_gets_the_hotline(stack):
    body, text = Citizen(stack["gateway_url"]).say("tôi muốn xin số điện thoại để gọi hỏi cán bộ về thủ tục")
    assert body["intent"] == "ask_contact" and "1022" in text, (body["intent"], text)


def test_a_follow_up_of_an_faq_answer_keeps_its_topic_and_reports_its_intent(stack):
    c = Citizen(stack["gateway_url"])
    c.say("tài khoản định danh mức 2 bao lâu thì được kích hoạt")
    body, text = c.say("thế phải ra chỗ nào làm")
    assert body["intent"] == "ask_vneid", body  # the answering topic, whatever the NLU label
    assert "Công an" in text and "(mã " not in text  # the VNeID answer, never a procedure the words look like
    c = Citizen(stack["gateway_url"])
    c.say("cho tôi xin số đường dây nóng")
    body, text = c.say("thế còn viber thì sao")
    assert body["intent"] == "ask_contact" and "0768 221 221" in text, (body, text)


def test_a_greeting_word_around_a_follow_up_does_not_hide_it(stack):
    c = Citizen(stack["gateway_url"])
    c.say("cho mình xin trang web của trung tâm")
    body, text = c.say("thế viber thì sao ad")
    assert body["intent"] == "ask_contact" and "0768 221 221" in text, (body, text)
    _, hello = c.say("chào ad")
    assert "trợ lý tự động" in hello  # a plain greeting is still a greeting
