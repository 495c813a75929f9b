"""Alembic environment of dvcbot: every model on ``dvcbot.db.Base``, the URL from dvcbot's settings."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from dvcbot.db import get_engine, import_models, migration_lock
from dvcbot.settings import get_settings

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = import_models()


def _url() -> str:
    return config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or get_settings().db_url


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters a table by copying it; harmless on PostgreSQL
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    """``alembic upgrade head --sql``: print the SQL instead of running it."""
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    with get_engine(_url()).connect() as connection, migration_lock(connection):
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
