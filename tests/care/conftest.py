import pytest

from care.db import ensure_tables
from dvcbot.db import session_scope


@pytest.fixture
def care_db(migrated_db_url):
    """An empty database (SQLite and PostgreSQL) at the newest migration, the care tables included."""
    ensure_tables(migrated_db_url)
    return migrated_db_url


@pytest.fixture
def session(care_db):
    with session_scope(care_db) as s:
        yield s
