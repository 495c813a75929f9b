"""Routing API: through FastAPI's TestClient (SQLite and PostgreSQL) and once through a real uvicorn."""

from __future__ import annotations

import sys

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvcbot.errors import install_error_handlers
from dvcbot.procs import Service, free_port
from dvcbot.settings import get_settings
from routing.api import router
from tests.routing.helpers import synthetic_rows, to_csv


@pytest.fixture
def client(routing_env):
    app = FastAPI()
    app.include_router(router)
    install_error_handlers(app)
    with TestClient(app) as c:
        yield c


def test_nearest_by_point_and_by_text(client):
    r = client.get("/api/v1/agents/nearest", params={"lat": "21.0285", "lon": "105.8542", "k": "2"})
    assert r.status_code == 200
    body = r.json()
    assert body["origin"]["kind"] == "point" and body["origin"]["ward"]["code"] == "00070"
    assert len(body["agents"]) == 2 and body["radius_km"] == 5.0 and body["any_within_radius"]
    first = body["agents"][0]
    assert {"id", "name", "address", "phone", "opening_hours", "distance_km", "within_radius",
            "location_accuracy", "type"} <= set(first)
    assert body["agents"][0]["distance_km"] <= body["agents"][1]["distance_km"]

    r = client.get("/api/v1/agents/nearest", params={"q": "xa soc son", "type": "buu_dien"})
    assert r.status_code == 200
    body = r.json()
    assert body["origin"]["kind"] == "ward" and body["resolution"]["ward_code"] == "00376"
    assert body["agents"] and all(a["type"] == "buu_dien" for a in body["agents"])

    r = client.get("/api/v1/agents/nearest", params={"q": "phường Dịch Vọng Hậu quận Cầu Giấy"})
    assert r.status_code == 200 and r.json()["agents"] == []
    assert len(r.json()["resolution"]["candidates"]) == 2


@pytest.mark.parametrize("params,status,key", [
    ({"lat": "abc", "lon": "105.8"}, 422, "invalid_coordinates"),
    ({"lat": "95", "lon": "105.8"}, 422, "lat_out_of_range"),
    ({"lat": "21", "lon": "-200"}, 422, "lon_out_of_range"),
    ({"lat": "21"}, 422, "missing_coordinates"),
    ({"lat": "21", "lon": "105.8", "k": "0"}, 422, "k_out_of_range"),
    ({"lat": "21", "lon": "105.8", "k": "ba"}, 422, "invalid_k"),
    ({"lat": "21", "lon": "105.8", "type": "quan_ca_phe"}, 422, "unknown_type"),
    ({"q": "hôm nay trời đẹp"}, 404, "ward_not_found"),
    ({}, 422, "missing_query"),
    ({"q": "phường " * 200}, 422, "query_too_long"),
])
def test_bad_input_gives_a_clear_4xx(client, params, status, key):
    r = client.get("/api/v1/agents/nearest", params=params)
    assert r.status_code == status
    assert r.json()["error"] == key and r.json()["detail"]


def test_paged_filtered_listing(client):
    r = client.get("/api/v1/agents", params={"page": "2", "size": "10", "type": "mot_cua_xa"})
    body = r.json()
    assert r.status_code == 200 and body["total"] == 126 and body["pages"] == 13 and len(body["items"]) == 10
    assert all(a["type"] == "mot_cua_xa" for a in body["items"])
    assert body["items"][0]["id"] > client.get("/api/v1/agents", params={"size": "10", "type": "mot_cua_xa"}
                                               ).json()["items"][-1]["id"]  # page 2 follows page 1
    r = client.get("/api/v1/agents", params={"ward": "quận Hoàn Kiếm", "type": "mot_cua_xa", "size": "50"})
    assert {a["ward_code"] for a in r.json()["items"]} >= {"00070", "00082"}
    r = client.get("/api/v1/agents", params={"service": "buu_chinh_cong_ich", "size": "1"})
    assert r.json()["total"] > 50 and r.json()["items"][0]["type"] == "buu_dien"
    for params, key in (({"page": "0"}, "page_out_of_range"), ({"size": "1000"}, "size_out_of_range"),
                        ({"ward": "không có"}, "ward_not_found"), ({"type": "x"}, "unknown_type")):
        r = client.get("/api/v1/agents", params=params)
        assert 400 <= r.status_code < 500 and r.json()["error"] == key


