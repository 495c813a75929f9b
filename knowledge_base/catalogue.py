"""The procedure catalogue: typed records loaded from ``data/procedures/catalogue.jsonl.gz``.

The file is produced by ``scripts/import_procedures.py`` from the national procedure database
(see ``data/procedures/PROVENANCE.md``). Every consumer (search index, NLU service, action
server, answers) goes through :func:`load_catalogue`, which is cached: the file is read once per
process.

Contract used by the other parts::

    from knowledge_base.catalogue import load_catalogue, Procedure
    cat = load_catalogue()            # dict code -> Procedure, ordered by code
    p = cat["1.004194"]
    p.name, p.steps, p.documents, p.submission_modes, p.online, p.essential, p.aliases
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "SUBMISSION_MODE_LABELS",
    "CatalogueMissingError",
    "SubmissionMode",
    "Document",
    "Fee",
    "LegalBasis",
    "Procedure",
    "catalogue_path",
    "catalogue_version",
    "essential_procedures",
    "load_catalogue",
]

#: submission mode kind -> the Vietnamese label used by the portal
SUBMISSION_MODE_LABELS: dict[str, str] = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Dịch vụ bưu chính",
}


class CatalogueMissingError(FileNotFoundError):
    """The catalogue file has not been imported (run ``python scripts/import_procedures.py``)."""


@dataclass(frozen=True)
class Fee:
    """One fee tier of a submission mode. ``amount_vnd == 0`` means free; ``None`` when not in đồng (USD)."""

    amount_vnd: int | None
    description: str = ""
    amount: float | None = None  # the amount as written in the record's currency
    currency: str = "VND"  # VND | USD


@dataclass(frozen=True)
class SubmissionMode:
    """One way of submitting the dossier (in person, online, by post): a row of the flattened
    ``cach_thuc_thuc_hien`` table. (Not a chat channel: those are ``gateway.schemas.Channel``.)

    ``fee_status``: ``"paid"`` (at least one non-zero amount), ``"free"`` ("Miễn phí", or only
    0-đồng amounts), ``"unclear"`` (labelled "Miễn phí" but the description states amounts: the
    stated amounts are in ``fees``) or ``"unknown"`` ("Không quy định", "Không có thông tin",
    empty): unknown is NOT free and must never be presented as free.
    """

    kind: str  # truc_tiep | truc_tuyen | buu_chinh
    label: str  # the Vietnamese label as written in the record
    time_value: float | None = None  # e.g. 3, 0.5, 15
    time_unit: str | None = None  # e.g. "Ngày làm việc", "Ngày", "Giờ"; None when lost in the record
    time_text: str = ""  # the raw time cell, e.g. "3 Ngày làm việc"
    fees: tuple[Fee, ...] = ()
    fee_status: str = "unknown"  # paid | free | unclear | unknown
    fee_text: str = ""  # the raw fee cell
    note: str = ""  # the "Mô tả" cell
    flags: tuple[str, ...] = ()  # e.g. "time_unit_missing", "no_time", "fee_unparsed"

    @property
    def is_free(self) -> bool:
        return self.fee_status == "free"


@dataclass(frozen=True)
class Document:
    """One component of the dossier (``thanh_phan_ho_so``)."""

    name: str
    quantity: str = ""  # e.g. "1 bản chính", "Bản chính: 1 - Bản sao: 0"
    template: str = ""  # form file name when the record has one (e.g. "CT01.docx")
    case: str = ""  # the "Trường hợp" heading the document belongs to, when the table has several


@dataclass(frozen=True)
class LegalBasis:
    title: str
    number: str = ""  # e.g. "68/2013/TT-BCA"


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str = ""
    level: str = ""
    agency: str = ""  # co_quan_co_tham_quyen (competent authority)
    executing_agency: str = ""  # co_quan_thuc_hien
    where: str = ""  # dia_chi_tiep_nhan (often empty in the national records)
    subjects: str = ""  # doi_tuong_thuc_hien
    steps: tuple[str, ...] = ()
    documents: tuple[Document, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    result: str = ""
    conditions: str = ""
    source_url: str = ""
    decision: str = ""  # so_quyet_dinh
    submission_modes: tuple[SubmissionMode, ...] = ()  # the file's key is "channels"
    essential: bool = False
    popularity_rank: int | None = None  # 1 = most used online service; None = not in the top list
    aliases: tuple[str, ...] = ()  # names citizens use, with diacritics
    flags: tuple[str, ...] = ()  # parse problems kept visible (see the import report)

    # ---- convenience ---------------------------------------------------------------------
    def submission_mode(self, kind: str) -> SubmissionMode | None:
        return next((c for c in self.submission_modes if c.kind == kind), None)

    @property
    def online(self) -> bool:
        """True when the record lists an online (``Trực tuyến``) submission mode."""
        return self.submission_mode("truc_tuyen") is not None

    @property
    def document_names(self) -> list[str]:
        return [d.name for d in self.documents]

    def to_dict(self) -> dict[str, Any]:
        """The record as stored in the catalogue file (submission modes under "channels")."""
        d = asdict(self)
        d["channels"] = d.pop("submission_modes")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Procedure:
        modes = tuple(
            SubmissionMode(
                kind=c["kind"],
                label=c.get("label", ""),
                time_value=c.get("time_value"),
                time_unit=c.get("time_unit"),
                time_text=c.get("time_text", ""),
                fees=tuple(Fee(**f) for f in c.get("fees", ())),
                fee_status=c.get("fee_status", "unknown"),
                fee_text=c.get("fee_text", ""),
                note=c.get("note", ""),
                flags=tuple(c.get("flags", ())),
            )
            for c in d.get("channels", ())
        )
        return cls(
            code=d["code"],
            name=d["name"],
            field=d.get("field", ""),
            level=d.get("level", ""),
            agency=d.get("agency", ""),
            executing_agency=d.get("executing_agency", ""),
            where=d.get("where", ""),
            subjects=d.get("subjects", ""),
            steps=tuple(d.get("steps", ())),
            documents=tuple(Document(**x) for x in d.get("documents", ())),
            legal_basis=tuple(LegalBasis(**x) for x in d.get("legal_basis", ())),
            result=d.get("result", ""),
            conditions=d.get("conditions", ""),
            source_url=d.get("source_url", ""),
            decision=d.get("decision", ""),
            submission_modes=modes,
            essential=bool(d.get("essential", False)),
            popularity_rank=d.get("popularity_rank"),
            aliases=tuple(d.get("aliases", ())),
            flags=tuple(d.get("flags", ())),
        )


def catalogue_path() -> Path:
    from dvcbot.settings import get_settings

    return get_settings().data_dir / "procedures" / "catalogue.jsonl.gz"


def _read(path: Path) -> tuple[str, dict[str, Procedure]]:
    if not path.exists():
        raise CatalogueMissingError(
            f"procedure catalogue not found at {path}; run `python scripts/import_procedures.py` "
            "(it reads the shared raw data beside the repository) or restore data/procedures/ from git"
        )
    version = ""
    procs: dict[str, Procedure] = {}
    text = gzip.decompress(path.read_bytes()).decode("utf-8")  # one read: much faster than line iteration
    for line in text.splitlines():
        if line.strip():
            obj = json.loads(line)
            if "_meta" in obj:  # the first line: {"_meta": {"version": ..., "count": ...}}
                version = obj["_meta"].get("version", "")
                continue
            p = Procedure.from_dict(obj)
            procs[p.code] = p
    return version, procs


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[str, dict[str, Procedure]]:
    return _read(Path(path))


def load_catalogue(path: Path | None = None) -> dict[str, Procedure]:
    """All procedures, ``code -> Procedure`` in code order. Cached per path; do not mutate."""
    return _load(str(path or catalogue_path()))[1]


def catalogue_version(path: Path | None = None) -> str:
    """Content hash of the catalogue (changes whenever any imported field changes)."""
    return _load(str(path or catalogue_path()))[0]


def essential_procedures(path: Path | None = None) -> list[Procedure]:
    """Essential procedures, most used first (procedures without a rank last, by code)."""
    procs = [p for p in load_catalogue(path).values() if p.essential]
    return sorted(procs, key=lambda p: (p.popularity_rank is None, p.popularity_rank or 0, p.code))
