"""Whole conversations through the real stack: Rasa's REST channel → the real NLU service →
rules → the real action server → knowledge base / routing.

Rasa 3.6's ``rasa test`` loads the model without the endpoints file, so it cannot use our HTTP
NLU service; these turn-by-turn tests are the end-to-end test stories (the intent-level ones run
with ``rasa test core`` in test_rasa_project.py).
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from typing import Any

import httpx
import pytest

from dvcbot import hotlines

pytestmark = pytest.mark.slow

HOTLINE = hotlines.HOTLINE


class Conversation:
    def __init__(self, stack: dict[str, Any]) -> None:
        self.url = stack["rasa_url"] + "/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> list[dict[str, Any]]:
        resp = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=120)
        assert resp.status_code == 200, resp.text
        replies = resp.json()
        assert replies, f"no reply to {text!r}"
        return replies

    def text(self, text: str) -> str:
        return "\n".join(r.get("text") or "" for r in self.say(text))


def test_greet_and_goodbye(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    assert "trợ lý tự động" in c.text("xin chào")
    assert "Cảm ơn anh chị đã liên hệ" in c.text("tạm biệt nhé")


def test_procedure_question_then_fee_follow_up(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.text("đăng ký tạm trú cần giấy tờ gì")
    assert "1.004194" in first and "dichvucong.gov.vn" in first
    follow_up = c.text("thế lệ phí bao nhiêu?")
    assert "1.004194" in follow_up and "Lệ phí" in follow_up


def test_clarification_button_payload_answers_that_procedure(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    text = c.text('/ask_procedure{"procedure": "1.000894", "procedure_aspect": "fee"}')
    assert "1.000894" in text and "Lệ phí" in text


def test_bot_challenge_says_automated_and_how_to_reach_a_person(stack: dict[str, Any]) -> None:
    text = Conversation(stack).text("bạn là người thật hay máy vậy")
    assert "trợ lý tự động" in text and HOTLINE in text


def test_two_stage_fallback(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.say("xqzw plmk vbnrt")
    assert "chưa hiểu rõ" in first[0]["text"]
    from nlu.intents import TOPIC_BUTTONS  # the topic buttons, their one place

    assert {b["title"]: b["payload"] for b in first[0].get("buttons") or []} == TOPIC_BUTTONS
    second = c.text("...")
    assert hotlines.SWITCHBOARD in second and HOTLINE in second


def test_vneid_question_answered_from_faq(stack: dict[str, Any]) -> None:
    text = Conversation(stack).text("cách kích hoạt tài khoản định danh điện tử mức 2")
    assert "VNeID" in text


def test_complaint_starts_the_complaint_form(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    text = c.text("tôi muốn phản ánh cán bộ phường làm việc chậm")
    assert "phản ánh về việc gì" in text and "hủy" in text  # the long first message is the description
    assert "đã hủy" in c.text("hủy")


def test_out_of_scope_says_what_it_can_do(stack: dict[str, Any]) -> None:
    text = Conversation(stack).text("thời tiết hà nội ngày mai thế nào")
    assert "ngoài phạm vi" in text and "thủ tục hành chính" in text


def test_nearest_agents_then_the_next_ones(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.text("tìm điểm hỗ trợ dịch vụ công gần phường Láng")
    assert "Điểm thứ 1" in first
    more = c.say("/find_agent_more")
    assert "Điểm thứ 1" in more[0]["text"] and more[0]["text"] != first


def _first_point(text: str) -> str:
    """The name of the first listed point ("Điểm thứ 1: <name>, cách khoảng ...")."""
    match = re.search(r"Điểm thứ 1: (.+?), (?:cách khoảng|trong cùng)", text)
    assert match, text
    return match.group(1)


def test_typed_follow_up_lists_other_agents(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.text("tìm điểm hỗ trợ dịch vụ công gần phường cầu giấy")
    assert "Phường Cầu Giấy" in first
    more = c.text("còn chỗ nào khác không?")  # typed, not the button: NLU gives find_agent_more
    assert "Điểm thứ 1" in more and "Phường Cầu Giấy" in more
    assert _first_point(more) != _first_point(first)
    assert "bạn" not in more


def test_more_points_after_a_split_old_ward_without_a_choice(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.text("tôi ở phường Láng Hạ quận Đống Đa cũ, điểm nộp hồ sơ gần nhất ở đâu")
    assert "Anh chị đang ở phường, xã nào" in first
    more = c.text("xa quá, còn chỗ nào khác không")  # no ward chosen: each new ward's nearest point
    assert "Gần Phường Giảng Võ" in more and "Gần Phường Láng" in more, more
    assert "Anh chị đang ở phường, xã nào" not in more


def test_conversations_are_stored_in_the_sql_tracker_store(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    c.say("xin chào")
    db = stack["logs"].parent / "rasa_tracker.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM events WHERE sender_id = ?", (c.sender,)).fetchone()[0]
    assert rows > 0


def test_personal_data_stays_out_of_the_dialogue_logs(stack: dict[str, Any]) -> None:
    Conversation(stack).say("số điện thoại của tôi là 0912345678, cccd 001203004567")
    for name in ("rasa.log", "actions.log"):
        log = (stack["logs"] / name).read_text(errors="replace")
        assert "0912345678" not in log and "001203004567" not in log


def test_close_procedures_answer_the_usual_one_and_a_button_answers_another(stack: dict[str, Any]) -> None:
    """Issue 9 item 4: "đăng ký cư trú" is most often tạm trú: answered and named as the usual case,
    the other procedures offered as buttons (distinct titles); a button answers the one chosen."""
    c = Conversation(stack)
    replies = c.say("đăng ký cư trú cần gì")
    assert "thường gặp nhất: Đăng ký tạm trú" in replies[0]["text"] and "1.004194" in replies[0]["text"]
    buttons = replies[0].get("buttons") or []
    titles = [b["title"] for b in buttons]
    assert len(titles) == len(set(titles))
    other = next(b for b in buttons if b["title"] == "Đăng ký thường trú")
    answer = c.text(other["payload"])
    assert "Đăng ký thường trú" in answer and "1.004222" in answer and "dichvucong.gov.vn" in answer


def test_shared_location_gives_the_nearest_agents(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    resp = httpx.post(
        c.url,
        json={
            "sender": c.sender,
            "message": "tìm điểm hỗ trợ gần tôi",
            "metadata": {"lat": 21.0285, "lon": 105.8542},
        },
        timeout=120,
    )
    assert resp.status_code == 200
    assert "Điểm thứ 1" in resp.json()[0]["text"]


def test_contact_question(stack: dict[str, Any]) -> None:
    assert "1022" in Conversation(stack).text("cho tôi xin số điện thoại tổng đài của trung tâm")


def test_typing_another_name_after_the_usual_case_answers_the_same_question(stack: dict[str, Any]) -> None:
    c = Conversation(stack)
    first = c.text("lệ phí đăng ký cư trú bao nhiêu")
    assert "thường gặp nhất: Đăng ký tạm trú" in first and "Lệ phí" in first
    answer = c.text("thường trú")
    assert "1.004222" in answer and "Lệ phí" in answer
