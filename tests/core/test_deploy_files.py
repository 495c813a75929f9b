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


def test_production_rasa_opens_only_the_authenticated_channel():
    """Rasa's REST channel ignores --auth-token: production must not open it."""
    credentials = yaml.safe_load((ROOT / "deploy" / "credentials.production.yml").read_text())
    assert set(credentials) == {"dvcbot_channel.DvcbotInput"}
    dockerfile = (ROOT / "deploy" / "rasa.Dockerfile").read_text()
    assert "--credentials credentials.production.yml" in dockerfile
    assert "COPY deploy/credentials.production.yml" in dockerfile


def _compose_cmd() -> list[str] | None:
    import shutil
    import subprocess

    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_compose_file_validates():
    import subprocess

    cmd = _compose_cmd()
    assert cmd, "neither `docker compose` nor docker-compose is installed (scripts/system_deps.sh installs it)"
    env = {"POSTGRES_PASSWORD": "x", "DVCBOT_RASA_TOKEN": "y", "DVCBOT_ACTIONS_TOKEN": "z", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    done = subprocess.run([*cmd, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    # without the secrets it refuses to start: no default passwords or tokens
    missing = subprocess.run([*cmd, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                             env={"PATH": env["PATH"]}, capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode != 0


def test_compose_heals_and_checks_the_same_readiness_as_the_supervisor():
    from urllib.parse import urlsplit

    from dvcbot.settings import Settings
    from dvcbot.stack import build_services, with_tokens

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    paths = {s.name: urlsplit(s.health_url).path for s in build_services(with_tokens(Settings()))}
    paths["gateway"] = "/readyz"  # the container is healthy when every part is warm
    for name, path in paths.items():
        service = compose[name]
        assert service["restart"] == "unless-stopped" and service.get("init") is True, name
        assert path in " ".join(service["healthcheck"]["test"]), (name, path)
    assert [n for n, s in compose.items() if s.get("ports")] == ["gateway"]  # nothing else published
    assert compose["actions"]["command"] == ["python", "-m", "actions.server"]
    rasa_cmd = (ROOT / "deploy" / "rasa.Dockerfile").read_text()
    assert '--auth-token=\\"$DVCBOT_RASA_TOKEN\\"' in rasa_cmd  # "=": a token may start with "-"
    assert "--logging-config-file logging.yml" in rasa_cmd


def test_endpoints_send_the_action_server_token():
    for path in (ROOT / "bot" / "endpoints.yml", ROOT / "deploy" / "endpoints.production.yml"):
        endpoints = yaml.safe_load(path.read_text())
        assert "DVCBOT_ACTIONS_TOKEN" in endpoints["action_endpoint"]["token"], path
        assert endpoints["action_endpoint"]["url"].startswith("${DVCBOT_ACTIONS_URL}"), path


def _active_variables(path: Path) -> set[str]:
    """The variables of the YAML itself (not those named in its comments)."""
    text = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return set(re.findall(r"\$\{(\w+)\}", text))


def test_both_endpoint_files_use_the_same_variable_names():
    from dvcbot.settings import Settings
    from dvcbot.stack import service_env

    local = _active_variables(ROOT / "bot" / "endpoints.yml")
    production = _active_variables(ROOT / "deploy" / "endpoints.production.yml")
    assert local == {"DVCBOT_NLU_URL", "DVCBOT_ACTIONS_URL", "DVCBOT_ACTIONS_TOKEN", "DVCBOT_RASA_TRACKER_URL"}
    assert production == local | {"DVCBOT_RASA_REDIS_HOST"}  # the lock store only production needs
    assert local <= set(service_env(Settings()))  # `dvcbot run` and the tests set them all
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert production <= set(compose["services"]["rasa"]["environment"])
    for path in (ROOT / "bot" / "endpoints.yml", ROOT / "deploy" / "endpoints.production.yml"):
        assert not re.search(r"[\"']\$\{", path.read_text(encoding="utf-8")), path  # Rasa expands unquoted only


def test_a_token_starting_with_a_dash_reaches_rasa_as_a_value():
    from dvcbot.settings import Settings
    from dvcbot.stack import rasa_command

    cmd = rasa_command(Settings(rasa_token="-Xy_z"), Path("model.tar.gz"))
    assert "--auth-token=-Xy_z" in cmd  # "--auth-token -Xy_z" makes argparse take it for an option
