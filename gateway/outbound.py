"""Messages that reach a citizen outside a turn: staff replies, the satisfaction question, handoff news.

One interface, one delivery per channel. The care console (or anything else that must speak to a
citizen unprompted) calls :meth:`Outbound.send`; each channel registers a :class:`Delivery` for its
name at start-up (the widget pushes over its WebSocket, Zalo calls the OA message API, voice speaks
into a live call). Every message is also kept by the caller's store so that a client can fetch what
it missed (``GET /api/v1/chat/{session_id}/messages?after=...`` for the JSON chat API).
"""

from __future__ import annotations

import logging
from typing import Protocol

from gateway.schemas import BotMessage

log = logging.getLogger("gateway.outbound")


class Delivery(Protocol):
    """How one channel delivers messages to a citizen; raise on failure (the caller logs it)."""

    async def deliver(self, session_id: str, messages: list[BotMessage]) -> bool:
        """Deliver now; True when the citizen's device/app received it, False when it is only
        stored for the citizen to fetch (e.g. the widget is closed)."""
        ...


class Outbound:
    """The registry of deliveries, one per channel name (``web``, ``zalo``, ``voice``, ``api``)."""

    def __init__(self) -> None:
        self._deliveries: dict[str, Delivery] = {}

    def register(self, channel: str, delivery: Delivery) -> None:
        self._deliveries[channel] = delivery

    def channels(self) -> list[str]:
        return sorted(self._deliveries)

    async def send(self, channel: str, session_id: str, messages: list[BotMessage]) -> bool:
        """Deliver through the channel's delivery; False when none is registered or it failed."""
        delivery = self._deliveries.get(channel)
        if delivery is None:
            return False
        try:
            return await delivery.deliver(session_id, messages)
        except Exception as exc:  # a channel failure must not break the caller (staff action)
            log.warning("outbound %s delivery to session %s failed: %s: %s", channel, session_id,
                        type(exc).__name__, exc)
            return False
