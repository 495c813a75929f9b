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


def pytest_sessionfinish(session, exitstatus):
    """The log scan of issue 8: no raw phone or ID number in any log file the tests wrote."""
    from tests.logscan import scan_logs

    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    try:
        root = factory.getbasetemp()
    except Exception:  # no test asked for a temporary folder
        return
    findings = scan_logs(root)
    if not findings:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", f"log scan: {len(findings)} log lines hold a raw phone or ID number", red=True)
        for finding in findings[:50]:
            reporter.write_line(finding)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def migrated_db_url(db_url):
    """``db_url`` with every migration applied: the tables exist, as after ``dvcbot db upgrade``."""
    upgrade(db_url)
    return db_url
