"""Rate limits per conversation and per client address (the ``limits`` library, moving window).

Used by the chat API (429 with a clear Vietnamese message) and by the channels (the widget's
WebSocket answers the same message instead of a turn). Limits are strings like ``"20/minute"``
(settings ``rate_limit_session`` and ``rate_limit_client``); memory storage is per process, which
is what one gateway process needs.
"""

from __future__ import annotations

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from dvcbot.settings import Settings

#: said to a citizen who sends too fast (also the 429's detail)
TOO_FAST = "Dạ, anh chị gửi tin nhắn hơi nhanh, vui lòng chờ một chút rồi gửi lại ạ."


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._session = parse(settings.rate_limit_session)
        self._client = parse(settings.rate_limit_client)

    def allow(self, session_key: str | None, client: str | None) -> bool:
        """Count one message; False when its conversation or its client address is over the limit."""
        ok = True
        if client:
            ok = self._limiter.hit(self._client, "client", client)
        if ok and session_key:
            ok = self._limiter.hit(self._session, "session", session_key)
        return ok
