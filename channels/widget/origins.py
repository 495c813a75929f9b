"""Which pages may talk to the widget endpoints (CORS and the WebSocket origin check)."""

from __future__ import annotations

from urllib.parse import urlsplit

from dvcbot.settings import Settings


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


class OriginPolicy:
    """Origins allowed to embed the widget (settings) plus the gateway's own."""

    def __init__(self, settings: Settings) -> None:
        configured = [o for o in settings.widget_allowed_origins.split(",") if o.strip()]
        self.allowed = {_origin(o) for o in configured} | {_origin(settings.gateway_url)}
        self.allow_all = any(o.strip() == "*" for o in configured)

    def allows(self, origin: str | None, own_host: str | None = None, scheme: str = "http") -> bool:
        """A request without Origin (not from a browser page) is allowed; a browser page only from an
        allowed origin or the gateway's own host."""
        if not origin:
            return True
        origin = origin.strip().lower()
        if self.allow_all or origin in self.allowed:
            return True
        if own_host:
            for s in (scheme, "http", "https"):
                if origin == f"{s}://{own_host.lower()}":
                    return True
        return False
