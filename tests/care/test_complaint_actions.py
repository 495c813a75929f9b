"""The complaint form's extraction and validation, called like the action server calls them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import complaint
from actions.complaint import (
    ActionComplaintEntry,
    ActionRateService,
    ActionRequestHuman,
    ActionSubmitComplaint,
    ValidateComplaintForm,
    lookup_reply,
    turn_key,
)
from care import dialogue
from care.models import Handoff, Rating, Ticket
from dvcbot.db import session_scope
from dvcbot.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
FORM_SLOTS = dialogue.FORM_SLOTS


def msg(text: str, intent: str = "nlu_fallback", entities: dict[str, str] | None = None,
        message_id: str = "m1") -> dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9},
            "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
            "metadata": {"message_id": message_id, "channel": "web"}}


def tracker(latest: dict[str, Any], slots: dict[str, Any] | None = None, sender: str = "web:s1") -> Tracker:
    events = [{"event": "user", "text": latest["text"], "parse_data": latest, "metadata": latest["metadata"]}]
    return Tracker(sender, dict(slots or {}), latest, events, False, None,
                   {"name": "complaint_form"}, "action_listen")


def validate(text: str, slots: dict[str, Any], intent: str = "nlu_fallback",
             entities: dict[str, str] | None = None) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateComplaintForm().run(dispatcher, tracker(msg(text, intent, entities), slots), DOMAIN))
    out = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    if "requested_slot" not in out:  # Rasa's FormAction picks the next slot itself (domain order)
        merged = {**slots, **out}
        if any(k != "requested_slot" for k in out) and not merged.get("complaint_cancelled"):
            out["requested_slot"] = next((s for s in FORM_SLOTS if merged.get(s) is None), None)
    return out, [m.get("text") for m in dispatcher.messages]


def test_long_first_message_fills_category_and_description():
    slots, said = validate("tôi muốn phản ánh cán bộ phường thái độ không tốt", {}, "file_complaint")
    assert slots["complaint_category"] == "staff_attitude"
    assert slots["complaint_description"].startswith("tôi muốn phản ánh cán bộ")
    assert slots["requested_slot"] == "complaint_where" and said == [complaint.HOTLINE_ANYTIME]


@pytest.mark.parametrize(
    ("text", "serious"),
    [
        ("cán bộ một cửa gợi ý phải có phong bì thì mới làm nhanh, tôi muốn tố cáo", True),
        ("toi muon khieu nai vi bi doi them tien moi nhan ho so", True),
        ("tôi muốn phản ánh, có người đe dọa tôi ở bộ phận một cửa", True),  # urgent
        ("tôi muốn phản ánh cán bộ phường thái độ không tốt", False),
    ],
)
def test_every_complaint_gets_the_hotline_with_the_first_reply(text: str, serious: bool):
    _slots, said = validate(text, {}, "file_complaint")
    assert any("1022" in (s or "") for s in said)  # any complaint: the hotline with the first reply
    assert any(s in (complaint.SERIOUS_MONEY, complaint.SERIOUS_URGENT) for s in said) is serious


def test_a_short_opening_gets_the_hotline_too():
    _slots, said = validate("tôi muốn phản ánh", {}, "file_complaint")
    assert said == [complaint.HOTLINE_ANYTIME]


def test_short_first_message_asks_category_first():
    slots, _ = validate("tôi muốn phản ánh", {}, "file_complaint")
    assert slots == {}  # nothing filled: the form asks its first question, the category


def test_category_by_button_title_or_digit_and_refusal():
    slots, _ = validate("Yêu cầu nộp thêm phí, lệ phí", {"requested_slot": "complaint_category"})
    assert slots["complaint_category"] == "extra_fees" and slots["requested_slot"] == "complaint_description"
    slots, _ = validate("5", {"requested_slot": "complaint_category"})
    assert slots["complaint_category"] == "system_error"
    slots, said = validate("không biết nữa", {"requested_slot": "complaint_category"})
    assert slots["complaint_category"] is None and "1 đến 6" in said[0]


def test_where_resolves_ward_procedure_and_dossier():
    state = {"complaint_category": "overdue", "complaint_description": "Hồ sơ của tôi quá hạn 2 tuần chưa có kết quả",
             "requested_slot": "complaint_where"}
    slots, _ = validate("ở phường Láng, thủ tục 1.004194", state, "find_agent", {"ward": "00199"})
    assert slots["complaint_ward"] == "00199" and slots["complaint_ward_name"] == "Phường Láng"
    assert slots["complaint_procedure"] == "1.004194" and slots["requested_slot"] == "complaint_phone"
    slots, _ = validate("bỏ qua", state)
    assert slots["complaint_where"] == dialogue.SKIPPED


def test_phone_validated_skipped_and_consent():
    state = {"complaint_category": "overdue", "complaint_description": "Hồ sơ quá hạn lâu rồi chưa trả",
             "complaint_where": "-", "requested_slot": "complaint_phone"}
    slots, said = validate("0123", state)
    assert slots["complaint_phone"] is None and "chưa đúng" in said[0]
    slots, _ = validate("số tôi là 0912 345 678", state, "request_human", {"phone": "0912345678"})
    assert slots["complaint_phone"] == "0912345678" and slots["requested_slot"] == "complaint_consent"
    slots, _ = validate("bỏ qua", state)
    assert slots["complaint_phone"] == "-" and slots["requested_slot"] == "complaint_confirm"
    slots, _ = validate("đồng ý", {**state, "complaint_phone": "0912345678", "requested_slot": "complaint_consent"},
                        "affirm")
    assert slots["complaint_consent"] == "yes"


def test_question_in_the_middle_is_left_to_its_rule():
    state = {"complaint_category": "overdue", "requested_slot": "complaint_phone"}
    slots, said = validate("đăng ký tạm trú lệ phí bao nhiêu?", state, "ask_procedure")
    assert {k: v for k, v in slots.items() if k != "requested_slot"} == {} and not said
    # a description that mentions a procedure is still the description
    slots, _ = validate("cán bộ phường Láng đòi thêm tiền mới nhận hồ sơ đăng ký tạm trú",
                        {"complaint_category": "extra_fees", "requested_slot": "complaint_description"}, "ask_procedure")
    assert slots["complaint_description"].startswith("cán bộ phường Láng")


def test_correct_and_cancel():
    full = {"complaint_category": "overdue", "complaint_description": "Hồ sơ quá hạn lâu rồi chưa trả",
            "complaint_where": "-", "complaint_phone": "0912345678", "complaint_consent": "yes",
            "requested_slot": "complaint_confirm"}
    slots, said = validate("sửa số điện thoại", full)
    assert slots["complaint_phone"] is None and slots["requested_slot"] == "complaint_phone" and not said
    slots, _ = validate("hủy", full)
    assert slots["complaint_cancelled"] is True and slots["requested_slot"] is None
    slots, _ = validate("gửi phản ánh", full, "affirm")
    assert slots["complaint_confirm"] == "yes" and slots["requested_slot"] is None


def run_action(action, t: Tracker) -> tuple[list[dict], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def action_db(care_db, monkeypatch, tmp_path):
    """The action server's settings pointed at the test database."""
    from dvcbot import settings as settings_module

    monkeypatch.setenv("DVCBOT_DATABASE_URL", care_db)
    monkeypatch.setenv("DVCBOT_VAR_DIR", str(tmp_path))
    settings_module.get_settings.cache_clear()
    yield care_db
    settings_module.get_settings.cache_clear()


