"""Nearest agents by point or by ward text, and the network's coverage of the 126 wards.

The service keeps the registry in memory with a spatial index and rebuilds both when the
registry's version changes (an import here, or in another process: checked at most every
``refresh_seconds``).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dvcbot.errors import ApiError
from routing.gazetteer import Gazetteer, Resolution, Ward, get_gazetteer
from routing.geoindex import GeoIndex
from routing.registry import AgentRegistry
from routing.schema import RADIUS_KM, TYPES, Agent

MAX_K = 20


#: error keys that mean "nothing of that name exists" (404); every other bad input is a 422
NOT_FOUND_KEYS = frozenset({"ward_not_found", "agent_not_found"})


class InvalidQuery(ApiError, ValueError):
    """Bad input from a caller: ``key`` is an English error key, ``message`` is Vietnamese.

    It is an :class:`~dvcbot.errors.ApiError`, so raised below a route it answers in the one error
    shape (404 for the keys in :data:`NOT_FOUND_KEYS`, else 422); the bot's answers catch it too.
    """

    def __init__(self, key: str, message: str):
        super().__init__(404 if key in NOT_FOUND_KEYS else 422, key, message)
        self.key, self.message = key, message


@dataclass
class AgentHit:
    agent: Agent
    distance_km: float

    @property
    def within_radius(self) -> bool:
        return self.distance_km <= RADIUS_KM

    def to_dict(self) -> dict[str, Any]:
        return {**self.agent.to_dict(), "distance_km": round(self.distance_km, 3),
                "within_radius": self.within_radius}


@dataclass
class NearestResult:
    hits: list[AgentHit]
    origin_lat: float | None
    origin_lon: float | None
    origin_kind: str  # "point" | "ward" | "none"
    ward: Ward | None = None
    resolution: Resolution | None = None

    @property
    def any_within(self) -> bool:
        return any(h.within_radius for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": {"lat": self.origin_lat, "lon": self.origin_lon, "kind": self.origin_kind,
                       "ward": self.ward.to_dict() if self.ward else None},
            "radius_km": RADIUS_KM,
            "any_within_radius": self.any_within,
            "resolution": self.resolution.to_dict() if self.resolution else None,
            "agents": [h.to_dict() for h in self.hits],
        }


@dataclass
class WardCoverage:
    ward: Ward
    distance_km: float | None
    nearest_agent_id: str | None

    @property
    def covered(self) -> bool:
        return self.distance_km is not None and self.distance_km <= RADIUS_KM

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.ward.code, "name": self.ward.full_name,
                "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
                "nearest_agent_id": self.nearest_agent_id, "covered": self.covered}


@dataclass
class Coverage:
    wards: list[WardCoverage] = field(default_factory=list)
    radius_km: float = RADIUS_KM

    @property
    def uncovered(self) -> list[WardCoverage]:
        return [w for w in self.wards if not w.covered]

    def to_dict(self) -> dict[str, Any]:
        return {
            "radius_km": self.radius_km,
            "wards_total": len(self.wards),
            "wards_covered": len(self.wards) - len(self.uncovered),
            "uncovered": [w.to_dict() for w in sorted(self.uncovered, key=lambda w: -(w.distance_km or 1e9))],
            "wards": [w.to_dict() for w in self.wards],
            "note": "Khoảng cách tính từ điểm đại diện của mỗi phường, xã tới điểm gần nhất (gần đúng).",
        }


def check_point(lat: Any, lon: Any) -> tuple[float, float]:
    """Validate a latitude/longitude pair (numbers, in range) or raise :class:`InvalidQuery`."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidQuery("invalid_coordinates", "Vĩ độ và kinh độ phải là số, ví dụ lat=21.0285&lon=105.8542.") from None
    if not (math.isfinite(la) and math.isfinite(lo)):
        raise InvalidQuery("invalid_coordinates", "Vĩ độ và kinh độ phải là số hữu hạn.")
    if not -90 <= la <= 90:
        raise InvalidQuery("lat_out_of_range", f"Vĩ độ {la} nằm ngoài khoảng -90 đến 90.")
    if not -180 <= lo <= 180:
        raise InvalidQuery("lon_out_of_range", f"Kinh độ {lo} nằm ngoài khoảng -180 đến 180.")
    return la, lo


def check_k(k: Any) -> int:
    try:
        kk = int(k)
    except (TypeError, ValueError):
        raise InvalidQuery("invalid_k", f"k phải là số nguyên từ 1 đến {MAX_K}.") from None
    if not 1 <= kk <= MAX_K:
        raise InvalidQuery("k_out_of_range", f"k phải từ 1 đến {MAX_K}.")
    return kk


