"""The one database layer: SQLAlchemy engine, sessions, the declarative ``Base`` and Alembic.

SQLite under ``var/`` is the embedded default; PostgreSQL in production (``DVCBOT_DATABASE_URL``).
Every table is an ORM model on :class:`Base` in a ``models`` module listed in :data:`MODEL_MODULES`
and is created by an Alembic migration in ``alembic/versions/``: nothing calls ``create_all``.
``upgrade(url)`` brings a database to the newest migration (``dvcbot db upgrade``); ``prepare(url)``
is what a process calls before its first query (once per process: upgrade, or check when
``DVCBOT_DB_AUTO_UPGRADE=false``).
"""

from __future__ import annotations

import fcntl
import importlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from dvcbot.settings import get_settings

log = logging.getLogger(__name__)
logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-plugin INFO lines; we log the outcome

#: every module that defines models on ``Base``; Alembic's env.py imports them all, so a table
#: whose module is missing here would look "removed" to ``alembic check`` and autogenerate
MODEL_MODULES = ["gateway.models", "routing.models", "voice.models", "channels.zalo.models", "care.models"]

#: key of the PostgreSQL advisory lock held while migrating (any constant; "dvcbot" in ASCII)
_PG_LOCK_KEY = 0x647663626F74


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().db_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # concurrent readers while one process writes
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            # WAL is a property of the file: set it once. Switching needs a moment without other
            # writers (a second process may be migrating a brand-new database), so wait for it.
            deadline = time.monotonic() + 30
            while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Base(DeclarativeBase):
    """The one declarative base: every project table is a model on it and an Alembic migration."""

    # named constraints, so that later migrations can drop or alter them (SQLite batch mode needs names)
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    })


def import_models() -> MetaData:
    """Import every model module so that ``Base.metadata`` knows every table; return it."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata


@lru_cache(maxsize=8)
def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url or get_settings().db_url), expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --------------------------------------------------------------------------------- migrations
def alembic_config(url: str | None = None):
    """The Alembic configuration of ``alembic.ini`` bound to ``url`` (default: the settings' URL)."""
    from alembic.config import Config

    root = get_settings().root  # the checkout (or the image's /app) holding alembic.ini and alembic/
    ini = root / "alembic.ini"
    cfg = Config(str(ini)) if ini.exists() else Config()
    cfg.set_main_option("script_location", str(root / "alembic"))
    # passed as an attribute, not an ini option: a URL's %-escapes would confuse configparser
    cfg.attributes["url"] = url or get_settings().db_url
    cfg.attributes["configure_logger"] = False
    return cfg


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Serialise migrations of one database across processes (gateway, actions, CLI starting at once)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            connection.commit()
        return
    database = connection.engine.url.database if connection.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (default: the newest migration)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at (None: no migration applied yet)."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def check(url: str | None = None) -> None:
    """Raise ``alembic.util.AutogenerateDiffsDetected`` when the models and the migrations disagree.

    The database at ``url`` must be at head (``upgrade`` first).
    """
    from alembic import command

    command.check(alembic_config(url))


_prepared: set[str] = set()
_prepare_lock = threading.Lock()


def prepare(url: str | None = None, auto_upgrade: bool | None = None) -> None:
    """Make sure the database has every table before a process's first query (once per process).

    Upgrades to head when ``settings.db_auto_upgrade`` (the default, and what the embedded SQLite
    needs); otherwise raises RuntimeError unless an operator has run ``dvcbot db upgrade``.
    """
    url = url or get_settings().db_url
    with _prepare_lock:
        if url in _prepared:
            return
        if get_settings().db_auto_upgrade if auto_upgrade is None else auto_upgrade:
            before = current_revision(url)
            upgrade(url)
            if (after := current_revision(url)) != before:
                log.info("database migrated from %s to %s", before, after)
        else:
            at, head = current_revision(url), head_revision()
            if at != head:
                raise RuntimeError(f"database is at migration {at}, the code needs {head}: "
                                   f"run `dvcbot db upgrade`")
        _prepared.add(url)
