"""Needless clarification (issue 9, item 4): when close candidates are not told apart by the
message, the one whose name holds the message's words, else the most used one, is answered and
the others are named and offered."""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import NON_NAMING, ActionAnswerProcedure
from actions.procedure import choose_procedure as resolve
from actions.variants import most_common
from knowledge_base.catalogue import load_catalogue
from tests.conversation.test_followup_and_variants import msg, run


def _cands(codes: list[str]) -> list[Candidate]:
    cat = load_catalogue()
    return [Candidate(c, cat[c].name, 0.8 - i * 0.01) for i, c in enumerate(codes)]


def _pick(text: str, codes: list[str]) -> str | None:
    found = most_common(text, _cands(codes), lambda c: c.name, load_catalogue(), ignore=NON_NAMING)
    return found.code if found else None


def test_the_candidate_holding_most_of_the_message_words_wins() -> None:
    # "cấp lại ... sổ BHXH" names the re-issue, not the contribution registration
    assert _pick("cấp lại sổ bảo hiểm xã hội bị mất", ["1.002051", "1.002759", "1.002179"]) == "1.002759"


def test_among_equally_named_candidates_the_clearly_most_used_wins() -> None:
    # popularity ranks: tạm trú 1, xóa tạm trú 29; đổi căn cước 8, cấp 19, cấp lại 22
    assert _pick("dăng ký tạm chú", ["1.004194", "1.010028", "1.002645"]) == "1.004194"
    assert _pick("lm cccd can j", ["2.000200", "2.001195", "2.001194"]) == "2.001195"
    assert _pick("lm ly lich tu phap can j", ["3.000333", "3.000330"]) == "3.000333"  # 3.000330 is unranked


def test_no_pick_without_a_clear_winner() -> None:
    # company forms: TNHH một thành viên (rank 42) is clearly used more than the others (89, 161) ...
    assert _pick("thành lập công ty", ["2.001199", "2.002042", "2.001583"]) == "2.001583"
    # ... but cổ phần (69) is not clearly more used than TNHH hai thành viên (89): the citizen is asked
    assert _pick("thành lập công ty", ["2.002043", "2.001199"]) is None
    assert _pick("lệ phí bao nhiêu", ["1.004194", "1.010028"]) is None  # names nothing
    assert _pick("tạm trú", ["1.004194"]) is None  # one candidate: nothing to choose


def test_resolve_answers_the_usual_case_and_keeps_the_others() -> None:
    cat = load_catalogue()
    decision = resolve(msg("à thôi, tạm trú thì lệ phí bao nhiêu", entities={"procedure_aspect": "fee"},
                           candidates=[("1.004194", 0.59), ("1.002755", 0.568), ("1.010028", 0.505)]),
                       "1.000894", cat)
    assert (decision.kind, decision.code, decision.aspect) == ("answer", "1.004194", "fee")
    assert {c.code for c in decision.alternatives} == {"1.002755", "1.010028"}


def test_the_answer_names_the_variant_and_offers_the_others_with_distinct_titles() -> None:
    text, slots = run(ActionAnswerProcedure(),
                      msg("lm ly lich tu phap can j v ad", entities={"procedure_aspect": "documents"},
                          candidates=[("3.000333", 0.60), ("3.000330", 0.54)]), {})
    assert slots["procedure"] == "3.000333"
    assert "trường hợp thường gặp nhất" in text and "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam mà" in text
    assert "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp" in text


def test_in_a_long_message_only_the_use_counts() -> None:
    text = ("Em là sinh viên, công ty yêu cầu nộp phiếu lý lịch tư pháp, em ở trọ còn hộ khẩu ở tỉnh khác, "
            "cho em hỏi em làm ở đây được không và làm thế nào ạ")
    codes = ["3.000333", "3.000330", "3.000335"]  # 3.000335: "... theo yêu cầu của cơ quan ..."
    found = most_common(text, _cands(codes), lambda c: c.name, load_catalogue(), ignore=NON_NAMING, long=True)
    assert found is not None and found.code == "3.000333"


def test_a_message_picking_the_current_procedure_among_close_ones_still_names_the_others() -> None:
    # the message asked again after its own answer: it picks the same procedure, still naming the others
    cat = load_catalogue()
    message = msg("làm thẻ căn cước mất bao lâu", entities={"procedure_aspect": "processing_time"},
                  candidates=[("2.001194", 0.9057), ("1.000757", 0.9041), ("2.001195", 0.9033)])
    first = resolve(message, None, cat)
    again = resolve(message, first.code, cat)
    assert (again.kind, again.code, again.aspect) == ("answer", "2.001195", "processing_time")
    assert [c.code for c in again.alternatives] == [c.code for c in first.alternatives] != []
    # a plain follow-up names nothing: no alternatives
    assert resolve(msg("bao lâu thì xong", "out_of_scope"), "2.001195", cat).alternatives == []


def test_the_plain_form_wins_when_use_does_not_decide() -> None:
    # ranks 277 / 359 / 389 / 860: no clear lead; "Đăng ký khai tử" is the plain form of the others
    codes = ["1.000656", "1.001766", "1.000419", "1.005461"]
    text = ("Tôi năm nay 70 tuổi, bà nhà tôi vừa mất, con cái đều ở nước ngoài cả. Giờ tôi phải đi "
            "đăng ký khai tử cho bà thì cần mang những gì, đến đâu làm ạ?")
    found = most_common(text, _cands(codes), lambda c: c.name, load_catalogue(), ignore=NON_NAMING, long=True)
    assert found is not None and found.code == "1.000656"
    # a message naming the qualifier does not get the plain form
    assert _pick("đăng ký khai tử lưu động", ["1.000656", "1.000419"]) != "1.000656"
