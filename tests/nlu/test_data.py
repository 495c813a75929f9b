"""The training file and the held-out split: intents, sizes, independence."""

from __future__ import annotations

from collections import Counter

from dvcbot.textnorm import fold
from nlu.data import heldout_file, load_examples, strip_annotations, training_file
from nlu.intents import INTENTS


def test_training_file_has_every_intent_with_30_examples() -> None:
    counts = Counter(e.intent for e in load_examples(training_file()))
    assert set(counts) == set(INTENTS)
    assert min(counts.values()) >= 30, counts


def test_heldout_has_every_intent_with_15_examples() -> None:
    counts = Counter(e.intent for e in load_examples(heldout_file()))
    assert set(counts) == set(INTENTS)
    assert min(counts.values()) >= 15, counts


def test_heldout_never_repeats_a_training_example_even_folded() -> None:
    train = {fold(e.text) for e in load_examples(training_file())}
    dups = [e.text for e in load_examples(heldout_file()) if fold(e.text) in train]
    assert dups == []


def test_training_mixes_accented_and_unaccented_examples() -> None:
    per_intent: dict[str, set[bool]] = {}
    for e in load_examples(training_file()):
        per_intent.setdefault(e.intent, set()).add(fold(e.text) == e.text.lower())
    assert all(kinds == {True, False} for kinds in per_intent.values()), per_intent


def test_annotations_are_stripped() -> None:
    assert strip_annotations('làm [khai sinh](procedure) ở [Hoàn Kiếm]{"entity": "ward"}') == (
        "làm khai sinh ở Hoàn Kiếm"
    )
