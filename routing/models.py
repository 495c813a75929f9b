"""The agent registry's tables (ORM models on ``dvcbot.db.Base``; created by the Alembic migrations)."""

from __future__ import annotations

from sqlalchemy import Float, Row, String
from sqlalchemy.orm import Mapped, mapped_column

from dvcbot.db import Base
from routing.schema import SERVICE_SEPARATOR, Agent, split_services


class RoutingAgent(Base):
    """A public-service agent; ``services`` is the CSV's separator-joined list."""

    __tablename__ = "routing_agents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), index=True)
    address: Mapped[str] = mapped_column(String(500))
    ward_code: Mapped[str] = mapped_column(String(8), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    location_accuracy: Mapped[str] = mapped_column(String(8))
    phone: Mapped[str] = mapped_column(String(64), default="")
    opening_hours: Mapped[str] = mapped_column(String(300), default="")
    services: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(1000), default="")

    @staticmethod
    def values(agent: Agent) -> dict:
        """The column values of ``agent`` (for bulk inserts and updates)."""
        return {
            "id": agent.id, "name": agent.name, "type": agent.type, "address": agent.address,
            "ward_code": agent.ward_code, "lat": agent.lat, "lon": agent.lon,
            "location_accuracy": agent.location_accuracy, "phone": agent.phone,
            "opening_hours": agent.opening_hours, "services": SERVICE_SEPARATOR.join(agent.services),
            "source": agent.source,
        }

    @staticmethod
    def agent(r: RoutingAgent | Row) -> Agent:
        """The ``Agent`` of a model instance or of a row of its columns (reading rows is 5x faster)."""
        return Agent(
            id=r.id, name=r.name, type=r.type, address=r.address, ward_code=r.ward_code,
            lat=float(r.lat), lon=float(r.lon), location_accuracy=r.location_accuracy,
            phone=r.phone or "", opening_hours=r.opening_hours or "",
            services=split_services(r.services or ""), source=r.source or "",
        )

    @classmethod
    def columns(cls) -> list:
        """Every column, for ``select(*RoutingAgent.columns())``."""
        return [getattr(cls, name) for name in cls.__table__.columns.keys()]


class RoutingMeta(Base):
    """Registry facts: ``version`` (bumped on every change), ``seeded`` (the default was loaded)."""

    __tablename__ = "routing_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