FILLED = {"complaint_category": "extra_fees", "complaint_description": "Cán bộ đòi thêm 200 nghìn mới nhận hồ sơ",
          "complaint_where": "Phường Láng", "complaint_ward": "00199", "complaint_ward_name": "Phường Láng",
          "complaint_phone": "0912345678", "complaint_consent": "yes", "complaint_confirm": "yes"}


def test_submit_commits_first_then_tells_code_once_per_message_id(action_db):
    t = tracker(msg("gửi phản ánh", "affirm", message_id="gw-1"), FILLED)
    assert turn_key(t) == "web:s1:gw-1"
    said, slots = run_action(ActionSubmitComplaint(), t)
    code = said[0]["custom"]["ticket_code"]
    assert code in said[0]["text"] and "3 ngày làm việc" not in said[0]["text"] and "2 ngày làm việc" in said[0]["text"]
    assert all(v is None for v in slots.values())
    said2, _ = run_action(ActionSubmitComplaint(), tracker(msg("gửi phản ánh", "affirm", message_id="gw-1"), FILLED))
    assert said2[0]["custom"]["ticket_code"] == code
    with session_scope(action_db) as s:
        assert s.scalar(select(func.count(Ticket.id))) == 1
        t = s.scalar(select(Ticket))
        assert (t.channel, t.session_id, t.ward_code, t.phone, t.consent) == ("web", "s1", "00199", "0912345678", True)
    # the look-up tells the status, never personal data
    reply = lookup_reply(f"tra cứu phản ánh {code.lower()}")
    assert code in reply and "tiếp nhận" in reply and "0912" not in reply and "200 nghìn" not in reply
    said, slots = run_action(ActionComplaintEntry(), tracker(msg(f"tra cứu phản ánh {code}", "file_complaint")))
    assert slots["complaint_lookup"] is True and code in said[0]["text"]
    said, slots = run_action(ActionComplaintEntry(), tracker(msg("tôi muốn phản ánh", "file_complaint")))
    assert slots["complaint_lookup"] is False and not said
    assert "không tìm thấy" in lookup_reply("PA-26-999999")
    # details only with the phone number given at filing
    assert "200 nghìn" in lookup_reply(f"tra cứu phản ánh {code} số 0912 345 678")
    assert "200 nghìn" not in lookup_reply(f"tra cứu phản ánh {code} số 0987 654 321")


