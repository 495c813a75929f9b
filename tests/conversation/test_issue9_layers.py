"""Deciding functions of issue 9: fee validity by date, the Hanoi layer, the citizen vocabulary,
the answer check of FAQ entries, typed topic names."""

from __future__ import annotations

import datetime as dt

from dvcbot.textnorm import fold
from knowledge_base.answer_check import best_entry, coverage
from knowledge_base.answers import procedure_answer
from knowledge_base.catalogue import load_catalogue
from knowledge_base.faq import get_faq, load_faqs
from knowledge_base.hanoi import apply_wording, commune_variant, fee_note, in_hanoi, localize
from knowledge_base.validity import fee_now, periods, policy_answer_prefix
from knowledge_base.vocabulary import (
    best_supported,
    find_term,
    find_terms,
    request_clauses,
    request_part,
    term_entries,
    terms,
)
from nlu.context_free import topic_payload, vocabulary_entity

CAN_CUOC_FEE = (
    "- Cấp đổi thẻ căn cước: 50.000 đồng/thẻ căn cước;  Kể từ ngày 01/01/2025 đến hết ngày 31/12/2025, mức thu "
    "lệ phí khi công dân nộp hồ sơ cấp đổi, cấp lại thẻ căn cước theo hình thức trực tuyển bằng 50% mức thu lệ "
    "phí quy định. - Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 mức thu lệ phí cấp đổi, cấp lại thẻ căn cước "
    "bằng 50% mức thu nêu trên theo quy định tại Thông tư 64/2025/TT-BTC ngày 30/6/2025 của Bộ Tài chính."
)
TODAY = dt.date(2026, 11, 30)


# ---- dates ----------------------------------------------------------------------------------------
def test_every_dated_clause_is_read() -> None:
    found = periods(CAN_CUOC_FEE)
    assert [(p.start, p.end, p.percent, p.online_only) for p in found] == [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), 50, True),
        (dt.date(2025, 7, 1), dt.date(2026, 12, 31), 50, False),
    ]
    assert found[1].rule == "Thông tư 64/2025/TT-BTC"


def test_the_50_percent_cut_until_end_2026_is_current_and_ends_after() -> None:
    now = fee_now(50000, CAN_CUOC_FEE, TODAY, "truc_tiep")
    assert now.amount == 25000 and not now.expired
    assert "31/12/2026" in now.note() and "50.000 đồng" in now.note()
    later = fee_now(50000, CAN_CUOC_FEE, dt.date(2027, 1, 2), "truc_tiep")
    assert later.amount == 50000 and later.reduction is None


def test_a_time_limited_fee_that_ended_is_expired() -> None:
    now = fee_now(20000, "Mức thu 20.000 đồng áp dụng đến hết ngày 31/12/2025.", TODAY)
    assert now.expired and now.ended == [dt.date(2025, 12, 31)]
    assert not fee_now(20000, "Mức thu 20.000 đồng áp dụng đến hết ngày 31/12/2025.", dt.date(2025, 6, 1)).expired


def test_yes_no_policy_questions_are_answered_by_the_date() -> None:
    assert policy_answer_prefix(dt.date(2023, 7, 4), dt.date(2025, 12, 31), TODAY).startswith("Dạ, không còn")
    assert policy_answer_prefix(dt.date(2023, 7, 4), dt.date(2025, 12, 31), dt.date(2025, 3, 1)) == "Dạ, đúng."
    assert policy_answer_prefix(dt.date(2027, 1, 1), None, TODAY).startswith("Dạ, chưa")


def test_can_cuoc_fee_answer_today_has_no_contradicting_hedge() -> None:
    text = procedure_answer(load_catalogue()["2.001195"], "fee", TODAY)
    assert "25.000 đồng" in text and "31/12/2026" in text
    assert "hết thời hạn" not in text and "nay đã hết hạn" not in text
    assert "có thể được giảm hoặc miễn" not in text  # the ended 0-đồng policy is not hinted at


def test_unitless_time_is_not_read_out_as_garbled_text() -> None:
    text = procedure_answer(load_catalogue()["1.000894"], "processing_time", TODAY)
    assert "không ghi đơn vị" not in text and "xem thời hạn tại" in text


# ---- Hanoi layer ------------------------------------------------------------------------------------
def test_hanoi_wording_and_commune_variants() -> None:
    assert apply_wording("Ủy ban Nhân dân xã, phường, thị trấn") == "Ủy ban Nhân dân xã, phường"
    assert commune_variant("2.001195") == "1.014063"
    cat = load_catalogue()
    text = localize(cat["2.001195"], "where", "Nộp tại Công an cấp tỉnh. Xem chi tiết tại: https://x", cat)
    assert "1.014063" in text and text.endswith("Xem chi tiết tại: https://x")
    assert "không còn cấp quận, huyện" in localize(cat["1.004194"], "where", "Nộp tại UBND cấp huyện.", cat)


def test_fee_note_after_the_zero_fee_policy_ended() -> None:
    assert fee_note(dt.date(2025, 6, 1), "CURRENT") == "CURRENT"
    assert "31/12/2025" in fee_note(TODAY, "CURRENT") and "kết thúc" in fee_note(TODAY, "CURRENT")


def test_outside_hanoi() -> None:
    assert in_hanoi(21.0285, 105.8542)  # Hoàn Kiếm
    assert not in_hanoi(10.7769, 106.7009)  # Hồ Chí Minh City
    assert not in_hanoi(16.0544, 108.2022)  # Đà Nẵng


# ---- vocabulary -------------------------------------------------------------------------------------
def test_every_vocabulary_term_names_a_catalogue_procedure_or_has_an_answer_and_a_source() -> None:
    cat = load_catalogue()
    for term in terms():
        assert (term.code in cat) if term.code else term.answer, term.term
        assert term.source, term.term


