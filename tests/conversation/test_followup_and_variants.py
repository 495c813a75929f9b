"""Deciding functions of issue 9: short follow-ups keep the procedure; variants are picked without
a needless question (level, age); clarification never shows the same title twice."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback, ActionOutOfScope
from actions.faq import ActionAnswerFaq
from actions.followup import followup_aspect
from actions.message import Candidate
from actions.procedure import ActionAnswerProcedure
from actions.procedure import choose_procedure as resolve
from actions.variants import age_in, base_name, level_rank, pick
from knowledge_base.catalogue import load_catalogue

TAM_TRU = "1.004194"


def msg(text: str, intent: str = "ask_procedure", entities: dict[str, str] | None = None,
        candidates: list[tuple[str, float]] | None = None) -> dict[str, Any]:
    cat = load_catalogue()
    return {"text": text, "intent": {"name": intent, "confidence": 0.9},
            "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
            "procedure_candidates": [{"code": c, "name": cat[c].name, "score": s} for c, s in candidates or []]}


def run(action: Any, latest: dict[str, Any], slots: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    t = Tracker("u", slots, latest, [{"event": "user", "text": latest["text"], "parse_data": latest}],
                False, None, {}, "action_listen")
    d = CollectingDispatcher()
    events = asyncio.run(action.run(d, t, {}))
    return "\n".join(m.get("text") or "" for m in d.messages), {
        e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_short_aspect_questions_are_follow_ups_of_the_current_procedure() -> None:
    cat = load_catalogue()
    for text, aspect in [("bao lâu thì xong", "processing_time"), ("có mất phí không", "fee"),
                         ("nộp ở đâu", "where"), ("cần mang gì", "documents"), ("mat bao lau z", "processing_time"),
                         ("lm online dc k", "online"), ("hết bao nhiêu tiền hả cháu", "fee")]:
        assert followup_aspect(msg(text, "out_of_scope"), TAM_TRU, cat) == aspect, text


def test_not_a_follow_up_without_procedure_or_when_another_topic_is_named() -> None:
    cat = load_catalogue()
    assert followup_aspect(msg("bao lâu thì xong"), None, cat) is None
    assert followup_aspect(msg("quên mật khẩu vneid thì sao", "ask_vneid"), TAM_TRU, cat) is None
    assert followup_aspect(msg("số tổng đài là bao nhiêu", "ask_contact"), TAM_TRU, cat) is None
    assert followup_aspect(msg("đăng ký kết hôn mất bao lâu", entities={"procedure": "1.000894"}), TAM_TRU, cat) is None
    assert followup_aspect(msg("còn đăng ký khai sinh cho con thì lệ phí bao nhiêu"), TAM_TRU, cat) is None
    assert followup_aspect(msg("/ask_vneid", "ask_vneid"), TAM_TRU, cat) is None


def test_follow_up_labelled_payment_or_out_of_scope_or_fallback_answers_the_procedure() -> None:
    for action, text, intent in [(ActionAnswerFaq(), "có mất phí không", "ask_online_payment"),
                                 (ActionOutOfScope(), "mấy ngày thì xong", "out_of_scope"),
                                 (ActionFallback(), "bao lâu thì xong", "nlu_fallback")]:
        reply, slots = run(action, msg(text, intent), {"procedure": TAM_TRU})
        assert TAM_TRU in reply, (text, reply)
        assert slots["procedure"] == TAM_TRU


def test_out_of_scope_without_context_stays_out_of_scope() -> None:
    t = Tracker("u", {}, msg("thời tiết thế nào", "out_of_scope"), [], False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionOutOfScope().run(d, t, {}))
    assert d.messages[0]["response"] == "utter_out_of_scope"


def test_after_a_clarification_a_follow_up_uses_the_most_likely_candidate_and_says_so() -> None:
    reply, slots = run(ActionAnswerProcedure(), msg("lệ phí bao nhiêu", entities={"procedure_aspect": "fee"}),
                       {"procedure": "2.001195", "procedure_guessed": True})
    assert "2.001195" in reply and "chưa chọn" in reply
    assert slots["procedure_guessed"] is False


def test_levels_and_ages() -> None:
    assert base_name("Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)") == "Cấp hộ chiếu phổ thông ở trong nước"
    assert level_rank("X (thực hiện tại cấp xã)") < level_rank("X (thực hiện tại cấp tỉnh)") < level_rank(
        "X (thực hiện tại cấp trung ương)") < level_rank("X (thực hiện tại cấp huyện)")
    assert age_in("làm căn cước cho bé 5 tuổi") == 5
    assert age_in("người trên 80 tuổi") == 80
    assert age_in("cho bé nhà em") == 0
    assert age_in("đổi căn cước") is None


def test_candidates_differing_only_by_level_are_answered_with_the_hanoi_level() -> None:
    cat = load_catalogue()
    cands = [Candidate("1.001471", cat["1.001471"].name, 0.9), Candidate("1.001456", cat["1.001456"].name, 0.88)]
    kept, chosen = pick("cấp hộ chiếu", cands, lambda c: c.name, cat)
    assert chosen is not None and chosen.code == "1.001456"  # cấp tỉnh before cấp trung ương


def test_age_replaces_the_wrong_age_variant_and_titles_are_never_repeated() -> None:
    cat = load_catalogue()
    cands = [Candidate("2.000200", cat["2.000200"].name, 0.9), Candidate("2.000200", cat["2.000200"].name, 0.9),
             Candidate("2.001195", cat["2.001195"].name, 0.85)]
    kept, _ = pick("làm căn cước cho bé 5 tuổi", cands, lambda c: c.name, cat)
    names = [c.name for c in kept]
    assert len(names) == len(set(names))
    assert all("từ đủ 14 tuổi" not in n for n in names)
    assert any("dưới 14 tuổi" in n for n in names)


def test_resolve_answers_level_variants_directly() -> None:
    cat = load_catalogue()
    decision = resolve(msg("cấp hộ chiếu", candidates=[("1.001471", 0.9), ("1.001456", 0.89)]), None, cat)
    assert decision.kind == "answer" and decision.code == "1.001456"


def test_a_follow_up_ending_in_khong_or_naming_a_generic_paper_keeps_the_procedure() -> None:
    cat = load_catalogue()
    assert followup_aspect(msg("nộp online có rẻ hơn không"), "2.001195", cat) == "fee"
    assert followup_aspect(msg("đến bao giờ thì hết giảm"), "2.001195", cat) == "fee"
    assert followup_aspect(msg("làm online được không"), "2.001195", cat) == "online"
    assert followup_aspect(msg("bao lâu có giấy phép"), "1.001612", cat) == "processing_time"
    decision = resolve(msg("bao lâu có giấy phép", candidates=[("3.000348", 0.8), ("3.000347", 0.79)]), "1.001612", cat)
    assert decision.kind == "answer" and decision.code == "1.001612" and decision.aspect == "processing_time"


def test_the_candidate_the_message_spells_out_is_answered() -> None:
    from actions.variants import named_in

    cat = load_catalogue()
    cands = [Candidate(c, cat[c].name, 0.8) for c in ("1.003197", "1.004222", "1.010040")]
    assert named_in("đăng ký thường trú thì nộp ở quận hay ở phường", cands, lambda c: c.name).code == "1.004222"
    cands = [Candidate(c, cat[c].name, 0.8) for c in ("2.001194", "2.001195", "2.000200")]
    assert named_in("cap doi cccd bay gio co duoc giam 50% le phi khong", cands, lambda c: c.name).code == "2.001195"
    assert named_in("làm căn cước", cands, lambda c: c.name) is None


def test_a_long_message_finds_its_procedure_with_diluted_scores() -> None:
    text = ("bác chào cháu nhé, bác có đứa cháu nội mới sinh được hai tuần, bố mẹ nó đi làm xa, bác muốn đi "
            "đăng ký khai sinh cho nó thì có được không và cần mang gì")
    decision = resolve(msg(text, entities={"procedure_aspect": "documents"},
                           candidates=[("1.001193", 0.49), ("1.000689", 0.466), ("2.000986", 0.461)]),
                       None, load_catalogue())
    assert decision.kind == "answer" and decision.code == "1.001193"
    short = resolve(msg("khai sinh", candidates=[("1.001193", 0.45)]), None, load_catalogue())
    assert short.kind == "ask"  # a short message keeps the normal floor


def test_an_unclear_intent_that_names_a_procedure_or_an_faq_is_answered() -> None:
    reply, slots = run(ActionFallback(), msg("giải thể doanh nghiệp", "nlu_fallback",
                                             candidates=[("2.002023", 0.8), ("1.004982", 0.6)]), {})
    assert "2.002023" in reply and slots["procedure"] == "2.002023"
    reply, _ = run(ActionFallback(), msg("quên passcode vneid thì sao", "nlu_fallback"), {})
    assert "passcode" in reply.lower()
    t = Tracker("u", {}, msg("xqzw plmk vbnrt", "nlu_fallback"), [], False, None, {}, "action_listen")
    d = CollectingDispatcher()
    asyncio.run(ActionFallback().run(d, t, {}))
    assert d.messages[0]["response"] == "utter_rephrase"


def test_a_procedure_question_naming_no_procedure_gets_a_covering_faq() -> None:
    reply, _ = run(ActionAnswerProcedure(), msg("cước bưu điện trả kết quả ở hà nội bao nhiêu"), {})
    assert "26.000" in reply


def test_a_short_question_after_an_faq_answer_is_read_with_it() -> None:
    from actions.faq import previous_faq_question

    first = msg("làm định danh mức 2 ở đâu", "ask_vneid")
    events = [{"event": "user", "text": first["text"], "parse_data": first},
              {"event": "user", "text": "có mất phí không", "parse_data": msg("có mất phí không", "ask_online_payment")}]
    assert previous_faq_question(events) == "làm định danh mức 2 ở đâu"
    assert previous_faq_question(events[1:]) is None


def test_an_faq_answered_question_is_the_context_of_the_short_one_after_it() -> None:
    from actions.faq import previous_faq_question

    then = {"event": "user", "text": "có mất phí không", "parse_data": msg("có mất phí không", "ask_online_payment")}
    procedure_reply = "Thủ tục Đăng ký tạm trú (mã 1.004194). Nộp trực tuyến: ..."
    # a procedure-looking question the FAQ answered is the context of the short one after it
    postal = msg("cước bưu điện trả kết quả ở hà nội bao nhiêu", "ask_procedure")
    events = [{"event": "user", "text": postal["text"], "parse_data": postal},
              {"event": "bot", "text": "Dạ, việc trả kết quả qua bưu chính được hỗ trợ 26.000 đồng."}, then]
    assert previous_faq_question(events) == postal["text"]
    events[1] = {"event": "bot", "text": procedure_reply}
    assert previous_faq_question(events) is None


def test_a_place_question_naming_a_procedure_gets_where_it_is_done() -> None:
    from actions.agents import ActionFindAgent

    reply, slots = run(ActionFindAgent(), msg("tách hộ làm ở công an quận hay phường", "find_agent",
                                              entities={"procedure": "1.010038"}), {})
    assert "1.010038" in reply and slots["procedure_aspect"] == "where"
