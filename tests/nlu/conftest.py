"""Shared fixtures: the real trained NLU model (trained here if `make setup` has not done it)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def trained_model():
    from nlu.model import load, train

    train()  # a no-op ("NLU model up to date") after `make setup`
    return load()


@pytest.fixture(scope="session")
def parser(trained_model):
    from nlu.parser import NluParser

    p = NluParser(trained_model)
    p.warm_up()
    return p
