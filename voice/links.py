"""Links are never read aloud on a call; the callbot offers to send them by SMS or Zalo instead.

:class:`LinkSender` is that interface. The default logs that a link was offered (the link is in the
call record, not the log) and sends nothing: sending needs an SMS gateway or the Zalo channel, which
the operator connects by giving ``VoiceRuntime`` another sender.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

log = logging.getLogger("voice.links")

URL = re.compile(r"(?:https?://|www\.)[^\s)>\]]+", re.IGNORECASE)


def links_in(text: str) -> list[str]:
    return [u.rstrip(".,;:") for u in URL.findall(text or "")]


class LinkSender(Protocol):
    async def send(self, call_id: str, caller: str, links: list[str]) -> bool:
        """Send ``links`` to the caller; True when they were sent."""


class LoggingLinkSender:
    """The default: nothing is sent; a log line says how many links were offered on which call."""

    async def send(self, call_id: str, caller: str, links: list[str]) -> bool:
        log.info("call %s: %d link(s) offered; no SMS/Zalo sender is configured", call_id, len(links))
        return False
