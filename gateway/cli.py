"""``dvcbot run`` (everything) and ``dvcbot serve`` (the gateway alone)."""

from __future__ import annotations

import argparse
import signal
import time


def _run(args: argparse.Namespace) -> int:
    from dvcbot.procs import wait_http
    from dvcbot.settings import get_settings
    from dvcbot.stack import build_services, migrate, rasa_model_path, start_all, stop_all

    settings = get_settings()
    if not rasa_model_path(settings).exists():
        print(f"error: no Rasa model at {rasa_model_path(settings)}; run `make run` (it trains it) first.")
        return 2
    migrate(settings)
    services = build_services(settings)
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
    if not wait_http(f"{settings.gateway_url}/readyz", 60):
        print("warning: /readyz does not report ready yet; see var/logs/")
    url = settings.gateway_url
    print(f"""
dvcbot is running. Logs: {settings.var_dir / 'logs'}
  chat API     POST {url}/api/v1/chat
  API docs     {url}/docs
  map          {url}/map
  readiness    {url}/readyz
Press Ctrl-C to stop.""", flush=True)
    try:
        while not stopping:
            dead = [s for s in services if not s.alive()]
            if dead:
                print(f"error: {dead[0].name} stopped unexpectedly; last lines:\n{dead[0].log_tail()}")
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...", flush=True)
        stop_all(services)
        print("stopped.")
    return 0


def _serve(_args: argparse.Namespace) -> int:
    import uvicorn

    from dvcbot.settings import get_settings

    s = get_settings()
    uvicorn.run("gateway.app:create_app", factory=True, host=s.host, port=s.gateway_port, access_log=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start NLU, actions, Rasa and the gateway; Ctrl-C stops them")
    p.set_defaults(func=_run)
    p = sub.add_parser("serve", help="serve the gateway alone")
    p.set_defaults(func=_serve)
