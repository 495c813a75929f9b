"""Schemathesis against the gateway's published OpenAPI schema (bounded examples per operation).

Every operation is called with generated input, valid and invalid: no answer may be a 5xx, and every
answer must match the schema (status codes, bodies, the one error shape). Routing has its own
(tests/routing/test_api_fuzz.py); the Twilio webhooks (form posts signed by Twilio) are covered by
tests/voice. The dialogue's back end is
down here (closed ports), so chat answers are the apology; the real dialogue is covered in tests/e2e.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dvcbot.procs import free_port
from dvcbot.settings import Settings
from gateway.app import create_app

_tmp = Path(tempfile.mkdtemp(prefix="dvcbot-fuzz-"))
app = create_app(Settings(var_dir=_tmp, database_url=f"sqlite:///{_tmp / 'gw.db'}", rasa_port=free_port(),
                          nlu_port=free_port(), actions_port=free_port(), request_timeout=1.0,
                          rate_limit_session="100000/minute", rate_limit_client="100000/minute"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=r"^/(api/v1/(agents|wards|coverage|map)|voice/)")


@pytest.fixture(scope="module", autouse=True)
def _lifespan():
    with TestClient(app):  # runs the lifespan while the cases run: the turn service exists
        yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_match_the_schema(case):
    # /readyz answers 503 by design while a part is down (its 503 body is in the schema and checked)
    excluded = [not_a_server_error] if case.path == "/readyz" else []
    case.call_and_validate(excluded_checks=excluded)
