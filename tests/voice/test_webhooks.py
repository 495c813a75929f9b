"""``/voice/twilio/incoming`` and ``/voice/twilio/after``: signatures, TwiML, transfers, fallbacks."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from tests.voice.conftest import CARE, PUBLIC, TOKEN, voice_app, voice_settings
from tests.voice.twilio_sim import Twiml
from voice.calls import Transfer, caller_hash, stream_token

CALL = "CA" + "a1" * 16
CALLER = "+84912345678"


def signed(path: str, params: dict[str, str], token: str = TOKEN, url: str | None = None) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url or PUBLIC + path, params)}


def incoming_params(call: str = CALL) -> dict[str, str]:
    return {"CallSid": call, "AccountSid": "AC" + "0" * 32, "From": CALLER, "To": "+842241022",
            "CallStatus": "ringing", "Direction": "inbound"}


@pytest.fixture
def app(tmp_path):
    return voice_app(voice_settings(tmp_path), warm=False)


@pytest.fixture
def client(app):
    return TestClient(app)


def post(client, path, params, headers=None):
    return client.post(path, data=params, headers=headers or {})


def test_signed_incoming_call_gets_connect_stream_twiml(client):
    params = incoming_params()
    r = post(client, "/voice/twilio/incoming", params, signed("/voice/twilio/incoming", params))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    twiml = Twiml.parse(r.text)
    assert twiml.connect_action == f"{PUBLIC}/voice/twilio/after"
    assert twiml.stream_url == "wss://dvcbot.example.test/voice/twilio/stream"
    p = twiml.parameters
    assert p["call_id"] == CALL
    assert p["caller"] == caller_hash(CALLER, TOKEN) and len(p["caller"]) == 16
    assert p["token"] == stream_token(CALL, TOKEN)
    assert "912345678" not in r.text, "the caller's number never leaves the webhook"


@pytest.mark.parametrize("case", ["unsigned", "wrong_token", "tampered", "other_url"])
def test_unsigned_or_forged_webhooks_are_refused(client, case):
    params = incoming_params()
    headers = {
        "unsigned": {},
        "wrong_token": signed("/voice/twilio/incoming", params, token="not-the-token"),
        "tampered": signed("/voice/twilio/incoming", {**params, "From": "+84000000000"}),
        "other_url": signed("/voice/twilio/incoming", params, url="https://attacker.example/voice/twilio/incoming"),
    }[case]
    r = post(client, "/voice/twilio/incoming", params, headers)
    assert r.status_code == 403
    assert r.json()["error"] == "bad_signature"
    r = post(client, "/voice/twilio/after", {"CallSid": CALL}, headers if case != "tampered" else {})
    assert r.status_code == 403


def test_replayed_incoming_webhook_after_the_call_ended_is_refused(app, client):
    params = incoming_params()
    headers = signed("/voice/twilio/incoming", params)
    assert post(client, "/voice/twilio/incoming", params, headers).status_code == 200
    runtime = app.state.voice
    runtime.calls.finish(runtime.calls.open(CALL))
    r = post(client, "/voice/twilio/incoming", params, headers)
    assert r.status_code == 403 and r.json()["error"] == "replayed"


def test_voice_is_disabled_without_the_twilio_secret(tmp_path):
    client = TestClient(voice_app(voice_settings(tmp_path, twilio_auth_token=""), warm=False))
    params = incoming_params()
    r = post(client, "/voice/twilio/incoming", params, signed("/voice/twilio/incoming", params))
    assert r.status_code == 503 and r.json()["error"] == "voice_disabled"


def after(client, **extra):
    params = {"CallSid": CALL, "AccountSid": "AC" + "0" * 32, "CallStatus": "in-progress", **extra}
    r = post(client, "/voice/twilio/after", params, signed("/voice/twilio/after", params))
    assert r.status_code == 200, r.text
    return Twiml.parse(r.text)


def test_after_a_stream_without_transfer_hangs_up(client):
    twiml = after(client)
    assert twiml.find("Hangup") is not None and twiml.find("Dial") is None


@pytest.mark.parametrize("kind, number", [("care_centre", CARE), ("agent", "+842432191319")])
def test_after_a_transfer_decision_dials(app, client, kind, number):
    record = app.state.voice.calls.open(CALL)
    record.transfer = Transfer(kind, number, "test")
    app.state.voice.calls.finish(record)
    twiml = after(client)
    assert twiml.dial_number == number
    assert twiml.find("Dial").get("action") == f"{PUBLIC}/voice/twilio/after"


@pytest.mark.parametrize("status, fallback", [("completed", False), ("busy", True), ("no-answer", True),
                                              ("failed", True)])
def test_dial_outcome(client, status, fallback):
    twiml = after(client, DialCallStatus=status)
    assert bool(twiml.says) == fallback
    if fallback:
        assert "1022" in twiml.says[0] and twiml.find("Say").get("language") == "vi-VN"
    assert twiml.find("Hangup") is not None


def test_outside_working_hours_the_care_centre_is_not_dialled(tmp_path):
    app = voice_app(voice_settings(tmp_path, working_hours="00:00-00:00"), warm=False)
    record = app.state.voice.calls.open(CALL)
    record.transfer = Transfer("care_centre", CARE, "test")
    app.state.voice.calls.finish(record)
    twiml = after(TestClient(app))
    assert twiml.find("Dial") is None
    assert "ngoài giờ làm việc" in twiml.says[0]


def test_call_records_survive_a_restart(tmp_path):
    app = voice_app(voice_settings(tmp_path), warm=False)
    record = app.state.voice.calls.open(CALL, "abc")
    record.add("dtmf", digit="0")
    record.transfer = Transfer("care_centre", CARE, "key 0")
    app.state.voice.calls.finish(record)
    fresh = voice_app(voice_settings(tmp_path), warm=False)  # a new process: reads var/voice/calls
    again = fresh.state.voice.calls.get(CALL)
    assert again.transfer == record.transfer and again.of("dtmf") == [record.events[0]]
