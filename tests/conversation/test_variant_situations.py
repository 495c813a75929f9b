"""Which variant of a procedure (issue 9): a foreign element, a wrong entry, a worn card whose
exchange the search missed, a rare procedure that shares one more name word; loanwords that are no
misspellings; citizens' words for residence proof and for closing a household business.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import NON_NAMING, ActionAnswerProcedure, choose_procedure, names_procedure
from actions.variants import core_name, most_common, siblings
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import (
    by_situation,
    correct_spelling,
    correct_word,
    find_term,
    is_loanword,
    kinds_in,
    loanwords,
    situations_in,
)
from tests.conversation.test_followup_and_variants import msg, run

KET_HON, KET_HON_NN, KET_HON_BIEN_GIOI = "1.000894", "2.000806", "1.000094"
KHAI_TU, KHAI_TU_NN = "1.000656", "1.001766"
KHAI_SINH, KHAI_SINH_NN = "1.001193", "2.000528"
CAI_CHINH = "1.004859"
DOI_CAN_CUOC, CAP_LAI_CAN_CUOC, CAP_CAN_CUOC = "2.001195", "2.001194", "2.000200"


def _cands(codes: list[str], top: float = 0.6) -> list[Candidate]:
    cat = load_catalogue()
    return [Candidate(c, cat[c].name, top - i * 0.01) for i, c in enumerate(codes)]


def _left(text: str, codes: list[str]) -> list[str]:
    cat = load_catalogue()

    def name_of(c: Candidate) -> str:
        return c.name

    kept = by_situation(text, _cands(codes), name_of, siblings=lambda c, p: siblings(c, p, name_of, cat))
    return [c.code for c in kept]


def _situations(text: str) -> list[str]:
    return [s.name for s in situations_in(text)]


# --- foreign element ----------------------------------------------------------------------------------

def test_a_foreign_nationality_or_a_vietnamese_abroad_is_a_foreign_element() -> None:
    for text in ("mình định lấy chồng người Đức, cần giấy gì",
                 "vợ sắp cưới của tôi quốc tịch Nhật Bản",
                 "anh trai tôi là việt kieu ở Canada về nước cưới vợ",
                 "bạn gái tôi người Lào",
                 "chồng tôi đang định cư ở nước ngoài"):
        assert "foreign_element" in _situations(text), text


def test_places_names_and_words_that_start_like_a_country_are_no_foreign_element() -> None:
    for text in ("nhà tôi ở Mỹ Đình, đăng ký khai sinh cho con",
                 "tôi là người Mỹ Đức lên Hà Nội làm việc",
                 "chị Nga hàng xóm nhờ hỏi đăng ký kết hôn",
                 "anh Đức cùng phòng muốn làm khai sinh cho con",
                 "cập nhật thông tin chủ nhật có làm không",
                 "người Tây Hồ đăng ký kết hôn ở đâu",
                 "cần tư vấn pháp luật về kết hôn",
                 "vợ tôi mới mất, các con đều ở nước ngoài cả",  # relatives abroad: no party is foreign
                 "con gái tôi đang làm việc bên Nhật"):
        assert "foreign_element" not in _situations(text), text


def test_the_foreign_variant_is_chosen_only_with_a_foreign_element() -> None:
    codes = [KET_HON, KET_HON_NN, KET_HON_BIEN_GIOI]
    assert _left("em cưới anh người Úc thì đăng ký kết hôn ở đâu", codes) == [KET_HON_NN]
    assert _left("đăng ký kết hôn ở phường cần mang gì", codes) == [KET_HON]
    # the border-area variant needs a border
    assert _left("tôi ở khu vực biên giới, lấy vợ người Lào", codes) == [KET_HON_BIEN_GIOI]


def test_the_foreign_variant_the_search_missed_is_taken_from_the_catalogue() -> None:
    # only the plain death registration was found: its foreign-element variant is the same procedure
    assert _left("mẹ vợ tôi quốc tịch Hàn Quốc mất ở Hà Nội, làm khai tử thế nào", [KHAI_TU]) == [KHAI_TU_NN]
    assert _left("ông nội mất rồi, làm khai tử thế nào", [KHAI_TU]) == [KHAI_TU]


def test_a_named_procedure_still_takes_the_variant_of_the_situation_but_a_button_does_not() -> None:
    cat = load_catalogue()
    text = "bố chồng tôi người Pháp vừa mất, làm khai tử ở đâu"
    named = msg(text, entities={"procedure": KHAI_TU})
    named["entities"][0]["extractor"] = "dvcbot_vocabulary"
    assert choose_procedure(named, None, cat).code == KHAI_TU_NN
    # another procedure of the same situation is not taken for the named one ("đổi bằng lái hết hạn" is no
    # foreigner's licence exchange though that shares "bằng lái")
    licence = msg("còn đổi bằng lái sắp hết hạn thì phí bao nhiêu", entities={"procedure": "3.000347"},
                  candidates=[("3.000351", 0.51), ("3.000348", 0.49)])
    licence["entities"][0]["extractor"] = "dvcbot_kb"
    assert choose_procedure(licence, None, cat).code == "3.000347"
    button = msg(f'/ask_procedure{{"procedure": "{KHAI_TU}"}}', entities={"procedure": KHAI_TU})
    button["entities"][0]["extractor"] = "RegexMessageHandler"
    assert choose_procedure(button, None, cat).code == KHAI_TU


def test_end_to_end_marriage_with_a_foreigner_answers_the_foreign_element_procedure() -> None:
    text, slots = run(ActionAnswerProcedure(),
                      msg("mình sắp cưới vợ người Thái Lan, đăng ký kết hôn cần giấy tờ gì",
                          entities={"procedure_aspect": "documents"},
                          candidates=[(KET_HON, 0.58), (KET_HON_NN, 0.53), ("1.000593", 0.5)]), {})
    assert slots["procedure"] == KET_HON_NN
    assert KET_HON_NN in text and "nước ngoài" in text
    # the next short question stays on the foreign-element procedure
    text, slots = run(ActionAnswerProcedure(), msg("thế nộp ở đâu hả ad", entities={"procedure_aspect": "where"},
                                                   candidates=[(KET_HON, 0.5)]), {"procedure": KET_HON_NN})
    assert slots["procedure"] == KET_HON_NN and KET_HON_NN in text


# --- wrong entry -------------------------------------------------------------------------------------

def test_a_wrong_entry_on_a_civil_status_paper_is_a_correction() -> None:
    assert "wrong_entry" in _situations("giấy khai sinh của bé viết sai họ mẹ")
    assert kinds_in("giấy khai sinh của bé viết sai họ mẹ") == ["hộ tịch"]
    assert names_procedure("giấy khai sinh bị sai năm sinh", load_catalogue()[CAI_CHINH].name)
    assert _left("giấy khai sinh của cháu ghi nhầm ngày sinh, cần sửa",
                 [KHAI_SINH, CAI_CHINH, "2.000635"]) == [CAI_CHINH]
    decision = choose_procedure(msg("khai sinh của con trai tôi sai chữ đệm, muốn sửa thì làm sao",
                                    candidates=[(KHAI_SINH, 0.6), (CAI_CHINH, 0.55), ("2.000635", 0.5)]),
                                None, load_catalogue())
    assert (decision.kind, decision.code) == ("answer", CAI_CHINH)


def test_a_wrong_entry_on_an_id_card_is_still_an_exchange() -> None:
    found = _left("thẻ căn cước sai thông tin ngày sinh", [CAP_CAN_CUOC, DOI_CAN_CUOC, CAP_LAI_CAN_CUOC])
    cat = load_catalogue()
    assert found[0] == DOI_CAN_CUOC and all("Cấp đổi thẻ căn cước" in cat[c].name for c in found)


# --- the variant the search missed; a rare procedure -----------------------------------------------------

def test_variants_share_their_core_name() -> None:
    cat = load_catalogue()
    assert core_name(cat[CAP_LAI_CAN_CUOC].name) == core_name(cat[DOI_CAN_CUOC].name) == "thẻ căn cước"
    assert core_name(cat[KET_HON_NN].name) == core_name(cat[KET_HON].name)
    assert core_name(cat[CAP_CAN_CUOC].name) != core_name(cat[DOI_CAN_CUOC].name)


def test_a_worn_card_finds_the_exchange_when_the_search_brought_only_the_reissue() -> None:
    found = _left("cái thẻ căn cước của tôi bị gãy đôi, làm lại thế nào", [CAP_CAN_CUOC, CAP_LAI_CAN_CUOC])
    assert found[0] == DOI_CAN_CUOC  # the provincial level, the most used
    decision = choose_procedure(
        msg("Xin chào, tôi ở Long Biên, thẻ căn cước của tôi dùng lâu nên bị mờ hết chữ và gãy một góc, "
            "tôi muốn làm lại thẻ, xin hỏi lệ phí bây giờ là bao nhiêu và làm ở đâu",
            candidates=[(CAP_CAN_CUOC, 0.7), (CAP_LAI_CAN_CUOC, 0.69), ("1.010041", 0.6)]),
        None, load_catalogue())
    assert decision.code == DOI_CAN_CUOC
    assert _left("giấy phép lái xe của tôi bị hỏng, muốn đổi", ["3.000348"]) == ["3.000347"]


def test_a_rare_procedure_does_not_win_on_one_more_name_word() -> None:
    cat = load_catalogue()

    def pick(text: str, codes: list[str]) -> str | None:
        found = most_common(text, _cands(codes), lambda c: c.name, cat, ignore=NON_NAMING)
        return found.code if found else None

    # "lại" names "Cấp lại tem AB ... hộ chiếu bị mất, hư hỏng" (unranked), the passport (rank 2) is meant
    assert pick("hộ chiếu bị nhàu nát, muốn làm lại", ["1.014905", "1.001456"]) == "1.001456"
    # a ranked procedure keeps the word that tells it apart, however used the other one is
    assert pick("dọn sang chỗ trọ mới rồi, xóa đăng ký tạm trú ở chỗ cũ", ["1.004194", "1.010028"]) == "1.010028"
    # two candidates used about as much: the one holding more words still wins
    assert pick("cấp lại sổ bảo hiểm xã hội bị mất", ["1.002051", "1.002759"]) == "1.002759"


# --- loanwords and words -----------------------------------------------------------------------------------

def test_loanwords_are_never_corrected() -> None:
    assert {"link", "app", "online", "file", "pass", "code", "web", "zalo", "ok", "shop"} <= loanwords()
    for word in ("link", "shop", "mail", "scan", "wifi", "facebook", "zalo", "file"):
        assert correct_word(word) == word, word
    assert is_loanword("Facebook") and not is_loanword("thường")
    assert correct_spelling("gửi link đăng ký tạm trú cho mình") == "gửi link đăng ký tạm trú cho mình"
    assert correct_spelling("mở shop online cần giấy gì") == "mở shop online cần giấy gì"
    assert correct_word("thườg") == "thường"  # a real slip is still corrected


def test_citizens_words_for_residence_proof_and_closing_a_household_business() -> None:
    def code(text: str) -> str | None:
        term = find_term(text)
        return term.code if term else None

    assert code("công ty bắt nộp giấy tờ chứng minh nơi cư trú thì xin ở đâu") == "1.010041"
    assert code("xin giay xac nhan noi o cho con di hoc") == "1.010041"
    assert code("mẫu CT07 xin ở đâu") == "1.010041"
    assert code("nghỉ bán rồi, muốn chấm dứt hộ kinh doanh") == "1.001266"
    assert code("giai the ho kinh doanh lam the nao") == "1.001266"
    assert code("dung ho kinh doanh thi lam gi") == "1.001266"


# --- a newborn -------------------------------------------------------------------------------------------

def test_a_newborn_is_registered_not_copied() -> None:
    codes = ["2.000635", KHAI_SINH, "1.004772"]
    assert _left("cháu ngoại tôi mới đẻ hôm qua, làm giấy khai sinh cho cháu ở đâu", codes) == [KHAI_SINH]
    assert _left("bé nhà mình vừa chào đời, có giấy chứng sinh rồi thì làm giấy khai sinh thế nào",
                 codes) == [KHAI_SINH]
    assert _left("xin bản sao giấy khai sinh cho con đi học", codes) == codes  # no newborn: unchanged
    # the mother's maternity benefit is no baby's paper
    assert "newborn" not in _situations("vợ tôi vừa sinh con, làm chế độ thai sản ở đâu")


def test_a_loanword_is_no_typo_of_an_faq_word() -> None:
    from knowledge_base.answer_check import _covered

    assert _covered({"link"}, set(), {"linh"}, set()) == 0.0  # "link" is not "linh" misspelt
    assert _covered({"quyen"}, set(), {"quen"}, set()) > 0.0  # a real slip still counts


def test_a_worn_land_certificate_is_exchanged() -> None:
    assert "worn_or_changed" in _situations("sổ đỏ cấp từ hồi xưa giờ cũ nát cả rồi")
    assert "worn_or_changed" in _situations("giấy chứng nhận quyền sử dụng đất bị ố hết")
    assert _left("giấy chứng nhận quyền sử dụng đất rách cũ, muốn đổi", ["1.013978", "1.012783"]) == ["1.012783"]
