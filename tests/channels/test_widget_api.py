"""The widget's socket and HTTP endpoints: origins, rate limits, bad frames, live staff replies
(the core is a double here; ``test_widget_browser`` runs the real dialogue in Chromium)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from channels.replies import LOCATION_TURN_TEXT
from dvcbot.settings import Settings
from gateway.ratelimit import TOO_FAST
from gateway.schemas import BotMessage
from tests.channels.conftest import CoreDouble, channels_app

SESSION = "web-0123456789abcdef"
PORTAL = "https://dichvucong.hanoi.gov.vn"


@pytest.fixture
def client(tmp_path, core):
    settings = Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'w.db'}",
                        widget_allowed_origins=PORTAL, rate_limit_session="5/minute", rate_limit_client="15/minute")
    app = channels_app(settings, core)
    with TestClient(app) as c:
        c.app_ref = app
        yield c


def test_widget_js_and_demo_page(client):
    js = client.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "/ws/widget" in js.text and "localStorage" in js.text
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/widget.js"' in page.text


def test_socket_turn_location_and_push(client, core: CoreDouble):
    with client.websocket_connect(f"/ws/widget?session_id={SESSION}", headers={"origin": PORTAL}) as ws:
        ws.send_json({"type": "message", "text": "làm căn cước cần gì", "id": "m-000000001"})
        assert ws.receive_json() == {"type": "typing", "reply_to": "m-000000001"}
        reply = ws.receive_json()
        assert reply["type"] == "reply" and reply["reply_to"] == "m-000000001"
        assert reply["messages"] == [{"text": "Đã nhận: làm căn cước cần gì"}]
        ws.send_json({"type": "location", "lat": 21.03, "lon": 105.85, "id": "m-000000002"})
        ws.receive_json()
        ws.receive_json()
        assert core.requests[1].text == LOCATION_TURN_TEXT
        assert core.requests[1].metadata == {"location": {"lat": 21.03, "lon": 105.85}}
        assert (core.requests[0].channel, core.requests[0].session_id) == ("web", SESSION)
        # a staff reply from the care console arrives live on the open socket
        outbound = client.app_ref.state.outbound
        assert client.portal.call(outbound.send, "web", SESSION, [BotMessage(text="Cán bộ đã tiếp nhận.")])
        assert ws.receive_json() == {"type": "push", "messages": [{"text": "Cán bộ đã tiếp nhận."}]}
    # no socket open: the delivery says so (the caller keeps the message for the widget to fetch)
    assert client.portal.call(outbound.send, "web", SESSION, [BotMessage(text="x")]) is False


def test_foreign_origin_rejected(client, core):
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect(f"/ws/widget?session_id={SESSION}", headers={"origin": "https://evil.example"}) as ws:
            ws.receive_json()
    assert closed.value.code == 1008
    resp = client.post("/api/v1/widget/chat", json={"session_id": SESSION, "type": "message", "text": "xin chào"},
                       headers={"origin": "https://evil.example"})
    assert resp.status_code == 403 and resp.json()["error"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in resp.headers
    ok = client.post("/api/v1/widget/chat", json={"session_id": SESSION, "type": "message", "text": "xin chào"}, headers={"origin": PORTAL})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == PORTAL
    pre = client.options("/api/v1/widget/chat", headers={"origin": PORTAL, "access-control-request-method": "POST"})
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == PORTAL
    assert len(core.requests) == 1


def test_flood_is_rate_limited_per_session_and_ip(client, core):
    with client.websocket_connect(f"/ws/widget?session_id={SESSION}") as ws:
        answers = []
        for i in range(12):
            ws.send_json({"type": "message", "text": f"câu {i}", "id": f"m-flood-{i:04d}"})
            frame = ws.receive_json()
            if frame["type"] == "typing":
                frame = ws.receive_json()
            answers.append(frame)
    limited = [a for a in answers if a["type"] == "error"]
    assert len([a for a in answers if a["type"] == "reply"]) == 5  # rate_limit_session = 5/minute
    assert len(limited) == 7 and all(a["error"] == "too_many_requests" and a["detail"] == TOO_FAST for a in limited)
    # the per-address limit (15/minute, 12 used) also stops a second session from the same address
    other = "web-fedcba9876543210"
    codes = [client.post("/api/v1/widget/chat", json={"session_id": other, "type": "message", "text": f"câu {i}"}).status_code
             for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert len(core.requests) == 8


def test_bad_frames_get_clear_errors(client, core):
    with client.websocket_connect(f"/ws/widget?session_id={SESSION}") as ws:
        ws.send_text("{not json")
        assert ws.receive_json()["error"] == "invalid_json"
        ws.send_text("x" * 100_000)
        assert ws.receive_json()["error"] == "too_large"
        ws.send_json({"type": "message", "text": "   "})
        assert ws.receive_json()["error"] == "invalid_message"
        ws.send_json({"type": "location", "lat": 200, "lon": 0})
        assert ws.receive_json()["error"] == "invalid_message"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect("/ws/widget?session_id=bad id!") as ws:
            ws.receive_json()
    resp = client.post("/api/v1/widget/chat", content=b"\xff\xfe", headers={"content-type": "application/json"})
    assert 400 <= resp.status_code < 500
    assert core.requests == []


def test_history_includes_staff_messages_sent_while_closed(tmp_path, core):
    """Turns, then a staff reply and the rating question stored by the care console while no widget
    was open: the history shows them after the turns, in order, and a later push of the same
    message carries its id so that the widget does not show it twice."""
    from care import ratings
    from care.models import ConversationMessage
    from dvcbot.db import get_engine, session_scope
    from gateway.store import TurnStore
    from tests.channels.conftest import prepare_db

    url = f"sqlite:///{tmp_path / 'h.db'}"
    prepare_db(url)
    settings = Settings(var_dir=tmp_path, database_url=url, widget_allowed_origins=PORTAL)
    app = channels_app(settings, core)
    store = app.state.turns = TurnStore(get_engine(url))
    for i, text in enumerate(["làm căn cước cần gì", "/affirm"]):
        store.claim(SESSION, f"m-hist-{i:04d}", "web", text)
        store.finish(SESSION, f"m-hist-{i:04d}", {"messages": [{"text": f"Đáp {i}"}]}, None, None, True, channel="web")
    store.claim("other-session-01", "m-other-0001", "web", "câu khác")
    with session_scope(url) as s:
        s.add(ConversationMessage(channel="web", session_id=SESSION, sender="staff", text="Cán bộ Lan: em đã kiểm tra hồ sơ."))
        s.add(ConversationMessage(channel="web", session_id=SESSION, sender="citizen", text="cảm ơn"))
        s.add(ConversationMessage(channel="zalo", session_id=SESSION, sender="staff", text="tin của kênh Zalo"))
    with session_scope(url) as s:
        s.add(ConversationMessage(channel="web", session_id=SESSION, sender="system", text=ratings.QUESTION,
                                  buttons=json.dumps(ratings.buttons(), ensure_ascii=False)))
    with TestClient(app) as client:
        resp = client.get("/api/v1/widget/history", params={"session_id": SESSION}, headers={"origin": PORTAL})
        assert resp.status_code == 200
        items = resp.json()["items"]
        assert [(it["role"], it.get("text") or it["messages"][0]["text"]) for it in items] == [
            ("user", "làm căn cước cần gì"), ("bot", "Đáp 0"), ("bot", "Đáp 1"),
            ("staff", "Cán bộ Lan: em đã kiểm tra hồ sơ."), ("staff", ratings.QUESTION)]
        staff, question = items[3], items[4]
        assert staff["sender"] == "staff" and question["sender"] == "system"
        assert question["messages"][0]["buttons"] == ratings.buttons() and question["id"] > staff["id"]
        # the console's live push of a stored message names it, so the widget can skip the repeat
        with client.websocket_connect(f"/ws/widget?session_id={SESSION}", headers={"origin": PORTAL}) as ws:
            assert client.portal.call(app.state.outbound.send, "web", SESSION,
                                      [BotMessage(text="Cán bộ Lan: em đã kiểm tra hồ sơ."), BotMessage(text="mới")])
            assert ws.receive_json() == {"type": "push", "messages": [
                {"text": "Cán bộ Lan: em đã kiểm tra hồ sơ.", "care_id": staff["id"]}, {"text": "mới"}]}
    assert core.requests == []
