"""Issue 9: a follow-up naming a filing channel ("nộp trực tiếp thì bao nhiêu") after an FAQ aside goes back to
the procedure answered before the aside. Phrasings are written for the tests, not taken from the evaluation sets."""

from __future__ import annotations

from typing import Any

import pytest

from actions import kb
from actions.channel_followup import channel_followup_code
from knowledge_base.faq import get_faq

TEMP_RESIDENCE = "1.004194"


def _user(text: str, intent: str = "ask_procedure") -> dict[str, Any]:
    return {"event": "user", "text": text,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}}


def _events(last: str, aside: bool = True) -> list[dict[str, Any]]:
    events = [_user("dang ky tam tru het bao nhieu"),
              {"event": "slot", "name": "procedure", "value": TEMP_RESIDENCE},
              {"event": "bot", "text": f"Thủ tục Đăng ký tạm trú (mã {TEMP_RESIDENCE}). Lệ phí: ..."}]
    if aside:
        events += [_user("online vẫn 0 đồng chứ", "ask_online_payment"),
                   {"event": "bot", "text": kb.faq_text(get_faq("payment.zero_fee_hanoi"))}]
    return [*events, _user(last)]


@pytest.mark.parametrize("message, aspect", [
    ("thế làm trực tiếp ở phường thì mất bao nhiêu tiền", "fee"),
    ("con nop online thi mat may ngay", "processing_time"),
    ("nộp tại quầy thì cần mang giấy tờ gì", "documents"),
    ("vay nop truc tiep thi het bao nhieu", "fee"),
    ("qua mạng thì bao lâu có kết quả", "processing_time"),
    ("lm onl thi mat phi k", "fee"),
])
def test_a_channel_follow_up_after_an_aside_stays_on_the_procedure(message, aspect) -> None:
    events = _events(message)
    assert channel_followup_code(events[-1]["parse_data"], events) == (TEMP_RESIDENCE, aspect)


def test_no_procedure_before_the_aside_or_no_aside_or_another_topic_is_no_channel_follow_up() -> None:
    events = _events("nộp trực tiếp thì bao nhiêu")[3:]  # the aside alone: no procedure to go back to
    assert channel_followup_code(events[-1]["parse_data"], events) is None
    events = _events("nộp trực tiếp thì bao nhiêu", aside=False)  # right after the procedure: the usual follow-up
    assert channel_followup_code(events[-1]["parse_data"], events) is None
    events = _events("nộp trực tuyến thì chuyển khoản thế nào")  # how to pay: the payment topic
    assert channel_followup_code(events[-1]["parse_data"], events) is None
    events = _events("bao nhiêu tiền")  # no channel named: read within the FAQ topic
    assert channel_followup_code(events[-1]["parse_data"], events) is None
