"""The custom actions, called like the action server calls them: real rasa_sdk Tracker and
CollectingDispatcher, the real catalogue, FAQs, search index and routing module."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.agents import ActionFindAgent, asks_nearby, earlier_place, search_requests
from actions.fallback import ActionFallback, consecutive_fallbacks
from actions.faq import ActionAnswerFaq, question_for
from actions.procedure import ActionAnswerProcedure, ProcedureChoice, choose_procedure
from knowledge_base.catalogue import load_catalogue

TAM_TRU = "1.004194"  # Đăng ký tạm trú
THUONG_TRU = "1.004222"  # Đăng ký thường trú
KHAI_SINH = "1.001193"  # Đăng ký khai sinh
CU_TRU = "1.010041"  # Xác nhận thông tin về cư trú


def message(
    text: str,
    intent: str,
    entities: dict[str, str] | None = None,
    candidates: list[tuple[str, float]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cat = load_catalogue()
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": k, "value": v, "start": 0, "end": 1} for k, v in (entities or {}).items()],
        "procedure_candidates": [{"code": c, "name": cat[c].name, "score": s} for c, s in candidates or []],
        "metadata": metadata or {},
    }


def tracker(
    latest: dict[str, Any], slots: dict[str, Any] | None = None, history: list[dict[str, Any]] | None = None
) -> Tracker:
    events = [*(history or []), {"event": "user", "text": latest["text"], "parse_data": latest}]
    return Tracker("test-user", dict(slots or {}), latest, events, False, None, {}, "action_listen")


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# ---- procedure --------------------------------------------------------------------------------------


def test_procedure_entity_answers_the_asked_aspect_with_code_and_link() -> None:
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message(
                "đăng ký tạm trú lệ phí bao nhiêu",
                "ask_procedure",
                {"procedure": TAM_TRU, "procedure_aspect": "fee"},
            )
        ),
    )
    assert len(msgs) == 1
    text = msgs[0]["text"]
    assert "Đăng ký tạm trú" in text and TAM_TRU in text
    assert "Lệ phí" in text and "https://dichvucong.gov.vn/" in text
    assert slots == {"procedure": TAM_TRU, "procedure_aspect": "fee", "procedure_guessed": False, "fallback_count": 0.0}
    payloads = [b["payload"] for b in msgs[0]["buttons"]]
    assert all(p.startswith("/ask_procedure{") for p in payloads) and len(payloads) == 4
    asked = [json.loads(p[len("/ask_procedure") :]) for p in payloads]
    assert all(a["procedure"] == TAM_TRU for a in asked)
    assert [a["procedure_aspect"] for a in asked] == ["documents", "processing_time", "where", "online"]


def test_follow_up_with_only_an_aspect_keeps_the_procedure() -> None:
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message(
                "thế lệ phí bao nhiêu?",
                "ask_procedure",
                {"procedure_aspect": "fee"},
                candidates=[(KHAI_SINH, 0.2)],
            ),
            slots={"procedure": TAM_TRU, "procedure_aspect": "documents"},
        ),
    )
    assert "(mã 1.004194)" in msgs[0]["text"] and "Lệ phí" in msgs[0]["text"]
    assert slots["procedure"] == TAM_TRU and slots["procedure_aspect"] == "fee"


def test_close_candidates_answer_the_most_common_and_offer_the_others() -> None:
    """Issue 9 item 4: close candidates where one is clearly the most used are not a question back:
    the usual case is answered, named as such, and the others are buttons with distinct titles."""
    cands = [(TAM_TRU, 0.95), (THUONG_TRU, 0.93), (KHAI_SINH, 0.93), (CU_TRU, 0.92), ("1.010040", 0.9)]
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message(
                "đăng ký cư trú cần gì", "ask_procedure", {"procedure_aspect": "documents"}, candidates=cands
            )
        ),
    )
    assert msgs[0].get("response") != "utter_clarify_procedure"
    text = msgs[0]["text"]
    assert "thường gặp nhất: Đăng ký tạm trú" in text and TAM_TRU in text and "CT01" in text
    assert "hồ sơ gồm)" not in text.lower()  # a case is named, not its list's announcement
    titles = [b["title"] for b in msgs[0]["buttons"]]
    assert load_catalogue()[THUONG_TRU].name in titles
    assert load_catalogue()[KHAI_SINH].name not in titles  # shares no real word with the question
    assert len(titles) == len(set(titles))
    assert slots["procedure"] == TAM_TRU and slots["procedure_aspect"] == "documents"


def test_high_scoring_candidates_that_name_nothing_do_not_break_a_follow_up() -> None:
    """The search scores popular procedures high even for "thế lệ phí bao nhiêu?"."""
    cands = [("1.002759", 0.735), ("1.001939", 0.728), ("1.002051", 0.723)]
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message("thế lệ phí bao nhiêu?", "ask_procedure", {"procedure_aspect": "fee"}, candidates=cands),
            slots={"procedure": TAM_TRU},
        ),
    )
    assert "(mã 1.004194)" in msgs[0]["text"] and slots["procedure_aspect"] == "fee"


def test_naming_the_procedure_after_a_clarification_answers_the_first_question() -> None:
    asked = message("đăng ký cư trú lệ phí bao nhiêu", "ask_procedure", {"procedure_aspect": "fee"})
    history = [
        {"event": "user", "text": asked["text"], "parse_data": asked},
        {"event": "bot", "text": "Tôi tìm thấy ...", "metadata": {"utter_action": "utter_clarify_procedure"}},
    ]
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message("tạm trú", "ask_procedure", {"procedure": TAM_TRU}),
            slots={"procedure_aspect": "fee"},
            history=history,
        ),
    )
    assert "(mã 1.004194)" in msgs[0]["text"] and "Lệ phí" in msgs[0]["text"]
    assert slots["procedure_aspect"] == "fee"


def test_clear_winner_is_answered_directly() -> None:
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(
            message(
                "làm giấy khai sinh cho con", "ask_procedure", candidates=[(KHAI_SINH, 0.9), (TAM_TRU, 0.4)]
            )
        ),
    )
    assert KHAI_SINH in msgs[0]["text"]
    assert slots["procedure"] == KHAI_SINH and slots["procedure_aspect"] is None


def test_nothing_to_go_on_asks_which_procedure() -> None:
    msgs, slots = run(
        ActionAnswerProcedure(),
        tracker(message("/ask_procedure", "ask_procedure"), slots={"procedure_aspect": "fee"}),
    )
    assert msgs[0]["response"] == "utter_ask_which_procedure"
    assert slots == {"procedure_aspect": None}


def test_choose_procedure_ignores_codes_not_in_the_catalogue() -> None:
    cat = load_catalogue()
    decision = choose_procedure(message("x", "ask_procedure", {"procedure": "9.999999"}), None, cat)
    assert decision == ProcedureChoice("ask")


# ---- FAQ ----------------------------------------------------------------------------------------------


def test_vneid_question_is_answered_from_the_faq() -> None:
    msgs, slots = run(
        ActionAnswerFaq(),
        tracker(message("kích hoạt tài khoản định danh điện tử mức 2 thế nào", "ask_vneid")),
    )
    assert len(msgs) == 1 and "VNeID" in msgs[0]["text"]
    assert slots == {"fallback_count": 0.0}


def test_faq_button_payload_uses_the_default_question() -> None:
    assert question_for(message("/ask_online_payment", "ask_online_payment")).startswith("thanh toán")
    msgs, _ = run(ActionAnswerFaq(), tracker(message("/ask_online_payment", "ask_online_payment")))
    assert msgs[0]["text"] and "thanh toán" in msgs[0]["text"].lower()


def test_online_submission_of_a_named_procedure_answers_that_procedure() -> None:
    msgs, slots = run(
        ActionAnswerFaq(),
        tracker(
            message(
                "đăng ký tạm trú nộp online được không",
                "ask_online_submission",
                {"procedure": TAM_TRU, "procedure_aspect": "online"},
            )
        ),
    )
    assert "(mã 1.004194)" in msgs[0]["text"] and "trực tuyến" in msgs[0]["text"]
    assert slots["procedure"] == TAM_TRU and slots["procedure_aspect"] == "online"


def test_contact_question_gives_the_hotline() -> None:
    msgs, _ = run(ActionAnswerFaq(), tracker(message("số tổng đài của trung tâm là gì", "ask_contact")))
    text = msgs[0].get("text") or ""
    assert "1022" in text or msgs[0]["response"] == "utter_contact"


# ---- two-stage fallback -------------------------------------------------------------------------------


def test_first_fallback_asks_to_rephrase_second_offers_a_person(monkeypatch, tmp_path) -> None:
    from dvcbot import settings as settings_module

    monkeypatch.setenv("DVCBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'care.db'}")
    settings_module.get_settings.cache_clear()
    first = message("asdkj qwe", "nlu_fallback")
    msgs, slots = run(ActionFallback(), tracker(first))
    assert msgs[0]["response"] == "utter_rephrase" and slots == {"fallback_count": 1.0}
    history = [
        {"event": "user", "text": first["text"], "parse_data": first},
        {"event": "action", "name": "action_fallback"},
        {"event": "bot", "text": "Xin lỗi"},
        {"event": "action", "name": "action_listen"},
    ]
    msgs, slots = run(ActionFallback(), tracker(message("zzz", "nlu_fallback"), history=history))
    settings_module.get_settings.cache_clear()
    # the second time a person takes over: a handoff is opened for the care staff
    assert "cán bộ" in msgs[0]["text"] and slots == {"fallback_count": 2.0}
    from care.handoff import active_handoff

    assert active_handoff("test-user", f"sqlite:///{tmp_path / 'care.db'}") is False  # sender has no channel
    assert active_handoff("api:test-user", f"sqlite:///{tmp_path / 'care.db'}") is True


def test_an_understood_message_resets_the_fallback_count() -> None:
    events = [
        {"event": "user", "parse_data": message("a", "nlu_fallback")},
        {"event": "user", "parse_data": message("xin chào", "greet")},
        {"event": "user", "parse_data": message("b", "nlu_fallback")},
    ]
    assert consecutive_fallbacks(events) == 1


# ---- nearest agents -------------------------------------------------------------------------------------


def test_find_agent_without_a_place_asks_for_the_ward() -> None:
    msgs, slots = run(ActionFindAgent(), tracker(message("điểm hỗ trợ gần nhất ở đâu", "find_agent")))
    assert msgs[0]["text"] and "phường" in msgs[0]["text"].lower()
    assert "agent_ids" not in slots


def test_find_agent_with_a_ward_then_the_next_ones() -> None:
    first = message("đại lý dịch vụ công gần phường Láng", "find_agent", {"ward": "Láng"})
    msgs, slots = run(ActionFindAgent(), tracker(first))
    ids = slots.get("agent_ids")
    assert ids, msgs[0]["text"]
    assert "Điểm thứ 1" in msgs[0]["text"]
    more = message("/find_agent_more", "find_agent_more")
    msgs2, slots2 = run(ActionFindAgent(), tracker(more, slots=slots))
    new_ids = slots2["agent_ids"][len(ids) :]
    assert new_ids and not set(new_ids) & set(ids)
    assert slots2["agent_search"] == slots["agent_search"]


def test_search_requests_prefers_a_shared_location() -> None:
    msg = message("gần tôi", "find_agent", metadata={"lat": 21.0285, "lon": 105.8542})
    assert search_requests(msg, None, []) == [({"text": None, "lat": 21.0285, "lon": 105.8542}, ())]


@pytest.mark.parametrize(
    "action", [ActionAnswerProcedure(), ActionAnswerFaq(), ActionFallback(), ActionFindAgent()]
)
def test_replies_are_speakable(action: Any) -> None:
    msgs, _ = run(
        action,
        tracker(
            message(
                "đăng ký tạm trú cần gì",
                "ask_procedure",
                {"procedure": TAM_TRU, "procedure_aspect": "documents"},
            )
        ),
    )
    for m in msgs:
        text = m.get("text") or ""
        assert "**" not in text and "|" not in text
        assert not any(ord(ch) >= 0x1F000 for ch in text)


def test_a_bare_ward_name_from_a_button_is_found() -> None:
    msgs, slots = run(
        ActionFindAgent(), tracker(message('/find_agent{"ward": "Láng"}', "find_agent", {"ward": "Láng"}))
    )
    assert "Phường Láng" in msgs[0]["text"] and slots["agent_ward"]


def test_routing_ward_buttons_and_more_button_are_understood_by_the_domain() -> None:
    """The routing module's buttons send intents the dialogue must know (find_agent, find_agent_more)."""
    import yaml

    from dvcbot.settings import get_settings

    domain = yaml.safe_load((get_settings().rasa_project_dir / "domain.yml").read_text())
    msgs, _ = run(
        ActionFindAgent(), tracker(message("tìm điểm gần phường Láng", "find_agent", {"ward": "Láng"}))
    )
    for button in msgs[0]["buttons"]:
        intent = button["payload"][1:].split("{")[0]
        assert intent in domain["intents"]


