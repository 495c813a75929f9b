"""Complaints end to end, for real: the chat API of the gateway (with the care wiring the lead adds
to gateway/app.py), Rasa, the NLU service and the action server; then the console in Chromium.

Costly on a shared machine: one module, one stack, every scenario in it.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from care.models import Handoff, Rating, Ticket
from dvcbot.db import session_scope
from dvcbot.procs import free_port
from tests.browser import chromium_page, requires_chromium
from tests.care.helpers import PASSWORD, add_staff
from tests.stack import start_stack, stop_stack

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def wire_care(app, settings) -> None:
    """What gateway/app.py needs for issue 10 (the lead adds the same lines)."""
    from care import api, console
    from care.hooks import handoff_hook

    app.include_router(console.router)
    app.include_router(api.router)
    app.state.care_hook = handoff_hook(settings)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    import uvicorn

    from gateway.app import create_app

    stack = start_stack(tmp_path_factory.mktemp("care_stack"))
    # staff on duty around the clock, so that the handoff scenario does not depend on the hour it runs
    settings = stack["settings"].model_copy(update={
        "gateway_port": free_port(), "console_secret": "e2e-secret-123456",
        "working_days": "1,2,3,4,5,6,7", "working_hours": "00:00-23:59"})
    app = create_app(settings)
    wire_care(app, settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.gateway_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{settings.gateway_port}"
    deadline = time.monotonic() + 600
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.2)
    app.state.turn_service.hooks.append(app.state.care_hook)
    # wait until the gateway says every part is warm
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=30).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(2)
    try:
        yield {"url": url, "db": settings.db_url, "app": app}
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        stop_stack(stack)


class Chat:
    def __init__(self, gw: dict[str, Any]) -> None:
        self.url = gw["url"]
        self.session = "e2e-" + uuid.uuid4().hex[:10]
        self.n = 0

    def post(self, text: str, message_id: str | None = None) -> dict:
        self.n += 1
        resp = httpx.post(self.url + "/api/v1/chat", json={"session_id": self.session, "text": text, "channel": "web",
                                                           "message_id": message_id or f"m{self.n}"}, timeout=300)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def say(self, text: str, message_id: str | None = None) -> str:
        return "\n".join(m.get("text") or "" for m in self.post(text, message_id)["messages"])


def tickets_of(db: str, session: str) -> list[Ticket]:
    with session_scope(db) as s:
        return list(s.scalars(select(Ticket).where(Ticket.session_id == session)))


def test_complaint_through_the_gateway(gateway):
    db = gateway["db"]
    c = Chat(gateway)
    first = c.say("tôi muốn phản ánh cán bộ phường thái độ không tốt")
    assert "ở đâu" in first  # category and description came with the first message
    mid = c.say("đăng ký tạm trú lệ phí bao nhiêu?")  # a question in the middle is answered …
    assert "1.004194" in mid and "ở đâu" in mid  # … and the form asks again
    assert "số điện thoại" in c.say("phường Láng")
    assert "đồng ý" in c.say("0912 345 678")
    summary = c.say("đồng ý")
    assert "đọc lại" in summary and "Phường Láng" in summary and "0912345678" in summary
    assert "kể lại" in c.say("sửa nội dung")
    assert "quát tháo" in c.say("Cán bộ một cửa phường Láng quát tháo và không nhận hồ sơ của tôi")
    done = c.post("gửi phản ánh", message_id="submit-1")
    text = " ".join(m["text"] for m in done["messages"])
    assert "mã phản ánh là PA-" in text and "ngày làm việc" in text
    again = c.post("gửi phản ánh", message_id="submit-1")  # the channel retries the same message
    assert again["replayed"] and again["messages"] == done["messages"]
    found = tickets_of(db, c.session)
    assert len(found) == 1
    t = found[0]
    assert (t.category, t.ward_code, t.phone, t.consent, t.channel) == ("staff_attitude", "00199", "0912345678",
                                                                        True, "web")
    assert t.code in text and "quát tháo" in t.description
    status = c.say(f"tra cứu phản ánh {t.code}")
    assert t.code in status and "mới tiếp nhận" in status and "0912" not in status
    assert "5 sao" in str(c.post("đánh giá dịch vụ")["messages"])  # asks with buttons
    assert "Cảm ơn" in c.say("5 sao")
    with session_scope(db) as s:
        r = s.scalar(select(Rating).where(Rating.session_id == c.session))
        assert (r.score, r.channel) == (5, "web")


def test_cancel_files_nothing(gateway):
    c = Chat(gateway)
    assert "phản ánh về việc gì" in c.say("tôi muốn phản ánh")
    assert "kể lại" in c.say("Hồ sơ quá hạn giải quyết")
    assert "đã hủy" in c.say("hủy")
    assert tickets_of(gateway["db"], c.session) == []


def test_handoff_silences_the_bot_until_staff_close_it(gateway):
    from care import handoff

    db = gateway["db"]
    c = Chat(gateway)
    assert "cán bộ" in c.say("tôi muốn gặp nhân viên")
    assert handoff.active_handoff(f"web:{c.session}", db)
    held = c.post("xin chào, còn ai đó không?")
    assert held["messages"] == [] and held["intent"] == "handoff"  # the bot says nothing; staff see it
    with session_scope(db) as s:
        h = s.scalar(select(Handoff).where(Handoff.session_key == f"web:{c.session}"))
        conv = [m["text"] for m in handoff.conversation(s, h)]
        assert "tôi muốn gặp nhân viên" in conv and "xin chào, còn ai đó không?" in conv
    sid = add_staff(db, f"staff{uuid.uuid4().hex[:6]}", "agent")
    with session_scope(db) as s:
        handoff.take(s, h.id, sid)
        handoff.staff_reply(s, s.get(Handoff, h.id), sid, "Chào anh chị, tôi là cán bộ trực.")
    with session_scope(db) as s:
        handoff.close(s, h.id, sid)
    got = httpx.get(f"{gateway['url']}/api/v1/chat/{c.session}/messages", timeout=30).json()["messages"]
    assert [m["text"] for m in got][:1] == ["Chào anh chị, tôi là cán bộ trực."]
    assert "trợ lý tự động" in c.say("xin chào")  # the bot answers again


def test_low_rating_asks_once_for_a_comment(gateway):
    from care import ratings

    c = Chat(gateway)
    assert ratings.COMMENT_QUESTION in c.say("2 sao")
    assert c.say("Phải chờ rất lâu mới có người trả lời") == ratings.COMMENT_THANKS
    assert "trợ lý tự động" in c.say("xin chào")  # asked once: the dialogue answers again
    with session_scope(gateway["db"]) as s:
        r = s.scalar(select(Rating).where(Rating.session_id == c.session))
        assert (r.score, r.comment, r.comment_asked) == (2, "Phải chờ rất lâu mới có người trả lời", False)


@requires_chromium
def test_console_in_chromium(gateway):
    """Sign in, find the ticket a bot conversation created, assign, change status, reply, dashboard."""
    db, url = gateway["db"], gateway["url"]
    c = Chat(gateway)
    c.say("tôi muốn phản ánh cán bộ phường đòi thêm tiền mới nhận hồ sơ tạm trú")
    c.say("phường Láng")
    c.say("bỏ qua")
    done = c.say("gửi phản ánh")
    code = tickets_of(db, c.session)[0].code
    assert code in done
    username = f"sup{uuid.uuid4().hex[:6]}"
    add_staff(db, username, "supervisor")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import expect

    with chromium_page() as b:
        page = b.page
        page.goto(url + "/console/login")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/console/tickets")
        page.get_by_label("Tìm").fill(code)
        page.get_by_role("button", name="Lọc").click()
        page.screenshot(path=str(SCREENSHOTS / "care_tickets.png"), full_page=True)
        page.get_by_role("link", name=code).click()
        page.wait_for_url(f"**/console/tickets/{code}")
        page.get_by_label("Giao cho").select_option(label=username.title())
        page.get_by_role("button", name="Giao việc").click()
        page.wait_for_url("**?ok=assigned")
        expect(page.locator("#assignee")).to_have_text(username.title())
        page.get_by_label("Chuyển trạng thái").select_option("in_progress")
        page.get_by_role("button", name="Cập nhật").click()
        page.wait_for_url("**?ok=status")
        expect(page.locator("#status")).to_have_text("Đang xử lý")
        page.get_by_label("Trả lời người dân").fill("Trung tâm đã yêu cầu phường trả lại khoản thu sai quy định.")
        page.get_by_role("button", name="Gửi trả lời").click()
        page.wait_for_url("**?ok=reply")
        expect(page.locator(".timeline")).to_contain_text("trả lại khoản thu")
        page.screenshot(path=str(SCREENSHOTS / "care_ticket.png"), full_page=True)
        page.goto(url + "/console/dashboard")
        expect(page.locator("body")).to_have_attribute("data-charts-ready", "1")
        assert int(page.locator("#open-count").inner_text()) >= 1
        page.screenshot(path=str(SCREENSHOTS / "care_dashboard.png"), full_page=True)
        assert not b.external_requests and not b.errors, (b.external_requests, b.errors)
    # the reply reached the citizen's conversation
    got = httpx.get(f"{url}/api/v1/chat/{c.session}/messages", timeout=30).json()["messages"]
    assert any("trả lại khoản thu" in m["text"] for m in got)
    assert "trả lại khoản thu" in c.say(f"tra cứu phản ánh {code}")


@requires_chromium
def test_handoff_taken_in_chromium(gateway):
    """A citizen asks for a person; the queue page shows it live, the agent takes it and replies in the
    browser, and the reply reaches the citizen's conversation through the messages API."""
    db, url = gateway["db"], gateway["url"]
    username = f"agent{uuid.uuid4().hex[:6]}"
    add_staff(db, username, "agent")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import expect

    from care import handoff

    answer = "Chào anh chị, tôi là cán bộ trực, tôi hỗ trợ anh chị ngay."
    with chromium_page() as b:
        page = b.page
        page.goto(url + "/console/login")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/console/tickets")
        page.goto(url + "/console/handoffs")  # open before the citizen asks: htmx brings the new row in
        c = Chat(gateway)
        assert "cán bộ" in c.say("tôi muốn gặp nhân viên")
        assert handoff.active_handoff(f"web:{c.session}", db)
        with session_scope(db) as s:
            hid = s.scalar(select(Handoff.id).where(Handoff.session_key == f"web:{c.session}"))
        link = f"/console/handoffs/{hid}"
        # arrow function: the console's CSP has no 'unsafe-eval'
        page.wait_for_function("(href) => !!document.querySelector(`a[href='${href}']`)", arg=link,
                               timeout=120_000)
        row = page.locator("#handoff-rows tr").filter(has=page.locator(f"a[href='{link}']"))
        row.get_by_role("button", name="Nhận").click()
        page.wait_for_url(f"**{link}")
        expect(page.locator("#hstatus")).to_have_text("Đang hỗ trợ")
        expect(page.locator("ol.conversation")).to_contain_text("tôi muốn gặp nhân viên")
        page.get_by_label("Trả lời người dân").fill(answer)
        page.get_by_role("button", name="Gửi", exact=True).click()
        expect(page.locator("ol.conversation")).to_contain_text(answer)
        page.screenshot(path=str(SCREENSHOTS / "care_handoff.png"), full_page=True)
        assert not b.external_requests and not b.errors, (b.external_requests, b.errors)
    got = httpx.get(f"{url}/api/v1/chat/{c.session}/messages", timeout=30).json()["messages"]
    assert answer in [m["text"] for m in got]
    with session_scope(db) as s:
        assert s.get(Handoff, hid).status == "taken"
