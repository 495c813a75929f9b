"""The gateway on its own: input validation, liveness/readiness and the apology when Rasa is down.

The back-end ports point at closed ports here, so every part is genuinely down; the conversations with
the real Rasa, NLU and action server are in tests/e2e.
"""

import pytest
from fastapi.testclient import TestClient

from dvcbot.procs import free_port
from dvcbot.settings import Settings
from gateway.app import create_app


@pytest.fixture()
def client(tmp_path):
    settings = Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'gw.db'}", rasa_port=free_port(),
                        nlu_port=free_port(), actions_port=free_port(), request_timeout=2.0)
    with TestClient(create_app(settings)) as c:
        yield c


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_names_each_part_that_is_down(client):
    resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["ready"] is False
    assert set(body["components"]) == {"rasa", "nlu", "actions"}
    assert all(not c["ok"] and c["error"] for c in body["components"].values())


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    assert "/api/v1/chat" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"text": "xin chào"}, 422, "session_id"),
        ({"session_id": "s1", "text": ""}, 422, "text"),
        ({"session_id": "s1", "text": "   \n "}, 422, "trống"),
        ({"session_id": "s1", "text": "a" * 10000}, 422, "quá dài"),
        ({"session_id": "s1", "text": "bad\x00binary"}, 422, "không hợp lệ"),
        ({"session_id": "bad id with spaces", "text": "hi"}, 422, "session_id"),
        ({"session_id": "s1", "text": "hi", "channel": "fax"}, 422, "channel"),
        ({"session_id": "s1", "text": 42}, 422, "text"),
    ],
)
def test_bad_chat_requests_get_a_clear_4xx(client, body, status, fragment):
    resp = client.post("/api/v1/chat", json=body)
    assert resp.status_code == status
    assert fragment in resp.json()["detail"]


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00garbage", b"", b"[1, 2"])
def test_invalid_json_is_a_400(client, raw):
    resp = client.post("/api/v1/chat", content=raw, headers={"content-type": "application/json"})
    assert resp.status_code in (400, 422)
    assert "detail" in resp.json()


def test_rasa_down_gives_apology_with_hotlines_and_keeps_the_turn(client):
    resp = client.post("/api/v1/chat", json={"session_id": "s2", "text": "làm căn cước cần gì", "message_id": "m1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["degraded"] is True
    text = body["messages"][0]["text"]
    assert "1022" in text and "1900" in text and "gián đoạn" in text
    turns = client.app.state.turns.history("s2")
    assert [(t["message_id"], t["status"], t["text"]) for t in turns] == [("m1", "failed", "làm căn cước cần gì")]
