"""Open widget sockets by session, and the ``web`` delivery of the outbound interface."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.websockets import WebSocket

from gateway.schemas import BotMessage

log = logging.getLogger("channels.widget")


#: ``(session_id, texts) -> ids``: the stored id of each pushed message (see ``staff_messages.ids_for``)
IdLookup = Callable[[str, list[str | None]], list[int | None]]


class WidgetHub:
    def __init__(self, lookup_ids: IdLookup | None = None) -> None:
        self._sockets: dict[str, set[WebSocket]] = {}
        self._lookup_ids = lookup_ids

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

    async def close(self, session_id: str, code: int = 1012) -> None:
        """Close the session's sockets (1012: service restart); the widget reconnects and fetches
        what was stored meanwhile."""
        for ws in list(self._sockets.get(session_id, ())):
            try:
                await ws.close(code=code)
            except Exception as exc:  # already gone
                log.info("widget socket of session %s already closed: %s", session_id, type(exc).__name__)
            self.remove(session_id, ws)

    async def deliver(self, session_id: str, messages: list[BotMessage]) -> bool:
        """Push to every open widget of the session; False when none is open (the caller stores the
        messages and the widget fetches them when it opens)."""
        sockets = list(self._sockets.get(session_id, ()))
        if not sockets:
            return False
        dumped = [m.model_dump(exclude_none=True) for m in messages]
        if self._lookup_ids is not None:  # the widget skips a message its history showed already
            try:
                ids = await asyncio.to_thread(self._lookup_ids, session_id, [m.text for m in messages])
                for message, care_id in zip(dumped, ids, strict=True):
                    if care_id is not None:
                        message["care_id"] = care_id
            except Exception as exc:  # the ids only prevent a repeat: the push goes out without them
                log.warning("widget push without stored ids: %s", type(exc).__name__)
        payload = {"type": "push", "messages": dumped}
        delivered = False
        for ws in sockets:
            try:
                await ws.send_json(payload)
                delivered = True
            except Exception as exc:  # a socket that died between two messages
                log.info("widget push to a closed socket of session %s: %s", session_id, type(exc).__name__)
                self.remove(session_id, ws)
        return delivered
