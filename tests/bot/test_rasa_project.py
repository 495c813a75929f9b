"""The Rasa project itself: valid data, a trainable dialogue model, passing test stories."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

import yaml

from dvcbot.settings import get_settings
from tests.stack import rasa_bin

BOT = get_settings().rasa_project_dir
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}


def _rasa(*args: str, cwd: Path = BOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(rasa_bin()), *args], cwd=cwd, env=ENV, capture_output=True, text=True)


def test_data_validate_passes() -> None:
    result = _rasa("data", "validate")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_train_core_produces_a_model(trained_model: Path) -> None:
    assert trained_model.exists()
    with tarfile.open(trained_model) as archive:
        names = archive.getnames()
    assert any("rule_policy" in n.lower() for n in names), names


def test_core_test_stories_all_pass(trained_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = _rasa(
        "test",
        "core",
        "--stories",
        "tests/test_stories.yml",
        "--model",
        str(trained_model),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((out / "story_report.json").read_text())
    conversations = report["conversation_accuracy"]
    stories = yaml.safe_load((BOT / "tests" / "test_stories.yml").read_text())["stories"]
    assert conversations["total"] == len(stories)
    assert conversations["correct"] == conversations["total"], (out / "failed_test_stories.yml").read_text()


def test_every_response_is_speakable_vietnamese() -> None:
    """Static replies: full diacritics, no emoji, no markdown or tables (the hotline reads them)."""
    domain = yaml.safe_load((BOT / "domain.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            text = variant["text"]
            assert any(ch in text for ch in "ạảãáàâầấậẩẫăằắặẳẵêềếệểễôồốộổỗơờớợởỡưừứựửữđ"), name
            assert not any(ord(ch) >= 0x1F000 for ch in text), name
            assert not any(mark in text for mark in ("**", "|", "#", "- ")), name
            assert len(text) <= 400, name


def test_no_slot_mapping_runs_an_action_on_every_message() -> None:
    """A custom mapping naming an action makes Rasa's slot extraction run that action before every
    message's real action: the answering searches three times over, and a fallback's handoff twice."""
    domain = yaml.safe_load((BOT / "domain.yml").read_text())
    for name, slot in domain["slots"].items():
        for mapping in slot.get("mappings", []):
            assert not (mapping["type"] == "custom" and mapping.get("action")), name


def test_endpoints_come_from_the_environment() -> None:
    endpoints = (BOT / "endpoints.yml").read_text()
    for var in ("DVCBOT_NLU_URL", "DVCBOT_ACTIONS_URL", "DVCBOT_RASA_TRACKER_URL"):
        assert "${" + var + "}" in endpoints
    config = yaml.safe_load((BOT / "config.yml").read_text())
    assert config["pipeline"] == []
