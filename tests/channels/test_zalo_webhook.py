"""The Zalo webhook and inbox against the local fake Zalo API (no Rasa: the core is a double here;
``test_channels_e2e`` runs the real dialogue)."""

from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.replies import LOCATION_TURN_TEXT, TEXT_ONLY, WELCOME
from channels.zalo.models import ZaloInboxEvent, ZaloToken
from channels.zalo.signature import sign
from dvcbot.db import get_engine
from dvcbot.settings import Settings
from gateway.replies import STILL_PROCESSING
from gateway.schemas import BotMessage, ChatResponse
from tests.channels.conftest import (
    APP_ID,
    APP_SECRET,
    OA_SECRET_KEY,
    CoreDouble,
    channels_app,
    prepare_db,
    wait_for,
)
from tests.channels.fake_zalo import FakeZalo


@pytest.fixture
def fake():
    with FakeZalo(APP_ID, APP_SECRET, access_token="access-0", refresh_token="refresh-0") as fz:
        yield fz


def settings_for(url: str, fake: FakeZalo | None, tmp_path, **extra) -> Settings:
    zalo = {} if fake is None else dict(
        zalo_app_id=APP_ID, zalo_oa_secret_key=OA_SECRET_KEY, zalo_app_secret=APP_SECRET,
        zalo_access_token="access-0", zalo_refresh_token="refresh-0", zalo_api_url=fake.url,
        zalo_oauth_url=fake.url)
    return Settings(var_dir=tmp_path, database_url=url, request_timeout=2.0, **{**zalo, **extra})


@contextmanager
def running(settings: Settings, core: CoreDouble):
    """A gateway-shaped app (settings, outbound, turn service) with the channels installed."""
    prepare_db(settings.db_url)
    app = channels_app(settings, core)
    with TestClient(app) as client:
        client.app_ref = app
        yield client


def now_ms(offset_s: float = 0.0) -> str:
    return str(int((time.time() + offset_s) * 1000))


def text_event(user: str, text: str, msg_id: str, ts: str | None = None) -> dict:
    return {"app_id": APP_ID, "user_id_by_app": "app-" + user, "event_name": "user_send_text",
            "timestamp": ts or now_ms(), "sender": {"id": user}, "recipient": {"id": "oa-579"},
            "message": {"text": text, "msg_id": msg_id}}


def post(client: TestClient, event: dict | None = None, raw: bytes | None = None, key: str = OA_SECRET_KEY,
         signature: str | None = None, timestamp: str | None = None):
    raw = raw if raw is not None else json.dumps(event, ensure_ascii=False).encode()
    ts = timestamp if timestamp is not None else str((event or {}).get("timestamp", ""))
    headers = {"Content-Type": "application/json"}
    sig = signature if signature is not None else sign(APP_ID, raw, ts, key)
    if sig:
        headers["X-ZEvent-Signature"] = sig
    return client.post("/webhooks/zalo", content=raw, headers=headers)


def rows(url: str) -> list[ZaloInboxEvent]:
    with Session(get_engine(url)) as s:
        return list(s.scalars(select(ZaloInboxEvent).order_by(ZaloInboxEvent.id)))


# --- signature and replay ---------------------------------------------------------------------------

def test_signature_accepted_and_forgeries_rejected(tmp_path, fake, core, caplog):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with running(settings_for(url, fake, tmp_path), core) as client, caplog.at_level(logging.WARNING):
        event = text_event("u-sig", "xin chào", "msg-sig-1")
        raw = json.dumps(event).encode()
        assert post(client, raw=raw, key="not-the-oa-key", timestamp=event["timestamp"]).status_code == 401
        missing = post(client, raw=raw, signature="", timestamp=event["timestamp"])
        assert missing.status_code == 401 and missing.json()["error"] == "bad_signature"
        tampered = raw.replace(b"xin ch", b"XIN CH")
        good_sig = sign(APP_ID, raw, event["timestamp"], OA_SECRET_KEY)
        assert post(client, raw=tampered, signature=good_sig).status_code == 401
        assert sum("bad or missing signature" in r.getMessage() for r in caplog.records) == 3
        assert rows(url) == []  # nothing forged was stored
        ok = post(client, event)
        assert ok.status_code == 200 and ok.json() == {"ok": True, "duplicate": False}
        wait_for(lambda: fake.state.texts_to("u-sig"), what="the reply")
    assert fake.state.texts_to("u-sig") == ["Đã nhận: xin chào"]
    assert fake.state.shape_errors == []


