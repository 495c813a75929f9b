"""A throwaway PostgreSQL 15 cluster for tests (importable by every area).

``PostgresCluster`` runs ``initdb`` + ``pg_ctl`` in a fresh directory on a free port, trust
authentication on 127.0.0.1 only. As root the server must run as the ``postgres`` user, so the
directory is handed to it and the commands go through ``runuser -u postgres --``.

Use the ``pg_cluster`` fixture (session scope) from a ``conftest.py``::

    from tests.pg import pg_cluster  # noqa: F401  (re-exported fixture)

and ``pg_cluster.new_database()`` for an empty database URL per test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from dvcbot.procs import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresCluster:
    def __init__(self, bin_dir: Path = PG_BIN):
        self.bin_dir = bin_dir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="dvcbot-pg-"))
        self.data = self.dir / "data"
        self._as_postgres = os.geteuid() == 0
        self._counter = itertools.count(1)

    def _run(self, *cmd: str) -> None:
        full = (["runuser", "-u", "postgres", "--"] if self._as_postgres else []) + list(cmd)
        proc = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")

    def start(self) -> PostgresCluster:
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c max_connections=100"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
                  str(self.dir / "server.log"), "-w", "-t", "60", "start")
        return self

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def postgres_available() -> bool:
    return (PG_BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser") is not None)


@pytest.fixture(scope="session")
def pg_cluster():
    """A running PostgreSQL 15 cluster for the whole test session (skipped without the binaries)."""
    if not postgres_available():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()
