"""The conversation sets and the runner's checks (no stack needed)."""

from __future__ import annotations

from evaluation.conversations import (
    EXPECTATIONS,
    SPLITS,
    TAGS,
    ConversationResult,
    TurnResult,
    check_turn,
    load_set,
    misses,
    select,
    summarize,
)
from knowledge_base.catalogue import load_catalogue
from knowledge_base.faq import get_faq

#: the styles issue 9 names: the sets must contain each of them
STYLES = {"follow-up", "long", "elderly", "no-diacritics", "teencode", "typo", "date-sensitive", "button",
          "topic-switch"}
#: the fresh held-out part's minimum per style (the brief it was written to)
HELDOUT_MINIMUM = {"follow-up": 20, "long": 10, "date-sensitive": 8, "no-diacritics": 8, "teencode": 6, "typo": 6,
                   "elderly": 6, "button": 5, "topic-switch": 5, "place": 5}


def _codes(turn: dict) -> list[str]:
    codes = turn.get("code") or []
    return [codes] if isinstance(codes, str) else list(codes)


def test_sets_are_large_enough_tagged_and_checked_against_the_data() -> None:
    cat = load_catalogue()
    sets = {split: load_set(split) for split in SPLITS}
    everything = [conv for convs in sets.values() for conv in convs]
    assert len(everything) >= 150
    ids = [c["id"] for c in everything]
    assert len(ids) == len(set(ids)), "ids must be unique across the splits"
    seen_styles = set()
    for conv in everything:
        assert 2 <= len(conv["turns"]) <= 6, conv["id"]
        assert conv["tags"], conv["id"]
        assert set(conv["tags"]) <= TAGS, (conv["id"], set(conv["tags"]) - TAGS)
        seen_styles |= set(conv["tags"])
        for i, turn in enumerate(conv["turns"], 1):
            assert ("say" in turn) != ("button" in turn), conv["id"]
            assert any(key in turn for key in EXPECTATIONS), (conv["id"], i, "turn without expectation")
            for code in _codes(turn):
                assert code in cat, (conv["id"], code)
            if turn.get("faq"):
                assert get_faq(turn["faq"]) is not None, (conv["id"], turn["faq"])
    assert STYLES <= seen_styles


def test_the_held_out_part_is_fresh_and_covers_every_style() -> None:
    heldout = load_set("heldout")
    assert len(heldout) >= 80
    assert all(c["id"].startswith("o") for c in heldout), "the demoted h-, x-, y-, z-, w-, u-, t-, s-, r-, q- and p-ids belong to dev"
    counts = {tag: sum(tag in c["tags"] for c in heldout) for tag in HELDOUT_MINIMUM}
    assert all(counts[tag] >= n for tag, n in HELDOUT_MINIMUM.items()), counts
    online = sum(bool({"vneid", "payment", "submission"} & set(c["tags"])) for c in heldout)
    assert online >= 8


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


def test_select_narrows_by_ids_and_misses_can_show_the_reply() -> None:
    dev = load_set("dev")
    assert [c["id"] for c in select(dev, None, ["d002", "d001"])] == ["d001", "d002"]
    assert select(dev, ["vocabulary"], ["d001"]) == [] or "vocabulary" in select(dev, None, ["d001"])[0]["tags"]
    bad = TurnResult("lam o dau", False, ["x"], "Dạ, tại Công an xã.\nMã 1.004194", "ask_procedure")
    line = misses([ConversationResult("d9", ["follow-up"], [bad])], replies=True)[0]
    assert line.startswith("d9 turn 1") and "reply: Dạ, tại Công an xã. / Mã 1.004194" in line
