"""Issue 9: a short question where or to whom to turn, naming nothing else, gets a contact answer (the hotline,
the branches and commune points, the any-branch rule), never "which procedure?". Phrasings are written for the
tests, not taken from the evaluation sets."""

from __future__ import annotations

import pytest

from actions.where_to_turn import ANYWHERE_ENTRY, GO_ENTRY, HELP_ENTRY, turn_to_entry


@pytest.mark.parametrize("message, entry", [
    ("muon hoi them thi lien he dau", HELP_ENTRY),
    ("cần người hướng dẫn thì gọi ai", HELP_ENTRY),
    ("bác không biết làm thì nhờ ai được", HELP_ENTRY),
    ("ko tu lam dc thi sao ad", HELP_ENTRY),
    ("gio bac di dau de lam giay to", GO_ENTRY),
    ("giờ tôi muốn làm thì ra chỗ nào", GO_ENTRY),
    ("nop o dau cung dc a", ANYWHERE_ENTRY),
    ("chi nhánh nào cũng nhận hả em", ANYWHERE_ENTRY),
])
def test_where_to_turn_is_a_contact_answer(message, entry) -> None:
    assert turn_to_entry(message) == entry


@pytest.mark.parametrize("message", [
    "làm căn cước ở đâu",  # a procedure named: its own office
    "giấy khai sinh nộp ở đâu",
    "bảo hiểm thì hỏi ai",  # a topic named
    "mất bao lâu",  # no place or help asked
    "cảm ơn em",
])
def test_a_message_naming_something_else_is_not_where_to_turn(message) -> None:
    assert turn_to_entry(message) is None


def test_only_the_any_branch_rule_is_read_before_a_topic_entries() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.where_to_turn import answer_turn_to

    def said(text: str, anywhere_only: bool) -> list[dict]:
        d = CollectingDispatcher()
        answer_turn_to(d, {"text": text, "intent": {"name": "ask_contact"}, "entities": []}, anywhere_only)
        return d.messages

    assert said("chi nhánh nào cũng nhận hả em", anywhere_only=True)
    assert not said("muon hoi them thi lien he dau", anywhere_only=True)
    assert said("muon hoi them thi lien he dau", anywhere_only=False)


def test_after_a_procedure_answer_the_any_office_question_is_that_procedure_s() -> None:
    from rasa_sdk import Tracker

    from actions.where_to_turn import after_procedure

    def tracker(bot_text: str) -> Tracker:
        user = {"text": "x", "intent": {"name": "ask_procedure"}, "entities": []}
        events = [{"event": "user", "text": "x", "parse_data": user}, {"event": "bot", "text": bot_text},
                  {"event": "user", "text": "y", "parse_data": {**user, "text": "y"}}]
        return Tracker("u", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")

    assert after_procedure(tracker("Thủ tục Chứng thực bản sao (mã 2.000815). Lệ phí: ..."))
    assert not after_procedure(tracker("Dạ, chào anh chị."))
