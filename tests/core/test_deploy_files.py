"""docker-compose.yml describes the production layout (no Docker engine here: checked as data)."""

import re
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


def _active_variables(path: Path) -> set[str]:
    """The variables of the YAML itself (not those named in its comments)."""
    text = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return set(re.findall(r"\$\{(\w+)\}", text))


def test_both_endpoint_files_use_the_same_variable_names():
    from dvcbot.settings import Settings
    from dvcbot.stack import service_env

    local = _active_variables(ROOT / "bot" / "endpoints.yml")
    production = _active_variables(ROOT / "deploy" / "endpoints.production.yml")
    assert local == {"DVCBOT_NLU_URL", "DVCBOT_ACTIONS_URL", "DVCBOT_RASA_TRACKER_URL"}
    assert production == local | {"DVCBOT_RASA_REDIS_HOST"}  # the lock store only production needs
    assert local <= set(service_env(Settings()))  # `dvcbot run` and the tests set them all
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert production <= set(compose["services"]["rasa"]["environment"])
    for path in (ROOT / "bot" / "endpoints.yml", ROOT / "deploy" / "endpoints.production.yml"):
        assert not re.search(r"[\"']\$\{", path.read_text(encoding="utf-8")), path  # Rasa expands unquoted only
