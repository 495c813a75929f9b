import pytest

from care.db import ensure_tables
from dvcbot.db import session_scope


@pytest.fixture
def care_db(db_url):
    """An empty database (SQLite and PostgreSQL) with the care tables."""
    ensure_tables(db_url)
    return db_url


@pytest.fixture
def session(care_db):
    with session_scope(care_db) as s:
        yield s
