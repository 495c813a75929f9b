"""Fixtures of the routing tests: a registry database parametrized over SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from dvcbot.settings import get_settings
from routing.registry import AgentRegistry
from routing.service import RoutingService, reset_routing


@pytest.fixture
def registry(migrated_db_url) -> AgentRegistry:
    return AgentRegistry(migrated_db_url)


@pytest.fixture
def routing_env(migrated_db_url, monkeypatch):
    """Point the process-wide settings and routing service (used by the API and answers) at ``db_url``."""
    db_url = migrated_db_url
    monkeypatch.setenv("DVCBOT_DATABASE_URL", db_url)
    monkeypatch.setenv("DVCBOT_PUBLIC_URL", "https://dvc.example.vn")
    get_settings.cache_clear()
    reset_routing()
    yield db_url
    reset_routing()
    get_settings.cache_clear()


@pytest.fixture
def service(registry) -> RoutingService:
    return RoutingService(registry, refresh_seconds=0)
