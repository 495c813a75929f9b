"""Import the national procedure database into ``data/procedures/catalogue.jsonl.gz``.

Reads ``../shared/data/procedures/national_procedures_2026.jsonl.gz`` (2,642 records) and
``citizen_services_by_popularity.jsonl`` (portal usage ranking), parses the flattened fields
(channels, dossier, steps, legal basis, result), flags the essential procedures, merges the
citizen aliases from ``data/procedures/aliases.yml`` and writes:

- ``catalogue.jsonl.gz``: first line ``{"_meta": {...}}`` with the content ``version`` hash, then
  one procedure a line, sorted by code. Deterministic: same input gives byte-identical output
  (sorted keys, gzip mtime 0, no timestamps).
- ``import_report.json``: counts, and every record with a parse problem as code + reasons
  (nothing is dropped silently).

Usage::

    .venv/bin/python scripts/import_procedures.py [--source DIR] [--out DIR] [--aliases FILE]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base.catalogue import Procedure  # noqa: E402
from knowledge_base.sections import (  # noqa: E402
    clean_text,
    parse_documents,
    parse_legal_basis,
    parse_result,
    parse_steps,
)
from knowledge_base.submission_modes import parse_submission_modes  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "procedures"
NATIONAL = "national_procedures_2026.jsonl.gz"
POPULARITY = "citizen_services_by_popularity.jsonl"

#: the top N popular citizen services that have details are essential
ESSENTIAL_TOP = 100
#: essential whatever their rank (spot-checked in the shared README)
ESSENTIAL_CODES = (
    "1.001193",  # khai sinh
    "1.004222",  # thường trú
    "1.004194",  # tạm trú
    "1.000894",  # kết hôn
    "1.000656",  # khai tử
    "3.000333", "3.000330",  # lý lịch tư pháp
    "3.000347",  # đổi GPLX
    "3.000348",  # cấp lại GPLX
    "2.001195", "2.000200",  # căn cước
    "1.001456", "1.001471",  # hộ chiếu
    "2.000815",  # chứng thực bản sao
    "2.000884",  # chứng thực chữ ký
    "1.001612",  # hộ kinh doanh
    "3.000228",  # tài khoản định danh điện tử mức 2 (VNeID)
    "3.000275",  # mở khóa tài khoản định danh điện tử
)

#: problems that mean a section could not be read at all (the rest are warnings)
FAILURES = {
    "channels_empty", "channels_no_row", "channels_header_missing", "fee_unparsed",
    "documents_empty", "documents_none_parsed", "steps_empty", "name_empty", "source_url_empty",
}
#: informational, not problems
INFO = {"channels_multiple_rows_per_kind"}


def read_national(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_popularity(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return sorted(rows, key=lambda r: int(r["popularity_rank"]))


def read_aliases(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    bad = sorted(str(k) for k in data if not isinstance(k, str))
    if bad:
        raise SystemExit(f"{path}: quote the procedure codes (YAML read them as numbers): {', '.join(bad)}")
    return {str(code): [clean_text(a) for a in (names or []) if clean_text(a)] for code, names in data.items()}


def essential_codes(popularity: list[dict[str, Any]], known: set[str], top: int = ESSENTIAL_TOP) -> set[str]:
    """The first ``top`` popular services that have details, plus :data:`ESSENTIAL_CODES`."""
    ranked = [r["ma_thu_tuc"] for r in popularity if r.get("has_detail") and r["ma_thu_tuc"] in known]
    return set(ranked[:top]) | {c for c in ESSENTIAL_CODES if c in known}


def one_line(text: str | None) -> str:
    """Names and agencies on one line ("...thẩm\nquyền..." occurs in the records)."""
    return " ".join(clean_text(text).split())


def convert(rec: dict[str, Any]) -> tuple[Procedure, list[str]]:
    """One raw record -> (Procedure without essential/rank/aliases, problems)."""
    problems: list[str] = []
    channels, p = parse_submission_modes(rec.get("cach_thuc_thuc_hien", ""))
    problems += p
    for ch in channels:
        problems += [f for f in ch.flags if f in FAILURES]
    if len({c.kind for c in channels}) != len(channels):
        problems.append("channels_multiple_rows_per_kind")
    warnings = sorted({f for ch in channels for f in ch.flags if f not in FAILURES})
    documents, p = parse_documents(rec.get("thanh_phan_ho_so", ""))
    problems += p
    steps, p = parse_steps(rec.get("trinh_tu_thuc_hien", ""))
    problems += p
    legal, p = parse_legal_basis(rec.get("can_cu_phap_ly", ""))
    problems += p
    name = one_line(rec.get("ten_thu_tuc"))
    url = clean_text(rec.get("detail_url"))
    if not name:
        problems.append("name_empty")
    if not url:
        problems.append("source_url_empty")
    flags = sorted(set(problems) | set(warnings))
    proc = Procedure(
        code=clean_text(rec["ma_thu_tuc"]),
        name=name,
        field=one_line(rec.get("linh_vuc")),
        level=one_line(rec.get("cap_thuc_hien")),
        agency=one_line(rec.get("co_quan_co_tham_quyen")),
        executing_agency=one_line(rec.get("co_quan_thuc_hien")),
        where=clean_text(rec.get("dia_chi_tiep_nhan")),
        subjects=one_line(rec.get("doi_tuong_thuc_hien")),
        steps=tuple(steps),
        documents=tuple(documents),
        legal_basis=tuple(legal),
        result=parse_result(rec.get("ket_qua_xu_ly", "")),
        conditions=clean_text(rec.get("yeu_cau_dieu_kien")),
        source_url=url,
        decision=one_line(rec.get("so_quyet_dinh")),
        submission_modes=tuple(channels),
        flags=tuple(flags),
    )
    return proc, flags


def _deterministic_gzip(payload: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    return buf.getvalue()


def run(source: Path, out: Path, aliases_path: Path, quiet: bool = False) -> dict[str, Any]:
    """Import; write the catalogue and the report into ``out``; return the report."""
    national = read_national(source / NATIONAL)
    popularity = read_popularity(source / POPULARITY)
    aliases = read_aliases(aliases_path)
    rank = {r["ma_thu_tuc"]: int(r["popularity_rank"]) for r in popularity}

    procs: dict[str, Procedure] = {}
    issues: dict[str, list[str]] = {}
    duplicates: list[str] = []
    for rec in tqdm(national, desc="procedures", unit="rec", disable=quiet):
        proc, flags = convert(rec)
        if proc.code in procs:
            duplicates.append(proc.code)
            continue
        procs[proc.code] = proc
        if [f for f in flags if f not in INFO]:
            issues[proc.code] = [f for f in flags if f not in INFO]

    essential = essential_codes(popularity, set(procs))
    unknown_alias_codes = sorted(set(aliases) - set(procs))
    if unknown_alias_codes:
        raise SystemExit(f"aliases.yml names unknown procedure codes: {', '.join(unknown_alias_codes)}")

    lines = []
    for code in sorted(procs):
        d = procs[code].to_dict()
        d["essential"] = code in essential
        d["popularity_rank"] = rank.get(code)
        d["aliases"] = aliases.get(code, [])
        lines.append(json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    body = "\n".join(lines) + "\n"
    version = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    meta = {"_meta": {"version": version, "count": len(lines), "source": f"{NATIONAL} + {POPULARITY}"}}
    payload = json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n" + body

    reason_counts = Counter(f for fl in issues.values() for f in fl)
    failures = {c: [f for f in fl if f in FAILURES] for c, fl in issues.items()}
    failures = {c: fl for c, fl in failures.items() if fl}
    report = {
        "version": version,
        "records_read": len(national),
        "procedures_written": len(procs),
        "duplicates_skipped": sorted(duplicates),
        "parsed_fully": len(procs) - len(issues),
        "with_warnings_only": len(issues) - len(failures),
        "with_failures": len(failures),
        "essential": len(essential),
        "essential_from_popularity": len(essential - set(ESSENTIAL_CODES)),
        # popular services the national file has no record of (e.g. 1.001978 trợ cấp thất nghiệp,
        # rank 4: its ministry's records were not crawled), so the bot cannot answer them from data
        "popular_top100_without_record": [
            f"{r['ma_thu_tuc']} (#{r['popularity_rank']}) {r.get('ten_thu_tuc', '')}"
            for r in popularity[:ESSENTIAL_TOP] if r["ma_thu_tuc"] not in procs
        ],
        "with_aliases": sum(1 for c in procs if aliases.get(c)),
        "channel_rows": sum(len(p.submission_modes) for p in procs.values()),
        "online_procedures": sum(1 for p in procs.values() if p.online),
        "fee_status_rows": dict(sorted(Counter(c.fee_status for p in procs.values() for c in p.submission_modes).items())),
        "reason_counts": dict(sorted(reason_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "failures": dict(sorted(failures.items())),
        "warnings": {c: fl for c, fl in sorted(issues.items()) if c not in failures},
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "catalogue.jsonl.gz").write_bytes(_deterministic_gzip(payload.encode("utf-8")))
    (out / "import_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def print_summary(report: dict[str, Any]) -> None:
    print(f"catalogue version {report['version']}: {report['procedures_written']} procedures "
          f"from {report['records_read']} records")
    print(f"  parsed fully: {report['parsed_fully']}; warnings only: {report['with_warnings_only']}; "
          f"with failures: {report['with_failures']}")
    print(f"  essential: {report['essential']}; with aliases: {report['with_aliases']}; "
          f"online: {report['online_procedures']}; channel rows: {report['channel_rows']} "
          f"{report['fee_status_rows']}")
    print("  reasons:")
    for reason, n in report["reason_counts"].items():
        print(f"    {reason}: {n}")
    print("  failures (code: reasons):")
    for code, reasons in report["failures"].items():
        print(f"    {code}: {', '.join(reasons)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder with the shared procedure files")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "procedures", help="output folder")
    parser.add_argument("--aliases", type=Path, default=ROOT / "data" / "procedures" / "aliases.yml")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    args = parser.parse_args(argv)
    for name in (NATIONAL, POPULARITY):
        if not (args.source / name).exists():
            print(f"missing input {args.source / name}", file=sys.stderr)
            return 2
    report = run(args.source, args.out, args.aliases, quiet=args.quiet)
    if not args.quiet:
        print_summary(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
