"""The conversation sets and the runner's checks (no stack needed)."""

from __future__ import annotations

from evaluation.conversations import (
    ConversationResult,
    TurnResult,
    check_turn,
    load_set,
    select,
    summarize,
)
from knowledge_base.catalogue import load_catalogue
from knowledge_base.faq import get_faq

STYLES = {"follow-up", "long", "elderly", "no-diacritics", "teencode", "typo", "date-sensitive", "button",
          "topic-switch"}


def test_sets_are_large_enough_tagged_and_checked_against_the_data() -> None:
    cat = load_catalogue()
    dev, heldout = load_set("dev"), load_set("heldout")
    assert len(dev) + len(heldout) >= 150
    ids = [c["id"] for c in dev + heldout]
    assert len(ids) == len(set(ids))
    seen_styles = set()
    for conv in dev + heldout:
        assert 1 <= len(conv["turns"]) <= 6, conv["id"]
        assert conv["tags"], conv["id"]
        seen_styles |= set(conv["tags"])
        for turn in conv["turns"]:
            assert ("say" in turn) != ("button" in turn), conv["id"]
            codes = turn.get("code") or []
            for code in [codes] if isinstance(codes, str) else codes:
                assert code in cat, (conv["id"], code)
            if turn.get("faq"):
                assert get_faq(turn["faq"]) is not None, (conv["id"], turn["faq"])
    assert STYLES <= seen_styles


def test_a_turn_is_checked_for_every_expectation() -> None:
    body = {"intent": "ask_procedure", "degraded": False, "messages": [
        {"text": "Thủ tục Đăng ký tạm trú (mã 1.004194). Lệ phí: 7.000 đồng.",
         "buttons": [{"title": "Lệ phí", "payload": "/a"}, {"title": "lệ phí", "payload": "/b"}]}]}
    assert check_turn({"intent": "ask_procedure", "code": "1.004194", "must": ["7.000|miễn"]}, {
        **body, "messages": [{"text": body["messages"][0]["text"]}]}) == []
    failures = check_turn({"intent": "ask_vneid", "code": ["1.000894"], "must_not": ["Lệ phí"], "buttons": False}, body)
    assert any("intent" in f for f in failures) and any("codes" in f for f in failures)
    assert "has 'Lệ phí'" in failures and "unexpected buttons" in failures and "duplicate button titles" in failures
    garbled = {"messages": [{"text": "Thời hạn: 1 (hồ sơ gốc không ghi đơn vị)"}]}
    assert any("garbled" in f for f in check_turn({}, garbled))


def test_summary_per_tag_counts_conversations_and_turns() -> None:
    ok = TurnResult("a", True, [], "", None)
    bad = TurnResult("b", False, ["x"], "", None)
    table = summarize([ConversationResult("1", ["follow-up"], [ok, ok]), ConversationResult("2", ["long"], [ok, bad])])
    assert table["all"] == {"conv_ok": 1, "conv": 2, "turn_ok": 3, "turn": 4}
    assert table["long"]["conv_ok"] == 0
    assert [c["id"] for c in select(load_set("dev"), ["vocabulary"])]
