"""The map at ``/map`` in real headless Chromium, against the real gateway process.

The gateway (``gateway.app:create_app``) runs under uvicorn with the real routing API and the
bundled agent registry; Debian's ``/usr/bin/chromium`` loads the page with every request that
would leave 127.0.0.1 aborted and recorded. Screenshots for a person to look at are written to
``var/screenshots/map.png``, ``map_search.png`` (after "cau giay") and ``map_here.png`` (``?lat=&lon=``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dvcbot.procs import Service, free_port
from dvcbot.settings import ROOT, get_settings
from tests.browser import BrowserSession, chromium_page, requires_chromium

pytestmark = [pytest.mark.slow, requires_chromium]

SCREENSHOTS = get_settings().var_dir / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real gateway on a free port, with its own var/ (registry database, logs) in a tmp dir."""
    var = tmp_path_factory.mktemp("map-var")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    svc = Service(
        name="gateway-map",
        cmd=[
            sys.executable,
            "-m",
            "uvicorn",
            "gateway.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        health_url=f"{url}/healthz",
        log_path=Path(var) / "gateway.log",
        env={
            "DVCBOT_VAR_DIR": str(var),
            "DVCBOT_DATABASE_URL": "",
            "DVCBOT_GATEWAY_PORT": str(port),
            "DVCBOT_PUBLIC_URL": url,
        },
        cwd=ROOT,
    ).start()
    try:
        assert svc.wait_ready(120), f"gateway did not start:\n{svc.log_tail()}"
        yield url
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def api(server: str) -> dict:
    """What the page is drawn from, fetched once: the expected counts come from the real API."""
    with httpx.Client(base_url=server, timeout=60) as client:
        wards = client.get("/api/v1/wards.geojson")
        agents = client.get("/api/v1/agents.geojson")
    assert wards.status_code == 200, wards.text[:300]
    assert agents.status_code == 200, agents.text[:300]
    return {"wards": wards.json()["features"], "agents": agents.json()["features"]}


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserSession]:
    with chromium_page(width=1280, height=860) as session:
        yield session


def open_map(session: BrowserSession, server: str, query: str = "") -> None:
    page = session.page
    page.goto(f"{server}/map{query}")
    page.wait_for_function("document.body.dataset.ready")
    state = page.evaluate("[document.body.dataset.ready, document.body.dataset.error || '']")
    assert state[0] == "1", f"the map did not load: {state[1]}"


def assert_clean(session: BrowserSession) -> None:
    assert session.errors == [], f"console or page errors: {session.errors}"
    assert session.external_requests == [], f"requests left 127.0.0.1: {session.external_requests}"
    assert session.requests, "no request was recorded"


def view_width(session: BrowserSession) -> float:
    return float(session.page.get_attribute("#map", "viewBox").split()[2])


