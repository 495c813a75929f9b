"""`dvcbot nlu parse` through the installed console command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from dvcbot.settings import get_settings


def test_parse_reads_lines_and_writes_json_lines(trained_model) -> None:
    dvcbot = Path(get_settings().root) / ".venv" / "bin" / "dvcbot"
    lines = ["xin chào", "", "làm căn cước ở đâu", "/affirm"]
    proc = subprocess.run(
        [str(dvcbot), "nlu", "parse"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=600,
        cwd=get_settings().root,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o["text"] for o in out] == lines
    assert out[0]["intent"]["name"] == "greet"
    assert "error" in out[1]
    assert out[2]["intent"]["name"] == "ask_procedure"
    assert {"intent", "intent_ranking", "entities", "procedure_candidates"} <= set(out[2])
    assert out[3]["intent"] == {"name": "affirm", "confidence": 1.0}
