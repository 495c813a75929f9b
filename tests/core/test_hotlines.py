"""The support numbers are spelled one way everywhere: as in ``dvcbot/hotlines.py``."""

from __future__ import annotations

from pathlib import Path

import yaml

from dvcbot import hotlines
from dvcbot.hotlines import ALL_CHANNELS, CALL_ANY, CALL_HOTLINE, SPELLINGS, nonstandard_spellings
from gateway.replies import APOLOGY
from knowledge_base.faq import load_faqs

ROOT = Path(__file__).resolve().parents[2]


def _domain_texts() -> dict[str, str]:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    return {f"{name}[{i}]": variant["text"]
            for name, variants in domain["responses"].items()
            for i, variant in enumerate(variants) if "text" in variant}


def test_nonstandard_spellings_are_found() -> None:
    text = "gọi 024.1022 hoặc 19001009, tổng đài 1900.1009, Zalo 0768.221.221, VNeID 1900 0368"
    assert nonstandard_spellings(text) == ["024.1022", "19001009", "1900.1009", "0768.221.221"]
    assert nonstandard_spellings(ALL_CHANNELS) == []
    assert nonstandard_spellings("mã thủ tục 1.004194, lệ phí 10.000 đồng") == []


def test_standard_sentences_name_every_number_in_its_standard_spelling() -> None:
    assert hotlines.HOTLINE in CALL_HOTLINE and hotlines.HOTLINE_BRANCHES in CALL_HOTLINE
    assert CALL_HOTLINE in CALL_ANY and hotlines.SWITCHBOARD in CALL_ANY
    for spelled in SPELLINGS.values():
        assert spelled in ALL_CHANNELS


def test_every_domain_reply_spells_the_numbers_as_the_module() -> None:
    texts = _domain_texts()
    assert texts, "bot/domain.yml has no responses"
    bad = {name: nonstandard_spellings(text) for name, text in texts.items() if nonstandard_spellings(text)}
    assert bad == {}
    mentioning = {name: text for name, text in texts.items() if hotlines.HOTLINE_SHORT in text}
    assert len(mentioning) >= 5  # goodbye, bot challenge, complaint, human, contact, fallbacks
    for name, text in mentioning.items():
        assert CALL_HOTLINE in text, name  # the standard sentence, not a hand-written variant


def test_gateway_apology_uses_the_standard_sentence() -> None:
    assert CALL_ANY in APOLOGY and nonstandard_spellings(APOLOGY) == []


def test_faq_answers_spell_the_numbers_as_the_module() -> None:
    bad = {}
    for faq in load_faqs():
        for text in (faq.answer, faq.expired_answer or ""):
            if nonstandard_spellings(text):
                bad[faq.id] = nonstandard_spellings(text)
    assert bad == {}
    assert any(hotlines.SWITCHBOARD in faq.answer for faq in load_faqs())
