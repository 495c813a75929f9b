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

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dvcbot.db import get_engine
from dvcbot.settings import get_settings
from routing.models import RoutingAgent, RoutingMeta
from routing.schema import SERVICE_SEPARATOR, Agent, parse_csv

log = logging.getLogger(__name__)

_FIELDS = list(RoutingAgent.__table__.columns.keys())


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


class AgentRegistry:
    def __init__(self, url: str | None = None, default_csv: Path | None = None, seed: bool = True):
        """The registry in the database at ``url``, which must be migrated (``dvcbot.db.upgrade``)."""
        self.url = url or get_settings().db_url
        self.engine: Engine = get_engine(self.url)
        self._session = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.default_csv = default_csv or get_settings().data_dir / "agents" / "default_agents.csv"
        if seed:
            self.ensure_seeded()

    # ------------------------------------------------------------------ meta
    @staticmethod
    def _meta(s: Session, key: str) -> str | None:
        return s.scalar(select(RoutingMeta.value).where(RoutingMeta.key == key))

    def _set_meta(self, s: Session, key: str, value: str) -> None:
        s.merge(RoutingMeta(key=key, value=value))
        s.flush()

    def version(self) -> int:
        with Session(self.engine) as s:
            return int(self._meta(s, "version") or 0)

    def ensure_seeded(self) -> bool:
        """Seed an empty registry from the bundled default CSV once; True if it seeded now."""
        with Session(self.engine) as s:
            if self._meta(s, "seeded") is not None:
                return False
        from routing.gazetteer import get_gazetteer

        agents = parse_csv(self.default_csv.read_bytes(), get_gazetteer())
        try:
            with self._session.begin() as s:
                # claimed first: a second process seeding at the same time fails on this key and stops
                s.add(RoutingMeta(key="seeded", value=str(self.default_csv.name)))
                s.flush()
                if s.scalar(select(func.count()).select_from(RoutingAgent)):
                    return False
                self._write(s, agents, replace=True)
        except IntegrityError:
            return False
        log.info("agent registry seeded with %d agents from %s", len(agents), self.default_csv.name)
        return True

    # ------------------------------------------------------------------ reads
    def all(self) -> list[Agent]:
        with self.engine.connect() as conn:  # plain rows: the index rebuild reads every agent
            rows = conn.execute(select(RoutingAgent.__table__).order_by(RoutingAgent.id))
            return [RoutingAgent.agent(r) for r in rows]

    def get(self, agent_id: str) -> Agent | None:
        with Session(self.engine) as s:
            row = s.get(RoutingAgent, agent_id)
            return RoutingAgent.agent(row) if row else None

    def count(self) -> int:
        with Session(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(RoutingAgent)) or 0)

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
            conds.append(RoutingAgent.type.in_(types))
        if ward_codes:
            conds.append(RoutingAgent.ward_code.in_(ward_codes))
        if service:
            padded = literal(SERVICE_SEPARATOR) + RoutingAgent.services + literal(SERVICE_SEPARATOR)
            conds.append(padded.like(f"%{SERVICE_SEPARATOR}{service}{SERVICE_SEPARATOR}%"))
        with Session(self.engine) as s:
            total = s.scalar(select(func.count()).select_from(RoutingAgent).where(*conds)) or 0
            rows = s.execute(select(*RoutingAgent.columns()).where(*conds).order_by(RoutingAgent.id)
                             .limit(size).offset((page - 1) * size))
            return [RoutingAgent.agent(r) for r in rows], int(total)

    # ------------------------------------------------------------------ writes
    def _write(self, s: Session, agents: list[Agent], replace: bool) -> ImportReport:
        report = ImportReport()
        current = {r.id: r._asdict() for r in s.execute(select(*RoutingAgent.columns()))}
        new = {a.id: RoutingAgent.values(a) for a in agents}
        to_insert, to_update = [], []
        for agent_id, values in new.items():
            old = current.get(agent_id)
            if old is None:
                to_insert.append(values)
                report.added += 1
            elif any(old[f] != values[f] for f in _FIELDS):
                to_update.append(values)
                report.updated += 1
            else:
                report.unchanged += 1
        for start in range(0, len(to_insert), 1000):  # executemany: one round trip per batch
            s.execute(insert(RoutingAgent), to_insert[start:start + 1000])
        if to_update:  # ORM bulk update by primary key
            s.execute(update(RoutingAgent), to_update)
        if replace:
            gone = [i for i in current if i not in new]
            for start in range(0, len(gone), 500):
                s.execute(delete(RoutingAgent).where(RoutingAgent.id.in_(gone[start:start + 500]))
                          .execution_options(synchronize_session=False))
            report.removed = len(gone)
        if report.changed:
            self._set_meta(s, "version", str(int(self._meta(s, "version") or 0) + 1))
        return report

    def import_agents(self, agents: list[Agent], replace: bool = True) -> ImportReport:
        """Write validated agents in one transaction; the same list twice changes nothing."""
        with self._session.begin() as s:
            if self._meta(s, "seeded") is None:  # an operator's import also counts as the seed
                self._set_meta(s, "seeded", "import")
            return self._write(s, agents, replace)

    def import_csv(self, data: bytes | str, replace: bool = True) -> ImportReport:
        """Validate the whole file (raises ``CsvError`` listing every bad row), then import it."""
        from routing.gazetteer import get_gazetteer

        return self.import_agents(parse_csv(data, get_gazetteer()), replace=replace)
