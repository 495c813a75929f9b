"""Knowledge gaps grouped with the real e5 encoder; an approved draft answers in the action server."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from care import faq_live, gaps
from care.auth import create_staff
from dvcbot.db import session_scope
from gateway.models import ChatTurn

BHYT = ["làm lại thẻ bảo hiểm y tế bị mất ở đâu", "mất thẻ bhyt thì cấp lại thế nào",
        "cấp lại thẻ bảo hiểm y tế khi bị mất", "thẻ bảo hiểm y tế bị mất làm lại ở đâu ạ"]
GPLX = ["đổi giấy phép lái xe quá hạn", "giấy phép lái xe hết hạn đổi ở đâu"]


@pytest.fixture(scope="module")
def encoder():
    from knowledge_base.encoder import get_encoder

    return get_encoder()


def add_turns(db_url, texts, intent="nlu_fallback", confidence=0.3):
    now = dt.datetime.now(dt.UTC)
    with session_scope(db_url) as s:
        for i, t in enumerate(texts):
            s.add(ChatTurn(session_id=f"g{i}-{abs(hash(t)) % 10_000}", message_id=f"m{i}", channel="web", text=t,
                           status="done", response="{}", intent=intent, confidence=confidence, created_at=now,
                           updated_at=now))


def test_gaps_group_by_meaning_and_a_draft_goes_live_after_approval(care_db, encoder, monkeypatch):
    add_turns(care_db, BHYT + GPLX)
    add_turns(care_db, ["xin chào"], intent="greet", confidence=0.99)  # understood: not a gap
    with session_scope(care_db) as s:
        found = gaps.group(gaps.candidates(s), encoder)
        a = create_staff(s, "sup_a", "Giám sát A", "mật khẩu rất dài 1", "supervisor").id
        b = create_staff(s, "sup_b", "Giám sát B", "mật khẩu rất dài 2", "supervisor").id
    assert [g.size for g in found] == [4, 2]
    assert set(found[0].examples) == set(BHYT) and found[0].sources == {"fallback": 4}
    with session_scope(care_db) as s:
        draft = gaps.create_draft(s, a, found[0].question, "Anh chị đề nghị cấp lại thẻ tại cơ quan bảo hiểm "
                                  "xã hội nơi cư trú hoặc trên ứng dụng VssID.", "Luật Bảo hiểm y tế, Điều 18",
                                  dt.date(2026, 1, 1), None, found[0].examples)
        did = draft.id
    faq_live.forget()
    question = "bị mất thẻ bảo hiểm y tế thì làm lại ở đâu"
    assert faq_live.answer_for(question, care_db, dt.date(2026, 11, 30), encoder) is None  # not approved yet
    with session_scope(care_db) as s, pytest.raises(gaps.ApprovalError):
        gaps.approve(s, did, a)  # the author cannot approve
    with session_scope(care_db) as s:
        gaps.approve(s, did, b)
    faq_live.forget()
    answer = faq_live.answer_for(question, care_db, dt.date(2026, 11, 30), encoder)
    assert answer and "VssID" in answer and "Điều 18" in answer
    assert faq_live.answer_for("đăng ký tạm trú cần giấy tờ gì", care_db, dt.date(2026, 11, 30), encoder) is None
    assert faq_live.answer_for(question, care_db, dt.date(2025, 12, 31), encoder) is None  # not valid yet

    # the action server's fallback answers with it
    from actions.fallback import ActionFallback
    from dvcbot import settings as settings_module

    monkeypatch.setenv("DVCBOT_DATABASE_URL", care_db)
    monkeypatch.setenv("DVCBOT_TODAY", "2026-11-30")
    settings_module.get_settings.cache_clear()
    faq_live.forget()
    msg = {"text": question, "intent": {"name": "nlu_fallback", "confidence": 0.4}, "entities": []}
    t = Tracker("web:g", {}, msg, [{"event": "user", "text": question, "parse_data": msg}], False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionFallback().run(dispatcher, t, {}))
    settings_module.get_settings.cache_clear()
    assert "VssID" in dispatcher.messages[0]["text"]
