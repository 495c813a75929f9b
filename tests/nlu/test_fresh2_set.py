"""The second fresh independent intent set (data/eval/nlu_fresh2.yml) loads the way `dvcbot nlu eval --file` reads it.

Only its shape is checked here; it is scored once, at the end, by the lead.
"""

from __future__ import annotations

from collections import Counter

from dvcbot.settings import get_settings
from nlu.data import load_examples
from nlu.intents import INTENTS


def test_the_second_fresh_set_loads_with_known_intents_only() -> None:
    examples = load_examples(get_settings().data_dir / "eval" / "nlu_fresh2.yml")
    assert len(examples) >= 200
    per_intent = Counter(e.intent for e in examples)
    assert set(per_intent) <= set(INTENTS), set(per_intent) - set(INTENTS)
    assert per_intent.most_common(1)[0][0] == "ask_procedure"
    texts = [e.text for e in examples]
    assert len(texts) == len(set(texts))
