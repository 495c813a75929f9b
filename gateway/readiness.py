"""``/readyz``: which back-end parts answer, and how fast."""

from __future__ import annotations

import asyncio
import time

import httpx

from dvcbot.settings import Settings
from gateway.schemas import ComponentStatus, Readiness


def component_urls(settings: Settings) -> dict[str, str]:
    """Health URLs; Rasa's ``/status`` needs its API token (``?token=``; masked in every log)."""
    return {
        "rasa": f"{settings.rasa_url}/status?token={settings.rasa_token}",
        "nlu": f"{settings.nlu_url}/health",
        "actions": f"{settings.actions_url}/health",
    }


async def _probe(client: httpx.AsyncClient, url: str) -> ComponentStatus:
    start = time.perf_counter()
    try:
        resp = await client.get(url)
        ok = resp.status_code == 200
        error = None if ok else f"HTTP {resp.status_code}"
    except httpx.HTTPError as exc:
        ok, error = False, f"{type(exc).__name__}: not reachable"
    return ComponentStatus(ok=ok, url=url.split("?")[0], latency_ms=round((time.perf_counter() - start) * 1000, 1),
                           error=error)


async def check(settings: Settings, timeout: float = 3.0) -> Readiness:
    urls = component_urls(settings)
    async with httpx.AsyncClient(timeout=min(timeout, settings.request_timeout)) as client:
        results = await asyncio.gather(*(_probe(client, u) for u in urls.values()))
    components = dict(zip(urls, results, strict=True))
    return Readiness(ready=all(c.ok for c in components.values()), components=components)


class ReadinessMonitor:
    """Readiness cached for a short time, so every chat turn can check it without slowing down.

    A turn is only forwarded when Rasa, the NLU service and the action server all answer; otherwise
    the citizen gets the apology with the hotline numbers at once instead of a confused reply.
    """

    def __init__(self, settings: Settings, ttl: float = 2.0) -> None:
        self.settings = settings
        self.ttl = ttl
        self._last: Readiness | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def get(self, fresh: bool = False) -> Readiness:
        async with self._lock:
            if fresh or self._last is None or time.monotonic() - self._at > self.ttl:
                self._last = await check(self.settings)
                self._at = time.monotonic()
            return self._last