def test_events_outside_the_window_are_rejected(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with running(settings_for(url, fake, tmp_path, zalo_signature_window_s=300), core) as client:
        old = text_event("u-old", "cũ", "msg-old", ts=now_ms(-3600))
        resp = post(client, old)  # correctly signed, but an hour old: a replay
        assert resp.status_code == 401 and resp.json()["error"] == "stale_event"
        assert post(client, text_event("u-old", "mới", "msg-new", ts=now_ms(-60))).status_code == 200
        wait_for(lambda: fake.state.texts_to("u-old"), what="the reply")
    assert [r.event_key for r in rows(url)] == ["m:msg-new"]


# --- exactly once ---------------------------------------------------------------------------------

def test_duplicates_answered_once(db_url, tmp_path, fake, core):
    core.gate = __import__("threading").Event()
    with running(settings_for(db_url, fake, tmp_path), core) as client:
        event = text_event("u-dup", "hồ sơ khai sinh", "msg-dup-1")
        first = post(client, event)
        again = post(client, event)  # Zalo retries while the first copy is being answered
        assert first.json()["duplicate"] is False and again.json()["duplicate"] is True
        core.gate.set()
        wait_for(lambda: fake.state.texts_to("u-dup"), what="the reply")
        wait_for(lambda: rows(db_url)[0].status == "done", what="the row to finish")
        late = post(client, {**event, "timestamp": now_ms()})  # a retry after the answer went out
        assert late.status_code == 200 and late.json()["duplicate"] is True
    assert len(core.requests) == 1
    assert fake.state.texts_to("u-dup") == ["Đã nhận: hồ sơ khai sinh"]
    assert [(r.event_key, r.status) for r in rows(db_url)] == [("m:msg-dup-1", "done")]


def test_slow_core_the_webhook_acknowledges_before_the_answer(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    core.gate = __import__("threading").Event()  # the core will not answer until the test says so
    with running(settings_for(url, fake, tmp_path), core) as client:
        resp = post(client, text_event("u-slow", "lệ phí căn cước", "msg-slow"))
        # the 200 came back while the core is still held: the ack never waits for the answer
        assert resp.status_code == 200
        assert not core.gate.is_set() and fake.state.sent == []
        wait_for(lambda: len(core.requests) == 1, what="the worker to start the turn")
        assert rows(url)[0].status == "processing"
        core.gate.set()
        wait_for(lambda: fake.state.texts_to("u-slow"), what="the reply")


def test_restart_between_receiving_and_answering(db_url, tmp_path, fake):
    first_core = CoreDouble()
    first_core.gate = __import__("threading").Event()  # never released: the process "dies" mid-turn
    event = text_event("u-restart", "đăng ký thường trú", "msg-restart")
    with running(settings_for(db_url, fake, tmp_path), first_core) as client:
        assert post(client, event).status_code == 200
        wait_for(lambda: len(first_core.requests) == 1, what="the turn to start")
    first_core.gate.set()
    assert fake.state.sent == []
    assert rows(db_url)[0].status == "processing"

    second_core = CoreDouble()
    with running(settings_for(db_url, fake, tmp_path), second_core) as client:
        wait_for(lambda: fake.state.texts_to("u-restart"), what="the resumed reply")
        assert post(client, {**event, "timestamp": now_ms()}).json()["duplicate"] is True
        wait_for(lambda: rows(db_url)[0].status == "done", what="the row to finish")
    assert fake.state.texts_to("u-restart") == ["Đã nhận: đăng ký thường trú"]
    assert [r.message_id for r in second_core.requests] == ["msg-restart"]  # the same turn id: the
    # gateway's turn store answers a turn it already finished from the stored reply


# --- tokens and failures ------------------------------------------------------------------------------

def test_expired_token_is_rotated_stored_and_survives_a_restart(db_url, tmp_path, fake, core):
    fake.state.expire_token()
    with running(settings_for(db_url, fake, tmp_path), core) as client:
        post(client, text_event("u-tok", "câu một", "msg-tok-1"))
        wait_for(lambda: fake.state.texts_to("u-tok"), what="the reply after the refresh")
        assert client.app_ref.state.zalo.status()["token_refreshes"] == 1
    assert fake.state.refreshes == [{"refresh_token": "refresh-0", "app_id": APP_ID, "grant_type": "refresh_token"}]
    with Session(get_engine(db_url)) as s:
        token = s.get(ZaloToken, 1)
        assert (token.access_token, token.refresh_token) == ("access-1", "refresh-1")
        assert token.expires_at is not None
    # after a restart the stored pair is used (the env pair is spent)
    with running(settings_for(db_url, fake, tmp_path), core) as client:
        post(client, text_event("u-tok", "câu hai", "msg-tok-2"))
        wait_for(lambda: len(fake.state.texts_to("u-tok")) == 2, what="the second reply")
    assert len(fake.state.refreshes) == 1
    assert fake.state.shape_errors == []


def test_token_refreshed_ahead_of_expiry(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    prepare_db(url)
    import datetime as dt

    with Session(get_engine(url)) as s, s.begin():
        s.add(ZaloToken(id=1, access_token="access-0", refresh_token="refresh-0",
                        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)))
    with running(settings_for(url, fake, tmp_path, zalo_token_refresh_margin_s=300), core) as client:
        post(client, text_event("u-ahead", "xin chào", "msg-ahead"))
        wait_for(lambda: fake.state.texts_to("u-ahead"), what="the reply")
    assert [r["refresh_token"] for r in fake.state.refreshes] == ["refresh-0"]


def test_send_errors_are_retried_then_reported(tmp_path, fake, core, caplog):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    fake.state.fail_next = 2  # two HTTP 500s, then Zalo recovers
    with running(settings_for(url, fake, tmp_path), core) as client:
        client.app_ref.state.zalo.client.backoff_s = 0.01
        post(client, text_event("u-retry", "một", "msg-retry-1"))
        wait_for(lambda: fake.state.texts_to("u-retry"), what="the reply after retries")
        fake.state.slow_next, fake.state.slow_s = 1, 5.0  # one call times out (network error), then OK
        post(client, text_event("u-retry", "hai", "msg-retry-2"))
        wait_for(lambda: len(fake.state.texts_to("u-retry")) == 2, what="the reply after a timeout")
        assert client.app_ref.state.zalo.status()["ok"] is True
        fake.state.fail_next = 100  # Zalo is down for good
        with caplog.at_level(logging.WARNING):
            post(client, text_event("u-retry", "ba", "msg-retry-3"))
            wait_for(lambda: rows(url)[-1].status == "failed", what="the row to fail")
        status = client.app_ref.state.zalo.status()
        assert status["ok"] is False and status["failed"] == 1 and "HTTP 500" in status["last_error"]
    assert any("send failed" in r.getMessage() for r in caplog.records)


# --- events ---------------------------------------------------------------------------------------------

def test_follow_location_non_text_and_numbered_choices(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with running(settings_for(url, fake, tmp_path), core) as client:
        post(client, {"app_id": APP_ID, "event_name": "follow", "timestamp": now_ms(), "source": "oa_profile",
                      "oa_id": "oa-579", "follower": {"id": "u-ev"}})
        wait_for(lambda: fake.state.texts_to("u-ev") == [WELCOME], what="the welcome")
        post(client, {"app_id": APP_ID, "event_name": "user_send_sticker", "timestamp": now_ms(),
                      "sender": {"id": "u-ev"}, "recipient": {"id": "oa-579"},
                      "message": {"msg_id": "msg-sticker", "attachments": [{"type": "sticker", "payload": {"id": "x"}}]}})
        wait_for(lambda: fake.state.texts_to("u-ev")[-1:] == [TEXT_ONLY], what="please type")
        post(client, {"app_id": APP_ID, "event_name": "user_send_location", "timestamp": now_ms(),
                      "sender": {"id": "u-ev"}, "recipient": {"id": "oa-579"},
                      "message": {"msg_id": "msg-loc", "text": "", "attachments": [{"type": "location", "payload": {
                          "coordinates": {"latitude": "21.0285", "longitude": "105.8542"}}}]}})
        wait_for(lambda: len(core.requests) == 1, what="the location turn")
        assert core.requests[0].text == LOCATION_TURN_TEXT
        assert core.requests[0].metadata == {"location": {"lat": 21.0285, "lon": 105.8542}}
        assert core.requests[0].session_id == "zalo-u-ev" and core.requests[0].channel == "zalo"
        post(client, text_event("u-ev", "menu", "msg-menu"))
        wait_for(lambda: len(core.requests) == 2, what="the menu turn")
        wait_for(lambda: "1. Cấp căn cước" in fake.state.texts_to("u-ev")[-1], what="the numbered list")
        wait_for(lambda: rows(url)[-1].status == "done", what="the menu row")
        post(client, text_event("u-ev", "2", "msg-two"))  # the citizen answers with a number
        wait_for(lambda: len(core.requests) == 3, what="the choice turn")
        assert core.requests[2].text == '/ask_procedure{"procedure": "khai-sinh"}'
        unknown = post(client, {"app_id": APP_ID, "event_name": "oa_send_text", "timestamp": now_ms(),
                                "sender": {"id": "oa-579"}, "recipient": {"id": "u-ev"},
                                "message": {"msg_id": "msg-oa", "text": "echo of our own message"}})
        assert unknown.status_code == 200
        wait_for(lambda: fake.state.texts_to("u-ev")[-1].startswith("Đã nhận: /ask_procedure"), what="reply")
    statuses = {r.event_key: r.status for r in rows(url)}
    assert statuses["m:msg-oa"] == "ignored" and len(core.requests) == 3


def test_bad_input_gets_clear_4xx(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with running(settings_for(url, fake, tmp_path), core) as client:
        bad_json = post(client, raw=b'{"event_name": "user_send_text", ', timestamp="1")
        assert bad_json.status_code == 400 and bad_json.json()["error"] == "invalid_json"
        bad_utf8 = post(client, raw=b'{"event_name": "user_send_text", "x": "\xff\xfe"}', timestamp="1")
        assert bad_utf8.status_code == 400 and bad_utf8.json()["error"] == "invalid_encoding"
        huge = text_event("u-big", "a" * 1_000_000, "msg-big")
        big = post(client, huge)
        assert big.status_code == 413 and big.json()["error"] == "payload_too_large"
        not_event = post(client, raw=b"[1, 2, 3]", timestamp="")
        assert not_event.status_code == 400 and not_event.json()["error"] == "invalid_event"
        # a long (but not huge) message is answered politely, never sent to the core
        post(client, text_event("u-big", "b" * 5000, "msg-long"))
        wait_for(lambda: fake.state.texts_to("u-big"), what="the too-long answer")
        assert "dài quá" in fake.state.texts_to("u-big")[0]
    assert core.requests == []
    assert [r.event_key for r in rows(url)] == ["m:msg-long"]


def test_staff_reply_through_outbound(tmp_path, fake, core):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with running(settings_for(url, fake, tmp_path), core) as client:
        outbound = client.app_ref.state.outbound
        assert outbound.channels() == ["web", "zalo"]
        ok = client.portal.call(outbound.send, "zalo", "zalo-u-staff",
                                [BotMessage(text="Cán bộ: hồ sơ của anh chị đã được tiếp nhận.")])
        assert ok is True
    assert fake.state.texts_to("u-staff") == ["Cán bộ: hồ sơ của anh chị đã được tiếp nhận."]


def test_disabled_without_settings(tmp_path, core, caplog):
    url = f"sqlite:///{tmp_path / 'z.db'}"
    with caplog.at_level(logging.WARNING), running(settings_for(url, None, tmp_path), core) as client:
        resp = post(client, text_event("u-off", "xin chào", "msg-off"))
        assert resp.status_code == 404
        assert client.app_ref.state.outbound.channels() == ["web"]
    assert any("zalo channel disabled" in r.getMessage() and "DVCBOT_ZALO_APP_ID" in r.getMessage()
               for r in caplog.records)


def test_turn_left_unfinished_by_a_stopped_process_is_asked_again(tmp_path, fake):
    """The gateway's turn store answers a turn id whose first copy never finished with "still being
    processed"; a Zalo event resumed after a restart then asks again under a new turn id."""
    url = f"sqlite:///{tmp_path / 'z.db'}"
    first_core = CoreDouble()
    first_core.gate = __import__("threading").Event()
    event = text_event("u-stranded", "cấp lại căn cước", "msg-stranded")
    with running(settings_for(url, fake, tmp_path), first_core) as client:
        post(client, event)
        wait_for(lambda: len(first_core.requests) == 1, what="the turn to start")

    class StrandedCore(CoreDouble):
        async def handle(self, request):
            if request.message_id == "msg-stranded":  # what TurnService answers for a stranded turn
                self.requests.append(request)
                return ChatResponse(session_id=request.session_id, message_id=request.message_id,
                                    messages=[BotMessage(text=STILL_PROCESSING)], replayed=True)
            return await super().handle(request)

    second_core = StrandedCore()
    with running(settings_for(url, fake, tmp_path), second_core):
        wait_for(lambda: fake.state.texts_to("u-stranded"), what="the answer after the restart")
    assert fake.state.texts_to("u-stranded") == ["Đã nhận: cấp lại căn cước"]
    assert [r.message_id for r in second_core.requests] == ["msg-stranded", "msg-stranded.r2"]
