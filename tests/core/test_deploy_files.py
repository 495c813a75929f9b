"""docker-compose.yml describes the production layout (no Docker engine here: checked as data)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_one_container_per_service_and_no_inline_secrets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "nlu", "actions", "rasa", "gateway"} <= set(services)
    for name in ("nlu", "actions", "rasa", "gateway"):
        dockerfile = services[name]["build"]["dockerfile"]
        assert (ROOT / dockerfile).exists(), dockerfile
    text = (ROOT / "docker-compose.yml").read_text()
    assert "POSTGRES_PASSWORD:?" in text  # the password must come from the environment


def test_production_endpoints_use_postgres_and_redis():
    endpoints = yaml.safe_load((ROOT / "deploy" / "endpoints.production.yml").read_text())
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"
    assert "${" in endpoints["nlu"]["url"]
