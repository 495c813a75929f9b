"""Long story-first messages find their request (issue 9, long messages): the sentence that asks
(and the one it points back to), the situation the story describes (renting, a newborn, a foreign
spouse, a worn certificate, a wrong record), the variant of the subject asked about, and an honest
clarification when only the story's words match.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from typing import Any

from actions.message import Candidate
from actions.procedure import choose_procedure, diluted, named_by_request
from actions.variants import asked_part, base_name, channel_rank, pick
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import (
    best_supported,
    by_situation,
    find_term,
    implied_words,
    refers_back,
    request_clauses,
    request_part,
    situations_in,
)
from nlu.request import corrects_own_record


def _told(text: str) -> list[str]:
    """The situations ``text`` tells (not the default ones that hold without a cue)."""
    return [s.name for s in situations_in(text) if s.cues]


def _cands(*pairs: tuple[str, float]) -> list[Candidate]:
    cat = load_catalogue()
    return [Candidate(code, cat[code].name, score) for code, score in pairs]


def _codes(text: str, cands: list[Candidate]) -> list[str]:
    return [c.code for c in by_situation(text, cands, lambda c: c.name)]


def _message(text: str, *pairs: tuple[str, float]) -> dict[str, Any]:
    cat = load_catalogue()
    return {"text": text, "intent": {"name": "ask_procedure", "confidence": 0.9}, "entities": [],
            "procedure_candidates": [{"code": c, "name": cat[c].name, "score": s} for c, s in pairs]}


# --- which sentence asks --------------------------------------------------------------------------

def test_a_sentence_that_points_back_keeps_the_sentence_it_points_to() -> None:
    assert refers_back("Thế giấy này xin ở đâu ạ?")
    assert refers_back("làm cái đó có lâu không")
    assert refers_back("thủ tục trên nộp ở đâu")
    assert not refers_back("cần những giấy tờ gì")
    assert not refers_back("làm căn cước cho con nay 6 tuổi")
    story = ("Ông nhà tôi mất từ năm ngoái, con cái ở xa cả. Tháng sau tôi ra nước ngoài thăm con, bên đại sứ "
             "quán đòi phải có giấy xác nhận tình trạng hôn nhân. Tôi xin giấy đó ở chỗ nào?")
    part = request_part(story)
    assert "tình trạng hôn nhân" in part and part.endswith("ở chỗ nào?")
    other = ("Em làm công nhân ở khu công nghiệp, hai vợ chồng mới mua được mảnh đất nhỏ. Ngân hàng bảo cần "
             "giấy xác nhận tình trạng hôn nhân mới duyệt hồ sơ vay. Làm cái đó mất mấy ngày ạ?")
    assert "tình trạng hôn nhân" in request_part(other)


def test_a_clause_that_names_nothing_is_not_searched_alone() -> None:
    story = ("Tôi ở quê ra thành phố làm bảo vệ cho một công ty được ba tháng rồi, ở chung với mấy anh em. "
             "Công an phường nhắc phải khai báo. Thủ tục này làm thế nào, mình muốn làm lại cho đúng?")
    assert not any("thủ tục này" in c.lower() for c in request_clauses(story))
    assert "mình muốn làm lại cho đúng" not in request_clauses(story)


def test_a_list_after_the_request_stays_with_it() -> None:
    story = ("Nhà tôi vừa có thêm cháu gái, cả nhà mừng lắm, ông bà nội ngoại đều lên thăm, tôi muốn làm "
             "khai sinh, đăng ký thường trú và thẻ bảo hiểm y tế cho cháu một thể")
    clauses = request_clauses(story)
    assert any("khai sinh" in c and "bảo hiểm y tế" in c for c in clauses)


def test_a_clause_agreeing_with_the_whole_on_the_subject_is_supported() -> None:
    whole = ["A", "B", "C", "D", "E"]
    # first in the clause but outside the whole's top: supported when their top three share one
    assert best_supported([["X", "Y", "B"]], whole) == "X"
    assert best_supported([["X", "Y", "Z"]], whole) is None


# --- what the story implies -----------------------------------------------------------------------

def test_renting_and_told_to_declare_means_temporary_residence() -> None:
    stories = [
        "Mình mới thuê phòng trọ ở gần chợ, bà chủ trọ nhắc lên công an phường khai báo, mình cần mang gì?",
        "Tôi đang ở nhà thuê bên Hà Đông, hôm trước công an khu vực đến hỏi và bảo phải khai báo, làm ở đâu?",
        "con gái tôi lên thành phố học, thuê căn hộ ở ghép với bạn, chủ nhà bảo phải khai báo cư trú, làm sao ạ",
    ]
    for story in stories:
        assert "renting" in _told(story), story
        assert "đăng ký tạm trú" in implied_words(story), story
    # renting without a word of declaring to the police is no residence question
    assert "renting" not in _told("tôi thuê nhà ở quận khác, giờ muốn đăng ký kết hôn thì làm ở đâu")
    cands = _cands(("1.003677", 0.45), ("1.004194", 0.44), ("1.010040", 0.43))
    assert _codes(stories[0], cands) == ["1.004194"]


def test_a_newborn_is_registered_not_copied() -> None:
    cands = _cands(("2.000635", 0.5), ("1.001193", 0.49), ("1.004884", 0.47))
    for story in ["cháu ngoại tôi mới sinh được năm hôm, bố nó đi công tác, tôi đi làm giấy khai sinh được không",
                  "vợ em vừa đẻ xong, em muốn làm khai sinh cho con thì mang gì",
                  "bé nhà mình mới chào đời tuần trước, làm giấy khai sinh ở phường hay ở đâu"]:
        assert "newborn" in _told(story), story
        assert _codes(story, cands) == ["1.001193"], story


def test_foreign_variants_only_when_the_message_names_a_foreign_country_or_person() -> None:
    cands = _cands(("1.000894", 0.55), ("2.000806", 0.5))
    assert _codes("tôi sắp lấy vợ người Nhật Bản, đăng ký ở đâu", cands) == ["2.000806"]
    assert _codes("bạn trai em quốc tịch Canada, bọn em muốn đăng ký kết hôn", cands) == ["2.000806"]
    assert _codes("tôi với người yêu cùng quê Hưng Yên, muốn đăng ký kết hôn", cands) == ["1.000894"]
    # country names that fold to everyday words are no foreign cue ("Lào" ~ "lao động", "Đức" ~ "giáo dục")
    assert "foreign_element" not in [s.name for s in situations_in("tôi là người lao động, học giáo dục thường xuyên")]


def test_a_wrong_entry_is_corrected() -> None:
    cands = _cands(("1.001193", 0.58), ("1.004859", 0.54))
    for story in ["khai sinh của tôi viết sai năm sinh, giờ muốn sửa thì làm sao",
                  "giấy khai sinh con gái tôi ghi nhầm tên mẹ, muốn sửa lại cho đúng"]:
        assert "wrong_entry" in _told(story), story
        assert _codes(story, cands) == ["1.004859"], story


def test_a_worn_land_certificate_is_exchanged_but_copying_it_is_not() -> None:
    for text in ["sổ đỏ nhà tôi cấp từ thời bao cấp, giờ rách nát, muốn đổi sổ mới",
                 "so do nha toi bi uot het, muon doi sang so moi",
                 "cái sổ hồng bị mối ăn rồi, đổi lấy cái khác thế nào"]:
        term = find_term(text)
        assert term is not None and term.code == "1.012783", text
    copying = find_term("muốn chứng thực bản sao sổ đỏ thì ra đâu")  # the certification, not the exchange
    assert copying is not None and copying.code == "2.000815"
    lost = find_term("sổ đỏ bị mất thì làm sao")  # a lost one is re-issued (cấp lại), never exchanged
    assert lost is not None and lost.code == "1.012786"


def test_everyday_names_of_the_vehicle_registration_paper() -> None:
    assert "chứng nhận đăng ký xe, biển số xe" in implied_words("cà vẹt xe máy bị rơi đâu mất rồi")
    assert "chứng nhận đăng ký xe, biển số xe" in implied_words("làm lại giấy đăng ký xe ở đâu")


# --- which variant --------------------------------------------------------------------------------

def test_of_the_variants_a_situation_prefers_the_one_of_the_subject_asked() -> None:
    cands = _cands(("1.004884", 0.5), ("1.005461", 0.49))
    story = "nhà tôi bị lụt trôi hết giấy tờ, giấy khai sinh mất, xã cũng bảo sổ hộ tịch không còn, giờ làm sao"
    assert _codes(story, cands) == ["1.004884"]
    death = "bố tôi mất lâu rồi, giấy báo tử thất lạc, sổ hộ tịch ở xã cũng không còn lưu, đăng ký lại khai tử"
    assert _codes(death, list(reversed(cands))) == ["1.005461"]
    # the ranking stands: a variant ranked first is not dropped for one whose name the message covers
    assert _codes(death, cands)[0] == "1.004884"


def test_channel_variants_are_one_procedure() -> None:
    cat = load_catalogue()
    full, part = cat["1.013080"].name, cat["1.013082"].name
    assert base_name(full) == base_name(part)
    assert channel_rank(part) < channel_rank(full)
    assert channel_rank(full, "tôi muốn làm online toàn trình") < channel_rank(part, "tôi muốn làm online toàn trình")
    kept, chosen = pick("mất giấy đăng ký xe máy", _cands(("1.013080", 0.5), ("1.013082", 0.49)),
                        lambda c: c.name, cat)
    assert chosen is not None and chosen.code == "1.013082"


def test_the_plain_form_is_judged_on_what_is_asked_not_on_the_story() -> None:
    story = ("Hồi đó hai đứa chưa cưới nên giấy khai sinh của con chỉ có tên mẹ. Giờ chúng tôi sống chung rồi, "
             "tôi muốn làm thủ tục nhận con thì làm ở đâu?")
    assert "khai sinh" not in asked_part(story)
    assert "nhận con" in asked_part(story)


# --- honest when only the story matches -----------------------------------------------------------

def test_candidates_matched_only_by_the_story_are_offered_not_answered() -> None:
    story = ("Năm nay bà đã ngoài bảy mươi, nhà có mấy cây xanh to trước cổng, con cháu ở xa cả. "
             "Bà muốn hỏi là bà đi đâu để được hướng dẫn ạ?")
    cands = _cands(("1.002693", 0.6), ("6.006594", 0.58))
    kept, story_only = named_by_request(story, cands, lambda c: c.name)
    assert story_only and [c.code for c in kept] == ["1.002693", "6.006594"]
    choice = choose_procedure(_message(story, ("1.002693", 0.6), ("6.006594", 0.58)), None, load_catalogue())
    assert choice.kind == "clarify" and [c.code for c in choice.candidates] == ["1.002693", "6.006594"]
    # the request names it: answered
    asked = ("Năm nay bà đã ngoài bảy mươi, con cháu đi làm xa hết. Cây xanh to trước cổng sắp đổ, "
             "bà muốn xin giấy phép chặt hạ cây xanh thì làm ở đâu?")
    assert named_by_request(asked, cands, lambda c: c.name)[1] is False


def test_a_correction_of_ones_own_data_is_no_complaint() -> None:
    assert corrects_own_record("năm sinh của tôi trên hệ thống cư trú bị sai, tôi muốn điều chỉnh")
    assert corrects_own_record("tên đệm trong dữ liệu dân cư ghi nhầm, xin sửa ở đâu")
    assert not corrects_own_record("cán bộ ghi sai tên tôi mà còn thái độ hách dịch")
    assert not corrects_own_record("hồ sơ điều chỉnh thông tin nộp hai tháng rồi mà chưa trả kết quả")


def test_a_long_renting_story_is_answered_with_temporary_residence() -> None:
    story = ("Chào anh chị, em mới lên thủ đô làm việc, thuê phòng trọ ở gần công ty được một tháng. Tuần trước "
             "công an phường đến kiểm tra nhắc phải khai báo. Em cần chuẩn bị giấy tờ gì ạ?")
    choice = choose_procedure(_message(story, ("1.003677", 0.42), ("1.004194", 0.41), ("1.010040", 0.4)),
                              None, load_catalogue())
    assert choice.kind == "answer" and choice.code == "1.004194"


def test_a_bundle_is_not_the_usual_case_of_one_of_its_parts() -> None:
    from knowledge_base.vocabulary import asks_bundle

    bundle = load_catalogue()["2.000986"].name
    assert not asks_bundle(bundle, "cháu nội tôi mới đẻ hôm qua, tôi đi làm khai sinh cho nó được không")
    assert asks_bundle(bundle, "làm giúp tôi khai sinh, đăng ký thường trú với thẻ bảo hiểm y tế cho con luôn")
    assert asks_bundle("Đăng ký khai sinh", "làm khai sinh")  # not a bundle
    story = ("con gái tôi vừa sinh được mấy hôm, con rể đi công tác xa, tôi là bà ngoại muốn đi làm khai sinh "
             "cho cháu thay có được không")
    choice = choose_procedure(_message(story, ("1.001193", 0.42), ("2.000986", 0.4), ("2.001023", 0.39)),
                              None, load_catalogue())
    assert choice.kind == "answer" and choice.code == "1.001193"


def test_proving_where_one_lives_is_the_residence_confirmation() -> None:
    for text in ["ngân hàng bắt nộp giấy tờ chứng minh nơi ở, tôi xin cái gì",
                 "cần giấy chứng minh nơi cư trú cho con đi học thì làm sao"]:
        assert "xác nhận thông tin về cư trú" in implied_words(text), text


def test_a_message_typed_without_diacritics_gets_the_lower_floor_but_must_still_name_it() -> None:
    known = load_catalogue()
    typed = _message("the can cuoc bi gay doi roi, di doi the khac thi mat bao nhieu", ("2.001195", 0.46),
                     ("2.001194", 0.41))
    assert diluted(typed["text"]) and not diluted("thẻ căn cước bị gãy đôi, đổi thẻ mất bao nhiêu")
    assert choose_procedure(typed, None, known).code == "2.001195"
    # a short question with diacritics keeps the plain floor: the search reads such a message surely
    accented = {**typed, "text": "thẻ căn cước gãy, đổi thẻ mất bao nhiêu"}
    assert choose_procedure(accented, None, known).kind == "ask"
    # a candidate that shares no naming word with the message is never taken
    vague = _message("cho hoi thu tuc nay mat bao lau", ("2.001195", 0.46))
    assert choose_procedure(vague, None, known).kind == "ask"
