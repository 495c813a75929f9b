"""Train, save and load the NLU model (``settings.nlu_model_dir``).

``dvcbot nlu train`` is skipped when the content hash (training file + :data:`CODE_VERSION` +
encoder fingerprint) equals the saved one: "NLU model up to date". The model is written into a
temporary folder swapped into place (:func:`dvcbot.artifacts.build_into`), so an interrupted
training never leaves a half model that looks valid.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib

from dvcbot import artifacts, textnorm
from dvcbot.settings import get_settings
from nlu import backends
from nlu import classifier as classifier_module
from nlu.classifier import IntentClassifier
from nlu.data import load_examples, training_file
from nlu.intents import INTENTS

log = logging.getLogger(__name__)

#: bump when the features change outside nlu/classifier.py and dvcbot/textnorm.py (both are hashed)
CODE_VERSION = "nlu-4"
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


class ModelMissingError(RuntimeError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no trained NLU model at {path}; train it with `dvcbot nlu train` (or `make setup`)"
        )


@dataclass
class NluModel:
    classifier: IntentClassifier
    meta: dict[str, Any]


def content_hash(data_path: Path | None = None) -> str:
    # the features depend on the text normalisation and the classifier code: a change retrains
    return artifacts.content_hash(
        data_path or training_file(),
        CODE_VERSION,
        *(Path(module.__file__) for module in (textnorm, classifier_module)),
        str(backends.encoder_fingerprint()),
    )


def _read_meta(model_dir: Path) -> dict[str, Any] | None:
    return artifacts.read_stamp(model_dir, META_FILE)


def is_current(model_dir: Path | None = None) -> bool:
    model_dir = model_dir or get_settings().nlu_model_dir
    return artifacts.is_current(model_dir, META_FILE, {"hash": content_hash()}, required=(MODEL_FILE,))


def train(force: bool = False, model_dir: Path | None = None) -> dict[str, Any]:
    """Train from ``bot/data/nlu.yml``; returns the model's metadata."""
    model_dir = model_dir or get_settings().nlu_model_dir
    if not force and is_current(model_dir):
        print("NLU model up to date")
        return _read_meta(model_dir) or {}
    examples = load_examples(training_file())
    unknown = sorted({e.intent for e in examples} - set(INTENTS))
    if unknown:
        raise ValueError(f"unknown intents in {training_file()}: {unknown}")
    embed = backends.embedder()
    t0 = time.perf_counter()
    clf = IntentClassifier(use_embeddings=embed is not None)
    stats = clf.fit([e.text for e in examples], [e.intent for e in examples], embed)
    meta = {
        "hash": content_hash(),
        "code_version": CODE_VERSION,
        "encoder": backends.encoder_fingerprint() if embed is not None else None,
        "uses_embeddings": embed is not None,
        "intents": clf.classes,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "train_seconds": round(time.perf_counter() - t0, 1),
        **stats,
    }
    with artifacts.build_into(model_dir) as work:
        joblib.dump(clf, work / MODEL_FILE)
        artifacts.write_stamp(work, META_FILE, meta, indent=2)  # last: a folder without it is never current
    if embed is None:
        print("WARNING: encoder unavailable, trained on character n-grams only")
    print(
        f"NLU model trained: {stats['examples']} examples ({stats['with_copies']} with accent-free copies), "
        f"out-of-fold accuracy {stats['oof_accuracy']:.3f}, temperature {stats['temperature']}"
    )
    return meta


def load(model_dir: Path | None = None) -> NluModel:
    model_dir = model_dir or get_settings().nlu_model_dir
    meta = _read_meta(model_dir)
    if not meta or not (model_dir / MODEL_FILE).exists():
        raise ModelMissingError(model_dir)
    if meta.get("hash") != content_hash():
        log.warning(
            "NLU model at %s is older than the training data or encoder; run `dvcbot nlu train`", model_dir
        )
    return NluModel(joblib.load(model_dir / MODEL_FILE), meta)
