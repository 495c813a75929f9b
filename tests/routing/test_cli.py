"""The ``dvcbot agents`` / ``dvcbot wards`` commands, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from routing.gazetteer import get_gazetteer
from routing.schema import parse_csv
from tests.routing.helpers import synthetic_rows, to_csv


@pytest.fixture
def dvcbot(tmp_path):
    """Runs the CLI in a child process; the registry on both databases is covered by test_registry.py."""
    env = {**os.environ, "DVCBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "DVCBOT_LOG_LEVEL": "WARNING"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dvcbot.cli", *args], capture_output=True, text=True,
                              env=env, timeout=120, cwd=tmp_path)

    return run


def test_import_export_nearest_coverage(dvcbot, tmp_path):
    good = tmp_path / "agents.csv"
    good.write_text(to_csv(synthetic_rows(30)), encoding="utf-8")
    r = dvcbot("agents", "import", str(good))
    assert r.returncode == 0, r.stderr
    assert "thêm 30" in r.stdout and "Tổng số điểm: 30" in r.stdout
    r = dvcbot("agents", "import", str(good))  # idempotent
    assert r.returncode == 0 and "thêm 0, cập nhật 0, xóa 0, giữ nguyên 30" in r.stdout

    out = tmp_path / "export.csv"
    assert dvcbot("agents", "export", str(out)).returncode == 0
    assert parse_csv(out.read_bytes(), get_gazetteer()) == parse_csv(good.read_bytes(), get_gazetteer())

    r = dvcbot("agents", "nearest", "--lat", "21.0285", "--lon", "105.8542", "--k", "2", "--json")
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert len(body["agents"]) == 2 and body["origin"]["ward"]["code"] == "00070"

    r = dvcbot("agents", "coverage", "--json")
    cov = json.loads(r.stdout)
    assert cov["wards_total"] == 126
    r = dvcbot("agents", "coverage")
    assert r.returncode == 0 and "phường, xã có điểm phục vụ trong bán kính 5 km" in r.stdout


def test_bad_file_imports_nothing_and_says_why(dvcbot, tmp_path):
    rows = synthetic_rows(4)
    rows[2]["lat"] = "abc"
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(rows), encoding="utf-8")
    before = dvcbot("agents", "export").stdout
    r = dvcbot("agents", "import", str(bad))
    assert r.returncode == 1 and "dòng 4" in r.stderr and "bad_number" in r.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes(to_csv(synthetic_rows(2)).encode("utf-16"))
    r = dvcbot("agents", "import", str(latin))
    assert r.returncode == 1 and "UTF-8" in r.stderr
    r = dvcbot("agents", "import", str(tmp_path / "missing.csv"))
    assert r.returncode == 1 and "Không đọc được" in r.stderr
    assert dvcbot("agents", "export").stdout == before


def test_wards_resolve(dvcbot):
    r = dvcbot("wards", "resolve", "phường Dịch Vọng Hậu, quận Cầu Giấy", "--json")
    body = json.loads(r.stdout)
    assert r.returncode == 0 and body["ward_code"] is None
    assert {c["code"] for c in body["candidates"]} == {"00166", "00160"}
    r = dvcbot("wards", "resolve", "xa soc son", "--json")
    assert json.loads(r.stdout)["ward_code"] == "00376"
    r = dvcbot("wards", "resolve", "không có gì")
    assert r.returncode == 1 and "ward_not_found" in r.stderr