def check_types(types: list[str] | None) -> list[str] | None:
    if not types:
        return None
    bad = [t for t in types if t not in TYPES]
    if bad:
        raise InvalidQuery("unknown_type", f"Loại điểm không hợp lệ: {', '.join(bad)}. Dùng: {', '.join(TYPES)}.")
    return types


class RoutingService:
    def __init__(self, registry: AgentRegistry | None = None, gazetteer: Gazetteer | None = None,
                 refresh_seconds: float = 5.0):
        self.registry = registry or AgentRegistry()
        self.gazetteer = gazetteer or get_gazetteer()
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._version = -1
        self._checked = 0.0
        self._index: GeoIndex[Agent] = GeoIndex([], [], [])
        self._coverage: Coverage | None = None
        self.reload()

    # ------------------------------------------------------------------ index
    def reload(self) -> None:
        """Rebuild the in-memory index from the registry (after an import)."""
        with self._lock:
            version = self.registry.version()
            agents = self.registry.all()
            self._index = GeoIndex(agents, [a.lat for a in agents], [a.lon for a in agents])
            self._version, self._checked, self._coverage = version, time.monotonic(), None

    def _fresh(self) -> GeoIndex[Agent]:
        if time.monotonic() - self._checked > self.refresh_seconds:
            self._checked = time.monotonic()
            if self.registry.version() != self._version:
                self.reload()
        return self._index

    @property
    def agents(self) -> list[Agent]:
        return list(self._fresh().items)

    # ------------------------------------------------------------------ queries
    def nearest(self, lat: float, lon: float, k: int = 3, types: list[str] | None = None,
                services: list[str] | None = None, exclude_ids: tuple[str, ...] | list[str] = ()) -> NearestResult:
        lat, lon = check_point(lat, lon)
        k = check_k(k)
        types = check_types(types)
        accept = _filter(types, services, exclude_ids)
        hits = [AgentHit(a, d) for a, d in self._fresh().nearest(lat, lon, k, accept)]
        return NearestResult(hits, lat, lon, "point", ward=self.gazetteer.ward_at(lat, lon))

    def nearest_by_text(self, q: str, k: int = 3, types: list[str] | None = None,
                        services: list[str] | None = None,
                        exclude_ids: tuple[str, ...] | list[str] = ()) -> NearestResult:
        """Nearest to the ward the text names; an ambiguous text returns candidates and no agents."""
        k = check_k(k)
        types = check_types(types)
        res = self.gazetteer.resolve(q or "")
        if not res.ward_code:
            return NearestResult([], None, None, "none", resolution=res)
        ward = self.gazetteer.wards[res.ward_code]
        accept = _filter(types, services, exclude_ids)
        hits = [AgentHit(a, d) for a, d in self._fresh().nearest(ward.rep_lat, ward.rep_lon, k, accept)]
        return NearestResult(hits, ward.rep_lat, ward.rep_lon, "ward", ward=ward, resolution=res)

    def coverage(self) -> Coverage:
        """For each ward, the distance from its inside point to the nearest agent (any type)."""
        index = self._fresh()
        cov = self._coverage
        if cov is not None:
            return cov
        rows = []
        for w in self.gazetteer.wards.values():
            hit = index.nearest(w.rep_lat, w.rep_lon, 1)
            rows.append(WardCoverage(w, hit[0][1] if hit else None, hit[0][0].id if hit else None))
        self._coverage = Coverage(rows)
        return self._coverage


def _filter(types, services, exclude_ids):
    if not types and not services and not exclude_ids:
        return None
    types_set, services_set, excluded = set(types or ()), set(services or ()), set(exclude_ids or ())

    def accept(a: Agent) -> bool:
        return ((not types_set or a.type in types_set)
                and (not services_set or bool(services_set.intersection(a.services)))
                and a.id not in excluded)

    return accept


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _routing(url: str) -> RoutingService:
    from dvcbot.db import prepare

    prepare(url)  # a fresh process (action server, CLI) finds the registry's tables
    return RoutingService(AgentRegistry(url))


def get_routing() -> RoutingService:
    """The process-wide routing service on ``settings.db_url`` (seeded on first use)."""
    from dvcbot.settings import get_settings

    with _lock:
        return _routing(get_settings().db_url)


def reset_routing() -> None:
    """Forget the process-wide service (tests that change ``DVCBOT_DATABASE_URL``)."""
    _routing.cache_clear()
