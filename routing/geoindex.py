"""Nearest-neighbour index over points on the Earth: a KD-tree on 3D unit vectors.

The straight-line (chord) distance between unit vectors grows with the great-circle distance, so
the KD-tree's order is the great-circle order and the distance converts exactly:
``d = 2 R asin(chord / 2)``. A query over 10,000 points takes microseconds, not a scan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import numpy as np
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088
T = TypeVar("T")


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class GeoIndex(Generic[T]):
    """Items with (lat, lon); ``nearest`` returns ``[(item, km)]`` closest first, optionally filtered."""

    def __init__(self, items: Sequence[T], lat: Sequence[float], lon: Sequence[float]):
        self.items = list(items)
        self._tree = cKDTree(unit_vectors(np.asarray(lat, float), np.asarray(lon, float))) if self.items else None

    def __len__(self) -> int:
        return len(self.items)

    def nearest(self, lat: float, lon: float, k: int = 3,
                accept: Callable[[T], bool] | None = None) -> list[tuple[T, float]]:
        n = len(self.items)
        if self._tree is None or k <= 0:
            return []
        q = unit_vectors(np.array([lat]), np.array([lon]))[0]
        want = min(n, k if accept is None else max(4 * k, 16))
        while True:
            dist, idx = self._tree.query(q, k=want)
            dist, idx = np.atleast_1d(dist), np.atleast_1d(idx)
            out = []
            for d, i in zip(dist, idx, strict=True):
                item = self.items[int(i)]
                if accept is None or accept(item):
                    out.append((item, 2 * EARTH_RADIUS_KM * math.asin(min(1.0, float(d) / 2))))
                    if len(out) == k:
                        return out
            if want >= n:
                return out
            want = min(n, want * 4)
