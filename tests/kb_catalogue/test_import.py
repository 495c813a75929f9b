"""The importer reproduces the committed catalogue; report counts; essential flags; aliases."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvcbot.settings import ROOT
from knowledge_base.catalogue import (
    CatalogueMissingError,
    catalogue_version,
    essential_procedures,
    load_catalogue,
)

SHARED = ROOT.parent / "shared" / "data" / "procedures"
COMMITTED = ROOT / "data" / "procedures"

#: the codes the shared README lists as spot-checked essentials
LISTED = (
    "1.001193 1.004222 1.004194 1.000894 1.000656 3.000333 3.000330 3.000347 3.000348 2.001195 "
    "2.000200 1.001456 1.001471 2.000815 2.000884 1.001612 3.000228 3.000275"
).split()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "national_procedures_2026.jsonl.gz").exists():
        pytest.skip("../shared/data/procedures is not available")
    out = tmp_path_factory.mktemp("procedures")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_procedures.py"), "--source", str(SHARED), "--out", str(out),
         "--quiet"],
        check=True, timeout=600,
    )
    return out


def test_reproduces_committed_files_byte_for_byte(imported: Path) -> None:
    assert (imported / "catalogue.jsonl.gz").read_bytes() == (COMMITTED / "catalogue.jsonl.gz").read_bytes()
    assert (imported / "import_report.json").read_text() == (COMMITTED / "import_report.json").read_text()


def test_report_counts(imported: Path) -> None:
    report = json.loads((imported / "import_report.json").read_text())
    assert report["records_read"] == 2642 and report["procedures_written"] == 2642
    assert report["parsed_fully"] + report["with_warnings_only"] + report["with_failures"] == 2642
    assert report["parsed_fully"] > 1000
    # every problem is listed by code, nothing silently dropped
    listed = set(report["failures"]) | set(report["warnings"])
    assert len(listed) == report["with_warnings_only"] + report["with_failures"]
    assert all(reasons for reasons in report["failures"].values())
    assert report["essential"] >= 100 and report["with_aliases"] >= 55
    with gzip.open(imported / "catalogue.jsonl.gz", "rt", encoding="utf-8") as fh:
        meta = json.loads(fh.readline())["_meta"]
    assert meta["version"] == report["version"] and meta["count"] == 2642
    # popular services the shared file has no record of are named, not silently missing (issue 9)
    missing = {line.split(" ")[0] for line in report["popular_top100_without_record"]}
    assert {"1.001978", "1.000466", "2.001178"} <= missing


def test_catalogue_loads_sorted_with_version() -> None:
    cat = load_catalogue()
    assert len(cat) == 2642 and list(cat) == sorted(cat)
    assert load_catalogue() is cat  # cached
    assert len(catalogue_version()) == 16
    p = cat["1.004194"]
    assert p.name == "Đăng ký tạm trú" and p.source_url.startswith("https://dichvucong.gov.vn/")
    assert p.online and p.submission_mode("truc_tiep") is not None
    assert p.steps and p.documents and p.legal_basis and p.result


def test_essential_flags() -> None:
    cat = load_catalogue()
    essential = essential_procedures()
    assert len(essential) >= 100
    assert all(cat[c].essential for c in LISTED)
    assert essential[0].code == "1.004194" and essential[0].popularity_rank == 1
    ranks = [p.popularity_rank for p in essential if p.popularity_rank is not None]
    assert ranks == sorted(ranks)
    assert cat["1.000178"].essential is False  # a complaint procedure, not in the popular list


def test_aliases_merged() -> None:
    cat = load_catalogue()
    assert "làm căn cước" in cat["2.000200"].aliases
    assert "đổi bằng lái xe" in cat["3.000347"].aliases
    assert "công chứng giấy tờ" in cat["2.000815"].aliases
    with_aliases = [p for p in cat.values() if p.aliases]
    assert all(2 <= len(p.aliases) <= 5 for p in with_aliases)


def test_missing_file_gives_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueMissingError, match="import_procedures.py"):
        load_catalogue(tmp_path / "nope.jsonl.gz")
