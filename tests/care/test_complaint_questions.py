"""Questions about complaining (issue 9): asking where or how to complain gets the FAQ answer, not the
form; a question typed into the form is answered and the form asks its question again. Phrasings
are written for these tests, not taken from the evaluation sets."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.complaint import OFFER_FORM, ActionComplaintEntry, question_answer
from tests.care.test_complaint_actions import msg, tracker, validate


def _entry(text: str) -> tuple[list[str], dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionComplaintEntry().run(dispatcher, tracker(msg(text, "file_complaint")), {}))
    return [m.get("text") or "" for m in dispatcher.messages], {e["name"]: e["value"] for e in events}


def test_a_question_about_where_to_complain_is_answered_not_a_form() -> None:
    said, slots = _entry("muốn góp ý về dịch vụ công thì gọi số nào ạ")
    assert slots["complaint_lookup"] is True  # handled: the rule listens, no form
    assert "1022" in said[0] and OFFER_FORM in said[0]
    said, slots = _entry("phản ánh qua app iHanoi có được không")
    assert slots["complaint_lookup"] is True and "iHanoi" in said[0]


def test_a_wish_to_complain_starts_the_form() -> None:
    for text in ("tôi muốn phản ánh cán bộ một cửa gây khó dễ",
                 "Hồ sơ của tôi nộp từ tháng trước, hẹn mãi không trả, tôi muốn khiếu nại việc này"):
        said, slots = _entry(text)
        assert slots["complaint_lookup"] is False and not said, text
    assert question_answer("tôi muốn phản ánh cán bộ một cửa gây khó dễ") is None


def test_a_question_in_the_phone_step_is_answered_then_asked_again() -> None:
    state = {"complaint_category": "overdue", "complaint_description": "Hồ sơ quá hạn lâu rồi chưa trả",
             "complaint_where": "-", "requested_slot": "complaint_phone"}
    slots, said = validate("thế muốn gọi thẳng tổng đài thì số nào", state, "file_complaint")
    assert slots["complaint_phone"] is None and slots["requested_slot"] == "complaint_phone"
    assert len(said) == 1 and "1022" in said[0] and "chưa đúng" not in said[0]
    # a wrong number is still a wrong number
    slots, said = validate("09123", state, "file_complaint")
    assert slots["complaint_phone"] is None and "chưa đúng" in said[0]


def test_a_question_in_the_category_step_is_answered_then_asked_again() -> None:
    slots, said = validate("gửi qua zalo được không", {"requested_slot": "complaint_category"}, "file_complaint")
    assert slots["complaint_category"] is None and "Zalo" in said[0] and "1 đến 6" not in said[0]


def test_a_contact_question_is_a_question_at_every_step() -> None:
    from care.dialogue import asks_contact_question, is_question

    for step in ("complaint_where", "complaint_description", "complaint_phone"):
        assert is_question("ask_contact", "sdt de gop y la so may vay", step), step
        assert is_question("ask_contact", "zalo của trung tâm là gì", step), step
    # a place or a story that mentions the hotline is still the answer to the step
    assert not asks_contact_question("tôi gọi đường dây nóng mãi mà không ai nghe máy")
    assert not is_question("ask_contact", "ở bộ phận một cửa phường Láng", "complaint_where")


def test_a_number_asked_in_the_form_gets_the_complaint_channel() -> None:
    for text in ("so nao de phan anh vay ad", "muốn kiến nghị thì gọi số nào"):
        answer = question_answer(text)
        assert answer and "1022" in answer and "VNeID" not in answer, text


def test_a_number_asked_at_the_phone_step_is_not_a_wrong_number() -> None:
    state = {"complaint_category": "staff_attitude", "complaint_description": "Cán bộ một cửa nói năng khó nghe",
             "complaint_where": "-", "requested_slot": "complaint_phone"}
    slots, said = validate("sdt tong dai de gop y so may", state, "file_complaint")
    assert slots["complaint_phone"] is None and len(said) == 1 and "1022" in said[0] and "chưa đúng" not in said[0]


def test_a_channel_asked_in_the_form_is_the_complaint_channel() -> None:
    # the general number words ("số nào") and an online channel asked while complaining
    answer = question_answer("vậy gọi số nào hả em", in_form=True)
    assert answer and "phản ánh" in answer and "1022" in answer
    answer = question_answer("có cách nào góp ý qua mạng không", in_form=True)
    assert answer and "iHanoi" in answer
    # a story told before the wish to complain opens the form, even with a question word in it
    assert question_answer("cán bộ bảo mỗi lần một kiểu, lần nào cũng thiếu giấy, tôi muốn khiếu nại") is None


def test_in_complaint_while_the_form_runs_or_right_after_it() -> None:
    from rasa_sdk import Tracker

    from actions.complaint import in_complaint

    assert in_complaint(tracker(msg("gọi số nào", "ask_contact")))  # the form is active

    def after(action: str) -> Tracker:
        events = [{"event": "user", "text": "tôi muốn phản ánh"}, {"event": "action", "name": action},
                  {"event": "bot", "text": "..."}, {"event": "action", "name": "action_listen"},
                  {"event": "user", "text": "gọi số nào"}]
        return Tracker("web:s1", {}, msg("gọi số nào", "ask_contact"), events, False, None, {}, "action_listen")

    assert in_complaint(after("action_submit_complaint"))
    assert in_complaint(after("action_complaint_entry"))
    assert not in_complaint(after("action_answer_procedure"))
