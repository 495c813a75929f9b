"""A local fake of Zalo's OA APIs (the one third party the tests may fake), on loopback.

It checks the shape of every request like Zalo would (``access_token`` header, ``recipient.user_id``
string, ``message.text`` within the length limit; ``secret_key`` header and the form fields of a
token refresh; a refresh token works once) and can be told to fail, be slow, or expire the token.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse

from dvcbot.procs import free_port

TEXT_LIMIT = 2000


@dataclass
class FakeZaloState:
    app_id: str
    app_secret: str
    access_token: str
    refresh_token: str
    sent: list[dict[str, Any]] = field(default_factory=list)
    refreshes: list[dict[str, Any]] = field(default_factory=list)
    shape_errors: list[str] = field(default_factory=list)
    #: next N send calls answer HTTP 500
    fail_next: int = 0
    #: next N send calls wait ``slow_s`` seconds (longer than the client's timeout: a network error)
    slow_next: int = 0
    slow_s: float = 5.0
    #: seconds every send call waits before answering
    delay_s: float = 0.0
    #: issued tokens count (to make each pair unique)
    issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_token(self) -> None:
        """The current access token stops working (Zalo answers -216)."""
        with self.lock:
            self.access_token = "expired-" + self.access_token

    def texts_to(self, user_id: str) -> list[str]:
        return [m["message"].get("text", "") for m in self.sent if m["recipient"]["user_id"] == user_id]


def build_app(state: FakeZaloState) -> FastAPI:
    app = FastAPI()

    @app.post("/v3.0/oa/message/cs")
    async def send(request: Request) -> JSONResponse:
        access_token = request.headers.get("access_token")
        if state.slow_next > 0:
            state.slow_next -= 1
            await asyncio.sleep(state.slow_s)
        if state.delay_s:
            await asyncio.sleep(state.delay_s)
        if state.fail_next > 0:
            state.fail_next -= 1
            return JSONResponse({"error": -1, "message": "internal error"}, status_code=500)
        body = await request.json()
        problems = []
        if not isinstance(body.get("recipient"), dict) or not isinstance(body["recipient"].get("user_id"), str):
            problems.append("recipient.user_id must be a string")
        message = body.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("text"), str) or not message["text"]:
            problems.append("message.text missing")
        elif len(message["text"]) > TEXT_LIMIT:
            problems.append(f"message.text longer than {TEXT_LIMIT}")
        if problems:
            state.shape_errors.extend(problems)
            return JSONResponse({"error": -201, "message": "; ".join(problems)})
        if not access_token:
            state.shape_errors.append("access_token header missing")
            return JSONResponse({"error": -124, "message": "access token missing"})
        with state.lock:
            if access_token != state.access_token:
                return JSONResponse({"error": -216, "message": "Access token is invalid"})
            state.sent.append(body)
            n = len(state.sent)
        return JSONResponse({"error": 0, "message": "Success", "data": {"message_id": f"out-{n}",
                                                                         "user_id": body["recipient"]["user_id"]}})

    @app.post("/v4/oa/access_token")
    async def refresh(request: Request, refresh_token: str = Form(""),
                      app_id: str = Form(""), grant_type: str = Form("")) -> JSONResponse:
        secret_key = request.headers.get("secret_key")
        state.refreshes.append({"refresh_token": refresh_token, "app_id": app_id, "grant_type": grant_type})
        if secret_key != state.app_secret or app_id != state.app_id or grant_type != "refresh_token":
            state.shape_errors.append("refresh: bad secret_key/app_id/grant_type")
            return JSONResponse({"error": -14002, "error_name": "Invalid app", "error_description": "bad app"})
        with state.lock:
            if refresh_token != state.refresh_token:
                return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
            state.issued += 1
            state.access_token = f"access-{state.issued}"
            state.refresh_token = f"refresh-{state.issued}"
            return JSONResponse({"access_token": state.access_token, "refresh_token": state.refresh_token,
                                 "expires_in": "90000"})

    return app


class FakeZalo:
    """``with FakeZalo(...) as fz:`` serves the fake on ``fz.url`` (both API and OAuth paths)."""

    def __init__(self, app_id: str, app_secret: str, access_token: str, refresh_token: str) -> None:
        self.state = FakeZaloState(app_id, app_secret, access_token, refresh_token)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(build_app(self.state), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> FakeZalo:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Zalo did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
