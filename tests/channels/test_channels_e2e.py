"""Both channels holding real conversations through the real dialogue (NLU, actions, Rasa, the
gateway's turn service): Zalo against the local fake Zalo API, the widget in headless Chromium.

One module, one stack: starting Rasa costs minutes of CPU on the shared machine.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from care import ratings
from care.models import ConversationMessage
from channels.zalo.signature import sign
from dvcbot.db import session_scope
from dvcbot.procs import free_port
from dvcbot.settings import Settings
from gateway.app import create_app
from gateway.schemas import BotMessage
from tests.browser import chromium_page, requires_chromium
from tests.channels.conftest import APP_ID, APP_SECRET, OA_SECRET_KEY, prepare_db, wait_for
from tests.channels.fake_zalo import FakeZalo
from tests.channels.live import LiveApp
from tests.stack import start_stack, stop_stack

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
#: the centre of Hoàn Kiếm (a shared location with public-service points around it)
HANOI = {"latitude": 21.0285, "longitude": 105.8542}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("channels-e2e")
    stack = start_stack(tmp, gateway=False)
    fake = FakeZalo(APP_ID, APP_SECRET, access_token="access-0", refresh_token="refresh-0").__enter__()
    app = None
    try:
        base = stack["settings"]
        settings = Settings(**{**base.model_dump(), "zalo_app_id": APP_ID, "zalo_oa_secret_key": OA_SECRET_KEY,
                               "zalo_app_secret": APP_SECRET, "zalo_access_token": "access-0",
                               "zalo_refresh_token": "refresh-0", "zalo_api_url": fake.url,
                               "zalo_oauth_url": fake.url})
        prepare_db(settings.db_url)
        app = LiveApp(create_app(settings), settings.gateway_port).start()
        wait_for(lambda: httpx.get(app.url + "/readyz", timeout=30).status_code == 200, timeout=900,
                 what="the gateway to be ready (every part warm)")
        yield {"app": app, "fake": fake, "stack": stack, "url": app.url}
    finally:
        if app is not None:
            app.stop()
        fake.__exit__(None, None, None)
        stop_stack(stack)


# --- Zalo ---------------------------------------------------------------------------------------------

def zalo_post(url: str, event: dict) -> httpx.Response:
    raw = json.dumps(event, ensure_ascii=False).encode()
    return httpx.post(url + "/webhooks/zalo", content=raw, timeout=30, headers={
        "Content-Type": "application/json", "X-ZEvent-Signature": sign(APP_ID, raw, event["timestamp"], OA_SECRET_KEY)})


def zalo_event(user: str, name: str, msg_id: str, **message) -> dict:
    return {"app_id": APP_ID, "event_name": name, "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": user}, "recipient": {"id": "oa-579"}, "message": {"msg_id": msg_id, **message}}


def test_zalo_conversation_through_the_dialogue(live):
    url, fake = live["url"], live["fake"]
    user = "8841000000000001"
    texts = lambda: fake.state.texts_to(user)  # noqa: E731
    assert zalo_post(url, zalo_event(user, "user_send_text", "e2e-z-1", text="đăng ký tạm trú cần giấy tờ gì")).status_code == 200
    wait_for(lambda: any("1.004194" in t for t in texts()), timeout=300, what="the procedure answer on Zalo")
    assert zalo_post(url, zalo_event(user, "user_send_text", "e2e-z-1", text="đăng ký tạm trú cần giấy tờ gì")
                     ).json()["duplicate"] is True
    n = len(texts())
    zalo_post(url, zalo_event(user, "user_send_location", "e2e-z-2", text="", attachments=[
        {"type": "location", "payload": {"coordinates": {"latitude": str(HANOI["latitude"]),
                                                          "longitude": str(HANOI["longitude"])}}}]))
    wait_for(lambda: any("gần vị trí của anh chị" in t for t in texts()[n:]), timeout=300,
             what="the nearest agents for the shared location")
    located = "\n".join(texts()[n:])
    assert "Điểm thứ 1" in located and "/map?" in located
    assert "1. Xem thêm điểm khác" in located  # the button as a numbered choice
    n = len(texts())
    zalo_post(url, zalo_event(user, "user_send_text", "e2e-z-3", text="1"))  # answer with the number
    wait_for(lambda: any("Điểm thứ" in t for t in texts()[n:]), timeout=300, what="more agents")
    assert fake.state.shape_errors == []
    ready = httpx.get(url + "/readyz", timeout=30).json()
    assert ready["details"]["zalo"]["ok"] is True and ready["details"]["zalo"]["sent"] >= 3


# --- widget ------------------------------------------------------------------------------------------

def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget_{name}.png"))


def bot_texts(page) -> list[str]:
    return page.locator(".dvcw-bot").all_inner_texts()


@requires_chromium
def test_widget_in_chromium(live):
    url, app = live["url"], live["app"]
    with chromium_page(width=420, height=860) as session:  # a phone-sized window
        page = session.page
        page.context.grant_permissions(["geolocation"], origin=url)
        page.context.set_geolocation(HANOI)
        page.goto(url + "/")
        shot(page, "1_demo_page")
        launcher = page.get_by_role("button", name="Mở trợ lý hỏi đáp dịch vụ công")
        launcher.click()
        panel = page.get_by_role("dialog", name="Trợ lý Dịch vụ công Hà Nội")
        panel.wait_for()
        textbox = page.get_by_label("Câu hỏi của anh chị")
        assert page.evaluate("document.activeElement.id") == "dvcw-input"  # focus moved into the panel
        page.locator(".dvcw-bot").first.wait_for()  # the greeting
        shot(page, "2_open")

        textbox.fill("đăng ký tạm trú cần giấy tờ gì")
        textbox.press("Enter")
        page.locator(".dvcw-bot", has_text="1.004194").first.wait_for(timeout=300_000)
        shot(page, "3_procedure_answer")

        page.get_by_role("button", name="Gửi vị trí của tôi để tìm điểm gần nhất").click()
        page.locator(".dvcw-bot", has_text="gần vị trí").first.wait_for(timeout=300_000)
        map_link = page.locator("a.dvcw-map").last
        assert "/map?" in map_link.get_attribute("href") and map_link.inner_text() == "Mở bản đồ các điểm"
        shot(page, "4_nearest_agents")
        before = len(bot_texts(page))
        page.get_by_role("button", name="Xem thêm điểm khác").last.click()  # a button rendered as a choice
        page.locator(".dvcw-bot").nth(before).wait_for(timeout=300_000)
        assert "Điểm thứ" in bot_texts(page)[-1]
        shot(page, "5_button_clicked")

        # the conversation survives a reload (session id in localStorage, history from the server)
        session_id = page.evaluate("localStorage.getItem('dvcbot-widget-session')")
        page.reload()
        page.get_by_role("button", name="Mở trợ lý hỏi đáp dịch vụ công").click()
        page.locator(".dvcw-user", has_text="đăng ký tạm trú").first.wait_for()
        assert any("1.004194" in t for t in bot_texts(page))
        assert page.evaluate("localStorage.getItem('dvcbot-widget-session')") == session_id
        shot(page, "6_after_reload")

        # a staff reply from the care console arrives live
        wait_for(lambda: app.app.state.widget_hub.open_sockets >= 1, what="the widget's socket")
        delivered = app.call(app.app.state.outbound.send("web", session_id, [BotMessage(
            text="Chào anh chị, cán bộ Trung tâm đã nhận được câu hỏi và sẽ gọi lại trong hôm nay.")]))
        assert delivered is True
        staff = page.locator(".dvcw-staff")
        staff.wait_for()
        assert "cán bộ Trung tâm đã nhận" in staff.inner_text()

        # a staff reply and the rating question stored by the console while the page was away
        # are in the history after the turns; the late push of the reply is not shown twice
        page.goto("about:blank")
        wait_for(lambda: app.app.state.widget_hub.open_sockets == 0, what="the old page's socket to close")
        stored = "Cán bộ Lan: hồ sơ tạm trú của anh chị đã đủ giấy tờ."
        with session_scope(app.app.state.settings.db_url) as s:
            s.add(ConversationMessage(channel="web", session_id=session_id, sender="staff", text=stored))
        with session_scope(app.app.state.settings.db_url) as s:
            s.add(ConversationMessage(channel="web", session_id=session_id, sender="system", text=ratings.QUESTION,
                                      buttons=json.dumps(ratings.buttons(), ensure_ascii=False)))
        page.goto(url + "/")
        page.get_by_role("button", name="Mở trợ lý hỏi đáp dịch vụ công").click()
        page.locator(".dvcw-staff", has_text=ratings.QUESTION).wait_for()
        log_texts = page.locator(".dvcw-log > .dvcw-msg").all_inner_texts()
        reply_at = next(i for i, t in enumerate(log_texts) if stored in t)
        assert reply_at > max(i for i, t in enumerate(log_texts) if "Điểm thứ" in t)
        assert ratings.QUESTION in log_texts[reply_at + 1]
        assert page.locator(".dvcw-choices").last.locator("button").first.is_enabled()  # rating buttons live
        wait_for(lambda: app.app.state.widget_hub.open_sockets >= 1, what="the widget's socket")
        assert app.call(app.app.state.outbound.send("web", session_id, [BotMessage(text=stored)]))
        assert app.call(app.app.state.outbound.send("web", session_id, [BotMessage(text="Tin mới của cán bộ.")]))
        page.locator(".dvcw-staff", has_text="Tin mới của cán bộ.").wait_for()
        assert page.locator(".dvcw-staff", has_text=stored).count() == 1

        # a staff reply stored while the socket was down (network cut, server restart) is shown
        # once the widget reconnects, without a reload
        missed = "Cán bộ Lan: anh chị mang thêm bản chính hợp đồng thuê nhà nhé."
        with session_scope(app.app.state.settings.db_url) as s:
            s.add(ConversationMessage(channel="web", session_id=session_id, sender="staff", text=missed))
        app.call(app.app.state.widget_hub.close(session_id))  # as on a service restart: the widget retries
        page.locator(".dvcw-staff", has_text=missed).wait_for(timeout=120_000)
        assert page.locator(".dvcw-staff", has_text=missed).count() == 1
        assert page.locator(".dvcw-staff", has_text=stored).count() == 1

        # large text for elderly users; Escape closes and gives the focus back to the launcher
        page.get_by_role("button", name="Chữ to").click()
        assert page.evaluate("getComputedStyle(document.querySelector('.dvcw-root')).fontSize") == "21px"
        shot(page, "7_staff_reply_large_text")
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.classList.contains('dvcw-launcher')")
        assert session.errors == [], session.errors
        assert session.external_requests == [], session.external_requests


class _PortalPage(http.server.BaseHTTPRequestHandler):
    """A page of another site (another port: another origin) that embeds the widget."""

    gateway = ""

    def do_GET(self) -> None:  # noqa: N802
        body = (f'<!doctype html><html lang="vi"><title>Trang khác</title><body><p>Trang ngoài</p>'
                f'<script src="{self.gateway}/widget.js"></script></body></html>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@requires_chromium
def test_widget_on_a_foreign_origin_is_refused(live):
    url = live["url"]
    handler = type("Portal", (_PortalPage,), {"gateway": url})
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with chromium_page() as session:
            page = session.page
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("button", name="Mở trợ lý hỏi đáp dịch vụ công").click()
            textbox = page.get_by_label("Câu hỏi của anh chị")
            textbox.fill("xin chào")
            textbox.press("Enter")
            page.locator(".dvcw-error").first.wait_for()
            shot(page, "8_foreign_origin")
            assert page.locator(".dvcw-bot").filter(has_text="Đã").count() == 0
    finally:
        server.shutdown()
