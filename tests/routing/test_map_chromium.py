"""The Leaflet map at ``/map`` in real headless Chromium, against the real gateway process.

The gateway (``gateway.app:create_app``) runs under uvicorn with the real
routing API and the bundled agent registry; Debian's ``/usr/bin/chromium`` loads the page with every
request that would leave 127.0.0.1 aborted and recorded. Screenshots for a person to look at are
written to ``var/screenshots/map.png``, ``map_search.png`` (after "cau giay"), ``map_here.png``
(``?lat=&lon=``) and ``map_tiles.png`` (with a basemap from a tile server on loopback).
"""

from __future__ import annotations

import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from dvcbot.procs import Service, free_port
from dvcbot.settings import ROOT, get_settings
from routing.schema import TYPES
from tests.browser import BrowserSession, chromium_page, requires_chromium

pytestmark = [pytest.mark.slow, requires_chromium]

SCREENSHOTS = get_settings().var_dir / "screenshots"


def start_gateway(var: Path, extra_env: dict[str, str] | None = None) -> tuple[Service, str]:
    """The real gateway on a free port, with its own var/ (registry database, logs) in ``var``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    svc = Service(
        name="gateway-map",
        cmd=[sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        health_url=f"{url}/healthz",
        log_path=var / "gateway.log",
        env={"DVCBOT_VAR_DIR": str(var), "DVCBOT_DATABASE_URL": "", "DVCBOT_GATEWAY_PORT": str(port),
             "DVCBOT_PUBLIC_URL": url, "DVCBOT_MAP_TILE_URL": "", **(extra_env or {})},
        cwd=ROOT,
    ).start()
    if not svc.wait_ready(120):
        tail = svc.log_tail()
        svc.stop()
        raise AssertionError(f"gateway did not start:\n{tail}")
    return svc, url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    svc, url = start_gateway(Path(tmp_path_factory.mktemp("map-var")))
    try:
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
    page.wait_for_function("() => document.body.dataset.ready && document.getElementById('map').dataset.moving !== '1'")
    state = page.evaluate("[document.body.dataset.ready, document.body.dataset.error || '']")
    assert state[0] == "1", f"the map did not load: {state[1]}"


def assert_clean(session: BrowserSession) -> None:
    assert session.errors == [], f"console or page errors: {session.errors}"
    assert session.external_requests == [], f"requests left 127.0.0.1: {session.external_requests}"
    assert session.requests, "no request was recorded"


def zoom(session: BrowserSession) -> float:
    return float(session.page.get_attribute("#map", "data-zoom"))


def wait_zoom_above(session: BrowserSession, level: float) -> None:
    session.page.wait_for_function(f"() => Number(document.getElementById('map').dataset.zoom) >= {level}")


def drop_expected_404s(session: BrowserSession, path: str, count: int) -> None:
    """Chromium logs every 4xx fetch as "Failed to load resource"; remove the ``count`` expected ones."""
    hits = [e for e in session.console_errors if path in e and "404" in e]
    assert len(hits) == count, session.console_errors
    for e in hits:
        session.console_errors.remove(e)


def test_map_page_and_static_files(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        page = client.get("/map")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'lang="vi"' in page.text and "Tìm phường, xã" in page.text
        assert "__STATIC__" not in page.text and "__API__" not in page.text
        for name, kind in [("map.js", "javascript"), ("map.css", "css"),
                           ("vendor/leaflet/leaflet.js", "javascript"), ("vendor/leaflet/leaflet.css", "css")]:
            r = client.get(f"/map/static/{name}")
            assert r.status_code == 200 and kind in r.headers["content-type"], name
            assert f"/map/static/{name}" in page.text
        assert "Leaflet 1.9.4" in client.get("/map/static/vendor/leaflet/leaflet.js").text
        # The images Leaflet's stylesheet refers to are served too.
        assert client.get("/map/static/vendor/leaflet/images/layers.png").headers["content-type"] == "image/png"
        for bad in [
            "/map/static/nothing.js",
            "/map/static/fold.js",  # folding is the server's job now
            "/map/static/..%2Fmap_page.py",
            "/map/static/%2e%2e/map_page.py",
            "/map/static/map.html",
            "/map/static/vendor/leaflet/LICENSE",
        ]:
            assert client.get(bad).status_code == 404, bad
        # The page and its own code name no host, and the map's configuration names no basemap.
        for text in [page.text, client.get("/map/static/map.js").text, client.get("/map/static/map.css").text]:
            assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
        config = client.get("/api/v1/map/config").json()
        assert config["tile_url"] == "" and config["radius_km"] == 5.0
        assert [t["key"] for t in config["agent_types"]] == list(TYPES)


def test_map_shows_all_wards_and_agents(server: str, api: dict, browser: BrowserSession) -> None:
    open_map(browser, server)
    page = browser.page
    expected_agents = [f for f in api["agents"] if (f.get("geometry") or {}).get("type") == "Point"]
    assert len(api["wards"]) == 126
    assert page.locator("#map.leaflet-container").count() == 1, "the map is not drawn by Leaflet"
    assert page.locator("path.ward").count() == 126
    assert page.locator(".leaflet-marker-icon.agent").count() == len(expected_agents) > 0
    # Offline: no basemap configured, so no tile is asked for, and every request went to the gateway.
    assert page.locator(".leaflet-tile").count() == 0
    assert [u for u in browser.requests if not u.startswith(server + "/")] == []
    assert page.get_attribute("#map", "data-tiles") == "0"
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
    assert "trong vòng 5 km" in page.inner_text("#legend-coverage")  # the radius comes from the API
    types_on_map = {f["properties"]["type"] for f in expected_agents}
    legend = page.inner_text("#legend-agents")
    assert page.locator("#legend-agents li").count() == len(types_on_map)
    assert all(TYPES[t] in legend for t in types_on_map)  # the labels come from routing.schema via the API
    assert "126 phường, xã" in page.inner_text("#summary")
    # Screen-reader labels: the map says how to use it, every marker says what it is.
    assert "phím mũi tên" in page.get_attribute("#map", "aria-label")
    labels = page.eval_on_selector_all(".agent", "els => els.map(e => [e.getAttribute('role'), "
                                                  "e.getAttribute('aria-label'), e.tabIndex])")
    assert all(role == "button" and label and tab == 0 for role, label, tab in labels)
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
    marker = page.locator(f'.agent[data-id="{props["id"]}"]')
    assert marker.count() == 1
    marker.click()
    assert page.inner_text("#details-title") == props["name"]
    details = page.inner_text("#details-body")
    assert props["address"] in details and TYPES[props["type"]] in details
    assert ("Vị trí gần đúng" in details) == (props["location_accuracy"] == "ward")
    if props.get("phone"):
        assert page.locator("#details-body a[href^='tel:']").count() == 1
    assert page.get_attribute("#details", "data-agent-id") == str(props["id"])
    assert page.locator(".agent.selected").count() == 1
    # The keyboard reaches markers too: Enter on a focused marker opens its details.
    other = next(f for f in api["agents"] if f["properties"]["id"] != props["id"])
    page.focus(f'.agent[data-id="{other["properties"]["id"]}"]')
    page.keyboard.press("Enter")
    assert page.inner_text("#details-title") == other["properties"]["name"]
    assert_clean(browser)


def test_keyboard_moves_and_zooms_the_map(server: str, browser: BrowserSession) -> None:
    """Arrow keys pan, + and - zoom, 0 shows the whole city, Tab goes from the map to its markers."""
    open_map(browser, server)
    page = browser.page
    full = zoom(browser)
    page.focus("#map")
    page.keyboard.press("+")
    wait_zoom_above(browser, full + 0.5)
    page.keyboard.press("+")
    wait_zoom_above(browser, full + 1)
    centre = page.get_attribute("#map", "data-center")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.getElementById('map').dataset.center !== {centre!r}")
    lon_before, lon_after = float(centre.split(",")[1]), float(page.get_attribute("#map", "data-center").split(",")[1])
    assert lon_after > lon_before, "ArrowRight should move the view east"
    page.keyboard.press("-")
    page.wait_for_function(f"() => Number(document.getElementById('map').dataset.zoom) < {zoom(browser)}")
    page.keyboard.press("0")
    page.wait_for_function(f"() => Number(document.getElementById('map').dataset.zoom) === {full}")
    # The on-screen buttons do the same, and are named for screen readers.
    assert page.get_attribute("#zoom-in", "aria-label") == "Phóng to"
    page.click("#zoom-in")
    wait_zoom_above(browser, full + 1)
    page.click("#zoom-all")
    page.wait_for_function(f"() => Number(document.getElementById('map').dataset.zoom) === {full}")
    # Tab from the map reaches a marker; Enter opens it.
    page.focus("#map")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.classList.contains('agent'), "
                            "document.activeElement.getAttribute('aria-label')]")
    assert focused[0], "Tab from the map should reach a marker"
    page.keyboard.press("Enter")
    assert focused[1].startswith(page.inner_text("#details-title"))
    assert_clean(browser)


def test_search_without_diacritics_finds_and_highlights_the_ward(
    server: str, browser: BrowserSession
) -> None:
    open_map(browser, server)
    page = browser.page
    full = zoom(browser)
    start = len(browser.requests)
    page.focus("#ward-search")
    page.keyboard.type("cau giay")
    page.keyboard.press("Enter")
    page.wait_for_selector("path.ward.selected")
    assert page.locator("path.ward.selected").count() == 1
    assert page.get_attribute("path.ward.selected", "data-name") == "Phường Cầu Giấy"
    assert page.inner_text("#details-title") == "Phường Cầu Giấy"
    assert "Phường Cầu Giấy" in page.inner_text("#search-status")
    wait_zoom_above(browser, full + 2)  # the map zoomed to the ward
    # The server resolved the name, not the browser.
    assert any("/api/v1/wards/resolve?q=cau%20giay" in u for u in browser.requests[start:]), browser.requests[start:]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map_search.png"))

    # Nothing found: the gazetteer answers 404, the name search finds nothing, and the page says so.
    page.fill("#ward-search", "khong co phuong nay xyz")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('Không tìm thấy')")
    assert page.get_attribute("path.ward.selected", "data-name") == "Phường Cầu Giấy"
    drop_expected_404s(browser, "/api/v1/wards/resolve?q=khong", 1)
    assert_clean(browser)


def test_search_by_old_name_uses_the_gazetteer(server: str, browser: BrowserSession) -> None:
    """Old names are not on the map: the page asks /api/v1/wards/resolve, like the bot does."""
    query = "phuong dich vong hau"
    with httpx.Client(base_url=server, timeout=30) as client:
        resolved = client.get("/api/v1/wards/resolve", params={"q": query})
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    expected = [c["code"] for c in body["candidates"]]
    assert len(expected) > 1 and body["via_old_name"], body
    open_map(browser, server)
    page = browser.page
    page.fill("#ward-search", query)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('Tên cũ')")
    assert page.get_attribute("path.ward.selected", "data-code") == expected[0]
    # Every new ward the old one went to is offered; choosing another shows it.
    assert page.eval_on_selector_all("#ward-results button", "bs => bs.map(b => b.dataset.code)") == expected
    page.click(f'#ward-results button[data-code="{expected[1]}"]')
    assert page.get_attribute("path.ward.selected", "data-code") == expected[1]
    assert_clean(browser)


def test_url_parameters_centre_the_map(server: str, api: dict, browser: BrowserSession) -> None:
    ward = next(f for f in api["wards"] if f["properties"]["code"] == "00004")  # Phường Ba Đình
    open_map(browser, server)
    full = zoom(browser)
    open_map(browser, server, "?ward=00004")
    page = browser.page
    assert page.get_attribute("path.ward.selected", "data-code") == "00004"
    assert page.inner_text("#details-title") == ward["properties"]["full_name"]
    wait_zoom_above(browser, full + 2)
    open_map(browser, server, "?ward=4")  # links may drop the leading zeros
    assert page.get_attribute("path.ward.selected", "data-code") == "00004"
    open_map(browser, server, "?q=dong%20da")  # a name, resolved by the server like a search
    assert page.get_attribute("path.ward.selected", "data-code") == "00235"
    assert page.input_value("#ward-search") == "dong da"

    # Hoàn Kiếm lake: the pin is drawn, its ward is selected, and the agents the API finds nearest are listed.
    lat, lon = 21.0287, 105.8524
    with httpx.Client(base_url=server, timeout=30) as client:
        nearest = client.get("/api/v1/agents/nearest", params={"lat": lat, "lon": lon, "k": 3}).json()
    start = len(browser.requests)
    open_map(browser, server, f"?lat={lat}&lon={lon}")
    assert any("/api/v1/agents/nearest?" in u for u in browser.requests[start:])
    assert page.locator(".here-marker .here").count() == 1
    assert page.get_attribute("path.ward.selected", "data-code") == nearest["origin"]["ward"]["code"]
    body = page.inner_text("#details-body")
    assert f"nằm trong {nearest['origin']['ward']['full_name']}" in body
    near = body.split("gần vị trí của anh chị", 1)[1].split("Về ", 1)[0]
    assert near.count(" km") == 3 and ("khoảng" in near or "dưới" in near), near
    names = [a["name"] for a in nearest["agents"]]
    assert [n for n in names if n in near] == names, (names, near)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map_here.png"))

    # Garbage parameters do not break the page.
    open_map(browser, server, "?lat=abc&lon=999&ward=nope")
    assert page.locator("path.ward").count() == 126
    assert "nope" in page.inner_text("#load-status")
    assert_clean(browser)


def test_keyboard_search_with_several_matches(server: str, api: dict, browser: BrowserSession) -> None:
    """ "hoa" starts several ward names: the server lists them, arrow keys and Enter choose one."""
    open_map(browser, server)
    page = browser.page
    page.focus("#ward-search")
    page.keyboard.type("hoa")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#ward-results button').length > 1")
    assert "Hãy chọn một" in page.inner_text("#search-status")
    assert page.locator("path.ward.selected").count() == 0
    drop_expected_404s(browser, "/api/v1/wards/resolve?q=hoa", 1)  # not a whole name: then /wards/search
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.dataset.code")
    page.keyboard.press("Enter")
    assert page.get_attribute("path.ward.selected", "data-code") == focused
    name = next(f["properties"]["full_name"] for f in api["wards"] if f["properties"]["code"] == focused)
    assert page.inner_text("#details-title") == name
    page.focus("#ward-search")  # Escape in the box clears the search
    page.keyboard.press("Escape")
    assert page.input_value("#ward-search") == "" and page.locator("#ward-results button").count() == 0

    # ?agent=ID opens that agent's details, as the bot's links do.
    agent = api["agents"][-1]["properties"]
    open_map(browser, server, f"?agent={agent['id']}")
    assert page.inner_text("#details-title") == agent["name"]
    assert page.locator(".agent.selected").count() == 1
    assert_clean(browser)


# ------------------------------------------------------------------------------------------- basemap
def _png(width: int = 256, height: int = 256, rgb: tuple[int, int, int] = (200, 215, 230)) -> bytes:
    """A plain one-colour PNG tile."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """An operator's tile server stand-in on loopback: any /tiles/z/x/y.png is a plain tile; paths are recorded."""
    tile, seen = _png(), []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            seen.append(self.path)
            ok = self.path.startswith("/tiles/") and self.path.endswith(".png")
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "image/png" if ok else "text/plain")
            body = tile if ok else b"not found"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_operator_basemap_from_the_tile_url_setting(tmp_path: Path, tile_server: tuple[str, list[str]],
                                                    browser: BrowserSession) -> None:
    """With DVCBOT_MAP_TILE_URL set the page adds that basemap under the wards, and asks no one else."""
    template, seen = tile_server
    svc, url = start_gateway(tmp_path, {"DVCBOT_MAP_TILE_URL": template})
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/api/v1/map/config").json()["tile_url"] == template
        start = len(browser.requests)
        open_map(browser, url, "?ward=00166")
        page = browser.page
        assert page.get_attribute("#map", "data-tiles") == "1"
        page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
        assert any(p.startswith("/tiles/") for p in seen), seen
        tile_requests = [u for u in browser.requests[start:] if "/tiles/" in u]
        assert tile_requests and all(u.startswith(template.split("/tiles/")[0]) for u in tile_requests)
        # The wards stay on top, see-through, so that the streets show.
        assert page.locator("path.ward").count() == 126
        assert float(page.get_attribute("path.ward", "fill-opacity")) < 1
        assert "Nền bản đồ" in page.inner_text(".leaflet-control-attribution")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "map_tiles.png"))
        assert_clean(browser)
    finally:
        svc.stop()
