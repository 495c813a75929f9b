"""One list of intents (``nlu/intents.py``): the Rasa domain agrees with it, and the NLU service
recognises every button payload the project sends without reading any Rasa file."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions.procedure import ask_payload, aspect_buttons
from nlu.data import heldout_file, load_examples, training_file
from nlu.intents import DIALOGUE_ONLY, DOMAIN_INTENTS, INTENTS, PAYLOAD_INTENTS
from routing.answers import _ward_button

ROOT = Path(__file__).resolve().parents[2]


def _domain() -> dict:
    return yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))


def test_the_domain_lists_exactly_the_intents_of_the_module() -> None:
    listed = [next(iter(i)) if isinstance(i, dict) else str(i) for i in _domain()["intents"]]
    assert len(listed) == len(set(listed))
    assert listed == list(DOMAIN_INTENTS)


def test_the_training_data_covers_the_classified_intents_only() -> None:
    assert {e.intent for e in load_examples(training_file())} == set(INTENTS)
    assert {e.intent for e in load_examples(heldout_file())} == set(INTENTS)
    assert not set(DIALOGUE_ONLY) & set(INTENTS)


def test_the_nlu_service_reads_no_rasa_domain() -> None:
    """The production NLU image has ``bot/data`` only: no module of nlu/ may open the domain."""
    for path in (ROOT / "nlu").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert '"domain.yml"' not in source and '"domain"' not in source, path


def _project_payloads() -> list[str]:
    payloads = [button["payload"]
                for variants in _domain()["responses"].values() for variant in variants
                for button in variant.get("buttons", [])]
    payloads += ["/find_agent_more", _ward_button("00070", "Phường Hoàn Kiếm")["payload"],
                 ask_payload("1.001193"), *(b["payload"] for b in aspect_buttons("1.001193", None))]
    return payloads


def test_every_payload_the_project_sends_is_recognised(parser) -> None:
    payloads = _project_payloads()
    assert len(payloads) >= 7
    for payload in payloads:
        name = re.match(r"/(\w+)", payload).group(1)
        assert name in PAYLOAD_INTENTS, payload
        assert parser.parse(payload)["intent"] == {"name": name, "confidence": 1.0}, payload
    for name in DOMAIN_INTENTS:  # a button may carry any intent of the domain
        assert parser.parse(f"/{name}")["intent"] == {"name": name, "confidence": 1.0}
