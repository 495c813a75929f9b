"""The gateway's FastAPI application (``create_app`` is the factory uvicorn runs).

Where things go: a channel or a page is a router, mounted below with one ``include_router`` line;
what a route needs comes from :mod:`gateway.deps`; every citizen message goes through the one
:class:`gateway.turns.TurnService`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from care import api as care_api
from care import console as care_console
from care.hooks import handoff_hook, rating_comment_hook
from channels.widget.router import router as widget_router
from channels.wiring import channels_lifespan, zalo_enabled
from channels.zalo.router import router as zalo_router
from dvcbot.db import get_engine, prepare
from dvcbot.errors import install_error_handlers
from dvcbot.logs import setup_logging
from dvcbot.settings import Settings, get_settings
from dvcbot.stack import read_supervisor_status
from gateway.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware, origin_of
from gateway.outbound import Outbound
from gateway.rasa_client import RasaClient
from gateway.ratelimit import RateLimiter
from gateway.readiness import WARM_MESSAGE, WARM_SENDER, ReadinessMonitor
from gateway.routes import chat, health
from gateway.store import TurnStore
from gateway.turns import TurnService
from routing import api as routing_api
from routing import map_page
from voice.router import router as voice_router
from voice.router import start_voice

log = logging.getLogger("gateway")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    setup_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        prepare(settings.db_url, settings.db_auto_upgrade)  # the tables exist before the first request
        released = app.state.turns.release_abandoned(started)
        if released:
            log.warning("%d turn(s) left pending by a previous gateway process released for retry", released)
        rasa = RasaClient(settings.rasa_url, settings.request_timeout, settings.turn_timeout,
                          token=settings.rasa_token, max_connections=settings.turn_concurrency + 4)

        async def warm_rasa() -> None:
            reply = await rasa.send(WARM_SENDER, WARM_MESSAGE, {"channel": "warmup"})
            if not reply.messages:
                raise RuntimeError("no reply")

        app.state.readiness = ReadinessMonitor(settings, warm_rasa=warm_rasa)
        app.state.turn_service = TurnService(settings, app.state.turns, rasa, app.state.readiness,
                                             hooks=[handoff_hook(settings), rating_comment_hook(settings)])
        app.state.readiness.details["turn_queue"] = app.state.turn_service.load
        # what `dvcbot run` restarted and when (nothing when the parts run under another manager)
        app.state.readiness.details["supervisor"] = lambda: read_supervisor_status(settings) or {"running": False}
        voice = start_voice(app.state, settings)
        voice_warm = asyncio.create_task(asyncio.to_thread(voice.warm_up))  # models loaded before the first call
        try:
            async with channels_lifespan(app):
                yield
        finally:
            voice_warm.cancel()
            await rasa.close()

    started = dt.datetime.now(dt.UTC)
    app = FastAPI(title="dvcbot gateway", version="0.2.0", lifespan=lifespan,
                  description="Public API of the Hanoi public-service assistant: chat, agents, wards, map.")
    app.state.settings = settings
    app.state.turns = TurnStore(get_engine(settings.db_url))
    app.state.outbound = Outbound()
    app.state.rate_limiter = RateLimiter(settings)
    install_error_handlers(app)
    tiles = origin_of(settings.map_tile_url)
    app.add_middleware(SecurityHeadersMiddleware, img_hosts=(tiles,) if tiles else ())
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(routing_api.router)
    app.include_router(map_page.router)
    app.include_router(care_api.router)
    app.include_router(care_console.router)
    app.include_router(voice_router)
    app.include_router(widget_router)
    if zalo_enabled(settings):
        app.include_router(zalo_router)
    return app
