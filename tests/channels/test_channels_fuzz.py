"""Schemathesis against the channels' endpoints (the gateway app with both channels, Zalo enabled):
no 5xx and every answer matches the published schema. The dialogue's back end is down (closed
ports) and Zalo's API is unreachable, so nothing leaves the machine."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from dvcbot.procs import free_port
from dvcbot.settings import Settings
from gateway.app import create_app
from tests.channels.conftest import prepare_db

_tmp = Path(tempfile.mkdtemp(prefix="dvcbot-channels-fuzz-"))
_url = f"sqlite:///{_tmp / 'gw.db'}"
prepare_db(_url)
app = create_app(Settings(var_dir=_tmp, database_url=_url, rasa_port=free_port(), nlu_port=free_port(),
                          actions_port=free_port(), request_timeout=1.0, rate_limit_session="100000/minute",
                          rate_limit_client="100000/minute", zalo_app_id="1", zalo_oa_secret_key="k",
                          zalo_access_token="t", zalo_api_url=f"http://127.0.0.1:{free_port()}",
                          zalo_oauth_url=f"http://127.0.0.1:{free_port()}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=r"^/(webhooks/zalo|api/v1/widget/)")


@pytest.fixture(scope="module", autouse=True)
def _lifespan():
    with TestClient(app):
        yield


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_channel_endpoints_never_fail_and_match_the_schema(case):
    case.call_and_validate()
