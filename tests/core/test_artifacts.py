"""dvcbot.artifacts: content hash, stamp check, build in a temporary folder and swap into place."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from dvcbot.artifacts import build_into, content_hash, is_current, read_stamp, write_stamp
from dvcbot.procs import pid_alive


def test_content_hash_of_a_file_is_its_sha256_and_parts_are_concatenated(tmp_path: Path) -> None:
    f = tmp_path / "data.txt"
    f.write_bytes(b"xin ch\xc3\xa0o")
    assert content_hash(f) == hashlib.sha256(b"xin ch\xc3\xa0o").hexdigest()
    assert content_hash(f, "v1", b"\x00") == hashlib.sha256("xin chào".encode() + b"v1\x00").hexdigest()
    assert content_hash("a") != content_hash("b")


def test_is_current_needs_the_stamp_items_and_the_required_files(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    assert not is_current(folder, "meta.json", {"hash": "abc"})
    write_stamp(folder, "meta.json", {"hash": "abc", "built_at": "now"})
    assert read_stamp(folder, "meta.json") == {"hash": "abc", "built_at": "now"}
    assert is_current(folder, "meta.json", {"hash": "abc"})
    assert not is_current(folder, "meta.json", {"hash": "abd"})
    assert not is_current(folder, "meta.json", {"hash": "abc"}, required=("model.bin",))
    (folder / "model.bin").write_bytes(b"1")
    assert is_current(folder, "meta.json", {"hash": "abc"}, required=("model.bin",))
    (folder / "meta.json").write_text("{not json")
    assert read_stamp(folder, "meta.json") is None and not is_current(folder, "meta.json", {"hash": "abc"})


def test_build_replaces_the_target_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    target = tmp_path / "var" / "index"
    with build_into(target) as work:
        assert work.parent == target.parent and work != target and not target.exists()
        (work / "a.txt").write_text("one")
    assert (target / "a.txt").read_text() == "one"
    with build_into(target) as work:
        (work / "b.txt").write_text("two")
        assert (target / "a.txt").exists()  # readers see the old build until the swap
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["index"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_a_symbolic_link_target_is_replaced_not_followed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "keep.txt").write_text("shared")
    link = tmp_path / "wt" / "index"
    link.parent.mkdir()
    link.symlink_to(shared)
    with build_into(link) as work:
        (work / "new.txt").write_text("new")
    assert not link.is_symlink() and (link / "new.txt").exists()
    assert (shared / "keep.txt").read_text() == "shared"  # the folder the link pointed to is untouched


def test_a_failed_build_leaves_the_old_target_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "nlu"
    target.mkdir()
    (target / "model").write_text("old")
    with pytest.raises(KeyboardInterrupt), build_into(target) as work:
        (work / "model").write_text("half")
        raise KeyboardInterrupt
    assert (target / "model").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["nlu"]


def test_folders_of_killed_builds_are_removed_those_of_running_ones_kept(tmp_path: Path) -> None:
    dead = next(p for p in range(4_000_000, 3_000_000, -1) if not pid_alive(p))
    stale_tmp = tmp_path / f".my-model.tmp-{dead}-x1y2"
    stale_old = tmp_path / f".my-model.old-{dead}-123"
    running = tmp_path / f".my-model.tmp-{os.getpid()}-abcd"
    for folder in (stale_tmp, stale_old, running):
        folder.mkdir()
    with build_into(tmp_path / "my-model") as work:
        (work / "x").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["my-model", running.name])


def test_keep_existing_accepts_a_concurrent_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dvcbot.artifacts as artifacts

    def failing_swap(work: Path, target: Path) -> None:
        raise OSError("another process swapped first")

    monkeypatch.setattr(artifacts, "_swap_into_place", failing_swap)
    target = tmp_path / "e5"
    with build_into(target, keep_existing=lambda: True) as work:
        (work / "x").write_text("x")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OSError), build_into(target, keep_existing=lambda: False) as work:
        (work / "x").write_text("x")
    assert list(tmp_path.iterdir()) == []
