"""Fixtures shared by every area: one throwaway PostgreSQL cluster per test session."""

from tests.pg import pg_cluster  # noqa: F401  (session fixture)
