"""The agent registry's tables (ORM models on ``dvcbot.db.Base``; created by the Alembic migrations)."""

from __future__ import annotations

from sqlalchemy import Float, String
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

    def to_agent(self) -> Agent:
        return Agent(
            id=self.id, name=self.name, type=self.type, address=self.address, ward_code=self.ward_code,
            lat=float(self.lat), lon=float(self.lon), location_accuracy=self.location_accuracy,
            phone=self.phone or "", opening_hours=self.opening_hours or "",
            services=split_services(self.services or ""), source=self.source or "",
        )


class RoutingMeta(Base):
    """Registry facts: ``version`` (bumped on every change), ``seeded`` (the default was loaded)."""

    __tablename__ = "routing_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
