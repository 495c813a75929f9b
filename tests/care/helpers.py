"""A gateway-like app with the care routers, for console and API tests."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from care import api, console
from care.auth import create_staff
from dvcbot.db import session_scope
from dvcbot.errors import install_error_handlers
from dvcbot.settings import Settings

PASSWORD = "mật-khẩu-thử-12345"


class RecordingDelivery:
    def __init__(self) -> None:
        self.sent: list[tuple[str, list]] = []

    async def deliver(self, session_id, messages) -> bool:
        self.sent.append((session_id, messages))
        return True


def make_app(db_url: str, tmp_path) -> tuple[FastAPI, RecordingDelivery]:
    from gateway.outbound import Outbound

    app = FastAPI()
    app.state.settings = Settings(database_url=db_url, console_secret="test-secret-0123456789",
                                  var_dir=tmp_path, console_max_failures=3)
    install_error_handlers(app)
    app.include_router(console.router)
    app.include_router(api.router)
    outbound = Outbound()
    delivery = RecordingDelivery()
    for channel in ("web", "api", "zalo"):
        outbound.register(channel, delivery)
    app.state.outbound = outbound
    return app, delivery


def add_staff(db_url: str, username: str, role: str) -> int:
    with session_scope(db_url) as s:
        return create_staff(s, username, username.title(), PASSWORD, role).id


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "page has no CSRF field"
    return m.group(1)


def signed_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver")
    page = client.get("/console/login", headers={"accept": "text/html"})
    r = client.post("/console/login", data={"username": username, "password": PASSWORD,
                                            "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def form_post(client: TestClient, page_url: str, action: str, data: dict):
    token = csrf_of(client.get(page_url, headers={"accept": "text/html"}).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False,
                       headers={"accept": "text/html"})