def test_citizen_terms_are_found_without_diacritics_and_inside_sentences() -> None:
    assert find_term("tôi muốn tách khẩu ra ở riêng").code == "1.010038"
    assert find_term("lam giay chung tu o dau").code == "1.000656"
    assert find_term("sang ten so do cho con").code == "1.013831"
    assert find_term("hưởng bảo hiểm thất nghiệp").answer
    assert find_terms("nhập khẩu hàng hóa") == []  # "import", not the household book
    entity, about = vocabulary_entity("tach khau")
    assert about and entity["value"] == "1.010038"


def test_the_request_part_of_a_long_message() -> None:
    long = ("Chào bạn. Mình ở quê ra Hà Nội thuê trọ được mấy tháng rồi, chủ nhà bảo phải đăng ký. Mình đi làm "
            "cả ngày không có thời gian, cũng chưa biết gì nhiều về thủ tục ở đây. Cho mình hỏi làm tạm trú cần gì?")
    assert request_part(long).endswith("làm tạm trú cần gì?")
    assert request_part("làm tạm trú cần gì") == "làm tạm trú cần gì"


def test_the_request_clauses_of_a_long_message() -> None:
    long = ("Nhà tôi ở ngoại thành, mấy năm nay đi làm xa suốt, bố mẹ già ở quê. Giờ tôi muốn đăng ký kết hôn "
            "với bạn gái cùng quê, cần những giấy tờ gì, nộp ở đâu ạ")
    clauses = request_clauses(long)
    assert clauses[0].startswith("Giờ tôi muốn đăng ký kết hôn")
    # a clause that asks only an aspect names no procedure: searched alone it would find anything
    assert "cần những giấy tờ gì" not in clauses and "nộp ở đâu ạ" not in clauses
    assert not any("ngoại thành" in c for c in clauses)  # the story has no request cue
    assert request_clauses("làm tạm trú cần gì") == []  # short messages are searched whole


def test_the_best_supported_procedure_of_a_long_message() -> None:
    whole = ["A", "B", "C", "D", "E", "F"]
    # first in a request clause and in the whole message's top: taken
    assert best_supported([["B", "A"], ["X", "B"]], whole) == "B"
    # the most clauses win, then the rank for the whole message
    assert best_supported([["C"], ["D"], ["D"]], whole) == "D"
    assert best_supported([["C"], ["B"]], whole) == "B"
    # a clause's first outside the whole message's top k is not support: the usual search stands
    assert best_supported([["F"], ["X"]], whole, k=5) is None
    assert best_supported([], whole) is None


# ---- answer check, topics -----------------------------------------------------------------------------
def test_an_faq_entry_must_cover_the_question() -> None:
    faqs = {f.id: f for f in load_faqs()}
    assert coverage("quên mật khẩu vneid", faqs["vneid.forgot_password"]) == 1.0
    assert best_entry("tôi muốn vay tiền ngân hàng để kinh doanh", [faqs["payment.banks_wallets"]]) is None
    assert best_entry("đăng ký tạm trú trên app vneid", [faqs["vneid.level1_register"]]) is None
    assert best_entry("quên mật khẩu vneid thì làm sao",
                      [faqs["vneid.password_rules"], faqs["vneid.forgot_password"]]).id == "vneid.forgot_password"
    assert get_faq("payment.zero_fee_hanoi").valid_until == dt.date(2025, 12, 31)


def test_typing_a_topic_name_works_like_its_button() -> None:
    from actions.faq import topic_buttons

    for b in topic_buttons():
        assert topic_payload(b["title"].lower()) == b["payload"]
    assert topic_payload("thu tuc hanh chinh") == "/ask_procedure"
    assert topic_payload("thủ tục hành chính ở đâu") is None


def test_vocabulary_answers_spell_the_hotline_as_the_module() -> None:
    from dvcbot.hotlines import nonstandard_spellings

    assert all(not nonstandard_spellings(t.answer) for t in terms() if t.answer)


def test_garbled_fields_are_detected_and_left_out_with_a_pointer() -> None:
    from knowledge_base.garbled import is_garbled

    assert is_garbled(") và nộp cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận")
    assert is_garbled("hoặc") and is_garbled(".")
    assert not is_garbled("b) Bản thuyết minh về cơ sở vật chất")
    assert not is_garbled("Tờ khai thay đổi thông tin cư trú (Mẫu CT01)")
    assert not is_garbled("a) Hồ sơ gồm: a1) Bản chính văn bản đề nghị")
    text = procedure_answer(load_catalogue()["1.001613"], "documents", TODAY)
    assert "gồm )" not in text and "xem tại https://" in text
    assert "gồm )" not in procedure_answer(load_catalogue()["1.001613"], None, TODAY)


def test_a_term_listed_twice_with_two_meanings_is_told_apart_by_context() -> None:
    """A term in citizen_terms.yml and an everyday_<area>.yml (or twice) names the same procedure or
    answer, or each entry carries context words (with_any / not_with) that tell its meaning."""
    meanings: dict[str, dict[str, list[dict]]] = {}
    for entry in term_entries():
        key, means = fold(str(entry["term"])), str(entry.get("code") or "answer")
        meanings.setdefault(key, {}).setdefault(means, []).append(entry)
    bare = [key for key, by_meaning in meanings.items() if len(by_meaning) > 1
            and any(not (e.get("with_any") or e.get("not_with")) for es in by_meaning.values() for e in es)]
    assert not bare, bare
    assert len({(t.key, t.code, t.answer) for t in terms()}) == len(terms())
