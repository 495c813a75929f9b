"""``python -m actions.server``: dvcbot's action server, bound to ``DVCBOT_HOST``, token-checked.

Replaces ``python -m rasa_sdk``, which listens on 0.0.0.0 with no authentication, forks a Sanic
worker process that survives a SIGKILL of its parent, and imports rasa-sdk's gRPC server (and
with it protobuf) although dvcbot speaks HTTP. Here rasa-sdk's own Sanic app is served in ONE
process on ``settings.host:settings.actions_port``, and ``POST /webhook`` needs the query parameter
``token`` Rasa sends (``action_endpoint.token`` in ``bot/endpoints.yml``) to equal
``DVCBOT_ACTIONS_TOKEN``. ``GET /health`` stays open: it tells nothing.
"""

from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request

from dvcbot.logs import setup_logging
from dvcbot.settings import Settings, get_settings

log = logging.getLogger("actions.server")

#: paths that run or list actions: closed without the token
PROTECTED = ("/webhook", "/actions")


def build_app(settings: Settings) -> Sanic:
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])
    token = settings.actions_token

    @app.on_request
    async def require_token(request: Request):
        if request.path not in PROTECTED:
            return None
        provided = request.args.get("token") or ""
        if not token or not hmac.compare_digest(provided.encode(), token.encode()):
            return response.json({"error": "unauthorized",
                                  "detail": "Thiếu hoặc sai mã xác thực của máy chủ hành động."}, status=401)
        return None

    return app


def main() -> None:
    settings = get_settings()
    setup_logging(settings.log_level)
    if not settings.actions_token:
        log.warning("DVCBOT_ACTIONS_TOKEN is not set: every POST /webhook will be refused")
    app = build_app(settings)
    log.info("action server on http://%s:%d", settings.host, settings.actions_port)
    app.prepare(host=settings.host, port=settings.actions_port, single_process=True,
                access_log=False, motd=False)
    Sanic.serve_single(primary=app)


if __name__ == "__main__":
    main()
