"""The office of the ward just talked about ("trụ sở phường đó ở đâu"), from the registry's one-stop desks.
Phrasings written for the tests, not taken from the evaluation sets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from routing.ward_office import asks_ward_office, ward_office_text

pytestmark = pytest.mark.usefixtures("routing_env")


@pytest.mark.parametrize("text", [
    "trụ sở phường đó ở đâu", "thế còn ủy ban xã ở đâu", "ubnd phuong o dau vay", "địa chỉ ủy ban phường",
    "uy ban xa nam o duong nao a", "văn phòng phường này chỗ nào", "ub xã ở đâu ad",
])
def test_asks_the_ward_office(text: str) -> None:
    assert asks_ward_office(text)


@pytest.mark.parametrize("text", [
    "nộp ở phường nào", "ủy ban xã có làm chứng thực không", "ra ủy ban phường làm được không",
    "bưu điện gần phường Láng", "làm ở phường nhà trai hay nhà gái",
])
def test_other_place_questions_are_not_the_office(text: str) -> None:
    assert not asks_ward_office(text)


def test_the_office_address_comes_from_the_registry_or_is_said_to_be_missing() -> None:
    known = ward_office_text("00082")  # Cửa Nam: its one-stop desk has a street address
    assert known and "Bà Triệu" in known and "Cửa Nam" in known
    unknown = ward_office_text("00376")  # Sóc Sơn: the registry knows the commune, not its street
    assert unknown and "Sóc Sơn" in unknown and "chưa ghi số nhà" in unknown and "1022" in unknown
    assert ward_office_text("99999") is None


def _user(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return {"event": "user", "text": text, "parse_data": parse}


def _run(action: Any, events: list[dict[str, Any]], slots: dict[str, Any]) -> CollectingDispatcher:
    latest = next(e for e in reversed(events) if e["event"] == "user")["parse_data"]
    d = CollectingDispatcher()
    asyncio.run(action.run(d, Tracker("u", slots, latest, events, False, None, {}, "action_listen"), {}))
    return d


def test_the_office_of_the_ward_of_the_last_agent_answer() -> None:
    from actions.agents import ActionFindAgent
    from actions.faq import ActionAnswerFaq

    before = [_user("điểm nộp hồ sơ gần phường Cửa Nam", "find_agent"), {"event": "bot", "text": "Các điểm ..."}]
    for action, intent in ((ActionFindAgent(), "find_agent"), (ActionAnswerFaq(), "ask_contact")):
        d = _run(action, [*before, _user("ủy ban phường ở chỗ nào thế", intent)], {"agent_ward": "00082"})
        assert "21 Bà Triệu" in d.messages[0]["text"] and d.messages[0]["dvcbot_intent"] == "find_agent"
    # a ward the message names wins over the last one
    named = _user("trụ sở ủy ban xã Sóc Sơn ở đâu", "find_agent", [{"entity": "ward", "value": "00376"}])
    d = _run(ActionFindAgent(), [*before, named], {"agent_ward": "00082"})
    assert "Sóc Sơn" in d.messages[0]["text"] and "Bà Triệu" not in d.messages[0]["text"]