def test_map_page_and_static_files(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.get("/map")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'lang="vi"' in page.text and "Tìm phường, xã" in page.text
        assert "__STATIC__" not in page.text and "__API__" not in page.text
        for name, kind in [("map.js", "javascript"), ("fold.js", "javascript"), ("map.css", "css")]:
            r = client.get(f"/map/static/{name}")
            assert r.status_code == 200 and kind in r.headers["content-type"], name
            assert f"/map/static/{name}" in page.text
        for bad in [
            "/map/static/nothing.js",
            "/map/static/..%2Fmap_page.py",
            "/map/static/%2e%2e/map_page.py",
            "/map/static/map.html",
        ]:
            assert client.get(bad).status_code == 404, bad
        # The page must not name any host other than its own.
        for text in [
            page.text,
            client.get("/map/static/map.js").text,
            client.get("/map/static/map.css").text,
        ]:
            assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text


def test_map_shows_all_wards_and_agents(server: str, api: dict, browser: BrowserSession) -> None:
    open_map(browser, server)
    page = browser.page
    expected_agents = [f for f in api["agents"] if (f.get("geometry") or {}).get("type") == "Point"]
    assert len(api["wards"]) == 126
    assert page.locator("path.ward").count() == 126
    assert page.locator("g.agent").count() == len(expected_agents) > 0
    # Every ward is shaded by its coverage, and the legends explain colours and marker types.
    coverage = dict(
        page.eval_on_selector_all("path.ward", "els => els.map(e => [e.dataset.code, e.dataset.coverage])")
    )
    assert set(coverage.values()) <= {"covered", "near", "far"}
    assert {c for c, v in coverage.items() if v == "covered"} == {
        f["properties"]["code"] for f in api["wards"] if f["properties"]["covered"]
    }
    fills = set(page.eval_on_selector_all("path.ward", "els => els.map(e => e.getAttribute('fill'))"))
    assert len(fills) == len(set(coverage.values()))  # one colour per coverage class
    assert page.locator("#legend-coverage li").count() == 4
    types_on_map = {f["properties"]["type"] for f in expected_agents}
    assert page.locator("#legend-agents li").count() == len(types_on_map)
    assert "126 phường, xã" in page.inner_text("#summary")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map.png"))
    assert (SCREENSHOTS / "map.png").stat().st_size > 20_000
    assert_clean(browser)


def test_click_on_marker_shows_details(server: str, api: dict, browser: BrowserSession) -> None:
    agent = next(f for f in api["agents"] if f["properties"].get("address"))
    props = agent["properties"]
    ward_code = props.get("ward_code")
    open_map(browser, server, f"?ward={ward_code}" if ward_code else "")
    page = browser.page
    marker = page.locator(f'g.agent[data-id="{props["id"]}"]')
    assert marker.count() == 1
    marker.click()
    assert page.inner_text("#details-title") == props["name"]
    details = page.inner_text("#details-body")
    assert props["address"] in details
    assert ("Vị trí gần đúng" in details) == (props["location_accuracy"] == "ward")
    if props.get("phone"):
        assert page.locator("#details-body a[href^='tel:']").count() == 1
    assert page.get_attribute("#details", "data-agent-id") == str(props["id"])
    # The keyboard reaches markers too: Enter on a focused marker opens its details.
    other = next(f for f in api["agents"] if f["properties"]["id"] != props["id"])
    page.focus(f'g.agent[data-id="{other["properties"]["id"]}"]')
    page.keyboard.press("Enter")
    assert page.inner_text("#details-title") == other["properties"]["name"]
    assert_clean(browser)


def test_search_without_diacritics_finds_and_highlights_the_ward(
    server: str, browser: BrowserSession
) -> None:
    open_map(browser, server)
    page = browser.page
    full = view_width(browser)
    page.focus("#ward-search")
    page.keyboard.type("cau giay")
    page.keyboard.press("Enter")
    page.wait_for_selector("path.ward.selected")
    assert page.locator("path.ward.selected").count() == 1
    assert page.get_attribute("path.ward.selected", "data-name") == "Phường Cầu Giấy"
    assert page.inner_text("#details-title") == "Phường Cầu Giấy"
    assert "Phường Cầu Giấy" in page.inner_text("#search-status")
    assert view_width(browser) < full / 5, "the map did not zoom to the ward"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map_search.png"))

    # Nothing found: the page asks the gazetteer, which answers 404, and says so clearly.
    page.fill("#ward-search", "khong co phuong nay xyz")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('Không tìm thấy')")
    assert page.get_attribute("path.ward.selected", "data-name") == "Phường Cầu Giấy"
    # Chromium logs every 4xx fetch as "Failed to load resource"; that one answer is expected.
    resolve_404 = [e for e in browser.console_errors if "/api/v1/wards/resolve?q=khong" in e and "404" in e]
    assert len(resolve_404) == 1, browser.console_errors
    browser.console_errors.remove(resolve_404[0])
    assert_clean(browser)


def test_search_by_old_name_uses_the_gazetteer(server: str, browser: BrowserSession) -> None:
    """Old names are not on the map: the page asks /api/v1/wards/resolve, like the bot does."""
    query = "phuong dich vong hau"
    with httpx.Client(base_url=server, timeout=30) as client:
        resolved = client.get("/api/v1/wards/resolve", params={"q": query})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    expected = {c["code"] for c in body["candidates"]}
    assert expected and body["via_old_name"], body
    open_map(browser, server)
    page = browser.page
    page.fill("#ward-search", query)
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('Tên cũ')")
    assert page.get_attribute("path.ward.selected", "data-code") in expected
    assert_clean(browser)


def test_url_parameters_centre_the_map(server: str, api: dict, browser: BrowserSession) -> None:
    ward = next(f for f in api["wards"] if f["properties"]["code"] == "00004")  # Phường Ba Đình
    open_map(browser, server)
    full = view_width(browser)
    open_map(browser, server, "?ward=00004")
    page = browser.page
    assert page.get_attribute("path.ward.selected", "data-code") == "00004"
    assert page.inner_text("#details-title") == ward["properties"]["full_name"]
    assert view_width(browser) < full / 5

    # Hoàn Kiếm lake: the pin is drawn, its ward is selected, and nearby agents are listed.
    from routing.gazetteer import get_gazetteer

    lat, lon = 21.0287, 105.8524
    expected_ward = get_gazetteer().ward_at(lat, lon)
    assert expected_ward is not None
    open_map(browser, server, f"?lat={lat}&lon={lon}")
    assert page.locator("#here-layer .here").count() == 1
    assert page.get_attribute("path.ward.selected", "data-code") == expected_ward.code
    assert f"nằm trong {expected_ward.full_name}" in page.inner_text("#details-body")
    assert "gần vị trí của anh chị" in page.inner_text("#details-body")
    near = page.inner_text("#details-body").split("gần vị trí của anh chị", 1)[1].split("Về ", 1)[0]
    assert near.count(" km") == 3 and ("khoảng" in near or "dưới" in near), near
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map_here.png"))

    # Garbage parameters do not break the page.
    open_map(browser, server, "?lat=abc&lon=999&ward=nope")
    assert page.locator("path.ward").count() == 126
    assert "nope" in page.inner_text("#load-status")
    assert_clean(browser)


def test_keyboard_search_with_several_matches(server: str, api: dict, browser: BrowserSession) -> None:
    """ "hoa" starts several ward names: the page lists them, arrow keys and Enter choose one."""
    open_map(browser, server)
    page = browser.page
    page.focus("#ward-search")
    page.keyboard.type("hoa")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#ward-results button').length > 1")
    assert "Hãy chọn một" in page.inner_text("#search-status")
    assert page.locator("path.ward.selected").count() == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.code")
    page.keyboard.press("Enter")
    assert page.get_attribute("path.ward.selected", "data-code") == focused
    name = next(f["properties"]["full_name"] for f in api["wards"] if f["properties"]["code"] == focused)
    assert page.inner_text("#details-title") == name

    # ?agent=ID opens that agent's details, as the bot's links do.
    agent = api["agents"][-1]["properties"]
    open_map(browser, server, f"?agent={agent['id']}")
    assert page.inner_text("#details-title") == agent["name"]
    assert page.locator("g.agent.selected").count() == 1
    assert_clean(browser)
