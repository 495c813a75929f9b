"""Typed FastAPI dependencies of the gateway: routes declare what they need, never read ``app.state``.

The application object owns one of each (created in :func:`gateway.app.create_app`'s lifespan);
these functions hand them to routes, so tests can override any of them with
``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from dvcbot.db import session_scope
from dvcbot.settings import Settings
from gateway.outbound import Outbound
from gateway.ratelimit import RateLimiter
from gateway.readiness import ReadinessMonitor
from gateway.store import TurnStore
from gateway.turns import TurnService


def _from_app(name: str) -> Callable[[HTTPConnection], Any]:
    """A dependency that hands the application's one ``name`` object to a route (HTTP or WebSocket)."""

    def dependency(connection: HTTPConnection) -> Any:
        return getattr(connection.app.state, name)

    dependency.__name__ = f"get_{name}"
    return dependency


get_settings = _from_app("settings")
get_turn_service = _from_app("turn_service")
get_turn_store = _from_app("turns")
get_readiness = _from_app("readiness")
get_outbound = _from_app("outbound")
get_rate_limiter = _from_app("rate_limiter")


def get_db(settings: Annotated[Settings, Depends(get_settings)]) -> Iterator[Session]:
    """A database session for one request, committed when the route returns without error."""
    with session_scope(settings.db_url) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
TurnServiceDep = Annotated[TurnService, Depends(get_turn_service)]
TurnStoreDep = Annotated[TurnStore, Depends(get_turn_store)]
ReadinessDep = Annotated[ReadinessMonitor, Depends(get_readiness)]
OutboundDep = Annotated[Outbound, Depends(get_outbound)]
DbDep = Annotated[Session, Depends(get_db)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
