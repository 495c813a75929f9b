"""Where the channels find the gateway's shared objects on the running app."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def turn_service(app: FastAPI) -> Any:
    """The gateway's one :class:`gateway.turns.TurnService`."""
    for name in ("turn_service", "turns_service"):
        service = getattr(app.state, name, None)
        if service is not None and hasattr(service, "handle"):
            return service
    turns = getattr(app.state, "turns", None)
    if turns is not None and hasattr(turns, "handle"):
        return turns
    raise RuntimeError("the gateway app holds no turn service")


def turn_store(app: FastAPI) -> Any:
    """The gateway's :class:`gateway.store.TurnStore` (for the widget's history)."""
    turns = getattr(app.state, "turns", None)
    if turns is not None and hasattr(turns, "history"):
        return turns
    store = getattr(turn_service(app), "store", None)
    if store is None:
        raise RuntimeError("the gateway app holds no turn store")
    return store


def outbound(app: FastAPI) -> Any | None:
    return getattr(app.state, "outbound", None)
