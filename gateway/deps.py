"""Typed FastAPI dependencies of the gateway: routes declare what they need, never read ``app.state``.

The application object owns one of each (created in :func:`gateway.app.create_app`'s lifespan);
these functions hand them to routes, so tests can override any of them with
``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dvcbot.db import session_factory
from dvcbot.settings import Settings
from gateway.outbound import Outbound
from gateway.ratelimit import RateLimiter
from gateway.readiness import ReadinessMonitor
from gateway.store import TurnStore
from gateway.turns import TurnService


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_turn_service(request: Request) -> TurnService:
    return request.app.state.turn_service


def get_turn_store(request: Request) -> TurnStore:
    return request.app.state.turns


def get_readiness(request: Request) -> ReadinessMonitor:
    return request.app.state.readiness


def get_outbound(request: Request) -> Outbound:
    return request.app.state.outbound


def get_rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.rate_limiter


def get_db(settings: Annotated[Settings, Depends(get_settings)]) -> Iterator[Session]:
    """A database session for one request, committed when the route returns without error."""
    session = session_factory(settings.db_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
TurnServiceDep = Annotated[TurnService, Depends(get_turn_service)]
TurnStoreDep = Annotated[TurnStore, Depends(get_turn_store)]
ReadinessDep = Annotated[ReadinessMonitor, Depends(get_readiness)]
OutboundDep = Annotated[Outbound, Depends(get_outbound)]
DbDep = Annotated[Session, Depends(get_db)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
