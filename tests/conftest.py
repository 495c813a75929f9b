"""Fixtures shared by every area: one throwaway PostgreSQL cluster per session, ``db_url`` and
``migrated_db_url`` (the same database brought to the newest Alembic migration)."""

import pytest

from dvcbot.db import get_engine, upgrade
from tests.pg import pg_cluster  # noqa: F401  (session fixture)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty database URL, once on embedded SQLite and once on a throwaway PostgreSQL 15."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").new_database()
    yield url
    get_engine(url).dispose()


@pytest.fixture
def migrated_db_url(db_url):
    """``db_url`` with every migration applied: the tables exist, as after ``dvcbot db upgrade``."""
    upgrade(db_url)
    return db_url
