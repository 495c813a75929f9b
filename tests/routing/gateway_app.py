"""The real gateway app for the routing tests that run it under uvicorn, with the one error shape.

``gateway.app.create_app`` installs :func:`dvcbot.errors.install_error_handlers` itself once the
gateway's rewrite lands; calling it again here is harmless (it only sets the same handlers), and
keeps the routing API's 4xx answers in the one shape whatever the state of that work.
"""

from __future__ import annotations

from fastapi import FastAPI

from dvcbot.errors import install_error_handlers
from gateway.app import create_app as create_gateway_app


def create_app() -> FastAPI:
    app = create_gateway_app()
    install_error_handlers(app)
    return app
