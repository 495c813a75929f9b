"""Talks to Rasa's REST channel and HTTP API on behalf of the gateway."""

from __future__ import annotations

from typing import Any

import httpx


class BackendDown(Exception):
    """Rasa (or what Rasa depends on) did not answer in time."""


class RasaClient:
    """``token``: Rasa's ``--auth-token`` (``settings.rasa_token``), sent as the query parameter
    ``token`` on every call; None reads it from the settings (``DVCBOT_RASA_TOKEN``)."""

    def __init__(self, base_url: str, timeout: float, token: str | None = None) -> None:
        if token is None:
            from dvcbot.settings import get_settings

            token = get_settings().rasa_token
        self.base_url = base_url.rstrip("/")
        self.client = httpx.AsyncClient(base_url=self.base_url, timeout=timeout,
                                        params={"token": token} if token else None,
                                        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))

    async def close(self) -> None:
        await self.client.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Post one message to the REST channel; Rasa's reply messages."""
        try:
            resp = await self.client.post("/webhooks/rest/webhook",
                                          json={"sender": sender, "message": text, "metadata": metadata})
        except httpx.HTTPError as exc:
            raise BackendDown(f"Rasa unreachable: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise BackendDown(f"Rasa answered HTTP {resp.status_code}")
        data = resp.json()
        if not isinstance(data, list):
            raise BackendDown("Rasa answered an unexpected body")
        return data

    async def latest_intent(self, sender: str) -> tuple[str | None, float | None]:
        """The intent Rasa recorded for the sender's last message (needs ``--enable-api``)."""
        try:
            resp = await self.client.get(f"/conversations/{sender}/tracker",
                                         params={"include_events": "NONE"})
            latest = resp.json().get("latest_message") or {}
        except (httpx.HTTPError, ValueError):
            return None, None
        intent = latest.get("intent") or {}
        return intent.get("name"), intent.get("confidence")
