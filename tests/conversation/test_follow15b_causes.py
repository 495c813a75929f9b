"""Follow-ups that name their own request (session 15, follow15b): after an FAQ answer of one topic, a message
the NLU reads as another topic and that asks only how to do that topic's main thing ("nộp hồ sơ", "thanh toán")
is that topic's way in, not an entry of the topic before that shares a folded word ("sơ" / "số"); an entry asked
about a narrower case than the message says (children) loses to the entry asked just as the message.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.followup import asked_cover, faq_followup


@pytest.mark.parametrize("text", [
    "dang nhap xong roi thi nop ho so the nao",
    "rồi sau đó nộp hồ sơ trực tuyến kiểu gì",
    "vô dc r, nộp hs ntn ad",
    "ok đăng nhập được rồi, giờ làm hồ sơ online ra sao",
])
def test_another_topics_own_request_asked_how_is_its_way_in(text: str) -> None:
    entry = faq_followup(text, "vneid.qr_login", asked_category="submission")
    assert entry is not None and entry.id == "submission.steps", entry and entry.id


def test_the_way_in_needs_the_nlu_to_read_that_topic_and_a_how_question() -> None:
    # the topic before is kept for a bare follow-up the NLU reads as the same topic
    assert faq_followup("có mất tiền không", "vneid.level2_register", asked_category="vneid").id == "vneid.fee"
    # another topic's entry named by its own words, not asked how: the scorer's own choice
    entry = faq_followup("trả lệ phí bằng ví điện tử được không", "submission.steps", asked_category="payment")
    assert entry is not None and entry.id == "payment.banks_wallets"
    # a word the way in is not asked with ("quét QR"): not the way in
    entry = faq_followup("đăng nhập bằng quét QR thì làm sao", "vneid.activate", asked_category="submission")
    assert entry is None or entry.id != "submission.steps"


def test_an_entry_asked_about_a_narrower_case_loses() -> None:
    assert asked_cover({"ky", "vneid", "muc"}, [frozenset({"ky", "vneid", "muc"})]) == 1.0
    assert asked_cover({"ky", "vneid", "muc"}, [frozenset({"ky", "muc", "con", "nho"})]) == 0.5
    for previous in ("vneid.integrate_documents", "vneid.level2_register"):
        entry = faq_followup("thế tài khoản vneid mức 2 đăng ký ở đâu vậy", previous)
        assert entry is not None and entry.id == "vneid.level2_register", (previous, entry and entry.id)



ONE_OFF_INSURANCE = "1.001613"  # "Giải quyết hưởng bảo hiểm xã hội một lần"


@pytest.mark.parametrize("text", ["đăng ký cho cả 5 người một lần được không", "có phải mỗi người khai một lần không",
                                  "nop 1 lan cho tat ca duoc ko", "làm một lượt cho cả nhà được không"])
def test_a_count_word_names_no_procedure_beside_the_topic(text: str) -> None:
    from actions.message import Candidate
    from actions.procedure import weak_beside_topic
    from knowledge_base.catalogue import load_catalogue

    known = load_catalogue()
    proc = known[ONE_OFF_INSURANCE]
    assert weak_beside_topic(text, Candidate(ONE_OFF_INSURANCE, proc.name, 0.56), proc)
    # the procedure named by its own words still leaves the topic
    assert not weak_beside_topic("còn bảo hiểm xã hội một lần thì sao", Candidate(ONE_OFF_INSURANCE, proc.name, 0.6),
                                 proc)


def _user_event(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text, "intent": {"name": "ask_procedure"},
                                                          "entities": []}}


def _tracker(events: list[dict]):
    from rasa_sdk import Tracker

    latest = next(e for e in reversed(events) if e["event"] == "user")["parse_data"]
    return Tracker("u", {}, latest, events, False, None, {}, "action_listen")


PERMANENT = "1.004222"
DEREGISTER = "1.003197"


def test_a_bare_follow_up_after_a_prerequisite_question_asks_about_the_main_need() -> None:
    from actions.followup import asks_prerequisite, previous_procedure

    assert asks_prerequisite("co phai ve que xoa thuong tru truoc ko")
    assert not asks_prerequisite("trước đây tôi ở quận khác") and not asks_prerequisite("có cần đặt lịch trước khi đến")
    main = [_user_event("chuyển hộ khẩu cả nhà lên Hà Nội thế nào"),
            {"event": "bot", "text": f"Thủ tục Đăng ký thường trú (mã {PERMANENT}). ..."}]
    side = [{"event": "bot", "text": f"Thủ tục Xóa đăng ký thường trú (mã {DEREGISTER}). ..."}]
    events = [*main, _user_event("thế có phải về quê cắt khẩu trước không"), *side, _user_event("mất bao lâu")]
    assert previous_procedure(_tracker(events)) == (PERMANENT, False)
    # a side answer to a question that asks no step first is the topic
    events = [*main, _user_event("còn xóa thường trú ở quê thì sao"), *side, _user_event("mất bao lâu")]
    assert previous_procedure(_tracker(events)) == (DEREGISTER, False)
