"""Routing endpoints on the gateway: nearest agents, the registry, ward resolution, coverage, GeoJSON,
and the map page's configuration.

Bad input never gives a 500: every error is a 4xx in the one error shape of :mod:`dvcbot.errors`
(``{"error": "<english_key>", "detail": "<Vietnamese>"}``; 404 when a ward or agent is not found).
Query parameters are read as text and checked here (not by FastAPI's validation) so that the
messages are the bot's own; they raise :class:`~routing.service.InvalidQuery`, an
:class:`~dvcbot.errors.ApiError`, answered by the handlers of :func:`dvcbot.errors.install_error_handlers`.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import APIRouter, Response
from shapely.geometry import mapping

from dvcbot.errors import ERROR_RESPONSES, ErrorBody
from dvcbot.settings import get_settings
from routing.schema import RADIUS_KM, SERVICES, TYPES
from routing.service import InvalidQuery, check_k, check_point, check_types, get_routing

log = logging.getLogger(__name__)
MAX_PAGE_SIZE = 200
MAX_QUERY_CHARS = 500
MAX_SEARCH_RESULTS = 20
#: polygons served to the map are simplified to about 5 m (3 MB → 0.6 MB); point-in-polygon uses the full ones
MAP_SIMPLIFY_DEG = 0.00005

#: the error answers of these routes, for the OpenAPI schema
RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    404: {"model": ErrorBody, "description": "no ward or agent of that name (`ward_not_found`)"},
}

router = APIRouter(prefix="/api/v1", tags=["routing"], responses=RESPONSES)


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()] or None


def _text(q: str | None, missing: str) -> str:
    if not q or not q.strip():
        raise InvalidQuery("missing_query", missing)
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidQuery("query_too_long", f"q dài quá {MAX_QUERY_CHARS} ký tự.")
    return q


def _int(value: str | None, name: str, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except ValueError:
        raise InvalidQuery(f"invalid_{name}", f"{name} phải là số nguyên từ {lo} đến {hi}.") from None
    if not lo <= n <= hi:
        raise InvalidQuery(f"{name}_out_of_range", f"{name} phải từ {lo} đến {hi}.")
    return n


@router.get("/agents/nearest")
def nearest(lat: str | None = None, lon: str | None = None, q: str | None = None, k: str | None = "3",
            type: str | None = None, service: str | None = None) -> dict[str, Any]:  # noqa: A002
    """Nearest agents to ``lat``/``lon`` or to the ward named by ``q`` (filters: ``type``, ``service``)."""
    routing = get_routing()
    kk = check_k(k if k not in (None, "") else 3)
    types, services = check_types(_split(type)), _split(service)
    if lat not in (None, "") or lon not in (None, ""):
        if lat in (None, "") or lon in (None, ""):
            raise InvalidQuery("missing_coordinates", "Cần cả vĩ độ (lat) và kinh độ (lon).")
        la, lo = check_point(lat, lon)
        return routing.nearest(la, lo, k=kk, types=types, services=services).to_dict()
    q = _text(q, "Cần lat và lon, hoặc q là tên phường, xã hay địa chỉ.")
    result = routing.nearest_by_text(q, k=kk, types=types, services=services)
    if result.resolution is None or not result.resolution.found:
        raise InvalidQuery("ward_not_found", f"Không tìm thấy phường, xã nào của Hà Nội trong: {q[:200]!r}.")
    return result.to_dict()


@router.get("/agents")
def list_agents(page: str | None = "1", size: str | None = "20", type: str | None = None,  # noqa: A002
                ward: str | None = None, service: str | None = None) -> dict[str, Any]:
    """The registry, one page at a time (ordered by id); ``ward`` is a code or a name."""
    routing = get_routing()
    p = _int(page, "page", 1, 1, 1_000_000)
    s = _int(size, "size", 20, 1, MAX_PAGE_SIZE)
    types = check_types(_split(type))
    ward_codes = None
    if ward:
        ward_codes = []
        for w in _split(ward) or []:
            res = routing.gazetteer.resolve(w)
            if not res.found:
                raise InvalidQuery("ward_not_found", f"Không tìm thấy phường, xã: {w[:200]!r}.")
            ward_codes.extend(c.code for c in res.candidates)
    items, total = routing.registry.page(p, s, types=types, ward_codes=ward_codes, service=service or None)
    return {"items": [a.to_dict() for a in items], "total": total, "page": p, "size": s,
            "pages": math.ceil(total / s) if total else 0}


@router.get("/wards/resolve")
def resolve_ward(q: str | None = None) -> dict[str, Any]:
    """Free text (new or old names, with or without diacritics) → ward code, name, candidates."""
    q = _text(q, "Cần tham số q là tên phường, xã hoặc địa chỉ.")
    res = get_routing().gazetteer.resolve(q)
    if not res.found:
        raise InvalidQuery("ward_not_found", f"Không tìm thấy phường, xã nào của Hà Nội trong: {q[:200]!r}.")
    return res.to_dict()


@router.get("/wards/search")
def search_wards(q: str | None = None, limit: str | None = "12") -> dict[str, Any]:
    """Wards whose name starts with or contains ``q`` (accents optional): the map's search list.

    Unlike ``/wards/resolve`` it never guesses one ward from a sentence and knows no old names;
    an empty list is a 200.
    """
    q = _text(q, "Cần tham số q là tên phường, xã.")
    n = _int(limit, "limit", 12, 1, MAX_SEARCH_RESULTS)
    items = [w.to_dict() for w in get_routing().gazetteer.search(q, n)]
    return {"items": items, "total": len(items)}


@router.get("/map/config")
def map_config() -> dict[str, Any]:
    """What the map page draws with: agent types and service names, the coverage radius, the basemap.

    ``tile_url`` is empty unless the operator set ``DVCBOT_MAP_TILE_URL``; then the page adds that
    street basemap under the wards. Without it the page makes no request outside this server.
    """
    return {
        "radius_km": RADIUS_KM,
        "agent_types": [{"key": k, "label": v} for k, v in TYPES.items()],
        "services": [{"key": k, "label": v} for k, v in SERVICES.items()],
        "tile_url": get_settings().map_tile_url,
    }


@router.get("/coverage")
def coverage() -> dict[str, Any]:
    """Distance from each ward's inside point to the nearest agent; the wards with none within the radius."""
    return get_routing().coverage().to_dict()


