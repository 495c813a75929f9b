"""The gateway app with both channels mounted (``uvicorn --factory channels.app:create_app``).

Equivalent to the gateway's own app once ``gateway/app.py`` calls
:func:`channels.wiring.install_channels` (calling it twice is harmless).
"""

from __future__ import annotations

from fastapi import FastAPI

from channels.wiring import install_channels
from dvcbot.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    from gateway.app import create_app as gateway_app

    app = gateway_app(settings)
    install_channels(app)
    return app
