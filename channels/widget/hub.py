"""Open widget sockets by session, and the ``web`` delivery of the outbound interface."""

from __future__ import annotations

import logging

from starlette.websockets import WebSocket

from gateway.schemas import BotMessage

log = logging.getLogger("channels.widget")


class WidgetHub:
    def __init__(self) -> None:
        self._sockets: dict[str, set[WebSocket]] = {}

    def add(self, session_id: str, ws: WebSocket) -> None:
        self._sockets.setdefault(session_id, set()).add(ws)

    def remove(self, session_id: str, ws: WebSocket) -> None:
        sockets = self._sockets.get(session_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self._sockets[session_id]

    @property
    def open_sockets(self) -> int:
        return sum(len(s) for s in self._sockets.values())

    async def deliver(self, session_id: str, messages: list[BotMessage]) -> bool:
        """Push to every open widget of the session; False when none is open (the caller stores the
        messages and the widget fetches them when it opens)."""
        payload = {"type": "push", "messages": [m.model_dump(exclude_none=True) for m in messages]}
        delivered = False
        for ws in list(self._sockets.get(session_id, ())):
            try:
                await ws.send_json(payload)
                delivered = True
            except Exception as exc:  # a socket that died between two messages
                log.info("widget push to a closed socket of session %s: %s", session_id, type(exc).__name__)
                self.remove(session_id, ws)
        return delivered