def test_a_plain_greeting_offers_the_topic_buttons() -> None:
    """"xin chào" alone gets the greeting and the topic buttons, so a citizen sees where to start."""
    import yaml

    from actions.fallback import ActionGreet
    from dvcbot.settings import get_settings
    from nlu.intents import TOPIC_BUTTONS

    domain = yaml.safe_load((get_settings().rasa_project_dir / "domain.yml").read_text())
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionGreet().run(dispatcher, tracker(message("xin chào", "greet")), domain))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_greet"]
    assert {b["title"]: b["payload"] for b in dispatcher.messages[0]["buttons"]} == TOPIC_BUTTONS


@pytest.mark.parametrize("pressed", ["/ask_online_submission", "/ask_vneid", "/ask_online_payment", "/ask_contact",
                                     "nộp hồ sơ trực tuyến"])
def test_a_topic_button_answers_its_topics_own_entry(pressed: str) -> None:
    """A topic button (or its title typed) gets the topic's way-in entry, whatever the search would rank."""
    from actions.faq import TOPIC_ENTRIES
    from knowledge_base.faq import faq_answer, get_faq

    intent = pressed[1:] if pressed.startswith("/") else "ask_online_submission"
    msgs, _ = run(ActionAnswerFaq(), tracker(message(pressed, intent)))
    assert msgs[0]["text"] == faq_answer(get_faq(TOPIC_ENTRIES[intent]))


