"""Shared fixtures: the real index (built once if it is missing or stale) and the knowledge base."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dvcbot.settings import get_settings


@pytest.fixture(scope="session")
def index_dir() -> Path:
    """The default index folder, built (or found up to date) for this session."""
    from knowledge_base.build.index import build_index

    build_index(progress=False)
    return get_settings().index_dir


@pytest.fixture(scope="session")
def kb(index_dir: Path):
    from knowledge_base.search import get_kb

    return get_kb()


@pytest.fixture()
def index_copy(index_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built index that a test may damage."""
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    return target


def run_cli(
    *args: str, index: Path | None = None, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``dvcbot ...`` in a real subprocess (optionally against another index folder)."""
    env = dict(os.environ)
    if index is not None:
        env["DVCBOT_INDEX_DIR"] = str(index)
    return subprocess.run(
        [sys.executable, "-m", "dvcbot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=get_settings().root,
    )
