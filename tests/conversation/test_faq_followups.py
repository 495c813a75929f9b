"""Issue 9: a short follow-up stays on the topic the bot answered last — an FAQ entry (VNeID,
contact, submission, payment), a procedure or a citizen term — and never falls to a procedure the
words only look like. Phrasings here are written for the tests, not taken from the evaluation sets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.fallback import ActionFallback, ActionOutOfScope
from actions.followup import (
    ANSWER_FAQ_KEY,
    ANSWER_INTENT_KEY,
    SLOT_LOOKBACK_TURNS,
    conversation_topic,
    faq_followup,
    faq_of_reply,
    previous_procedure,
    slot_before,
)
from actions.procedure import ActionAnswerProcedure
from knowledge_base.faq import get_faq


def faq_reply(faq_id: str) -> str:
    return kb.faq_text(get_faq(faq_id))


@pytest.mark.parametrize("message, previous, expected", [
    ("thế còn viber", "contact.hotline", "contact.zalo_viber"),
    ("đêm khuya có ai nghe máy không", "contact.hotline", "contact.hours"),
    ("trang web là gì", "contact.switchboard", "contact.website"),
    ("biên lai lấy đâu", "payment.steps", "payment.receipt"),
    ("ví momo được không", "payment.steps", "payment.banks_wallets"),
    ("có tốn tiền không", "vneid.lock", "vneid.fee"),
    ("bao lâu thì xong", "vneid.level2_register", "vneid.level2_time"),
    ("thế quên mật khẩu thì sao", "vneid.activate", "vneid.forgot_password"),
    ("phải ra chỗ nào", "vneid.level2_time", "vneid.level2_register"),
    ("mở khoá thì ra đâu", "vneid.lock", "vneid.unlock"),
    ("kết quả gửi về đâu", "submission.steps", "submission.results_by_post"),
    ("dùng tài khoản gì để vào", "submission.which_portal", "submission.login_account"),
])
def test_a_short_follow_up_is_answered_within_the_previous_faq_topic(message, previous, expected) -> None:
    entry = faq_followup(message, previous)
    assert entry is not None and entry.id == expected, (message, entry and entry.id)


def test_another_topic_needs_a_word_that_names_it() -> None:
    assert faq_followup("thanh toán lệ phí thế nào", "vneid.level2_register").id == "payment.steps"
    assert faq_followup("mất bao nhiêu tiền", "contact.hotline") is None  # an aspect alone never leaves the topic
    assert faq_followup("cảm ơn nhé", "vneid.level2_register") is None
    # a procedure named in the message: not an FAQ follow-up although "đăng ký" is in VNeID entries
    assert faq_followup("đăng ký tạm trú mất bao lâu", "vneid.level2_register", names_procedure=True) is None
    assert faq_followup("đăng ký kết hôn ở đâu", "vneid.level2_register", names_procedure=True) is None


def _user(text: str, intent: str = "ask_procedure", **extra: Any) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], **extra}
    return {"event": "user", "text": text, "parse_data": parse}


def _tracker(events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")["parse_data"]
    return Tracker("u", slots or {}, latest, events, False, None, {}, "action_listen")


def test_the_topic_is_what_the_bot_answered_last_not_the_slot_extraction() -> None:
    proc_reply = "Thủ tục Đăng ký tạm trú (mã 1.004194). Lệ phí: ..."
    events = [_user("đăng ký tạm trú cần gì"), {"event": "slot", "name": "procedure", "value": "1.004194"},
              {"event": "bot", "text": proc_reply},
              _user("lock?", "ask_vneid"), {"event": "slot", "name": "procedure", "value": "3.000275"},
              {"event": "bot", "text": faq_reply("vneid.lock")},
              _user("ở đâu thế"), {"event": "slot", "name": "procedure", "value": "1.002228"}]
    topic = conversation_topic(events)
    assert topic is not None and topic.kind == "faq" and topic.faq_id == "vneid.lock"
    assert slot_before(events, "procedure") == "3.000275"  # this message's own extraction excluded
    assert previous_procedure(_tracker(events)) == (None, False)  # an FAQ was answered after the procedure
    assert conversation_topic(events[:4]).code == "1.004194"
    assert faq_of_reply("Xin chào, tôi là trợ lý tự động") is None
    marked = [_user("x"), {"event": "bot", "text": "...", "metadata": {ANSWER_FAQ_KEY: "contact.hours"}}, _user("y")]
    assert conversation_topic(marked).faq_id == "contact.hours"


def test_a_guess_of_slot_extraction_is_no_topic_when_the_bot_answered_no_procedure() -> None:
    greeting = "Xin chào, tôi là trợ lý tự động. Anh chị cần hỏi gì ạ?"
    events = [_user("nhờ chút việc với", "greet"), {"event": "slot", "name": "procedure", "value": "2.000829"},
              {"event": "bot", "text": greeting},
              _user("bằng lái mất thì làm sao")]
    assert previous_procedure(_tracker(events)) == (None, False)
    # a procedure answered further back than the look-back still counts
    answered = [_user("đăng ký tạm trú cần gì"), {"event": "slot", "name": "procedure", "value": "1.004194"},
                {"event": "bot", "text": "Thủ tục Đăng ký tạm trú (mã 1.004194). Lệ phí: ..."}]
    chat = [x for i in range(4) for x in (_user(f"ừ {i}", "affirm"), {"event": "bot", "text": "Dạ."})]
    assert previous_procedure(_tracker([*answered, *chat, _user("bao lâu")]))[0] == "1.004194"
    # a tracker built by hand, without any reply: the slot
    assert previous_procedure(_tracker([_user("bao lâu")], {"procedure": "1.004194"}))[0] == "1.004194"
    # ... but only within the slot's look-back: a procedure answered many turns ago is no topic any more
    long_chat = [x for i in range(SLOT_LOOKBACK_TURNS + 1)
                 for x in (_user(f"ừ {i}", "affirm"), {"event": "bot", "text": "Dạ."})]
    assert previous_procedure(_tracker([*answered, *long_chat, _user("bao lâu")])) == (None, False)


def run(action: Any, events: list[dict[str, Any]]) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    d = CollectingDispatcher()
    return d, asyncio.run(action.run(d, _tracker(events), {}))


def test_a_follow_up_of_an_faq_answer_is_never_a_guessed_procedure() -> None:
    # the slot extraction of the short message guessed a clarification candidate: never answered
    events = [_user("đổi số điện thoại vneid", "ask_vneid"), {"event": "bot", "text": faq_reply("vneid.change_phone")},
              _user("phải đi đâu làm", "nlu_fallback"), {"event": "slot", "name": "procedure", "value": "1.002228"},
              {"event": "slot", "name": "procedure_guessed", "value": True}]
    d, _ = run(ActionFallback(), events)
    assert "1.002228" not in d.messages[0]["text"] and "Công an" in d.messages[0]["text"]
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_vneid"
    # labelled a procedure question by the NLU: still the VNeID topic, reported as ask_vneid
    events[2] = _user("làm ở chỗ nào")
    d, _ = run(ActionAnswerProcedure(), events[:3])
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_vneid" and "Công an" in d.messages[0]["text"]
    assert "(mã " not in d.messages[0]["text"]
    # out of scope for the NLU, a follow-up of the unlock procedure's FAQ topic
    events = [_user("mở khóa vneid", "ask_vneid"), {"event": "bot", "text": "Thủ tục Mở khóa (mã 3.000275). ..."},
              _user("sau đó mở lại chỗ nào", "out_of_scope")]
    d, _ = run(ActionOutOfScope(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "vneid.unlock"


def test_an_aspect_question_no_faq_of_the_topic_answers_asks_which_topic() -> None:
    events = [_user("số tổng đài", "ask_contact"), {"event": "bot", "text": faq_reply("contact.hotline")},
              _user("lệ phí bao nhiêu")]
    d, _ = run(ActionAnswerProcedure(), events)
    assert "Thủ tục" not in d.messages[0]["text"] and d.messages[0].get("buttons") is not None


def test_after_a_citizen_term_answer_an_aspect_question_gets_it_again() -> None:
    from knowledge_base.vocabulary import terms

    answer = next(t.answer for t in terms() if t.answer)
    events = [_user("hưởng trợ cấp thất nghiệp"), {"event": "bot", "text": answer}, _user("làm ở đâu")]
    d, _ = run(ActionAnswerProcedure(), events)
    assert d.messages[0]["text"] == answer


def test_a_follow_up_asking_no_aspect_stays_on_the_procedure() -> None:
    from actions.followup import general_followup

    cat = kb.catalogue()

    def m(text: str, intent: str = "ask_procedure") -> dict[str, Any]:
        return {"text": text, "intent": {"name": intent}, "entities": []}

    assert general_followup(m("người nhà làm thay được không"), "1.000894", cat)
    assert general_followup(m("có cần cả hai đứa đi không"), "1.000894", cat)
    assert not general_followup(m("ok ạ"), "1.000894", cat)  # an acknowledgement
    assert not general_followup(m("thế còn thanh toán phí online thì sao"), "1.000894", cat)  # another topic
    assert not general_followup(m("số tổng đài là gì"), "1.000894", cat)
    assert not general_followup(m("làm thay được không"), None, cat)
    events = [_user("đăng ký kết hôn cần gì"), {"event": "bot", "text": "Thủ tục đăng ký kết hôn (mã 1.000894). ..."},
              _user("người nhà làm thay được không")]
    d, slots = run(ActionAnswerProcedure(), events)
    assert "1.000894" in d.messages[0]["text"] and "không ghi riêng" in d.messages[0]["text"]


def test_after_no_entry_for_an_faq_question_its_topic_still_holds() -> None:
    assert faq_followup("thế vào bằng tài khoản gì", None, topic_category="submission").id == "submission.login_account"
    assert faq_followup("thế vào bằng tài khoản gì", None) is None
    events = [_user("nộp giấy tờ qua mạng khó quá", "ask_online_submission"),
              {"event": "bot", "text": "Xin lỗi ...", "metadata": {"utter_action": "utter_faq_not_found"}},
              _user("thế vào bằng tài khoản gì")]
    topic = conversation_topic(events)
    assert topic.kind == "faq" and topic.category == "submission" and topic.faq_id is None
    d, _ = run(ActionAnswerProcedure(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "submission.login_account"
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_online_submission"


def test_an_faq_answer_to_a_procedure_question_reports_the_faq_topic() -> None:
    from actions.followup import faq_marks

    marks = faq_marks(faq_reply("submission.supplement"))
    assert marks == {ANSWER_FAQ_KEY: "submission.supplement", ANSWER_INTENT_KEY: "ask_online_submission"}
    assert faq_marks("Thủ tục Đăng ký tạm trú (mã 1.004194).") == {}
    d, _ = run(ActionAnswerProcedure(), [_user("cước bưu điện trả kết quả ở hà nội bao nhiêu")])
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_online_submission"


def test_an_unplaced_short_message_after_an_faq_answer_asks_the_topic_not_a_look_alike_procedure() -> None:
    from actions.followup import unplaced_in_faq_topic

    after_faq = [_user("bưu điện trả kết quả có được hỗ trợ không", "ask_online_submission"),
                 {"event": "bot", "text": faq_reply("submission.postage_support_100")}]
    look_alike = [{"code": "1.000867", "name": kb.procedure("1.000867").name, "score": 0.7}]  # the NLU's search
    events = [*after_faq, _user("còn tỷ lệ dự trữ thì áp dụng sao", "nlu_fallback", procedure_candidates=look_alike)]
    assert unplaced_in_faq_topic(events[-1]["parse_data"], events)
    d, _ = run(ActionFallback(), events)
    assert "(mã " not in d.messages[0]["text"]
    # no FAQ answer before, or a procedure the NLU recognised: not this case
    assert not unplaced_in_faq_topic(events[-1]["parse_data"], events[2:])
    named = _user("còn đăng ký tạm trú thì sao", "nlu_fallback")
    named["parse_data"]["entities"] = [{"entity": "procedure", "value": "1.004194"}]
    assert not unplaced_in_faq_topic(named["parse_data"], [*after_faq, named])


def test_the_rasa_channel_reads_the_answered_intent_under_the_key_the_actions_write() -> None:
    # the channel runs in Rasa's environment and cannot import the actions: the key is written twice
    from pathlib import Path

    channel = (Path(__file__).parents[2] / "bot" / "dvcbot_channel.py").read_text(encoding="utf-8")
    assert f'ANSWER_INTENT_KEY = "{ANSWER_INTENT_KEY}"' in channel


# --- a short aspect question after a procedure answer stays on that procedure, whatever general
# intent (payment, submission) the NLU gave it; written in the styles citizens use

@pytest.mark.parametrize("message, aspect", [
    ("co ton phi ko ad", "fee"),  # "ad" addresses the bot: it does not name the hotline
    ("het bn tien v ad", "fee"),
    ("có phải trả tiền không cháu", "fee"),
    ("đóng tiền ở đâu ad", "fee"),
    ("mấy hôm thì lấy được hả cháu", "processing_time"),
    ("bn ngay thi xong", "processing_time"),
    ("ad ơi bao lâu thì có", "processing_time"),
    ("nộp ở chỗ nào hả cháu", "where"),
    ("lam qua mang dc ko", "online"),
    ("gửi qua mạng được không hay phải xuống tận nơi", "online"),
    ("làm trực tuyến toàn trình được ko", "online"),
    ("xin cái giấy đó qua app được không", "online"),
    ("lam tren vneid dc ko ad", "online"),  # VNeID as the channel, not the VNeID topic
    ("nộp bằng ứng dụng vneid được ko", "online"),
    ("cần mang giấy gì theo hả cháu", "documents"),
    ("phai mang nhung giay gi di", "documents"),
    ("tốn nhiêu tiền", "fee"),
    ("trên cổng dịch vụ công có không", "online"),
])
def test_a_short_aspect_question_after_a_procedure_asks_that_procedure(message, aspect) -> None:
    from actions.followup import followup_aspect

    m = {"text": message, "intent": {"name": "ask_online_payment"}, "entities": []}
    assert followup_aspect(m, "1.010041", kb.catalogue()) == aspect, message


@pytest.mark.parametrize("message", ["quên mật khẩu vneid thì sao ad", "vneid mất bao lâu", "thanh toán online ở đâu",
                                     "ok cảm ơn ad",
                                     "số tổng đài bao nhiêu"])
def test_a_message_naming_another_topic_leaves_the_procedure(message) -> None:
    from actions.followup import followup_aspect

    m = {"text": message, "intent": {"name": "ask_procedure"}, "entities": []}
    assert followup_aspect(m, "1.010041", kb.catalogue()) is None, message


@pytest.mark.parametrize("message, previous, expected", [
    ("có phải đóng tiền không", "vneid.lock", "vneid.fee"),  # an aspect alone: the topic's entry asked with it
    ("tra tien k ad", "vneid.level2_register", "vneid.fee"),
    ("có mất tiền không hả cháu", "vneid.level2_time", "vneid.fee"),
    ("nếu tìm được điện thoại thì mở khóa lại ở đâu vậy ạ", "vneid.lock", "vneid.unlock"),  # 12 words
    ("thế giờ lệ phí tính sao", "payment.zero_fee_hanoi", "payment.zero_fee_hanoi"),
    # when a dated rule applies: the answer before, which states its dates
    ("ưu đãi này bắt đầu áp dụng từ bao giờ", "payment.digital_signature_support",
     "payment.digital_signature_support"),
    ("khoản hỗ trợ này có hiệu lực từ lúc nào", "payment.digital_signature_support",
     "payment.digital_signature_support"),
    ("ho tro do ap dung tu bao gio v ad", "submission.postage_support_100", "submission.postage_support_100"),
    ("cái đó đến bao giờ thì hết", "submission.postage_support_100", "submission.postage_support_100"),
    ("lúc nào thì hết hỗ trợ", "submission.postage_support_100", "submission.postage_support_100"),
    ("tối có gọi được ko", "contact.hotline", "contact.hours"),  # "tối" (evening) is not "tôi" (I)
    ("chủ nhật có làm không", "contact.hotline", "contact.hours"),
    ("dài tối đa bao nhiêu ký tự", "vneid.password_rules", "vneid.password_rules"),  # "đa" is no naming word
    ("thế còn không có chip thì sao", "vneid.level2_register", "vneid.no_chip_card"),  # "còn" is not "still in force"
])
def test_fee_and_date_follow_ups_stay_in_the_faq_topic(message, previous, expected) -> None:
    entry = faq_followup(message, previous)
    assert entry is not None and entry.id == expected, (message, entry and entry.id)


def test_phi_dia_gioi_is_not_a_fee_question() -> None:
    from knowledge_base.aspects import asks_when_in_force, detect_aspect

    assert detect_aspect("phi dia gioi la gi") != "fee" and detect_aspect("có mất phí không") == "fee"
    assert asks_when_in_force("áp dụng từ bao giờ") and asks_when_in_force("con hieu luc ko")
    assert not asks_when_in_force("bao lâu thì có kết quả")


def test_conversations_keep_the_procedure_or_faq_topic_whatever_the_nlu_intent() -> None:
    from actions.faq import ActionAnswerFaq

    proc_reply = kb.procedure_text(kb.procedure("1.010041"), "steps")
    start = [_user("xin xác nhận cư trú làm thế nào"), {"event": "slot", "name": "procedure", "value": "1.010041"},
             {"event": "bot", "text": proc_reply}]
    d, _ = run(ActionAnswerFaq(), [*start, _user("co ton phi ko ad", "ask_online_payment")])
    assert "(mã 1.010041)" in d.messages[0]["text"] and "Lệ phí" in d.messages[0]["text"]
    d, _ = run(ActionAnswerFaq(), [*start, _user("gửi qua mạng được không hay phải xuống tận nơi",
                                                 "ask_online_submission")])
    assert "(mã 1.010041)" in d.messages[0]["text"] and "trực tuyến" in d.messages[0]["text"]
    # a VNeID answer, then a fee question the NLU calls a payment question: the VNeID fee entry
    events = [_user("làm định danh mức 2 bao lâu", "ask_vneid"), {"event": "bot", "text": faq_reply("vneid.level2_time")},
              _user("có phải đóng tiền không cháu", "ask_online_payment")]
    d, _ = run(ActionAnswerFaq(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "vneid.fee" and d.messages[0][ANSWER_INTENT_KEY] == "ask_vneid"
    # a dated support answer, then "since when?" the NLU could not place
    events = [_user("có hỗ trợ tiền chữ ký số không", "ask_online_payment"),
              {"event": "bot", "text": faq_reply("payment.digital_signature_support")},
              _user("ưu đãi này bắt đầu áp dụng từ bao giờ", "nlu_fallback")]
    d, _ = run(ActionFallback(), events)
    assert "1/1/2026" in d.messages[0]["text"]


def test_whether_to_bring_a_paper_asks_the_papers_of_the_current_procedure() -> None:
    from actions.followup import asks_to_bring, followup_aspect

    def m(text: str, *codes: str) -> dict[str, Any]:
        return {"text": text, "intent": {"name": "ask_procedure"},
                "entities": [{"entity": "procedure", "value": c} for c in codes]}

    assert asks_to_bring(m("có cần mang cccd không")) and asks_to_bring(m("phai mang theo so ho khau a"))
    assert not asks_to_bring(m("làm cccd mất bao lâu")) and not asks_to_bring(m("quên mật khẩu thì có cần mang gì"))
    # the paper's name also names a procedure (birth registration): still a paper of this one
    assert followup_aspect(m("có phải mang giấy khai sinh theo không cháu", "1.001193"), "1.000894",
                           kb.catalogue()) == "documents"
    events = [_user("đăng ký kết hôn làm ở đâu"), {"event": "slot", "name": "procedure", "value": "1.000894"},
              {"event": "bot", "text": kb.procedure_text(kb.procedure("1.000894"), "where")},
              _user("có phải mang giấy khai sinh theo không cháu",
                    entities=[{"entity": "procedure", "value": "1.001193"}])]
    d, _ = run(ActionAnswerProcedure(), events)
    assert "(mã 1.000894)" in d.messages[0]["text"] and "Hồ sơ" in d.messages[0]["text"]


@pytest.mark.parametrize("message, previous", [
    ("thử mấy lần rồi vẫn ko đc thì sao", "vneid.otp_not_received"),
    ("vẫn không được thì ra đâu nhờ", "vneid.forgot_passcode"),
    ("mình ko rành mạng thì ai giúp", "submission.all_online"),
    ("ông không biết dùng thì ai hướng dẫn cho", "submission.steps"),
    ("lam hoai khong duoc thi di dau", "vneid.forgot_password"),
])
def test_cannot_do_it_then_where_is_the_previous_answer_that_says_where_to_get_help(message, previous) -> None:
    entry = faq_followup(message, previous, asked_category="payment")  # whatever topic the NLU read
    assert entry is not None and entry.id == previous, (message, entry and entry.id)


def test_asking_for_help_needs_an_answer_that_gives_it_and_nothing_else_named() -> None:
    from actions.followup import _asks_help_after, _faq_index

    info = _faq_index(kb.today())["info"]
    assert not _asks_help_after("không được thì đi đâu", info["vneid.level2_time"])  # its answer says nowhere to turn
    assert not _asks_help_after("đăng ký tạm trú không được thì đi đâu", info["submission.all_online"])
    assert not _asks_help_after("thế thì đi đâu", info["vneid.forgot_password"])  # no failure said


@pytest.mark.parametrize("message, previous", [
    ("số hotline hỗ trợ là bao nhiêu", "vneid.lock"),
    ("sdt tong dai la gi vay", "vneid.change_phone"),
    ("gọi số nào để hỏi", "vneid.activate"),
    ("tổng đài bên đó là số bao nhiêu", "vneid.unlock"),
])
def test_the_hotline_asked_after_a_vneid_answer_is_the_vneid_one(message, previous) -> None:
    entry = faq_followup(message, previous, asked_category="contact")  # the NLU reads a contact question
    assert entry is not None and entry.id == "vneid.hotline", (message, entry and entry.id)
    assert faq_followup(message, "submission.steps", asked_category="contact").category == "contact"


def test_a_vneid_follow_up_read_as_a_contact_question_stays_in_the_vneid_topic() -> None:
    from actions.faq import ActionAnswerFaq

    events = [_user("làm định danh cho con nhỏ thế nào", "ask_vneid"),
              {"event": "bot", "text": faq_reply("vneid.children")},
              _user("đăng ký cho cháu thì dùng điện thoại của ai", "ask_contact")]
    d, _ = run(ActionAnswerFaq(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "vneid.children" and d.messages[0][ANSWER_INTENT_KEY] == "ask_vneid"
    events = [_user("đổi số điện thoại vneid", "ask_vneid"), {"event": "bot", "text": faq_reply("vneid.change_phone")},
              _user("hotline hỗ trợ số nào", "ask_contact")]
    d, _ = run(ActionAnswerFaq(), events)
    assert "1900 0368" in d.messages[0]["text"]
    # after a contact answer the contact shortcut still answers ("có trực chủ nhật không": the hours)
    events = [_user("số tổng đài", "ask_contact"), {"event": "bot", "text": faq_reply("contact.hotline")},
              _user("chủ nhật có trực không", "ask_contact")]
    d, _ = run(ActionAnswerFaq(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "contact.hours"


@pytest.mark.parametrize("message", [
    "miễn phí đó hết hạn lúc nào vậy", "vụ 0 đồng ấy ngừng áp dụng từ bao giờ", "chinh sach do het han tu khi nao"])
def test_when_a_dated_rule_ended_is_its_own_answer(message) -> None:
    entry = faq_followup(message, "payment.zero_fee_hanoi", asked_category="payment")
    assert entry is not None and entry.id == "payment.zero_fee_hanoi", (message, entry and entry.id)


def test_the_online_fee_policy_said_for_a_procedure_question_is_marked_as_its_faq_topic() -> None:
    d, _ = run(ActionAnswerProcedure(), [_user("bác nghe bảo làm giấy tờ trên mạng thì không mất đồng nào phải không")])
    assert d.messages[0].get(ANSWER_FAQ_KEY) == "payment.zero_fee_hanoi", d.messages[0]["text"][:80]
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_online_payment"


def test_a_question_naming_nothing_new_and_no_aspect_is_about_the_answer_before() -> None:
    assert faq_followup("phải làm lại từ đầu à", "submission.supplement").id == "submission.supplement"
    assert faq_followup("có phải đi cùng không", "vneid.children").id == "vneid.children"
    assert faq_followup("có phải nộp tiền không", "submission.supplement") is None  # "tiền": not in that answer
    assert faq_followup("được không", "vneid.lock") is None
    events = [_user("hồ sơ bị trả về để bổ sung", "ask_online_submission"),
              {"event": "bot", "text": faq_reply("submission.supplement")}, _user("thế có phải làm lại từ đầu không")]
    d, _ = run(ActionAnswerProcedure(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "submission.supplement"


def test_a_number_asked_after_a_filing_answer_is_the_centres_hotline() -> None:
    from actions.faq import ActionAnswerFaq

    events = [_user("nộp online rồi xem hồ sơ đến đâu ở chỗ nào", "ask_online_submission"),
              {"event": "bot", "text": faq_reply("submission.status_lookup")},
              _user("cần gọi điện hỏi thẳng thì gọi số nào", "ask_contact")]
    d, _ = run(ActionAnswerFaq(), events)
    assert d.messages[0][ANSWER_FAQ_KEY] == "contact.hotline"


def test_a_message_not_understood_whose_ranking_leans_to_an_faq_topic_tries_the_faq_first() -> None:
    from actions.fallback import leaning_faq_intent

    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "file_complaint", "confidence": 0.41},
               {"name": "ask_online_payment", "confidence": 0.34}]
    text = "hồ sơ nộp hôm kia rồi sao chưa thấy bảo nộp lệ phí"
    assert leaning_faq_intent({"text": text, "intent_ranking": ranking}) == "ask_online_payment"
    named = {"text": text, "intent_ranking": ranking, "entities": [
        {"entity": "procedure", "value": "1.004194", "extractor": "dvcbot_kb"}]}
    assert leaning_faq_intent(named) is None  # a procedure named in words is answered as before
    assert leaning_faq_intent({"text": text, "intent_ranking": ranking[:2]}) is None
    d, _ = run(ActionFallback(), [_user(text, "nlu_fallback", intent_ranking=ranking)])
    assert d.messages[0][ANSWER_INTENT_KEY] == "ask_online_payment" and "(mã " not in d.messages[0]["text"]


@pytest.mark.parametrize("message, previous, expected", [
    ("minh ko tu lam dc thi nho ai", "submission.why_online", "submission.steps"),  # the way in says 1022
    ("khong tu nop duoc thi lam sao", "submission.results_by_post", "submission.steps"),
    ("bà không biết dùng điện thoại thì hỏi ai", "vneid.integrate_documents", "vneid.hotline"),  # the topic's own number
])
def test_cannot_do_it_after_an_answer_that_says_no_help_is_where_help_is(message, previous, expected) -> None:
    entry = faq_followup(message, previous)
    assert entry is not None and entry.id == expected, (message, entry and entry.id)


def test_a_word_the_faq_topic_is_asked_with_names_no_procedure_after_its_answer() -> None:
    from actions.followup import names_a_procedure, names_a_procedure_in_faq_topic

    card = [{"code": "2.000200", "name": kb.procedure("2.000200").name, "score": 0.5}]  # "căn cước" shares "cước"
    postage = _user("phí cước gửi mỗi lần hết bao nhiêu", "ask_procedure", procedure_candidates=card)["parse_data"]
    assert names_a_procedure(postage) and not names_a_procedure_in_faq_topic(postage, "submission")
    assert faq_followup("phí cước gửi mỗi lần hết bao nhiêu", "submission.postage_support_100").id == \
        "submission.postal_fee_26000"
    stay = [{"code": "1.004194", "name": kb.procedure("1.004194").name, "score": 0.8}]
    named = _user("còn đăng ký tạm trú thì sao", "ask_procedure", procedure_candidates=stay)["parse_data"]
    assert names_a_procedure_in_faq_topic(named, "vneid")  # its own words name it


def test_a_count_names_no_procedure_after_an_faq_answer() -> None:
    from actions.followup import names_a_procedure_in_faq_topic

    once = [{"code": "1.001613", "name": kb.procedure("1.001613").name, "score": 0.55}]  # "... một lần"
    per_time = _user("thành phố bù cho mỗi lần gửi bao nhiêu", "ask_procedure", procedure_candidates=once)
    assert not names_a_procedure_in_faq_topic(per_time["parse_data"], "submission")
    named = _user("rút bảo hiểm xã hội một lần thì sao", "ask_procedure", procedure_candidates=once)
    assert names_a_procedure_in_faq_topic(named["parse_data"], "submission")  # its own words name it


def test_which_key_to_press_is_the_key_the_answer_before_named() -> None:
    from actions.faq import ActionAnswerFaq
    from actions.followup import asks_key_of

    assert asks_key_of("gọi số đó xong bấm phím mấy", "gọi 1900 0368 rồi bấm phím 4")
    assert asks_key_of("goi vao thi bam nhanh nao", "bấm nhánh 7 hoặc nhánh 8")
    assert not asks_key_of("gọi số nào", "gọi 1900 0368 rồi bấm phím 4")
    assert not asks_key_of("bấm phím mấy", "Dạ, ông bà mang thẻ căn cước đến Công an cấp xã")
    events = [_user("sim cũ mất rồi, vneid đổi sang số mới kiểu gì", "ask_vneid"),
              {"event": "bot", "text": faq_reply("vneid.change_phone")},
              _user("gọi xong thì ấn phím số mấy", "ask_contact")]
    d, _ = run(ActionAnswerFaq(), events)
    assert "phím 4" in d.messages[0]["text"]