_geojson_cache: dict[str, Any] = {}
#: the documented 200 of the GeoJSON routes (their media type is application/geo+json)
GEOJSON_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "a GeoJSON FeatureCollection",
          "content": {"application/geo+json": {"schema": {"type": "object"}}}},
}


@router.get("/wards.geojson", response_class=Response, responses=GEOJSON_RESPONSE)
def wards_geojson() -> Response:
    """Ward polygons with their coverage (distance to the nearest agent), for the map page."""
    routing = get_routing()
    cov = routing.coverage()
    key = f"wards:{id(cov)}"
    if key not in _geojson_cache:
        by_code = {w.ward.code: w for w in cov.wards}
        names = {a.id: a.name for a in routing.agents}
        features = []
        for code, geom in routing.gazetteer.polygons():
            w = routing.gazetteer.wards[code]
            c = by_code.get(code)
            features.append({
                "type": "Feature",
                "geometry": mapping(geom.simplify(MAP_SIMPLIFY_DEG, preserve_topology=True)),
                "properties": {
                    **w.to_dict(),
                    "coverage_km": None if c is None or c.distance_km is None else round(c.distance_km, 3),
                    "covered": bool(c and c.covered),
                    "nearest_agent_id": c.nearest_agent_id if c else None,
                    "nearest_agent_name": names.get(c.nearest_agent_id) if c and c.nearest_agent_id else None,
                },
            })
        _geojson_cache.clear()
        _geojson_cache[key] = json.dumps({"type": "FeatureCollection", "features": features},
                                         ensure_ascii=False, separators=(",", ":"))
    return Response(_geojson_cache[key], media_type="application/geo+json")


@router.get("/agents.geojson", response_class=Response, responses=GEOJSON_RESPONSE)
def agents_geojson(type: str | None = None) -> Response:  # noqa: A002
    """Every agent as a GeoJSON point (properties: the registry fields), for the map page."""
    types = set(check_types(_split(type)) or ())
    routing = get_routing()
    wards = routing.gazetteer.wards
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [a.lon, a.lat]},
         "properties": {**a.to_dict(), "ward_name": wards[a.ward_code].full_name if a.ward_code in wards else None}}
        for a in routing.agents if not types or a.type in types
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    return Response(body, media_type="application/geo+json")
