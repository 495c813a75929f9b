"""Evaluation helpers, the baseline's configuration, and the training skip."""

from __future__ import annotations

import yaml

from nlu.diet import CONFIG
from nlu.evaluate import confusions, reliability, scores


def test_scores_and_confusions() -> None:
    gold = ["greet", "greet", "thank", "deny"]
    pred = ["greet", "thank", "thank", "deny"]
    s = scores(gold, pred)
    assert s["accuracy"] == 0.75
    assert s["per_intent"]["greet"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert s["per_intent"]["thank"]["precision"] == 0.5
    assert confusions(gold, pred) == [("greet", "thank", 1)]


def test_reliability_of_a_perfectly_calibrated_model_is_zero() -> None:
    rows, ece = reliability([1.0, 1.0, 0.5, 0.5], [True, True, True, False], bins=2)
    assert ece == 0.0
    assert [(r["n"], r["accuracy"]) for r in rows] == [(2, 0.5), (2, 1.0)]


def test_baseline_is_rasas_stock_trio() -> None:
    cfg = yaml.safe_load(CONFIG)
    assert cfg["language"] == "vi"
    assert [c["name"] for c in cfg["pipeline"]] == [
        "WhitespaceTokenizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
    ]
    assert cfg["pipeline"][2]["epochs"] == 100


def test_training_is_skipped_when_nothing_changed(trained_model, capsys) -> None:
    from nlu.model import is_current, train

    assert is_current()
    meta = train()
    assert "NLU model up to date" in capsys.readouterr().out
    assert meta["hash"] == trained_model.meta["hash"]
    assert meta["uses_embeddings"] is True
