"""Avoidable per-message work in Rasa 3.6, removed without changing what Rasa does.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result, schema)`` for every
response of the action server. ``jsonschema.validate`` first checks the (large, constant) schema
against the JSON-Schema meta-schema and builds a new validator, every time: py-spy showed 55 % of
Rasa's busy time under load there (``benchmarks/rasa_workers.py``, docs/EVALUATION.md). Here the
schema is checked and the validator built once; each response is still validated against the same
schema, and an invalid one raises the same ``ValidationError`` (the best match, as
``jsonschema.validate`` raises) with Rasa's hint appended.

``EndpointConfig.request`` (every NLU parse and every action call) opens a new aiohttp session,
and so a new TCP connection, per request (16 % of the remaining busy time). Here each endpoint
configuration keeps one session per event loop (connection pooling, keep-alive); the request, its
headers, parameters (the action server token) and timeout are unchanged.

Installed by ``bot/dvcbot_channel.py`` when Rasa loads the channel (before any message).
"""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any

import aiohttp
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig


@functools.lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


class _Borrowed:
    """``async with`` on a shared session: lends it, does not close it."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exc) -> bool:
        return False


_sessions: dict[tuple, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def _shared_session(self: EndpointConfig) -> _Borrowed:
    """What ``EndpointConfig.session`` builds, once per event loop and configuration."""
    loop = asyncio.get_running_loop()
    key = (id(loop), tuple(sorted(self.headers.items())), tuple(sorted(self.basic_auth.items())))
    owner, session = _sessions.get(key, (None, None))
    if owner is not loop or session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
            if self.basic_auth else None
        # idle connections are dropped before the servers' own keep-alive (5 s in uvicorn and Sanic)
        # ends them, so a request never goes out on a connection the server is closing
        session = aiohttp.ClientSession(headers=self.headers, auth=auth,
                                        connector=aiohttp.TCPConnector(keepalive_timeout=3.0),
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT))
        _sessions[key] = (loop, session)
    return _Borrowed(session)


def install() -> None:
    """Patch Rasa; ``DVCBOT_RASA_SPEEDUPS=0`` leaves it as shipped (the benchmark's baseline)."""
    if os.environ.get("DVCBOT_RASA_SPEEDUPS", "1") != "0":
        RemoteAction._validate_action_result = _validate_action_result
        EndpointConfig.session = _shared_session