def test_more_points_after_a_split_old_ward_give_each_new_wards_nearest_point() -> None:
    """An old ward now split among new ones is asked back ("which one?"); "còn chỗ nào khác không" without a
    choice gets the nearest point of each new ward, the choice still open, never the same question again."""
    first = message("nhà tôi ở phường Mai Dịch quận Cầu Giấy cũ, điểm nào gần nhất", "find_agent")
    msgs, slots = run(ActionFindAgent(), tracker(first))
    assert "Anh chị đang ở phường, xã nào" in msgs[0]["text"] and slots.get("agent_search")
    assert not slots.get("agent_ids")
    for text, intent in (("còn chỗ nào khác không", "find_agent_more"), ("thế điểm nào gần nhà tôi", "find_agent")):
        msgs2, slots2 = run(ActionFindAgent(), tracker(message(text, intent), slots=slots))
        answer = msgs2[0]["text"]
        assert "Gần Phường Nghĩa Đô" in answer and "Gần Phường Phú Diễn" in answer, answer
        assert "Anh chị đang ở phường, xã nào" not in answer
        assert {b["title"] for b in msgs2[0]["buttons"]} >= {"Phường Nghĩa Đô", "Phường Từ Liêm", "Phường Phú Diễn"}
        assert len(slots2["agent_ids"]) == 3
    more = message("còn chỗ nào khác không", "find_agent_more")
    msgs3, slots3 = run(ActionFindAgent(), tracker(more, slots=slots2))
    assert not set(slots3["agent_ids"][3:]) & set(slots2["agent_ids"]) and len(slots3["agent_ids"]) > 3


