"""The baseline: Rasa's stock NLU pipeline trained in the Rasa venv on the same ``bot/data/nlu.yml``.

Pipeline exactly WhitespaceTokenizer + CountVectorsFeaturizer + DIETClassifier (100 epochs, fixed
seed). The model and its held-out predictions are cached in ``var/nlu_diet/<hash>/`` (hash of the
training file, the held-out file and the config), so a rerun of ``dvcbot nlu eval`` is quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from dvcbot.settings import get_settings
from nlu.data import heldout_file, training_file

CONFIG = textwrap.dedent("""\
    recipe: default.v1
    language: vi
    assistant_id: dvcbot-diet-baseline
    pipeline:
      - name: WhitespaceTokenizer
      - name: CountVectorsFeaturizer
      - name: DIETClassifier
        epochs: 100
        random_seed: 13
    policies: []
    """)

#: run with the Rasa venv's Python: load the model, parse each text of a JSON list, print JSON
PREDICT = textwrap.dedent("""\
    import asyncio, json, logging, sys
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    async def main():
        texts = json.load(open(sys.argv[2], encoding="utf-8"))
        agent = Agent.load(sys.argv[1])
        out = []
        for t in texts:
            r = await agent.parse_message(t)
            out.append({"intent": r["intent"]["name"], "confidence": float(r["intent"]["confidence"])})
        json.dump(out, open(sys.argv[3], "w", encoding="utf-8"))

    asyncio.run(main())
    """)


class BaselineError(RuntimeError):
    pass


def _hash() -> str:
    h = hashlib.sha256()
    for p in (training_file(), heldout_file()):
        h.update(p.read_bytes())
    h.update(CONFIG.encode())
    h.update(PREDICT.encode())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path, log_path: Path, what: str) -> None:
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONWARNINGS": "ignore",
    }
    print(f"DIET baseline: {what} (log: {log_path})", file=sys.stderr, flush=True)
    with open(log_path, "ab") as log:
        rc = subprocess.run(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    if rc != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
        raise BaselineError(f"{what} failed (exit {rc}); last lines of {log_path}:\n{tail}")


def diet_predictions(texts: list[str]) -> list[dict]:
    """DIET's ``{"intent", "confidence"}`` for each held-out text (trained and cached on demand)."""
    settings = get_settings()
    rasa = settings.rasa_venv / "bin" / "rasa"
    python = settings.rasa_venv / "bin" / "python"
    if not rasa.exists():
        raise BaselineError(f"Rasa is not installed at {settings.rasa_venv} (make rasa-venv)")
    work = settings.var_dir / "nlu_diet" / _hash()
    work.mkdir(parents=True, exist_ok=True)
    out = work / "predictions.json"
    texts_file = work / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    cached = work / "predicted_texts.json"
    if (
        out.exists()
        and cached.exists()
        and cached.read_text(encoding="utf-8") == texts_file.read_text(encoding="utf-8")
    ):
        return json.loads(out.read_text(encoding="utf-8"))
    (work / "config.yml").write_text(CONFIG, encoding="utf-8")
    model = work / "models" / "diet.tar.gz"
    if not model.exists():
        _run(
            [
                str(rasa),
                "train",
                "nlu",
                "--config",
                "config.yml",
                "--nlu",
                str(training_file()),
                "--out",
                "models",
                "--fixed-model-name",
                "diet",
            ],
            work,
            work / "train.log",
            "training Rasa's stock pipeline (DIET, 100 epochs; a few minutes)",
        )
    (work / "predict.py").write_text(PREDICT, encoding="utf-8")
    _run(
        [str(python), "predict.py", str(model), str(texts_file), str(out)],
        work,
        work / "predict.log",
        f"parsing {len(texts)} held-out texts",
    )
    cached.write_text(texts_file.read_text(encoding="utf-8"), encoding="utf-8")
    return json.loads(out.read_text(encoding="utf-8"))
