"""``/readyz``: ready means warm.

Each part reports its own state: the NLU service's ``/health`` and the action server's ``/ready``
answer 503 ``{"status": "warming", "since": ...}`` until they have loaded what they serve and
answered one real request of each kind; Rasa is up when ``/status`` answers, and warm once the
gateway has sent one real message through its policies (and so through the NLU service and the
action server) and got an answer. The monitor remembers since when each part is in its state, so
``/readyz`` says which part is still warming and since when.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable

import httpx

from dvcbot.settings import Settings
from gateway.schemas import ComponentStatus, Readiness

log = logging.getLogger("gateway.readiness")

#: the message the gateway sends through Rasa once the parts are up (a procedure question: it goes
#: through the NLU service, Rasa's policies and the action server)
WARM_MESSAGE = "đăng ký tạm trú cần giấy tờ gì"
WARM_SENDER = "warmup:gateway"


def component_urls(settings: Settings) -> dict[str, str]:
    return {
        "rasa": f"{settings.rasa_url}/status",
        "nlu": f"{settings.nlu_url}/health",
        "actions": f"{settings.actions_url}/ready",
    }


def _iso(ts: float | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds") if ts else None


async def _probe(client: httpx.AsyncClient, url: str, token: str = "") -> tuple[str, str | None]:
    """``(state, error)`` of one part: ``up``, ``warming`` or ``down``.

    ``token``: Rasa's HTTP API token (``rasa run --auth-token``), sent as ``?token=``; kept out of
    the URL that ``/readyz`` shows."""
    try:
        resp = await client.get(url, params={"token": token} if token else None)
    except httpx.HTTPError as exc:
        return "down", f"{type(exc).__name__}: not reachable"
    if resp.status_code == 200:
        return "up", None
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if resp.status_code == 503 and isinstance(body, dict) and body.get("status") == "warming":
        return "warming", "loading and answering its first requests"
    return "down", f"HTTP {resp.status_code}"


WarmSender = Callable[[], Awaitable[None]]


class ReadinessMonitor:
    """Probes the parts, warms Rasa once they are up, and caches the answer for a short time.

    Every chat turn checks it (a cached value at most ``ttl`` seconds old), so a turn is forwarded
    only when every part is warm; otherwise the citizen gets the apology with the hotline at once.
    """

    def __init__(self, settings: Settings, warm_rasa: WarmSender | None = None, ttl: float = 2.0) -> None:
        self.settings = settings
        self.warm_rasa = warm_rasa
        self.ttl = ttl
        self._last: Readiness | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()
        self._state: dict[str, str] = {}
        self._since: dict[str, float] = {}
        self._rasa_warm = False
        self._warm_error: str | None = None
        #: extra details merged into /readyz (e.g. the supervisor's restarts, channel status)
        self.details: dict[str, Callable[[], dict]] = {}

    def _enter(self, name: str, state: str) -> None:
        if self._state.get(name) != state:
            if name in self._state:
                log.info("%s: %s -> %s", name, self._state[name], state)
            self._state[name] = state
            self._since[name] = time.time()

    async def check(self) -> Readiness:
        urls = component_urls(self.settings)
        timeout = min(3.0, self.settings.request_timeout)
        async with httpx.AsyncClient(timeout=timeout) as client:
            results = await asyncio.gather(*(_probe(client, u, self.settings.rasa_token if name == "rasa" else "")
                                             for name, u in urls.items()))
        probed = dict(zip(urls, results, strict=True))
        if probed["rasa"][0] != "up":
            self._rasa_warm = False
        elif all(state == "up" for state, _ in probed.values()) and not self._rasa_warm:
            probed["rasa"] = await self._warm()
        elif not self._rasa_warm:
            probed["rasa"] = ("warming", "waits for the NLU service and the action server")
        components = {}
        for name, (state, error) in probed.items():
            self._enter(name, state)
            components[name] = ComponentStatus(ok=state == "up", state=state, url=urls[name], error=error,
                                               since=_iso(self._since.get(name)))
        extra = {}
        for key, provider in self.details.items():
            try:
                extra[key] = provider()
            except Exception as exc:  # a detail must never break readiness
                extra[key] = {"error": f"{type(exc).__name__}: {exc}"}
        return Readiness(ready=all(c.ok for c in components.values()), components=components,
                         details=extra or None)

    async def _warm(self) -> tuple[str, str | None]:
        if self.warm_rasa is None:
            self._rasa_warm = True
            return "up", None
        try:
            await self.warm_rasa()
        except Exception as exc:
            self._warm_error = f"{type(exc).__name__}: {exc}"
            log.info("rasa warm-up message not answered yet: %s", self._warm_error)
            return "warming", f"first message not answered yet ({self._warm_error})"
        self._rasa_warm = True
        log.info("rasa answered its first message: every part is warm")
        return "up", None

    async def get(self, fresh: bool = False) -> Readiness:
        async with self._lock:
            if fresh or self._last is None or time.monotonic() - self._at > self.ttl:
                self._last = await self.check()
                self._at = time.monotonic()
            return self._last