def test_cancelled_form_files_nothing(action_db):
    said, _ = run_action(ActionSubmitComplaint(), tracker(msg("hủy"), {**FILLED, "complaint_cancelled": True}))
    assert "hủy" in said[0]["text"]
    with session_scope(action_db) as s:
        assert s.scalar(select(func.count(Ticket.id))) == 0


def test_database_down_keeps_the_complaint_in_the_outbox(action_db, monkeypatch, tmp_path):
    from dvcbot import settings as settings_module

    monkeypatch.setenv("DVCBOT_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1:1/none?connect_timeout=2")
    settings_module.get_settings.cache_clear()
    said, _ = run_action(ActionSubmitComplaint(), tracker(msg("gửi", "affirm", message_id="gw-9"), FILLED))
    assert "024 1022" in said[0]["text"] and "đã được lưu lại" in said[0]["text"]
    assert len(list((tmp_path / "care_outbox").glob("*.json"))) == 1
    monkeypatch.setenv("DVCBOT_DATABASE_URL", action_db)
    settings_module.get_settings.cache_clear()
    said, _ = run_action(ActionSubmitComplaint(), tracker(msg("gửi", "affirm", message_id="gw-10"), FILLED))
    assert said[0]["custom"]["ticket_code"]
    with session_scope(action_db) as s:
        keys = sorted(s.scalars(select(Ticket.idem_key)))
    assert keys == ["web:s1:gw-10", "web:s1:gw-9"]


def test_request_human_opens_one_handoff_and_rating_is_stored(action_db):
    said, _ = run_action(ActionRequestHuman(), tracker(msg("cho tôi gặp cán bộ", "request_human")))
    assert "cán bộ" in said[0]["text"]
    run_action(ActionRequestHuman(), tracker(msg("gặp người thật", "request_human")))
    with session_scope(action_db) as s:
        hs = list(s.scalars(select(Handoff)))
        assert len(hs) == 1 and hs[0].session_key == "web:s1" and "cho tôi gặp cán bộ" in hs[0].transcript
    said, _ = run_action(ActionRateService(), tracker(msg("đánh giá dịch vụ", "rate_service")))
    assert len(said[0]["buttons"]) == 5
    said, _ = run_action(ActionRateService(), tracker(msg("5 sao", "rate_service", message_id="r1")))
    run_action(ActionRateService(), tracker(msg("5 sao", "rate_service", message_id="r1")))
    assert "Cảm ơn" in said[0]["text"]
    with session_scope(action_db) as s:
        r = list(s.scalars(select(Rating)))
        assert len(r) == 1 and r[0].score == 5 and r[0].channel == "web" and not r[0].comment_asked


def test_low_rating_without_comment_asks_for_one(action_db):
    from care import ratings

    said, _ = run_action(ActionRateService(), tracker(msg("2 sao", "rate_service", message_id="r2")))
    assert ratings.COMMENT_QUESTION in said[0]["text"]
    said, _ = run_action(ActionRateService(), tracker(msg("1 sao vì chờ quá lâu không ai trả lời",
                                                          "rate_service", message_id="r3")))
    assert ratings.COMMENT_QUESTION not in said[0]["text"]  # the comment came with the rating
    with session_scope(action_db) as s:
        r = list(s.scalars(select(Rating).order_by(Rating.id)))
        assert [(x.score, x.comment_asked) for x in r] == [(2, True), (1, False)]
        assert "chờ quá lâu" in r[1].comment


def test_not_understood_answers_inside_the_form_open_no_handoff(action_db):
    from actions.fallback import ActionFallback

    first = msg("phường Láng", message_id="a")
    events = [{"event": "user", "text": first["text"], "parse_data": first},
              {"event": "action", "name": "complaint_form"}, {"event": "action", "name": "action_listen"}]
    latest = msg("0912 345 678", message_id="b")
    t = Tracker("web:s2", {}, latest, [*events, {"event": "user", "text": latest["text"], "parse_data": latest}],
                False, None, {"name": "complaint_form"}, "action_listen")
    said, _ = run_action(ActionFallback(), t)
    assert said and "chuyển cuộc trò chuyện" not in str(said)
    with session_scope(action_db) as s:
        assert list(s.scalars(select(Handoff))) == []
