"""A durable local outbox for complaints filed while the database is unreachable.

Each complaint is one JSON file named after its idempotency key, written atomically (temporary
file, fsync, rename) under ``var/care_outbox``. :meth:`Outbox.flush` writes every waiting file
through :func:`care.tickets.create_ticket` and deletes it only after the commit; since the ticket's
idempotency key is unique, a crash between commit and delete cannot create a second ticket.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from care.models import utcnow
from care.tickets import ComplaintInput, create_ticket
from dvcbot.db import session_scope

log = logging.getLogger("care.outbox")

#: errors that mean "the database is not reachable now", as opposed to a bad complaint
UNREACHABLE = (OperationalError, DBAPIError, ConnectionError, TimeoutError)


class Outbox:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def default(cls) -> Outbox:
        from dvcbot.settings import get_settings

        return cls(get_settings().var_dir / "care_outbox")

    def _path(self, idem_key: str) -> Path:
        return self.directory / (hashlib.sha256(idem_key.encode()).hexdigest()[:32] + ".json")

    def put(self, data: ComplaintInput) -> Path:
        """Keep the complaint on local disk (the filing time is kept so that its SLA starts now)."""
        if not data.created_at:
            data.created_at = utcnow().isoformat()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(data.idem_key)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(dataclasses.asdict(data), fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        try:
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass
        return path

    def pending(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime)

    def flush(self, db_url: str | None = None) -> int:
        """Write every waiting complaint; the number written. Raises when the DB is still down."""
        written = 0
        for path in self.pending():
            data = ComplaintInput(**json.loads(path.read_text(encoding="utf-8")))
            with session_scope(db_url) as session:
                _ticket, created = create_ticket(session, data)
            path.unlink()
            written += int(created)
        if written:
            log.info("outbox: %d complaint(s) written to the database", written)
        return written


@dataclass
class Filed:
    """The outcome of filing: the code, or ``queued`` when the complaint waits in the outbox."""

    code: str | None
    due_at: str | None
    created: bool
    queued: bool
    ticket_id: int | None = None


def file_complaint(data: ComplaintInput, db_url: str | None = None, outbox: Outbox | None = None) -> Filed:
    """Commit the ticket first; when the database is unreachable keep it in the outbox."""
    from care.db import current_url, ensure_tables

    db_url = current_url(db_url)
    outbox = outbox or Outbox.default()
    data.check()
    try:
        ensure_tables(db_url)
        outbox.flush(db_url)
        with session_scope(db_url) as session:
            ticket, created = create_ticket(session, data)
            result = Filed(ticket.code, ticket.due_at.isoformat(), created, False, ticket.id)
        return result
    except UNREACHABLE as exc:
        log.warning("database unreachable, complaint kept in the outbox: %s", type(exc).__name__)
        outbox.put(data)
        return Filed(None, None, True, True)
