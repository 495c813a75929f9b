"""End to end: the four real processes (NLU, actions, Rasa, gateway) and multi-turn conversations
through ``POST /api/v1/chat``, as a channel would hold them."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.stack import start_stack, stop_stack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = start_stack(tmp_path_factory.mktemp("e2e"), gateway=True)
    yield s
    stop_stack(s)


class Citizen:
    """One conversation on one channel."""

    def __init__(self, url: str, channel: str = "web") -> None:
        self.client = httpx.Client(base_url=url, timeout=60)
        self.session = f"e2e-{uuid.uuid4().hex[:8]}"
        self.channel = channel

    def say(self, text: str, **extra) -> dict:
        resp = self.client.post("/api/v1/chat", json={"session_id": self.session, "text": text,
                                                      "channel": self.channel, **extra})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["degraded"] is False, body
        return body

    @staticmethod
    def text(body: dict) -> str:
        return "\n".join(m.get("text", "") for m in body["messages"])


def test_readyz_reports_every_part_up(stack):
    body = httpx.get(stack["gateway_url"] + "/readyz", timeout=10).json()
    assert body["ready"] is True
    assert {n for n, c in body["components"].items() if c["ok"]} == {"rasa", "nlu", "actions"}


def test_procedure_answer_then_follow_up_fee_keeps_context(stack):
    c = Citizen(stack["gateway_url"])
    first = c.say("đăng ký tạm trú cần giấy tờ gì")
    assert first["intent"] == "ask_procedure"
    text = c.text(first)
    assert "1.004194" in text and "dichvucong.gov.vn" in text
    follow = c.say("thế lệ phí bao nhiêu?")
    fee = c.text(follow)
    assert "1.004194" in fee and "phí" in fee.lower()


def test_without_diacritics_and_teencode(stack):
    c = Citizen(stack["gateway_url"], channel="zalo")
    body = c.say("lam cccd can nhung giay to j vay ad")
    assert body["intent"] == "ask_procedure"
    assert any(code in c.text(body) for code in ("2.001195", "2.000200", "1.")) or any(
        m.get("buttons") for m in body["messages"])


def test_vneid_question_answered_from_the_faq(stack):
    c = Citizen(stack["gateway_url"])
    body = c.say("quên mật khẩu vneid thì phải làm sao")
    assert body["intent"] == "ask_vneid"
    assert "VNeID" in c.text(body)


def test_out_of_scope_is_polite_and_says_what_it_can_do(stack):
    c = Citizen(stack["gateway_url"])
    body = c.say("dự báo thời tiết ngày mai ở hà nội thế nào")
    assert body["intent"] == "out_of_scope"
    assert "thủ tục" in c.text(body).lower()


def test_two_stage_fallback_ends_with_a_human(stack):
    c = Citizen(stack["gateway_url"])
    first = c.say("xqzw plmk vbnrt")
    assert first["intent"] == "nlu_fallback"
    assert any(m.get("buttons") for m in first["messages"])
    second = c.say("xqzw plmk vbnrt")
    assert second["intent"] == "nlu_fallback"
    assert "1022" in c.text(second) or "1900" in c.text(second)


def test_nearest_agent_by_ward(stack):
    c = Citizen(stack["gateway_url"])
    body = c.say("tôi ở phường cầu giấy, điểm làm thủ tục gần nhất ở đâu")
    assert body["intent"] == "find_agent"
    text = c.text(body)
    assert "Điểm thứ 1" in text and "map?ward=00166" in text and "gần đúng" in text


def test_a_repeated_message_id_is_answered_once(stack):
    c = Citizen(stack["gateway_url"])
    first = c.say("xin chào", message_id="msg-1")
    again = c.say("xin chào", message_id="msg-1")
    assert again["replayed"] is True and again["messages"] == first["messages"]
    tracker = httpx.get(f"{stack['rasa_url']}/conversations/web:{c.session}/tracker",
                        params={"token": stack["rasa_token"]}, timeout=10).json()
    user_turns = [e for e in tracker["events"] if e["event"] == "user"]
    assert len(user_turns) == 1


def test_a_retry_of_a_turn_the_gateway_lost_is_answered_from_the_conversation_not_processed_again(stack):
    """The gateway died (or gave up) after Rasa processed the message: its turn is left failed. The
    channel's retry is taken over, and Rasa answers it from the conversation instead of a second pass."""
    from sqlalchemy import create_engine, text

    c = Citizen(stack["gateway_url"])
    first = c.say("đăng ký tạm trú cần giấy tờ gì", message_id="lost-1")
    engine = create_engine(stack["settings"].db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE chat_turns SET status = 'failed' WHERE session_id = :s AND message_id = 'lost-1'"),
                     {"s": c.session})
    engine.dispose()
    again = c.say("đăng ký tạm trú cần giấy tờ gì", message_id="lost-1")
    assert again["replayed"] is False and again["messages"] == first["messages"]
    assert again["intent"] == first["intent"] == "ask_procedure"
    tracker = httpx.get(f"{stack['rasa_url']}/conversations/web:{c.session}/tracker",
                        params={"token": stack["rasa_token"]}, timeout=10).json()
    assert len([e for e in tracker["events"] if e["event"] == "user"]) == 1