def test_points_near_home_after_a_procedure_answer_search_the_place_named_earlier() -> None:
    """No search ran yet (the first message was answered with its procedure): "thế gần nhà tôi có điểm nào"
    searches the place an earlier message named; a split old ward gets each new ward's nearest point."""
    first = message("nhà tôi ở xã Tả Thanh Oai, Thanh Trì, chứng thực bản sao ra đâu làm", "ask_procedure",
                    {"ward": "00643"})
    history = [{"event": "user", "text": first["text"], "parse_data": first},
               {"event": "bot", "text": "Thủ tục Chứng thực bản sao ..."}]
    msgs, slots = run(ActionFindAgent(), tracker(message("thế điểm nào gần nhà tôi", "find_agent"), history=history))
    assert "Thanh Liệt" in msgs[0]["text"] or "Đại Thanh" in msgs[0]["text"], msgs[0]["text"]
    assert "Anh chị cho biết anh chị đang ở phường" not in msgs[0]["text"]
    assert earlier_place(history + [{"event": "user", "text": "x", "parse_data": {}}]) == {
        "text": first["text"], "lat": None, "lon": None}
    # a conversation that never named a place still asks for the ward
    plain = [{"event": "user", "text": "chứng thực bản sao", "parse_data": message("chứng thực bản sao", "ask_procedure")}]
    msgs2, _ = run(ActionFindAgent(), tracker(message("thế điểm nào gần nhà tôi", "find_agent"), history=plain))
    assert "phường" in msgs2[0]["text"].lower() and "Điểm thứ 1" not in msgs2[0]["text"]


def test_a_question_about_the_whole_network_searches_no_place_named_earlier() -> None:
    first = message("nhà tôi ở Long Biên, có bắt buộc nộp ở chi nhánh Long Biên không", "ask_contact", {"ward": "00145"})
    history = [{"event": "user", "text": first["text"], "parse_data": first}]
    assert asks_nearby(message("thế điểm nào gần nhà tôi", "find_agent"))
    assert asks_nearby(message("/find_agent_more", "find_agent_more"))
    assert not asks_nearby(message("vậy cả thành phố có mấy chi nhánh với điểm nhận hồ sơ", "find_agent"))
    msgs, _ = run(ActionFindAgent(), tracker(message("vậy cả thành phố có mấy chi nhánh với điểm nhận hồ sơ",
                                                     "find_agent"), history=history))
    assert "Điểm thứ 1" not in msgs[0]["text"], msgs[0]["text"]
