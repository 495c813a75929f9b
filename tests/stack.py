"""Start the real dialogue stack for tests: NLU service, action server and Rasa.

Reused by ``tests/bot`` and by the end-to-end gateway tests::

    stack = start_stack(tmp_path)          # {"nlu_url", "actions_url", "rasa_url", ...}
    try:
        httpx.post(stack["rasa_url"] + "/webhooks/rest/webhook", json={...})
    finally:
        stop_stack(stack)

Every service gets a free port, its log file under ``tmp_path`` and the environment variables
``bot/endpoints.yml`` needs, so a running ``make run`` is never disturbed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from dvcbot.procs import Service, free_port
from dvcbot.settings import get_settings

#: seconds each service may take to become ready (Rasa imports TensorFlow; the NLU and action
#: server load the encoder): generous, because 8 engineers share 2 cores
START_TIMEOUT = 300.0


def rasa_bin() -> Path:
    return get_settings().rasa_venv / "bin" / "rasa"


def rasa_env(nlu_url: str, actions_url: str, tracker_url: str) -> dict[str, str]:
    """The variables ``bot/endpoints.yml`` reads (Rasa refuses to start when one is missing)."""
    return {
        "DVCBOT_NLU_URL": nlu_url,
        "DVCBOT_ACTIONS_URL": actions_url,
        "DVCBOT_RASA_TRACKER_URL": tracker_url,
        "RASA_TELEMETRY_ENABLED": "false",
    }


def train_core(out_dir: Path, log_path: Path) -> Path:
    """Train the dialogue model of ``bot/`` into ``out_dir``; the path of the model archive."""
    bot = get_settings().rasa_project_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        subprocess.run(
            [str(rasa_bin()), "train", "core", "--fixed-model-name", "dvcbot", "--out", str(out_dir)],
            cwd=bot,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )
    return out_dir / "dvcbot.tar.gz"


def default_model() -> Path:
    return get_settings().rasa_project_dir / "models" / "dvcbot.tar.gz"


def start_stack(
    tmp_path: Path, model: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Start NLU, actions and Rasa on free ports; ``stop_stack`` the result when done.

    ``model``: the Rasa model archive; default ``bot/models/dvcbot.tar.gz`` (``make setup`` trains
    it), trained into ``tmp_path`` when it does not exist. ``env``: extra variables for all three
    services (e.g. ``DVCBOT_TODAY``). Raises RuntimeError with the log tail when one fails.
    """
    settings = get_settings()
    logs = tmp_path / "logs"
    if model is None:
        model = default_model()
        if not model.exists():
            model = train_core(tmp_path / "models", logs / "rasa_train.log")
    extra = dict(env or {})
    nlu_port, actions_port, rasa_port = free_port(), free_port(), free_port()
    host = "127.0.0.1"
    nlu_url, actions_url, rasa_url = (f"http://{host}:{p}" for p in (nlu_port, actions_port, rasa_port))
    python = sys.executable
    services = [
        Service(
            "nlu",
            [python, "-m", "nlu"],
            f"{nlu_url}/health",
            logs / "nlu.log",
            env={**extra, "DVCBOT_HOST": host, "DVCBOT_NLU_PORT": str(nlu_port)},
            cwd=settings.root,
        ),
        Service(
            "actions",
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
            f"{actions_url}/health",
            logs / "actions.log",
            env=extra,
            cwd=settings.root,
        ),
        Service(
            "rasa",
            [
                str(rasa_bin()),
                "run",
                "--enable-api",
                "-i",
                host,
                "--port",
                str(rasa_port),
                "-m",
                str(model),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            f"{rasa_url}/status",
            logs / "rasa.log",
            env={**extra, **rasa_env(nlu_url, actions_url, f"sqlite:///{tmp_path / 'rasa_tracker.db'}")},
            cwd=settings.rasa_project_dir,
        ),
    ]
    stack: dict[str, Any] = {
        "nlu_url": nlu_url,
        "actions_url": actions_url,
        "rasa_url": rasa_url,
        "model": model,
        "logs": logs,
        "services": services,
    }
    try:
        for service in services:
            service.start()
        for service in services:
            if not service.wait_ready(START_TIMEOUT):
                raise RuntimeError(f"{service.name} did not start; last log lines:\n{service.log_tail()}")
    except BaseException:
        stop_stack(stack)
        raise
    return stack


def stop_stack(stack: dict[str, Any]) -> None:
    for service in reversed(stack.get("services", [])):
        service.stop()
