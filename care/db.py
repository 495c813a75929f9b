"""Care tables on the shared engine: they are Alembic migrations (``alembic/versions/*care*``)."""

from __future__ import annotations

from dvcbot.settings import get_settings


def ensure_tables(db_url: str | None = None) -> None:
    """Bring the database to the newest migration before the first query (once per URL and process;
    with ``DVCBOT_DB_AUTO_UPGRADE=false`` it only checks that ``dvcbot db upgrade`` was run)."""
    from dvcbot.db import prepare

    prepare(current_url(db_url))


def current_url(db_url: str | None = None) -> str:
    """The URL to use: the given one, else the settings' (``session_scope(None)`` would reuse the
    first engine it ever made, whatever the settings say now)."""
    return db_url or get_settings().db_url