def test_resolve_coverage_and_geojson(client):
    r = client.get("/api/v1/wards/resolve", params={"q": "P. Cau Giay"})
    assert r.status_code == 200 and r.json()["ward_code"] == "00166"
    assert client.get("/api/v1/wards/resolve", params={"q": "xyz"}).status_code == 404
    assert client.get("/api/v1/wards/resolve").status_code == 422
    cov = client.get("/api/v1/coverage").json()
    assert cov["wards_total"] == 126 and cov["uncovered"] == []
    wards = client.get("/api/v1/wards.geojson")
    assert wards.status_code == 200 and wards.headers["content-type"].startswith("application/geo+json")
    feats = wards.json()["features"]
    assert len(feats) == 126 and feats[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert {"code", "full_name", "coverage_km", "covered", "nearest_agent_name"} <= set(feats[0]["properties"])
    agents = client.get("/api/v1/agents.geojson", params={"type": "chi_nhanh"}).json()
    assert len(agents["features"]) == 2 and agents["features"][0]["geometry"]["type"] == "Point"
    assert agents["features"][0]["properties"]["ward_name"] == "Phường Tây Hồ"


def test_coverage_changes_after_an_import(client):
    from routing.service import get_routing

    rows = [r for r in synthetic_rows(300) if r["ward_code"] == "00070"][:1]
    get_routing().registry.import_csv(to_csv(rows))
    get_routing().reload()
    cov = client.get("/api/v1/coverage").json()
    assert cov["wards_covered"] < 126 and cov["uncovered"][0]["distance_km"] > 5
    props = {f["properties"]["code"]: f["properties"] for f in client.get("/api/v1/wards.geojson").json()["features"]}
    assert props["00070"]["covered"] and not props["00376"]["covered"]


def test_every_error_is_in_the_one_shape(client):
    """404 for a ward or agent not found, 422 for everything else; always ``error`` + Vietnamese ``detail``."""
    cases = [
        ("/api/v1/wards/resolve", {"q": "xyz"}, 404, "ward_not_found"),
        ("/api/v1/agents", {"ward": "xyz"}, 404, "ward_not_found"),
        ("/api/v1/agents/nearest", {"q": "xyz"}, 404, "ward_not_found"),
        ("/api/v1/wards/resolve", {}, 422, "missing_query"),
        ("/api/v1/wards/search", {}, 422, "missing_query"),
        ("/api/v1/wards/search", {"q": "hoa", "limit": "0"}, 422, "limit_out_of_range"),
        ("/api/v1/wards/search", {"q": "hoa", "limit": "x"}, 422, "invalid_limit"),
        ("/api/v1/agents.geojson", {"type": "x"}, 422, "unknown_type"),
    ]
    for path, params, status, key in cases:
        r = client.get(path, params=params)
        assert r.status_code == status, (path, params, r.text)
        body = r.json()
        assert body["error"] == key and body["detail"] and set(body) <= {"error", "detail", "fields"}, body
    r = client.get("/api/v1/no-such-route")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    # The OpenAPI schema documents the error body of the routing routes.
    spec = client.get("/openapi.json").json()
    nearest = spec["paths"]["/api/v1/agents/nearest"]["get"]["responses"]
    assert {"404", "422"} <= set(nearest)
    assert nearest["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_ward_search_lists_names_by_their_first_letters(client):
    r = client.get("/api/v1/wards/search", params={"q": "hoa"})
    assert r.status_code == 200
    names = [w["full_name"] for w in r.json()["items"]]
    assert len(names) > 3 and names[0].startswith("Xã Hoà") and r.json()["total"] == len(names)
    assert {"code", "name", "full_name", "rep_lat", "rep_lon"} <= set(r.json()["items"][0])
    # Accents and unit words are optional; a whole name comes first.
    for q in ("Cầu Giấy", "p. cau giay", "cau"):
        assert client.get("/api/v1/wards/search", params={"q": q}).json()["items"][0]["code"] == "00166", q
    assert client.get("/api/v1/wards/search", params={"q": "xa phuong duc"}).json()["items"][0]["code"] == "10279"
    assert client.get("/api/v1/wards/search", params={"q": "hoa", "limit": "2"}).json()["total"] == 2
    r = client.get("/api/v1/wards/search", params={"q": "khong co phuong nay xyz"})
    assert r.status_code == 200 and r.json() == {"items": [], "total": 0}


def test_map_config_serves_the_one_list_of_types_and_the_radius(client, monkeypatch):
    from routing.schema import RADIUS_KM, SERVICES, TYPES

    r = client.get("/api/v1/map/config")
    assert r.status_code == 200
    body = r.json()
    assert body["radius_km"] == RADIUS_KM == 5.0
    assert {t["key"]: t["label"] for t in body["agent_types"]} == TYPES
    assert [t["key"] for t in body["agent_types"]] == list(TYPES)  # the order gives each type its marker
    assert {s["key"]: s["label"] for s in body["services"]} == SERVICES
    assert body["tile_url"] == ""
    # The registry's own labels agree: an agent's type_label is the same text.
    agent = client.get("/api/v1/agents", params={"size": "1"}).json()["items"][0]
    assert agent["type_label"] == TYPES[agent["type"]]
    # An operator's basemap is passed on as set.
    monkeypatch.setenv("DVCBOT_MAP_TILE_URL", "https://tiles.so.hanoi.gov.vn/{z}/{x}/{y}.png")
    get_settings.cache_clear()
    try:
        assert client.get("/api/v1/map/config").json()["tile_url"] == "https://tiles.so.hanoi.gov.vn/{z}/{x}/{y}.png"
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("value,ok", [
    ("", True),
    ("https://tiles.example.vn/{z}/{x}/{y}.png", True),
    ("http://10.0.0.5:8080/osm/{z}/{x}/{y}.png", True),
    ("/tiles/{z}/{x}/{y}.png", True),
    ("javascript:alert(1)//{z}{x}{y}", False),
    ("https://tiles.example.vn/tile.png", False),  # not a template
    ("ftp://tiles.example.vn/{z}/{x}/{y}.png", False),
])
def test_tile_url_setting(monkeypatch, value, ok):
    from pydantic import ValidationError

    from dvcbot.settings import Settings

    monkeypatch.setenv("DVCBOT_MAP_TILE_URL", value)
    if ok:
        assert Settings().map_tile_url == value
    else:
        with pytest.raises(ValidationError, match="map_tile_url"):
            Settings()


@pytest.mark.slow
def test_through_a_real_uvicorn_gateway(tmp_path):
    """The router mounted on the real gateway app, served by uvicorn in its own process."""
    port = free_port()
    settings = get_settings()
    svc = Service(
        name="gateway",
        cmd=[sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/api/v1/wards/resolve?q=00166",
        log_path=tmp_path / "gateway.log",
        env={"DVCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'gw.db'}", "DVCBOT_GATEWAY_PORT": str(port)},
        cwd=settings.root,
    ).start()
    try:
        assert svc.wait_ready(90), svc.log_tail()
        base = f"http://127.0.0.1:{port}/api/v1"
        r = httpx.get(f"{base}/agents/nearest", params={"lat": 21.0285, "lon": 105.8542, "k": 3}, timeout=30)
        assert r.status_code == 200 and len(r.json()["agents"]) == 3
        r = httpx.get(f"{base}/agents/nearest", params={"lat": "north", "lon": 105.8}, timeout=30)
        assert r.status_code == 422 and r.json()["error"] == "invalid_coordinates"
        r = httpx.get(f"{base}/wards/resolve", params={"q": "quận Hoàn Kiếm"}, timeout=30)
        assert r.status_code == 200 and r.json()["via_old_name"] and len(r.json()["candidates"]) > 1
        r = httpx.get(f"{base}/wards/resolve", params={"q": "không có phường này"}, timeout=30)
        assert r.status_code == 404 and r.json()["error"] == "ward_not_found" and r.json()["detail"]
        r = httpx.get(f"{base}/map/config", timeout=30)
        assert r.status_code == 200 and r.json()["radius_km"] == 5.0
    finally:
        svc.stop()
