"""The four processes of a running dvcbot, how to start them, and the supervisor of ``dvcbot run``.

``dvcbot run`` starts NLU, the action server, Rasa and the gateway, then keeps them up: a service
that dies is restarted with exponential backoff while the others keep serving (the gateway answers
the apology with the hotline numbers meanwhile). Before a restart the whole process group of the
dead service is killed (no orphaned workers) and its port must be free. What was restarted, when
and why is logged and written to ``var/run/supervisor.json``, which the gateway's ``/readyz``
reads through :func:`read_supervisor_status`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dvcbot.procs import Service, http_ok, pid_alive, wait_http
from dvcbot.settings import Settings

log = logging.getLogger("dvcbot.supervisor")

#: how long each part may take to answer its health URL after start (ready = warm: models loaded and
#: one real request of each kind answered; generous, the machine may be shared)
START_TIMEOUTS = {"nlu": 300.0, "actions": 300.0, "rasa": 400.0, "gateway": 120.0}

#: seconds to wait before the n-th consecutive restart of one service (the last value repeats)
BACKOFF = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0)
#: a service that has run this long is considered healthy again: its backoff starts over
STABLE_AFTER = 60.0


def with_tokens(settings: Settings) -> Settings:
    """``settings`` with the Rasa API and action server tokens filled in.

    Operators set ``DVCBOT_RASA_TOKEN`` and ``DVCBOT_ACTIONS_TOKEN`` in production; when they are
    empty (``make run``, the tests) a random token per start is made, so the APIs are never open.
    """
    update = {}
    if not settings.rasa_token:
        update["rasa_token"] = secrets.token_hex(24)
    if not settings.actions_token:
        update["actions_token"] = secrets.token_hex(24)
    return settings.model_copy(update=update) if update else settings


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
        # the gateway sends DVCBOT_RASA_TOKEN to Rasa; Rasa sends DVCBOT_ACTIONS_TOKEN to the actions
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


def rasa_command(settings: Settings, model: Path, endpoints: str = "endpoints.yml") -> list[str]:
    """``rasa run`` bound to ``settings.host``, API token-protected, logging through our masking."""
    return [str(settings.rasa_venv / "bin" / "rasa"), "run", "--enable-api", "--model", str(model),
            "--endpoints", endpoints, "--credentials", "credentials.yml",
            "--logging-config-file", "logging.yml",
            f"--auth-token={settings.rasa_token}",  # "=": a token may start with "-"
            "--interface", settings.host, "--port", str(settings.rasa_port)]


def rasa_env(settings: Settings) -> dict[str, str]:
    """Rasa imports the masking filter ``dvcbot.logs`` (dependency-free) from the project root."""
    return {"PYTHONPATH": str(settings.root)}


def build_services(settings: Settings, log_dir: Path | None = None, model: Path | None = None,
                   extra_env: dict[str, str] | None = None, gateway: bool = True) -> list[Service]:
    """The services in start order: NLU and actions first, then Rasa, then the gateway.

    ``settings`` must carry the tokens (see :func:`with_tokens`).
    """
    if not (settings.rasa_token and settings.actions_token):
        raise ValueError("build_services needs settings with the API tokens: pass with_tokens(settings)")
    log_dir = log_dir or settings.var_dir / "logs"
    env = {**service_env(settings), **(extra_env or {})}
    model = model or rasa_model_path(settings)
    py = sys.executable
    bot = settings.rasa_project_dir
    host = settings.host
    services = [
        Service("nlu", [py, "-m", "nlu"], f"{settings.nlu_url}/health", log_dir / "nlu.log", env,
                port=settings.nlu_port, host=host),
        Service("actions", [py, "-m", "actions.server"], f"{settings.actions_url}/ready",
                log_dir / "actions.log", env, cwd=settings.root, port=settings.actions_port, host=host),
        Service("rasa", rasa_command(settings, model),
                f"{settings.rasa_url}/status?token={settings.rasa_token}", log_dir / "rasa.log",
                {**env, **rasa_env(settings)}, cwd=bot, port=settings.rasa_port, host=host),
        Service("gateway", [py, "-m", "gateway"], f"{settings.gateway_url}/healthz", log_dir / "gateway.log",
                env, port=settings.gateway_port, host=host),
    ]
    return services if gateway else services[:-1]


def nlu_service(settings: Settings, port: int, log_path: Path, name: str = "nlu") -> Service:
    """The NLU service alone on ``port`` (benchmarks and the NLU tests start just this one)."""
    return Service(name, [sys.executable, "-m", "nlu"], f"http://127.0.0.1:{port}/health", log_path,
                   env={"DVCBOT_NLU_PORT": str(port), "DVCBOT_HOST": "127.0.0.1"}, cwd=settings.root,
                   port=port)


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
        if not svc.wait_port_free(10.0):
            stop_all(services)
            raise RuntimeError(f"port {svc.port} of {svc.name} is in use by another program")
        progress(f">> starting {svc.name} ({svc.health_url.split('?')[0]})")
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


# --- supervision --------------------------------------------------------------------------------

def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def supervisor_status_path(settings: Settings) -> Path:
    return settings.var_dir / "run" / "supervisor.json"





def read_supervisor_status(settings: Settings) -> dict[str, Any] | None:
    """What ``dvcbot run`` last wrote about its services, or None when no supervisor runs.

    Shape::

        {"supervisor_pid": 123, "updated": "2026-11-30T15:40:00+00:00",
         "services": {"nlu": {"state": "running", "pid": 456, "restarts": 1,
                              "last_restart": "2026-11-30T15:39:41+00:00",
                              "last_reason": "exited with signal SIGKILL", "since": "..."}, ...}}

    ``state`` is ``starting`` (not answering its health URL yet), ``running``, ``backoff``
    (dead, waiting to be restarted) or ``stopped``.
    """
    path = supervisor_status_path(settings)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not pid_alive(int(data.get("supervisor_pid", 0) or 0)):
        return None
    return data


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "did not become ready in time"
    if code < 0:
        try:
            return f"exited with signal {signal.Signals(-code).name}"
        except ValueError:
            return f"exited with signal {-code}"
    return f"exited with code {code}"


@dataclass
class _Watch:
    svc: Service
    state: str = "starting"  # starting | running | backoff | stopped
    restarts: int = 0
    failures: int = 0  # consecutive, for the backoff
    since: float = field(default_factory=time.monotonic)
    since_wall: str = field(default_factory=_now)
    next_start: float = 0.0
    last_restart: str | None = None
    last_reason: str | None = None


class Supervisor:
    """Keeps every service up: restart with backoff, whole-group kills, a status file.

    ``step()`` does one round of checks and never blocks for long, so one service waiting for its
    backoff or warming up never delays noticing that another one died.
    """

    def __init__(self, services: list[Service], status_path: Path, start_timeouts: dict[str, float] | None = None,
                 backoff: tuple[float, ...] = BACKOFF, stable_after: float = STABLE_AFTER) -> None:
        self.watches = [_Watch(s) for s in services]
        self.status_path = status_path
        self.start_timeouts = {**START_TIMEOUTS, **(start_timeouts or {})}
        self.backoff = backoff
        self.stable_after = stable_after

    # -- status file --
    def status(self) -> dict[str, Any]:
        return {
            "supervisor_pid": os.getpid(),
            "updated": _now(),
            "services": {
                w.svc.name: {
                    "state": w.state,
                    "pid": w.svc.proc.pid if w.svc.proc is not None and w.state != "stopped" else None,
                    "restarts": w.restarts,
                    "last_restart": w.last_restart,
                    "last_reason": w.last_reason,
                    "since": w.since_wall,
                }
                for w in self.watches
            },
        }

    def write_status(self) -> None:
        self.status_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.status_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.status(), ensure_ascii=False, indent=1))
        os.replace(tmp, self.status_path)

    def _set(self, w: _Watch, state: str) -> None:
        w.state, w.since, w.since_wall = state, time.monotonic(), _now()

    # -- life cycle --
    def adopt_started(self) -> None:
        """The services were started and are ready (``start_all``): watch them from now on."""
        for w in self.watches:
            self._set(w, "running")
        self.write_status()

    def _failed(self, w: _Watch, reason: str) -> None:
        w.svc.stop(grace=5.0)  # kills the whole group: workers of a killed main process too
        w.failures += 1
        delay = self.backoff[min(w.failures - 1, len(self.backoff) - 1)]
        w.next_start = time.monotonic() + delay
        w.last_reason = reason
        self._set(w, "backoff")
        log.warning("%s %s; its process group is stopped; restart in %.0f s (restart #%d)",
                    w.svc.name, reason, delay, w.restarts + 1)
        self.write_status()

    def _restart(self, w: _Watch) -> None:
        if not w.svc.wait_port_free(0.5):
            log.warning("%s: port %s still in use; waiting before restart", w.svc.name, w.svc.port)
            w.next_start = time.monotonic() + 1.0
            return
        w.restarts += 1
        w.last_restart = _now()
        w.svc.start()
        self._set(w, "starting")
        log.warning("%s restarted (pid %d, restart #%d; reason: %s)", w.svc.name, w.svc.proc.pid,
                    w.restarts, w.last_reason)
        self.write_status()

    def step(self) -> None:
        now = time.monotonic()
        for w in self.watches:
            if w.state == "running":
                if not w.svc.alive():
                    self._failed(w, _exit_reason(w.svc.proc.returncode if w.svc.proc else None))
                elif w.failures and now - w.since > self.stable_after:
                    w.failures = 0
            elif w.state == "backoff":
                if now >= w.next_start:
                    self._restart(w)
            elif w.state == "starting":
                if not w.svc.alive():
                    self._failed(w, _exit_reason(w.svc.proc.returncode if w.svc.proc else None))
                elif http_ok(w.svc.health_url):
                    self._set(w, "running")
                    log.info("%s is back (pid %d)", w.svc.name, w.svc.proc.pid)
                    self.write_status()
                elif now - w.since > self.start_timeouts.get(w.svc.name, 120.0):
                    self._failed(w, _exit_reason(None))

    def run(self, stop_requested, interval: float = 0.5) -> None:
        while not stop_requested():
            self.step()
            time.sleep(interval)

    def stop(self) -> None:
        for w in reversed(self.watches):
            w.svc.stop()
            self._set(w, "stopped")
        self.write_status()


# --- the ``dvcbot run`` command -------------------------------------------------------------------

def run_command(_args: argparse.Namespace) -> int:
    from dvcbot.settings import get_settings

    settings = with_tokens(get_settings())
    if not rasa_model_path(settings).exists():
        print(f"error: no Rasa model at {rasa_model_path(settings)}; run `make run` (it trains it) first.")
        return 2
    migrate(settings)
    services = build_services(settings)
    supervisor = Supervisor(services, supervisor_status_path(settings))
    stopping = False

    def _stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    # explicit handlers: Ctrl-C must stop everything even where SIGINT was inherited as ignored
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    try:
        start_all(services, stop_requested=lambda: stopping)
    except RuntimeError as exc:
        print(f"error: {exc}")
        return 1
    supervisor.adopt_started()
    url = settings.gateway_url
    print(">> waiting until the gateway's /readyz says every part is warm ...", flush=True)
    ready = False
    while not stopping and not ready:
        supervisor.step()
        ready = wait_http(f"{url}/readyz", 2.0)
    try:
        if ready:
            print(f"""
dvcbot is running. Logs: {settings.var_dir / 'logs'}
  web widget   {url}/  (demo portal page; embed {url}/widget.js)
  chat API     POST {url}/api/v1/chat
  API docs     {url}/docs
  map          {url}/map
  care console {url}/console  (first account: dvcbot staff create NAME --role admin)
  Zalo webhook POST {url}/webhooks/zalo  (when the DVCBOT_ZALO_* settings are set)
  Twilio       POST {url}/voice/twilio/incoming  (when DVCBOT_TWILIO_AUTH_TOKEN is set)
  readiness    {url}/readyz
A service that stops is restarted (see {supervisor.status_path}). Press Ctrl-C to stop.""", flush=True)
        supervisor.run(lambda: stopping)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...", flush=True)
        supervisor.stop()
        print("stopped.")
    return 0


def serve_command(_args: argparse.Namespace) -> int:
    import uvicorn

    from dvcbot.settings import get_settings

    s = get_settings()
    uvicorn.run("gateway.app:create_app", factory=True, host=s.host, port=s.gateway_port, access_log=False)
    return 0
