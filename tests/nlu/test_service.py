"""The real NLU service as a process (`python -m nlu`), as Rasa calls it, and bad input."""

from __future__ import annotations

import httpx
import pytest

from dvcbot.procs import free_port
from dvcbot.settings import get_settings
from dvcbot.stack import nlu_service


@pytest.fixture(scope="module")
def nlu_url(trained_model):
    settings = get_settings()
    port = free_port()
    svc = nlu_service(settings, port, settings.var_dir / "logs" / f"nlu_test_{port}.log", name="nlu-test")
    svc.start()
    try:
        assert svc.wait_ready(240), svc.log_tail()
        yield f"http://127.0.0.1:{port}"
    finally:
        svc.stop()


def test_root_and_health(nlu_url: str) -> None:
    assert httpx.get(nlu_url + "/").text == "ok"
    h = httpx.get(nlu_url + "/health").json()
    assert h["status"] == "ok" and "ask_procedure" in h["intents"]
    assert h["model"]["uses_embeddings"] is True
    assert h["backends"] == {"encoder": "ok", "kb_search": "ok", "gazetteer": "ok"}


def test_parse_like_rasa_sends_it(nlu_url: str) -> None:
    # Rasa's RasaNLUHttpInterpreter posts {"text", "message_id"}; extra fields are ignored
    body = {"text": "cho tôi gặp tổng đài viên, số tôi 0912 345 678", "message_id": "user-1", "extra": 1}
    r = httpx.post(nlu_url + "/model/parse", json=body, timeout=30)
    assert r.status_code == 200
    d = r.json()
    assert d["text"] == body["text"]
    assert d["intent"]["name"] == "request_human"
    assert d["intent_ranking"][0]["name"] == "request_human"
    (phone,) = [e for e in d["entities"] if e["entity"] == "phone"]
    assert phone["value"] == "0912345678"
    assert body["text"][phone["start"] : phone["end"]] == "0912 345 678"
    assert isinstance(d["procedure_candidates"], list)


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b'{"text": ""}', 400),
        (b'{"text": "   "}', 400),
        (b'{"text": "\\u200b \\t"}', 400),  # JSON escapes: a zero-width space and a tab only
        (b"{}", 400),
        (b'{"text": 12}', 400),
        (b"[1, 2]", 400),
        (b"{not json", 400),
        (b"\xff\xfe\x00\x81garbage\x00\x9c", 400),
        (('{"text": "' + "a" * 10_000 + '"}').encode(), 413),
        (b"x" * 200_000, 413),
    ],
)
def test_bad_input_is_a_clear_4xx(nlu_url: str, content: bytes, status: int) -> None:
    r = httpx.post(
        nlu_url + "/model/parse", content=content, headers={"content-type": "application/json"}, timeout=30
    )
    assert r.status_code == status
    assert r.json()["error"]


def test_service_survives_bad_input(nlu_url: str) -> None:
    r = httpx.post(nlu_url + "/model/parse", json={"text": "vâng"}, timeout=30)
    assert r.status_code == 200 and r.json()["intent"]["name"] == "affirm"
