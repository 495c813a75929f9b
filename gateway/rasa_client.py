"""Talks to Rasa's dvcbot input channel (``bot/dvcbot_channel.py``) on behalf of the turn service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

#: the route of ``bot/dvcbot_channel.py`` (Rasa mounts input channels under /webhooks/<name>)
WEBHOOK = "/webhooks/dvcbot/webhook"


class BackendDown(Exception):
    """Rasa (or what Rasa depends on) did not answer."""


@dataclass
class DialogueReply:
    """What the dialogue answered to one message."""

    messages: list[dict[str, Any]]
    intent: str | None
    confidence: float | None


class RasaClient:
    def __init__(self, base_url: str, connect_timeout: float, turn_timeout: float, token: str = "",
                 max_connections: int = 50) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.AsyncClient(
            base_url=self.base_url, headers=headers,
            timeout=httpx.Timeout(turn_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections))

    async def close(self) -> None:
        await self.client.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> DialogueReply:
        """Post one message; Rasa's replies with the message's intent and confidence."""
        try:
            resp = await self.client.post(WEBHOOK, json={"sender": sender, "message": text, "metadata": metadata})
        except httpx.HTTPError as exc:
            raise BackendDown(f"Rasa unreachable: {type(exc).__name__}") from exc
        try:
            data = resp.json()
        except ValueError as exc:
            raise BackendDown(f"Rasa answered HTTP {resp.status_code} without JSON") from exc
        if resp.status_code != 200:
            key = data.get("error") if isinstance(data, dict) else None
            raise BackendDown(f"Rasa answered HTTP {resp.status_code} ({key or 'error'})")
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise BackendDown("Rasa answered an unexpected body")
        confidence = data.get("confidence")
        return DialogueReply(data["messages"], data.get("intent") or None,
                             float(confidence) if isinstance(confidence, int | float) else None)
