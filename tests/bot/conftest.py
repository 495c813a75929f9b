"""Fixtures of the dialogue tests: a trained dialogue model and the running stack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.stack import start_stack, stop_stack, train_core


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``rasa train core`` of the committed bot/ project, into a temporary folder."""
    out = tmp_path_factory.mktemp("rasa_model")
    return train_core(out / "models", out / "train.log")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, trained_model: Path) -> Iterator[dict[str, Any]]:
    """NLU service, action server and Rasa, started for real on free ports."""
    running = start_stack(tmp_path_factory.mktemp("stack"), model=trained_model)
    try:
        yield running
    finally:
        stop_stack(running)
