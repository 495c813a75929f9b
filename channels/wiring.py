"""Mounting the channels on the gateway app: routers, start-up and shut-down, outbound deliveries.

``gateway/app.py`` mounts ``channels.widget.router.router`` (and ``channels.zalo.router.router``
when Zalo is configured, see :func:`zalo_enabled`) and runs ``async with channels_lifespan(app):``
inside its lifespan, after the turn service and the outbound registry exist.
:func:`install_channels` does the same on any app (the channel tests' small apps).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from channels.runtime import outbound, turn_service
from channels.widget import staff_messages
from channels.widget.hub import WidgetHub
from channels.widget.origins import OriginPolicy
from channels.widget.router import router as widget_router
from channels.zalo.router import router as zalo_router
from channels.zalo.service import ZaloChannel, settings_missing
from dvcbot.db import get_engine

log = logging.getLogger("channels")


def channels_status(app: FastAPI) -> dict[str, Any]:
    """For ``/readyz`` details: the Zalo channel's send status and the widget's open sockets."""
    zalo = getattr(app.state, "zalo", None)
    hub = getattr(app.state, "widget_hub", None)
    return {"zalo": zalo.status() if zalo else {"enabled": False, "ok": True},
            "widget": {"open_sockets": hub.open_sockets if hub else 0}}


@asynccontextmanager
async def channels_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the widget hub and (when configured) the Zalo channel; register their deliveries."""
    settings = app.state.settings
    app.state.widget_hub = WidgetHub(functools.partial(staff_messages.ids_for, settings.db_url))
    app.state.widget_origins = OriginPolicy(settings)
    registry = outbound(app)
    registry.register("web", app.state.widget_hub)
    app.state.zalo = zalo = None
    missing = settings_missing(settings)
    if missing:
        log.warning("zalo channel disabled: %s not set", ", ".join(missing))
    else:
        zalo = ZaloChannel(settings, get_engine(settings.db_url), turn_service(app))
        await zalo.start()
        app.state.zalo = zalo
        readiness = getattr(app.state, "readiness", None)  # the channel tests' small apps have none
        if readiness is not None:
            readiness.details["zalo"] = zalo.status
        registry.register("zalo", zalo)
    try:
        yield
    finally:  # this lifespan's own channel (a test may run the lifespan more than once)
        if zalo is not None:
            await zalo.stop()


def zalo_enabled(settings: Any) -> bool:
    """A disabled Zalo channel has no webhook at all (404)."""
    return not settings_missing(settings)


def install_channels(app: FastAPI) -> None:
    """Mount both channels on ``app`` and run :func:`channels_lifespan` inside its lifespan (once).

    ``app.state.settings`` must be set: the Zalo webhook is mounted only when Zalo is configured."""
    if getattr(app.state, "channels_installed", False):
        return
    app.state.channels_installed = True
    if zalo_enabled(app.state.settings):
        app.include_router(zalo_router)
    app.include_router(widget_router)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
        async with inner(a) as state, channels_lifespan(a):
            yield state

    app.router.lifespan_context = lifespan
