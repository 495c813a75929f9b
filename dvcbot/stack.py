"""The four processes of a running dvcbot and how to start them (``dvcbot run`` and the tests)."""

from __future__ import annotations

import sys
from pathlib import Path

from dvcbot.procs import Service
from dvcbot.settings import Settings

#: how long each part may take to answer its health URL after start (Rasa loads TensorFlow)
START_TIMEOUTS = {"nlu": 180.0, "actions": 120.0, "rasa": 240.0, "gateway": 60.0}


def service_env(settings: Settings) -> dict[str, str]:
    """Environment shared by every child: the settings that tie the parts together."""
    return {
        "DVCBOT_HOST": settings.host,
        "DVCBOT_NLU_PORT": str(settings.nlu_port),
        "DVCBOT_ACTIONS_PORT": str(settings.actions_port),
        "DVCBOT_RASA_PORT": str(settings.rasa_port),
        "DVCBOT_GATEWAY_PORT": str(settings.gateway_port),
        "DVCBOT_VAR_DIR": str(settings.var_dir),
        "DVCBOT_DATABASE_URL": settings.db_url,
        "DVCBOT_RASA_TOKEN": settings.rasa_token,
        "DVCBOT_ACTIONS_TOKEN": settings.actions_token,
        # read by bot/endpoints.yml
        "DVCBOT_NLU_URL": settings.nlu_url,
        "DVCBOT_RASA_URL": settings.rasa_url,
        "DVCBOT_ACTIONS_URL": settings.actions_url,
        "DVCBOT_RASA_TRACKER_URL": f"sqlite:///{settings.var_dir / 'rasa_tracker.db'}",
        "RASA_TELEMETRY_ENABLED": "false",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }


def rasa_model_path(settings: Settings) -> Path:
    return settings.rasa_project_dir / "models" / "dvcbot.tar.gz"


def build_services(settings: Settings, log_dir: Path | None = None, model: Path | None = None,
                   extra_env: dict[str, str] | None = None, gateway: bool = True) -> list[Service]:
    """The services in start order: NLU and actions first, then Rasa, then the gateway."""
    log_dir = log_dir or settings.var_dir / "logs"
    env = {**service_env(settings), **(extra_env or {})}
    model = model or rasa_model_path(settings)
    py = sys.executable
    rasa_bin = settings.rasa_venv / "bin" / "rasa"
    bot = settings.rasa_project_dir
    services = [
        Service("nlu", [py, "-m", "nlu"], f"{settings.nlu_url}/health", log_dir / "nlu.log", env),
        Service("actions", [py, "-m", "actions.server"],
                f"{settings.actions_url}/ready", log_dir / "actions.log", env, cwd=settings.root),
        Service("rasa", [str(rasa_bin), "run", "--enable-api", "--model", str(model),
                         "--endpoints", "endpoints.yml", "--credentials", "credentials.yml",
                         "--interface", settings.host, "--port", str(settings.rasa_port)],
                f"{settings.rasa_url}/status", log_dir / "rasa.log", env, cwd=bot),
        Service("gateway", [py, "-m", "gateway"], f"{settings.gateway_url}/healthz", log_dir / "gateway.log", env),
    ]
    return services if gateway else services[:-1]


def nlu_service(settings: Settings, port: int, log_path: Path, name: str = "nlu") -> Service:
    """The NLU service alone on ``port`` (benchmarks and the NLU tests start just this one)."""
    return Service(name, [sys.executable, "-m", "nlu"], f"http://127.0.0.1:{port}/health", log_path,
                   env={"DVCBOT_NLU_PORT": str(port), "DVCBOT_HOST": "127.0.0.1"}, cwd=settings.root)


def migrate(settings: Settings, progress=print) -> None:
    """Bring the database to the newest migration before any service opens it."""
    from dvcbot.db import current_revision, upgrade

    upgrade(settings.db_url)
    progress(f">> database at migration {current_revision(settings.db_url)}")


def start_all(services: list[Service], progress=print, stop_requested=lambda: False) -> None:
    """Start every service, then wait for each; raise RuntimeError with its log tail if one fails.

    They start together (none needs another to boot), which halves the start-up time on 2 cores.
    """
    for svc in services:
        progress(f">> starting {svc.name} ({svc.health_url})")
        svc.start()
    for svc in services:
        if stop_requested():
            stop_all(services)
            raise RuntimeError("stopped on request while starting")
        if not svc.wait_ready(START_TIMEOUTS.get(svc.name, 120.0)):
            tail = svc.log_tail()
            stop_all(services)
            raise RuntimeError(f"{svc.name} did not become ready; last lines of {svc.log_path}:\n{tail}")


def stop_all(services: list[Service]) -> None:
    for svc in reversed(services):
        svc.stop()
