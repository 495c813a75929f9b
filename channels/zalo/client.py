"""The OA customer-service message API and the access-token rotation.

The first access/refresh pair comes from the environment; every rotated pair is stored in the
database (a Zalo refresh token works once, so losing the new one would cut the channel off). A
token is refreshed ahead of its expiry and when Zalo answers error ``-216`` (access token invalid
or expired), then the send is retried once. Network errors are retried with backoff. The
counters in :attr:`ZaloClient.status` are shown in ``/readyz``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from channels.zalo.models import ZaloToken, utcnow
from dvcbot.settings import Settings

log = logging.getLogger("channels.zalo.client")

SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"
#: Zalo's error code for an invalid or expired access token
TOKEN_EXPIRED = -216


class ZaloError(Exception):
    """Zalo refused the call (``code`` is Zalo's error number, 0 for HTTP/network failures)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo error {code}: {message}")
        self.code = code


@dataclass
class ZaloStatus:
    sent: int = 0
    failed: int = 0
    refreshed: int = 0
    last_ok_at: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    consecutive_failures: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": self.failed, "token_refreshes": self.refreshed,
                "consecutive_failures": self.consecutive_failures, "last_error": self.last_error,
                "ok": self.consecutive_failures == 0}


@dataclass
class _Tokens:
    access: str
    refresh: str
    expires_at: dt.datetime | None


class ZaloClient:
    def __init__(self, settings: Settings, engine: Engine, retries: int = 3, backoff_s: float = 0.5) -> None:
        self.settings = settings
        self.engine = engine
        self.retries = retries
        self.backoff_s = backoff_s
        self.status = ZaloStatus()
        self._tokens: _Tokens | None = None
        self._lock = asyncio.Lock()
        timeout = httpx.Timeout(settings.request_timeout)
        self.api = httpx.AsyncClient(base_url=settings.zalo_api_url.rstrip("/"), timeout=timeout)
        self.oauth = httpx.AsyncClient(base_url=settings.zalo_oauth_url.rstrip("/"), timeout=timeout)

    async def close(self) -> None:
        await self.api.aclose()
        await self.oauth.aclose()

    # --- tokens ---------------------------------------------------------------------------------
    def _load_tokens(self) -> _Tokens:
        with Session(self.engine) as session:
            row = session.scalar(select(ZaloToken).where(ZaloToken.id == 1))
            if row is not None:
                return _Tokens(row.access_token, row.refresh_token, row.expires_at)
        return _Tokens(self.settings.zalo_access_token, self.settings.zalo_refresh_token, None)

    def _save_tokens(self, tokens: _Tokens) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(ZaloToken, 1)
            if row is None:
                session.add(ZaloToken(id=1, access_token=tokens.access, refresh_token=tokens.refresh,
                                      expires_at=tokens.expires_at, updated_at=utcnow()))
            else:
                row.access_token, row.refresh_token = tokens.access, tokens.refresh
                row.expires_at, row.updated_at = tokens.expires_at, utcnow()

    async def _current(self) -> _Tokens:
        if self._tokens is None:
            self._tokens = await asyncio.to_thread(self._load_tokens)
        return self._tokens

    def _expiring(self, tokens: _Tokens) -> bool:
        if tokens.expires_at is None:
            return False
        expires = tokens.expires_at if tokens.expires_at.tzinfo else tokens.expires_at.replace(tzinfo=dt.UTC)
        margin = dt.timedelta(seconds=self.settings.zalo_token_refresh_margin_s)
        return expires - margin <= dt.datetime.now(dt.UTC)

    async def refresh(self, stale_access: str | None = None) -> str:
        """Rotate the pair (once, even when several sends notice the expiry together)."""
        async with self._lock:
            tokens = await self._current()
            if stale_access is not None and tokens.access != stale_access:
                return tokens.access  # another send refreshed it meanwhile
            resp = await self._with_retries(lambda: self.oauth.post(
                REFRESH_PATH, headers={"secret_key": self.settings.zalo_app_secret},
                data={"refresh_token": tokens.refresh, "app_id": self.settings.zalo_app_id,
                      "grant_type": "refresh_token"}))
            body = _json(resp)
            if resp.status_code != 200 or not body.get("access_token") or not body.get("refresh_token"):
                code = int(body.get("error") or 0) if str(body.get("error", "0")).lstrip("-").isdigit() else 0
                raise ZaloError(code, f"token refresh refused: {body.get('error_name') or body.get('message') or resp.status_code}")
            try:
                expires_in = float(body.get("expires_in") or 0)
            except (TypeError, ValueError):
                expires_in = 0.0
            new = _Tokens(str(body["access_token"]), str(body["refresh_token"]),
                          dt.datetime.now(dt.UTC) + dt.timedelta(seconds=expires_in) if expires_in else None)
            await asyncio.to_thread(self._save_tokens, new)
            self._tokens = new
            self.status.refreshed += 1
            log.info("zalo: access token rotated (expires in %.0f s)", expires_in)
            return new.access

    # --- sending --------------------------------------------------------------------------------
    async def _with_retries(self, call) -> httpx.Response:
        delay = self.backoff_s
        for attempt in range(1, self.retries + 1):
            try:
                resp = await call()
                if resp.status_code < 500 or attempt == self.retries:
                    return resp
                problem = f"HTTP {resp.status_code}"
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise ZaloError(0, f"network: {type(exc).__name__}") from exc
                problem = type(exc).__name__
            log.warning("zalo: %s (attempt %d/%d), retrying in %.1f s", problem, attempt, self.retries, delay)
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    async def _post_message(self, access: str, user_id: str, message: dict[str, Any]) -> dict[str, Any]:
        resp = await self._with_retries(lambda: self.api.post(
            SEND_PATH, headers={"access_token": access},
            json={"recipient": {"user_id": user_id}, "message": message}))
        body = _json(resp)
        if resp.status_code >= 500:
            raise ZaloError(0, f"HTTP {resp.status_code}")
        return body

    async def send(self, user_id: str, message: dict[str, Any]) -> dict[str, Any]:
        """Send one message object; Zalo's ``data`` on success, :class:`ZaloError` otherwise."""
        try:
            tokens = await self._current()
            access = tokens.access
            if self._expiring(tokens):
                access = await self.refresh(stale_access=access)
            body = await self._post_message(access, user_id, message)
            if _code(body) == TOKEN_EXPIRED:
                log.info("zalo: access token expired (-216); refreshing and retrying once")
                access = await self.refresh(stale_access=access)
                body = await self._post_message(access, user_id, message)
            if _code(body) != 0:
                raise ZaloError(_code(body), str(body.get("message") or "refused"))
        except ZaloError as exc:
            self.status.failed += 1
            self.status.consecutive_failures += 1
            self.status.last_error, self.status.last_error_at = str(exc), time.time()
            log.warning("zalo: send failed: %s", exc)
            raise
        self.status.sent += 1
        self.status.consecutive_failures = 0
        self.status.last_ok_at = time.time()
        return body.get("data") or {}


def _json(resp: httpx.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {"error": -1, "message": f"HTTP {resp.status_code}, not JSON"}
    return body if isinstance(body, dict) else {"error": -1, "message": "unexpected body"}


def _code(body: dict[str, Any]) -> int:
    try:
        return int(body.get("error", 0))
    except (TypeError, ValueError):
        return -1
