"""Citizen words, misspellings, situations, bundles and record follow-ups (issue 9, item 3/4/6).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import _price_aspect, about_current, choose_procedure, names_procedure, naming_words
from actions.variants import age_in
from dvcbot.textnorm import one_edit_apart
from knowledge_base.answer_format import short_sentence
from knowledge_base.catalogue import load_catalogue
from knowledge_base.document_order import (
    TIER_CONDITIONAL,
    TIER_FORM,
    TIER_PAPER,
    TIER_QUALIFIED,
    document_tier,
    order_documents,
)
from knowledge_base.vocabulary import (
    bundle_over,
    by_situation,
    correct_spelling,
    correct_word,
    expand_query,
    find_term,
    is_syllable,
    situations,
    situations_in,
    spellings,
)
from nlu.request import procedure_without_cue


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


# --- citizen terms -----------------------------------------------------------------------------------

def test_social_and_health_insurance_words() -> None:
    assert _code("cho em hỏi thủ tục rút bảo hiểm xã hội một lần") == "1.001613"
    assert _code("mình thôi làm công ty rồi, rút bhxh thế nào") == "1.001613"
    assert _code("tôi muốn mua bhyt hộ gia đình cho bố mẹ") == "1.001939"
    assert _code("mua bảo hiểm y tế tự nguyện ở đâu") == "1.001939"


def test_passport_words_with_and_without_diacritics() -> None:
    assert _code("xin hộ chiếu cho con gái") == "1.001456"
    assert _code("muon lm ho chieu di han quoc") == "1.001456"
    assert _code("đánh rơi hộ chiếu ở sân bay") == "1.010386"
    assert _code("báo mất hộ chiếu ở đâu") == "1.010386"


def test_nhap_khau_is_residence_only_with_a_person_or_home_and_never_with_goods() -> None:
    assert _code("nhập khẩu cho vợ vào nhà chồng") == "1.004222"
    assert _code("nhap khau cho chau ve nha") == "1.004222"
    assert _code("công ty tôi nhập khẩu máy móc cần giấy gì") != "1.004222"
    assert _code("thủ tục nhập khẩu hàng hóa") != "1.004222"
    assert _code("nhập khẩu phân bón") != "1.004222"


def test_guests_staying_overnight_is_the_stay_notice() -> None:
    assert _code("bạn tôi từ tỉnh lên ngủ lại mấy đêm có cần khai báo không") == "2.001159"
    assert _code("khai báo lưu trú cho người thân") == "2.001159"
    assert _code("tối nay tôi ngủ lại cơ quan") is None  # no word of reporting or of guests


# --- misspellings ------------------------------------------------------------------------------------

def test_syllable_shape_and_one_edit() -> None:
    assert is_syllable("thường") and is_syllable("nghiêng") and is_syllable("khuya")
    assert not is_syllable("thườg") and not is_syllable("đăg") and not is_syllable("khẩuu")
    assert is_syllable("xoong")
    assert one_edit_apart("thuog", "thuong", swaps=False) and one_edit_apart("abc", "abd", swaps=False)
    assert not one_edit_apart("abc", "abc", swaps=False) and not one_edit_apart("ab", "abcd", swaps=False)


def test_a_dropped_letter_is_restored_from_the_catalogue_words() -> None:
    assert correct_spelling("thủ tục đăngg ký kết hôn") == "thủ tục đăng ký kết hôn"
    assert correct_spelling("cấp lạii căn cước") == "cấp lại căn cước"
    assert correct_spelling("lam thuog tru cho me") == "lam thuong tru cho me"  # keeps the message's style
    assert correct_word("thường") == "thường"  # a real syllable is never touched
    assert correct_word("cccd") == "cccd" and correct_word("vneid") == "vneid"  # abbreviations stay
    assert correct_word("abc") == "abc"  # too short to tell


def test_sound_alike_misspellings_are_listed_with_a_source() -> None:
    assert spellings()
    assert all(s.wrong and s.right and s.source for s in spellings())
    assert correct_spelling("làm tạm chú ở đâu") == "làm tạm trú ở đâu"
    assert correct_spelling("lam tam chu o dau") == "lam tạm trú o dau"
    assert correct_spelling("dki kết hôn") == "đăng ký kết hôn"
    assert _code("bhtn hưởng ở đâu") is None and find_term("bhtn hưởng ở đâu").answer  # its honest answer
    assert "tạm trú" in expand_query("đăng ký tạm chú cho sinh viên", {})


def test_a_misspelt_term_is_still_found() -> None:
    assert _code("thủ tục tách khẩuu cho con trai") == "1.010038"


# --- situations --------------------------------------------------------------------------------------

_ID_CARDS = [
    Candidate("2.001195", "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)", 0.6),
    Candidate("2.000200", "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên (thực hiện tại cấp tỉnh)", 0.58),
    Candidate("2.001194", "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)", 0.57),
]


def _codes(text: str, cands: list[Candidate]) -> list[str]:
    return [c.code for c in by_situation(text, cands, lambda c: c.name)]


def test_every_situation_has_cues_and_a_source() -> None:
    assert situations()
    for s in situations():
        # a default situation ("domestic") holds unless one of its words is in the message
        assert (s.cues and all(s.cues) or s.unless) and s.source, s


def test_first_time_lost_and_worn_pick_the_variant() -> None:
    assert _codes("con tôi vừa đủ tuổi, làm căn cước lần đầu ở đâu", _ID_CARDS) == ["2.000200"]
    assert _codes("tôi đánh rơi thẻ căn cước hôm qua", _ID_CARDS) == ["2.001194"]
    assert _codes("thẻ căn cước bị nhòe hết ảnh rồi", _ID_CARDS) == ["2.001195"]
    assert _codes("làm căn cước ở đâu", _ID_CARDS) == ["2.001195", "2.000200", "2.001194"]  # no situation


def test_a_situation_never_switches_the_subject() -> None:
    cands = [Candidate("3.000347", "Đổi giấy phép lái xe", 0.55),
             Candidate("1.001456", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)", 0.54)]
    assert _codes("hộ chiếu của tôi hết hạn rồi thì sao", cands) == ["1.001456"]
    assert _codes("bằng lái hết hạn", [cands[1], Candidate("3.000348", "Cấp lại giấy phép lái xe", 0.5),
                                       cands[0]]) == ["3.000347"]


def test_time_words_are_no_loss() -> None:
    assert [s for s in situations_in("làm căn cước mất bao lâu") if s.cues] == []
    assert [s for s in situations_in("mất bao nhiêu tiền") if s.cues] == []


def test_a_lost_register_means_registering_again() -> None:
    cands = [Candidate("2.000635", "Cấp bản sao Trích lục hộ tịch", 0.5),
             Candidate("1.004870", "Đăng ký lại kết hôn", 0.45),
             Candidate("1.000894", "Đăng ký kết hôn", 0.44)]
    text = "mẹ tôi mất giấy kết hôn, xã bảo sổ hộ tịch cũng bị cháy"
    assert _codes(text, cands) == ["1.004870"]
    assert "đăng ký lại" in expand_query(text, {})
    birth = [Candidate("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", 0.5),
             Candidate("1.004884", "Thủ tục đăng ký lại khai sinh", 0.45)]
    story = "bố tôi ngoài 60, giấy khai sinh gốc thất lạc, ủy ban bảo sổ hộ tịch năm đó cũng không còn lưu"
    assert _codes(story, birth) == ["1.004884"]  # fewer shared words, still the one the situation means
    # the register still holds it: only the copy of the extract is meant (civil_paper_lost)
    assert _codes("mất giấy kết hôn thì xin bản sao ở đâu", cands) == ["2.000635"]


def test_age_in_chat_shorthand() -> None:
    assert age_in("cháu 15t rồi, làm căn cước được chưa") == 15
    assert age_in("bé nhà em 6 tuổi") == 6


# --- bundles -----------------------------------------------------------------------------------------

_BUNDLE = ("2.000986", "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
                       "bảo hiểm y tế cho trẻ em dưới 6 tuổi")


def test_a_message_asking_for_the_bundled_papers_gets_the_bundle() -> None:
    cands = [_BUNDLE, ("1.004222", "Đăng ký thường trú")]
    text = "bé mới sinh, tôi muốn làm giấy khai sinh, đăng ký thường trú và thẻ bảo hiểm y tế cho bé"
    assert bundle_over("Đăng ký thường trú", cands, text) == "2.000986"
    assert bundle_over("Đăng ký thường trú", cands, "đăng ký thường trú cho con ở nhà ông bà") is None
    assert bundle_over("Đăng ký thường trú", [("1.004222", "Đăng ký thường trú")], text) is None


# --- choosing the procedure --------------------------------------------------------------------------

def test_numbers_name_no_procedure() -> None:
    assert naming_words("bn 1 trang") == {"trang"}
    assert not names_procedure("bao nhiêu 1 bản", "Giải quyết hưởng bảo hiểm xã hội một lần")


def test_price_question_without_a_fee_word() -> None:
    assert _price_aspect("bao nhiêu 1 tờ") == "fee"
    assert _price_aspect("bn một bản vậy") == "fee"
    assert _price_aspect("bao nhiêu ngày thì xong") is None
    assert _price_aspect("làm ở đâu") is None


def test_a_fee_line_of_the_current_record_keeps_the_procedure() -> None:
    cat = load_catalogue()
    proc = cat["2.001610"]  # its fee line: "Phí công bố nội dung đăng ký doanh nghiệp"
    assert about_current("lệ phí công bố nội dung đăng ký là bao nhiêu", proc, [])
    assert not about_current("đăng ký hộ kinh doanh bao nhiêu tiền", proc, ["Đăng ký hộ kinh doanh"])
    assert not about_current("công bố thông tin bao nhiêu", proc, [])  # not a phrase of the record


def test_choose_keeps_the_current_procedure_for_a_per_page_price() -> None:
    cat = load_catalogue()
    previous = next(code for code, p in cat.items() if p.name.startswith("Chứng thực bản sao từ bản chính"))
    message = {"text": "bao nhiêu 1 tờ", "entities": [],
               "procedure_candidates": [{"code": "1.001613", "name": cat["1.001613"].name, "score": 0.6}]}
    choice = choose_procedure(message, previous, cat)
    assert (choice.kind, choice.code, choice.aspect) == ("answer", previous, "fee")


def test_choose_uses_the_situation_among_id_card_variants() -> None:
    cat = load_catalogue()
    message = {"text": "em mới đủ 14 tuổi, lần đầu làm căn cước thì cần gì", "entities": [],
               "procedure_candidates": [{"code": c.code, "name": c.name, "score": c.score} for c in _ID_CARDS]}
    choice = choose_procedure(message, None, cat)
    assert choice.kind == "answer" and choice.code == "2.000200"


def test_a_named_procedure_without_a_complaint_word_is_no_complaint() -> None:
    assert procedure_without_cue("file_complaint", "thôi việc rồi muốn rút bảo hiểm xã hội một lần")
    assert not procedure_without_cue("file_complaint", "hồ sơ rút bhxh quá hạn mà chưa trả kết quả")
    assert not procedure_without_cue("file_complaint", "cán bộ thái độ không tốt khi tôi làm hộ chiếu")


# --- documents -----------------------------------------------------------------------------------------

def test_a_paper_for_some_applicants_comes_after_what_everybody_brings() -> None:
    vehicle = ("Giấy chứng nhận đăng ký phương tiện hoặc văn bản xác nhận của Ủy ban nhân dân cấp xã đối "
               "với phương tiện không thuộc đối tượng phải đăng ký")
    assert document_tier(vehicle) == TIER_QUALIFIED
    assert document_tier("Bản sao giấy chứng nhận quyền sử dụng đất") == TIER_PAPER
    assert document_tier("Tờ khai đăng ký (mẫu TK01); đối với trẻ em thì cha mẹ khai") == TIER_FORM
    assert document_tier("Trường hợp ủy quyền: văn bản ủy quyền") == TIER_CONDITIONAL
    assert TIER_PAPER < TIER_QUALIFIED < TIER_CONDITIONAL


def test_residence_papers_start_with_the_form_and_the_proof_of_home() -> None:
    proc = load_catalogue()["1.004222"]
    own_home = [d for d in proc.documents if d.case and d.case.endswith("thuộc quyền sở hữu của mình")]
    first_case = order_documents(own_home, proc.name)[:3]
    assert first_case[0].name.startswith("Tờ khai")
    assert "chỗ ở hợp pháp" in first_case[1].name
    assert "phương tiện" in first_case[2].name


def test_a_form_keeps_its_code_when_the_name_is_cut() -> None:
    long_form = ("Tờ khai thay đổi thông tin cư trú (mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA) hoặc "
                 "Tờ khai dùng cho công dân Việt Nam định cư ở nước ngoài")
    assert short_sentence(long_form) == "Tờ khai thay đổi thông tin cư trú (mẫu CT01)"
    assert short_sentence("Giấy tờ chứng minh chỗ ở hợp pháp (bản sao)") == "Giấy tờ chứng minh chỗ ở hợp pháp (bản sao)"


# --- what a message asks ------------------------------------------------------------------------------

def test_two_aspects_at_once_get_the_general_answer() -> None:
    from nlu.entities import asked_aspects, request_aspect_entity

    assert request_aspect_entity("làm hộ chiếu nộp chỗ nào, hết bao nhiêu tiền") is None
    assert asked_aspects("làm hộ chiếu nộp chỗ nào, hết bao nhiêu tiền") >= {"where", "fee"}
    entity = request_aspect_entity("đổi bằng lái hết bao nhiêu tiền")
    assert entity is not None and entity["value"] == "fee"


def test_a_long_story_is_asked_about_in_its_request_part() -> None:
    from nlu.entities import request_aspect_entity

    story = ("Năm 2010 tôi chuyển về sống ở quận cũ, hồi đó mất mấy tháng mới xong giấy tờ nhà, nay con gái "
             "tôi lấy chồng ở xa, tôi muốn hỏi đăng ký kết hôn cần mang những giấy tờ gì")
    entity = request_aspect_entity(story)
    assert entity is not None and entity["value"] == "documents"


def test_cases_of_few_people_come_after_the_usual_ones() -> None:
    from knowledge_base.catalogue import Document
    from knowledge_base.document_order import common_dossier, rare_heading

    assert rare_heading("Trường hợp ủy quyền cho tổ chức thực hiện thủ tục")
    assert rare_heading("Đăng ký thường trú tại cơ sở tín ngưỡng, cơ sở tôn giáo")
    assert not rare_heading("Trường hợp thay đổi địa chỉ trụ sở")
    docs = [Document(name="Văn bản ủy quyền", quantity="1", template="", case="Trường hợp ủy quyền thực hiện"),
            Document(name="Thông báo thay đổi", quantity="1", template="", case="Trường hợp thay đổi địa chỉ"),
            Document(name="Giấy tờ của người nước ngoài", quantity="1", template="",
                     case="Trường hợp người nước ngoài đề nghị")]
    common, others, first = common_dossier(docs, "Đăng ký thay đổi nội dung")
    assert first == "Trường hợp thay đổi địa chỉ"
    assert others == ["Trường hợp ủy quyền thực hiện", "Trường hợp người nước ngoài đề nghị"]
    assert [d.name for d in common] == ["Thông báo thay đổi"]


def test_a_child_gets_the_under_14_variant_when_offered() -> None:
    from actions.variants import pick

    cat = load_catalogue()
    child = next(code for code, p in cat.items() if p.name == "Cấp thẻ căn cước cho người dưới 14 tuổi")
    cands = [*_ID_CARDS, Candidate(child, cat[child].name, 0.5)]
    kept, chosen = pick("bé nhà mình 7t rồi, làm căn cước được không", cands, lambda c: c.name, cat)
    assert chosen is not None and chosen.name.startswith("Cấp thẻ căn cước cho người dưới 14 tuổi")
    kept, chosen = pick("ông tôi 75 tuổi làm căn cước", _ID_CARDS, lambda c: c.name, cat)
    assert all("dưới 14 tuổi" not in c.name for c in kept)


def test_a_message_that_alone_picks_the_current_procedure_still_names_the_others() -> None:
    cat = load_catalogue()
    message = {"text": "đăng ký cư trú cần giấy tờ gì", "entities": [{"entity": "procedure_aspect", "value": "documents"}],
               "procedure_candidates": [{"code": "1.004194", "name": cat["1.004194"].name, "score": 0.8},
                                        {"code": "1.004222", "name": cat["1.004222"].name, "score": 0.78}]}
    alone = choose_procedure(message, None, cat)
    assert alone.kind == "answer" and alone.alternatives
    again = choose_procedure(message, alone.code, cat)  # Rasa runs the action once before, setting the slot
    assert again.code == alone.code and [c.code for c in again.alternatives] == [c.code for c in alone.alternatives]


def test_exchange_never_matches_for() -> None:
    cands = [Candidate("2.001194", "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)", 0.72),
             Candidate("3.000382", "Cấp lại Giấy phép hoạt động đối với phương tiện giao thông thông minh", 0.63),
             Candidate("2.001195", "Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)", 0.6)]
    assert _codes("thẻ căn cước của mình bị rách, mình muốn làm lại", cands) == ["2.001195"]
    assert _codes("the can cuoc cua minh bi rach", cands[:2]) == ["2.001194"]  # no exchange offered: the card


def test_i_and_y_spellings_are_one_word() -> None:
    """"kí"/"ký" and "lí"/"lý" are both correct Vietnamese; the catalogue writes y."""
    assert correct_spelling("đăng kí kết hôn cần gì") == "đăng ký kết hôn cần gì"
    assert correct_spelling("xin li lich tu phap") == "xin lý lịch tu phap"
    assert correct_spelling("chữ kí số") == "chữ ký số"
    assert correct_spelling("ki") == "ki"  # a lone syllable is left alone
