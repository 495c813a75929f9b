"""Routing endpoints on the gateway: nearest agents, the registry, ward resolution, coverage, GeoJSON.

Bad input never gives a 500: every error is a 4xx JSON ``{"detail": "<Vietnamese>", "error":
"<english_key>"}``. Query parameters are read as text and checked here (not by FastAPI's
validation) so that the messages are the bot's own; a route class catches what is left.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from shapely.geometry import mapping

from routing.service import InvalidQuery, check_k, check_point, check_types, get_routing

log = logging.getLogger(__name__)
MAX_PAGE_SIZE = 200
MAX_QUERY_CHARS = 500
#: polygons served to the map are simplified to about 5 m (3 MB → 0.6 MB); point-in-polygon uses the full ones
MAP_SIMPLIFY_DEG = 0.00005


class _Route(APIRoute):
    """Turns :class:`InvalidQuery` and request validation errors into a clear 4xx JSON."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except InvalidQuery as exc:
                status = 404 if exc.key in ("ward_not_found", "agent_not_found") else 422
                return JSONResponse({"detail": exc.message, "error": exc.key}, status_code=status)
            except RequestValidationError as exc:
                where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
                return JSONResponse({"detail": f"Tham số không hợp lệ: {where}.", "error": "invalid_parameters"},
                                    status_code=422)

        return route


router = APIRouter(prefix="/api/v1", tags=["routing"], route_class=_Route)


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


@router.get("/coverage")
def coverage() -> dict[str, Any]:
    """Distance from each ward's inside point to the nearest agent; the wards with none within 5 km."""
    return get_routing().coverage().to_dict()


_geojson_cache: dict[str, Any] = {}


@router.get("/wards.geojson")
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


@router.get("/agents.geojson")
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
