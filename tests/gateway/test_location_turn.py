"""A message that shares a location is a search for the nearest service points, whatever its words."""

from __future__ import annotations

from channels.replies import LOCATION_TURN_TEXT
from gateway.turns import dialogue_text


def test_a_shared_location_is_the_find_agent_turn_whatever_its_words() -> None:
    loc = {"location": {"lat": 21.03, "lon": 105.85}}
    for words in ("đây nhé", "ok", "vi tri cua toi day", "nè", "gửi rồi đó ạ"):
        assert dialogue_text(words, loc) == LOCATION_TURN_TEXT


def test_text_without_a_location_and_button_payloads_are_sent_as_they_are() -> None:
    assert dialogue_text("đây nhé", {}) == "đây nhé"
    assert dialogue_text("đây nhé", {"locale": "vi"}) == "đây nhé"
    assert dialogue_text("/find_agent_more", {"location": {"lat": 21.0, "lon": 105.8}}) == "/find_agent_more"
