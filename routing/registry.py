"""The agent registry, stored with SQLAlchemy 2 (SQLite embedded by default, PostgreSQL in production).

On first use an empty database seeds itself from ``data/agents/default_agents.csv``. An import
replaces the registry (or, with ``replace=False``, adds and updates) in one transaction: all or
nothing. Every change bumps a version number in ``routing_meta`` so that other processes holding
a spatial index know to rebuild it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from dvcbot.db import get_engine
from dvcbot.settings import get_settings
from routing.schema import SERVICE_SEPARATOR, Agent, parse_csv, split_services

log = logging.getLogger(__name__)

metadata = MetaData()
agents_table = Table(
    "routing_agents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("type", String(32), nullable=False, index=True),
    Column("address", String(500), nullable=False),
    Column("ward_code", String(8), nullable=False, index=True),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("location_accuracy", String(8), nullable=False),
    Column("phone", String(64), nullable=False, default=""),
    Column("opening_hours", String(300), nullable=False, default=""),
    Column("services", String(500), nullable=False, default=""),
    Column("source", String(1000), nullable=False, default=""),
)
meta_table = Table(
    "routing_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

_FIELDS = [c.name for c in agents_table.columns]


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def __str__(self) -> str:
        return (f"thêm {self.added}, cập nhật {self.updated}, xóa {self.removed}, giữ nguyên {self.unchanged} "
                f"(added, updated, removed, unchanged)")


def _to_db(a: Agent) -> dict:
    return {
        "id": a.id, "name": a.name, "type": a.type, "address": a.address, "ward_code": a.ward_code,
        "lat": a.lat, "lon": a.lon, "location_accuracy": a.location_accuracy, "phone": a.phone,
        "opening_hours": a.opening_hours, "services": SERVICE_SEPARATOR.join(a.services), "source": a.source,
    }


def _from_db(row) -> Agent:
    m = row._mapping
    return Agent(
        id=m["id"], name=m["name"], type=m["type"], address=m["address"], ward_code=m["ward_code"],
        lat=float(m["lat"]), lon=float(m["lon"]), location_accuracy=m["location_accuracy"],
        phone=m["phone"] or "", opening_hours=m["opening_hours"] or "",
        services=split_services(m["services"] or ""), source=m["source"] or "",
    )


class AgentRegistry:
    def __init__(self, url: str | None = None, default_csv: Path | None = None, seed: bool = True):
        self.url = url or get_settings().db_url
        self.engine: Engine = get_engine(self.url)
        self.default_csv = default_csv or get_settings().data_dir / "agents" / "default_agents.csv"
        metadata.create_all(self.engine)
        if seed:
            self.ensure_seeded()

    # ------------------------------------------------------------------ meta
    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        if self._meta(conn, key) is None:
            conn.execute(insert(meta_table).values(key=key, value=value))
        else:
            conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value))

    def version(self) -> int:
        with self.engine.connect() as conn:
            return int(self._meta(conn, "version") or 0)

    def ensure_seeded(self) -> bool:
        """Seed an empty registry from the bundled default CSV once; True if it seeded now."""
        with self.engine.connect() as conn:
            if self._meta(conn, "seeded") is not None:
                return False
        from routing.gazetteer import get_gazetteer

        agents = parse_csv(self.default_csv.read_bytes(), get_gazetteer())
        try:
            with self.engine.begin() as conn:
                # claimed first: a second process seeding at the same time fails on this key and stops
                conn.execute(insert(meta_table).values(key="seeded", value=str(self.default_csv.name)))
                if conn.execute(select(func.count()).select_from(agents_table)).scalar():
                    return False
                self._write(conn, agents, replace=True)
        except IntegrityError:
            return False
        log.info("agent registry seeded with %d agents from %s", len(agents), self.default_csv.name)
        return True

    # ------------------------------------------------------------------ reads
    def all(self) -> list[Agent]:
        with self.engine.connect() as conn:
            return [_from_db(r) for r in conn.execute(select(agents_table).order_by(agents_table.c.id))]

    def get(self, agent_id: str) -> Agent | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(agents_table).where(agents_table.c.id == agent_id)).first()
        return _from_db(row) if row else None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(agents_table)).scalar() or 0)

    def page(
        self,
        page: int = 1,
        size: int = 20,
        types: list[str] | None = None,
        ward_codes: list[str] | None = None,
        service: str | None = None,
    ) -> tuple[list[Agent], int]:
        """One page of agents (ordered by id) and the total number matching the filters."""
        conds = []
        if types:
            conds.append(agents_table.c.type.in_(types))
        if ward_codes:
            conds.append(agents_table.c.ward_code.in_(ward_codes))
        if service:
            padded = literal(SERVICE_SEPARATOR) + agents_table.c.services + literal(SERVICE_SEPARATOR)
            conds.append(padded.like(f"%{SERVICE_SEPARATOR}{service}{SERVICE_SEPARATOR}%"))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(agents_table).where(*conds)).scalar() or 0
            rows = conn.execute(
                select(agents_table).where(*conds).order_by(agents_table.c.id)
                .limit(size).offset((page - 1) * size)
            )
            return [_from_db(r) for r in rows], int(total)

    # ------------------------------------------------------------------ writes
    def _write(self, conn: Connection, agents: list[Agent], replace: bool) -> ImportReport:
        report = ImportReport()
        current = {r._mapping["id"]: dict(r._mapping) for r in conn.execute(select(agents_table))}
        new = {a.id: _to_db(a) for a in agents}
        to_insert = []
        for agent_id, values in new.items():
            old = current.get(agent_id)
            if old is None:
                to_insert.append(values)
                report.added += 1
            elif any(old[f] != values[f] for f in _FIELDS):
                conn.execute(update(agents_table).where(agents_table.c.id == agent_id).values(**values))
                report.updated += 1
            else:
                report.unchanged += 1
        for start in range(0, len(to_insert), 1000):  # executemany: one round trip per batch
            conn.execute(insert(agents_table), to_insert[start:start + 1000])
        if replace:
            gone = [i for i in current if i not in new]
            for start in range(0, len(gone), 500):
                conn.execute(delete(agents_table).where(agents_table.c.id.in_(gone[start:start + 500])))
            report.removed = len(gone)
        if report.changed:
            self._set_meta(conn, "version", str(int(self._meta(conn, "version") or 0) + 1))
        return report

    def import_agents(self, agents: list[Agent], replace: bool = True) -> ImportReport:
        """Write validated agents in one transaction; the same list twice changes nothing."""
        with self.engine.begin() as conn:
            if self._meta(conn, "seeded") is None:  # an operator's import also counts as the seed
                self._set_meta(conn, "seeded", "import")
            return self._write(conn, agents, replace)

    def import_csv(self, data: bytes | str, replace: bool = True) -> ImportReport:
        """Validate the whole file (raises ``CsvError`` listing every bad row), then import it."""
        from routing.gazetteer import get_gazetteer

        return self.import_agents(parse_csv(data, get_gazetteer()), replace=replace)
