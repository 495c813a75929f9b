"""Care tables on the shared engine."""

from __future__ import annotations

from dvcbot.db import get_engine
from dvcbot.settings import get_settings

_ready: set[str] = set()


def ensure_tables(db_url: str | None = None) -> None:
    """Create the care tables once per URL and process (checkfirst; migrations do it in production)."""
    from care.models import create_tables

    url = db_url or get_settings().db_url
    if url in _ready:
        return
    create_tables(get_engine(url))
    _ready.add(url)


def current_url(db_url: str | None = None) -> str:
    """The URL to use: the given one, else the settings' (``session_scope(None)`` would reuse the
    first engine it ever made, whatever the settings say now)."""
    return db_url or get_settings().db_url
