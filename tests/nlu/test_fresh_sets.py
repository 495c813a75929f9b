"""The fresh independent intent sets (data/eval/nlu_fresh2.yml ... nlu_fresh6.yml) load the way
`dvcbot nlu eval --file` reads them.

Only their shape is checked here; each is scored once, at the end, by the lead.
"""

from __future__ import annotations

from collections import Counter

import pytest

from dvcbot.settings import get_settings
from nlu.data import load_examples
from nlu.intents import INTENTS


@pytest.mark.parametrize("name", ["nlu_fresh2.yml", "nlu_fresh3.yml", "nlu_fresh4.yml", "nlu_fresh5.yml", "nlu_fresh6.yml", "nlu_fresh7.yml",
                                  "nlu_fresh8.yml", "nlu_fresh9.yml", "nlu_fresh10.yml",
                                  "nlu_fresh11.yml"])
def test_a_fresh_set_loads_with_known_intents_only(name: str) -> None:
    examples = load_examples(get_settings().data_dir / "eval" / name)
    assert len(examples) >= 200
    per_intent = Counter(e.intent for e in examples)
    assert set(per_intent) <= set(INTENTS), set(per_intent) - set(INTENTS)
    assert per_intent.most_common(1)[0][0] == "ask_procedure"
    texts = [e.text for e in examples]
    assert len(texts) == len(set(texts))
