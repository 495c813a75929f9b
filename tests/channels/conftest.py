"""Shared pieces of the channel tests: settings for a throwaway database and the fake Zalo API."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from gateway.schemas import BotMessage, Button, ChatResponse

APP_ID = "3141592653589793"
OA_SECRET_KEY = "oa-secret-for-tests"
APP_SECRET = "app-secret-for-tests"


def prepare_db(url: str) -> None:
    """Every table the channels need, made by the project's migrations."""
    from dvcbot.db import upgrade

    upgrade(url)


def wait_for(condition, timeout: float = 60.0, what: str = "condition") -> None:
    """Wait until ``condition()`` is true (a bound on waiting, never an assertion about speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class CoreDouble:
    """Stands in for the conversation core in the channel plumbing tests (the real Rasa stack is
    exercised by the end-to-end modules): records every turn, answers it, and can be held back
    (``gate``) to behave like a slow core. A message "menu" gets buttons."""

    def __init__(self) -> None:
        self.requests: list = []
        self.gate: threading.Event | None = None

    async def handle(self, request) -> ChatResponse:
        self.requests.append(request)
        while self.gate is not None and not self.gate.is_set():  # cancellable, like a real turn
            await asyncio.sleep(0.01)
        buttons = None
        if request.text == "menu":
            buttons = [Button(title="Cấp căn cước", payload="/ask_procedure{\"procedure\": \"cccd\"}"),
                       Button(title="Khai sinh", payload="/ask_procedure{\"procedure\": \"khai-sinh\"}")]
        return ChatResponse(session_id=request.session_id, message_id=request.message_id,
                            messages=[BotMessage(text=f"Đã nhận: {request.text}", buttons=buttons)])


@pytest.fixture
def core() -> CoreDouble:
    return CoreDouble()


def channels_app(settings, core):
    """A gateway-shaped app (settings, outbound, rate limiter, turn service) with the channels installed."""
    from fastapi import FastAPI

    from channels.wiring import install_channels
    from gateway.outbound import Outbound
    from gateway.ratelimit import RateLimiter

    app = FastAPI()
    app.state.settings = settings
    app.state.outbound = Outbound()
    app.state.turn_service = core
    app.state.rate_limiter = RateLimiter(settings)
    install_channels(app)
    return app
