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
from pathlib import Path
from typing import Any

from dvcbot.procs import free_port
from dvcbot.settings import Settings, get_settings
from dvcbot.stack import START_TIMEOUTS, build_services, migrate, start_all, with_tokens

#: seconds each service may take to become ready (Rasa imports TensorFlow; the NLU and action
#: server load the encoder): generous, because 8 engineers share 2 cores
START_TIMEOUT = 300.0


def rasa_bin() -> Path:
    return get_settings().rasa_venv / "bin" / "rasa"


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
    tmp_path: Path, model: Path | None = None, env: dict[str, str] | None = None, gateway: bool = False
) -> dict[str, Any]:
    """Start NLU, actions and Rasa (and the gateway if asked) on free ports; ``stop_stack`` it after.

    ``model``: the Rasa model archive; default ``bot/models/dvcbot.tar.gz`` (``make setup`` trains
    it), trained into ``tmp_path`` when it does not exist. ``env``: extra variables for all the
    services (e.g. ``DVCBOT_TODAY``). Raises RuntimeError with the log tail when one fails.
    """
    logs = tmp_path / "logs"
    if model is None:
        model = default_model()
        if not model.exists():
            model = train_core(tmp_path / "models", logs / "rasa_train.log")
    settings = with_tokens(Settings(
        var_dir=tmp_path, host="127.0.0.1", nlu_port=free_port(), actions_port=free_port(),
        rasa_port=free_port(), gateway_port=free_port(), database_url=f"sqlite:///{tmp_path / 'dvcbot.db'}",
    ))
    migrate(settings, progress=lambda _msg: None)
    services = build_services(settings, logs, model=model, extra_env=env, gateway=gateway)
    for name, timeout in list(START_TIMEOUTS.items()):
        START_TIMEOUTS[name] = max(timeout, START_TIMEOUT)
    start_all(services, progress=lambda _msg: None)
    return {
        "nlu_url": settings.nlu_url,
        "actions_url": settings.actions_url,
        "rasa_url": settings.rasa_url,
        # Rasa's HTTP API (tracker, status) needs ?token=<rasa_token>; the REST channel does not
        "rasa_token": settings.rasa_token,
        "actions_token": settings.actions_token,
        "gateway_url": settings.gateway_url if gateway else None,
        "model": model,
        "logs": logs,
        "services": services,
        "settings": settings,
    }


def stop_stack(stack: dict[str, Any]) -> None:
    for service in reversed(stack.get("services", [])):
        service.stop()
