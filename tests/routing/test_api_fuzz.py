"""Schemathesis against the routing API's OpenAPI schema: generated input never gives a 5xx, and every
answer matches the schema (documented status codes, media types, the one error shape).

The query parameters are text checked by the routes themselves (``/agents/nearest`` needs ``lat`` and
``lon`` or ``q``, which OpenAPI cannot say), so a request the schema allows may get a clear 422: the
``positive_data_acceptance`` check is left out for that reason only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from dvcbot.errors import install_error_handlers
from dvcbot.settings import get_settings
from routing import api, map_page
from routing.service import reset_routing

app = FastAPI()
app.include_router(api.router)
app.include_router(map_page.router)
install_error_handlers(app)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _registry_in_a_tmp_dir():
    """The process-wide routing service on its own SQLite file (seeded with the bundled registry)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DVCBOT_DATABASE_URL", f"sqlite:///{Path(tempfile.mkdtemp(prefix='dvcbot-rfuzz-')) / 'r.db'}")
    get_settings.cache_clear()
    reset_routing()
    yield
    reset_routing()
    mp.undo()
    get_settings.cache_clear()


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_answers_match_the_schema(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