def test_a_retry_after_a_pass_that_died_mid_turn_counts_once(stack):
    """The action server died while Rasa handled the message: the message reached the conversation
    but nothing answered it. The retry undoes that pass (UserUtteranceReverted) and answers, so the
    conversation holds the message once."""
    url = stack["rasa_url"] + "/webhooks/dvcbot/webhook"
    headers = {"Authorization": f"Bearer {stack['rasa_token']}"}
    sender = f"web:e2e-{uuid.uuid4().hex[:8]}"
    body = {"sender": sender, "message": "đăng ký tạm trú cần giấy tờ gì", "metadata": {"message_id": "died-1"}}
    actions = next(s for s in stack["services"] if s.name == "actions")
    actions.stop()
    try:
        first = httpx.post(url, json=body, headers=headers, timeout=180)
        assert first.status_code in (200, 500)
        if first.status_code == 200:
            assert not any("1.004194" in (m.get("text") or "") for m in first.json()["messages"])
    finally:
        actions.start()
        assert actions.wait_ready(300)
    retried = {**body, "metadata": {"message_id": "died-1", "retry": True}}
    again = httpx.post(url, json=retried, headers=headers, timeout=180)
    assert again.status_code == 200, again.text
    assert any("1.004194" in (m.get("text") or "") for m in again.json()["messages"]), "\n".join(m.get("text") or "" for m in again.json()["messages"])
    events = httpx.get(f"{stack['rasa_url']}/conversations/{sender}/tracker",
                       params={"token": stack["rasa_token"]}, timeout=10).json()["events"]
    users = [e for e in events if e["event"] == "user"]
    rewinds = [e for e in events if e["event"] == "rewind"]
    assert len(users) == 2 and len(rewinds) == 1  # the dead pass undone, the retry kept
    assert events.index(rewinds[0]) < events.index(users[1])
    # a second retry of the answered message is answered from the conversation
    third = httpx.post(url, json=retried, headers=headers, timeout=180).json()
    assert third.get("replayed") is True
    assert [m["text"] for m in third["messages"]] == [m["text"] for m in again.json()["messages"]]


def test_the_gateway_apologises_when_the_nlu_service_is_down(stack):
    nlu = next(s for s in stack["services"] if s.name == "nlu")
    nlu.stop()
    try:
        resp = httpx.post(stack["gateway_url"] + "/api/v1/chat",
                          json={"session_id": "down-1", "text": "làm hộ chiếu ở đâu"}, timeout=30)
        assert resp.status_code == 200
        body = resp.json()
        assert body["degraded"] is True and "1022" in body["messages"][0]["text"]
        ready = httpx.get(stack["gateway_url"] + "/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["components"]["nlu"]["ok"] is False
        assert ready.json()["components"]["rasa"]["ok"] is True
    finally:
        nlu.start()
        assert nlu.wait_ready(300)
