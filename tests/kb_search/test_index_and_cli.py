"""Index persistence (hash skip, corrupt files) and the command line, in real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge_base.build.index import content_hash
from knowledge_base.index import IndexUnavailableError, load_index

from .conftest import run_cli


def test_second_build_is_up_to_date(index_copy: Path) -> None:
    meta = json.loads((index_copy / "meta.json").read_text(encoding="utf-8"))
    assert meta["content_hash"] == content_hash()
    res = run_cli("kb", "build", index=index_copy)
    assert res.returncode == 0, res.stderr
    assert "up to date" in res.stdout


def test_missing_index_gives_the_rebuild_message(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailableError, match="dvcbot kb build"):
        load_index(tmp_path / "nowhere")


@pytest.mark.parametrize("damage", ["faiss_garbage", "meta_garbage", "meta_truncated", "lexical_missing"])
def test_corrupt_index_gives_the_rebuild_message(index_copy: Path, damage: str) -> None:
    if damage == "faiss_garbage":
        (index_copy / "passages.faiss").write_bytes(b"this is not a faiss index")
    elif damage == "meta_garbage":
        (index_copy / "meta.json").write_text("{not json", encoding="utf-8")
    elif damage == "meta_truncated":
        meta = json.loads((index_copy / "meta.json").read_text(encoding="utf-8"))
        meta["passages"] = meta["passages"][:10]
        (index_copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    else:
        (index_copy / "lexical.npz").unlink()
    with pytest.raises(IndexUnavailableError, match="dvcbot kb build"):
        load_index(index_copy)


def test_cli_search_reports_a_corrupt_index_clearly(index_copy: Path) -> None:
    (index_copy / "passages.faiss").write_bytes(b"\x00" * 64)
    res = run_cli("kb", "search", "làm căn cước", index=index_copy)
    assert res.returncode == 2
    assert "dvcbot kb build" in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_search_prints_readable_results(index_dir: Path) -> None:
    res = run_cli("kb", "search", "đổi bằng lái xe hết hạn", "-k", "3")
    assert res.returncode == 0, res.stderr
    assert "3.000347" in res.stdout


def test_cli_jsonl_schema_and_bad_lines(index_dir: Path) -> None:
    lines = [
        "làm căn cước cần gì",
        "",
        "😀",
        '{"query": "kich hoat vneid"}',
        '{"query": 5}',
        "{not json",
        "lam ho chieu o dau",
    ]
    res = run_cli("kb", "search", "--jsonl", "-k", "3", stdin="\n".join(lines) + "\n")
    assert res.returncode == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(out) == len(lines)
    for rec in out:
        assert set(rec) >= {"query", "results"}
        for r in rec["results"]:
            assert set(r) == {"kind", "id", "title", "score", "aspect"}
            assert r["kind"] in ("procedure", "faq")
    assert out[0]["results"] and out[0]["results"][0]["aspect"] == "documents"
    assert out[1]["results"] == [] and "error" not in out[1]
    assert out[3]["query"] == "kich hoat vneid" and out[3]["results"]
    assert "error" in out[4] and "error" in out[5]
    assert out[6]["results"][0]["id"] in ("1.001456", "1.001471")


def test_cli_lexical_only(index_dir: Path) -> None:
    res = run_cli("kb", "search", "--jsonl", "--lexical-only", "-k", "2", stdin="dang ky tam tru\n")
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["results"][0]["id"] == "1.004194"
