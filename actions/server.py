"""``python -m actions.server``: the action server, one process, bound to the configured interface.

rasa-sdk's own launcher listens on ``0.0.0.0`` (``SANIC_HOST``) and runs Sanic's worker manager
(a main process and a worker process that loads everything again; a ``kill -9`` of the main process
leaves the worker holding the port). This launcher builds the same rasa-sdk application, serves it
in a single process on ``settings.host``, and adds:

- ``GET /ready``: 200 once :mod:`actions.warmup` has answered one real request of each kind,
  503 ``{"status": "warming", "since": ...}`` before (``/health`` stays rasa-sdk's liveness);
- a token check on ``POST /webhook`` and ``GET /actions`` when ``DVCBOT_ACTIONS_TOKEN`` is set (Rasa sends it as the
  ``token`` query parameter of ``action_endpoint``).
"""

from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response

from actions import warmup
from dvcbot.logs import setup_logging
from dvcbot.settings import Settings, get_settings

log = logging.getLogger("actions.server")


def build_app(settings: Settings) -> Sanic:
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=None)
    token = settings.actions_token

    @app.get("/ready")
    async def ready(_request):
        body = warmup.state.as_dict()
        return response.json(body, status=200 if body["status"] == "ready" else 503)

    @app.on_request
    async def check_token(request):
        if token and request.path in ("/webhook", "/actions"):
            given = request.args.get("token", "") or request.headers.get("authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return response.json({"error": "unauthorized", "detail": "missing or wrong token"}, status=401)
        return None

    @app.after_server_start
    async def _warm(_app, _loop):
        warmup.start_background()

    return app


def main() -> None:
    settings = get_settings()
    setup_logging(settings.log_level)
    app = build_app(settings)
    log.info("action server on %s:%s", settings.host, settings.actions_port)
    app.run(host=settings.host, port=settings.actions_port, single_process=True, access_log=False,
            motd=False)


if __name__ == "__main__":
    main()
