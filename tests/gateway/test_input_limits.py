"""Bad input at the gateway: every rejection is a clear 4xx in the one error shape, nothing is stored.

The back-end ports point at closed ports: what is tested here never reaches the dialogue.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dvcbot.procs import free_port
from dvcbot.settings import Settings
from gateway.app import create_app


@pytest.fixture()
def client(tmp_path):
    settings = Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'gw.db'}", rasa_port=free_port(),
                        nlu_port=free_port(), actions_port=free_port(), request_timeout=2.0,
                        max_body_bytes=16 * 1024, rate_limit_session="3/minute", rate_limit_client="100/minute")
    with TestClient(create_app(settings)) as c:
        yield c


def _chat(client, **body):
    return client.post("/api/v1/chat", json={"session_id": "s1", "text": "xin chào", **body})


@pytest.mark.parametrize("metadata", [
    {"anything": "else"},
    {"location": {"lat": 21.0, "lon": 105.8, "extra": 1}},
    {"location": {"lat": 200, "lon": 105.8}},
    {"lat": 21.0, "lon": 105.8},
    {"user_id": "a" * 500},
    {"locale": "vi\nInjected"},
    {"nested": {"a": {"b": {"c": {}}}}},
])
def test_metadata_is_bounded_to_what_channels_send(client, metadata):
    resp = _chat(client, metadata=metadata)
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "invalid_request" and body["fields"] and body["detail"]


@pytest.mark.parametrize("raw", [
    b'{"session_id": "s1", "text": "hi", "metadata": {"location": {"lat": NaN, "lon": 105.8}}}',
    b'{"session_id": "s1", "text": "hi", "metadata": {"location": {"lat": Infinity, "lon": 105.8}}}',
    b'{"session_id": "s1", "text": "hi", "metadata": {"location": {"lat": 1e999, "lon": 105.8}}}',
    b'{"session_id": "s1", "text": "\\ud800 lone surrogate"}',
])
def test_non_finite_numbers_and_lone_surrogates_are_a_4xx_and_leave_nothing_pending(client, raw):
    resp = client.post("/api/v1/chat", content=raw, headers={"content-type": "application/json"})
    assert 400 <= resp.status_code < 500, resp.text
    assert client.app.state.turns.history("s1") == []


@pytest.mark.parametrize("text", ["\u200b\u200c\u200d", "\ufeff \u200b", "\u2060"])
def test_text_of_invisible_characters_only_is_empty(client, text):
    resp = _chat(client, text=text)
    assert resp.status_code == 422
    assert "trống" in resp.json()["detail"] or resp.json()["fields"]


@pytest.mark.parametrize("message_id", ["a\nforged log line", "tab\there", "", "x" * 200, "space in id"])
def test_message_ids_carry_no_control_characters(client, message_id):
    resp = _chat(client, message_id=message_id)
    assert resp.status_code == 422


def test_a_large_body_is_refused_before_it_is_read(client):
    resp = client.post("/api/v1/chat", content=b"x" * (64 * 1024), headers={"content-type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["error"] == "payload_too_large"


def test_valid_location_metadata_is_accepted(client):
    resp = _chat(client, metadata={"location": {"lat": 21.03, "lon": 105.85}, "locale": "vi-VN"})
    assert resp.status_code == 200  # the apology: the back end is down in this test
    assert resp.json()["degraded"] is True


def test_a_failed_turn_releases_its_message_id_so_the_retry_is_processed(client):
    first = _chat(client, message_id="m-1")
    again = _chat(client, message_id="m-1")
    assert first.json()["degraded"] is True
    assert again.json()["degraded"] is True and again.json()["replayed"] is False


def test_rate_limit_per_session_says_so_in_vietnamese(client):
    codes = [_chat(client, session_id="fast").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    body = _chat(client, session_id="fast").json()
    assert body["error"] == "too_many_requests" and "chờ" in body["detail"]
    assert _chat(client, session_id="other").status_code == 200  # another conversation is not affected


def test_html_pages_carry_security_headers(client):
    resp = client.get("/map")
    assert resp.status_code == 200
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"]
    api = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"


def test_unknown_routes_answer_in_the_one_error_shape(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert resp.json()["error"] == "not_found"
