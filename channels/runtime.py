"""Where the channels find the gateway's shared objects on the running app (HTTP or WebSocket)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def turn_service(app: FastAPI) -> Any:
    """The gateway's one :class:`gateway.turns.TurnService`."""
    return app.state.turn_service


def turn_store(app: FastAPI) -> Any:
    """The gateway's :class:`gateway.store.TurnStore` (for the widget's history)."""
    return getattr(app.state, "turns", None) or app.state.turn_service.store


def outbound(app: FastAPI) -> Any:
    return app.state.outbound
