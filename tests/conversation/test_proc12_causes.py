"""Causes of procedure misses (session 12): slips into real syllables, glue words and rare procedures,
story clauses already done, everyday names of whole families, situations of civil papers.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import choose_procedure, naming_words, weak_and_rare
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import correct_pairs, correct_spelling, done_clauses, find_term, situations_in


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


def test_a_slip_into_another_syllable_is_corrected_by_its_neighbour() -> None:
    assert correct_pairs("thủ tục kết hôm gồm gì") == "thủ tục kết hôn gồm gì"
    assert correct_pairs("ket hom o dau") == "ket hon o dau"
    assert correct_pairs("muốn đăng ký kết hông") == "muốn đăng ký kết hôn"
    assert correct_pairs("nhập thường chú cho bé") == "nhập thường trú cho bé"
    assert "căn cước" in correct_spelling("căn cướt bị mất")


def test_everyday_words_are_never_corrected() -> None:
    for text in ("chào bạn nhé", "hôm qua tôi đi làm căn cước", "thế nào cho nhanh", "chỗ nào gần nhà",
                 "lệ phí bao nhiêu", "cho chú hỏi với", "quanh nhà có chỗ nào", "bây giờ thì sao"):
        assert correct_pairs(text) == text


def test_glue_words_name_no_procedure() -> None:
    assert not naming_words("ok để thử xem") - {"lai"}
    assert "lai" in naming_words("cấp lại")  # "lại" tells cấp lại from cấp đổi


def test_a_weak_one_word_match_to_a_rare_procedure_is_no_match() -> None:
    cat = load_catalogue()
    rare = next(p for p in cat.values() if not p.popularity_rank and "thương mại" in p.name.lower())
    assert weak_and_rare("thôi để mai tính", Candidate(rare.code, rare.name, 0.52), rare)
    assert not weak_and_rare("thôi để mai tính", Candidate(rare.code, rare.name, 0.7), rare)
    popular = next(p for p in cat.values() if p.popularity_rank)
    assert not weak_and_rare("x", Candidate(popular.code, popular.name, 0.4), popular)


def test_a_message_of_glue_words_asks_which_procedure() -> None:
    message = {"text": "ok để mình thử lại", "entities": [],
               "procedure_candidates": [{"code": c.code, "name": c.name, "score": 0.53}
                                        for c in list(load_catalogue().values())
                                        if not c.popularity_rank and "lại" in c.name.lower()][:3]}
    assert choose_procedure(message, None, load_catalogue()).kind == "ask"


def test_a_term_of_a_clause_already_done_yields_to_the_asked_one() -> None:
    story = ("Hai bác nhà tôi đã ra văn phòng công chứng ký hợp đồng tặng cho nhà đất xong rồi, "
             "bây giờ tôi phải làm tiếp những gì để sang tên sổ đỏ về tên tôi hả anh chị?")
    assert done_clauses(story)
    assert _code(story) == "1.013831"
    assert not done_clauses("Con tôi sinh được ba tháng rồi mà chưa làm khai sinh, giờ làm ở đâu ạ bên mình ơi")


def test_everyday_names_of_families() -> None:
    assert _code("vợ em sắp đẻ, lĩnh tiền sinh con ở đâu") == "2.000693"
    assert _code("chế độ đẻ của công nhân làm hồ sơ gì") == "2.000693"
    assert _code("tiệm may của mẹ muốn nghỉ bán vài tháng có phải báo không") == "1.001570"
    assert _code("quán nước nghỉ bán luôn không mở nữa") != "1.001570"
    assert _code("bố mẹ muốn cho con trai thửa đất ở quê") == "1.013831"
    assert _code("làm căn cước cho con") is None
    assert _code("đất nhà tôi chưa được cấp giấy chứng nhận bao giờ") == "1.013978"
    assert _code("muốn sang tên lô đất ông bà cho") == "1.013831"


def test_situations_of_civil_papers_and_old_id_cards() -> None:
    names = {s.name for s in situations_in("giấy khai sinh của em ghi nhầm năm sinh của bố")}
    assert "civil_paper_wrong" in names
    names = {s.name for s in situations_in("hai vợ chồng chưa cưới, muốn khai sinh cho bé có tên bố")}
    assert "birth_with_father" in names
    assert "old_id_card" in {s.name for s in situations_in("mẹ tôi vẫn dùng cmnd, có phải làm căn cước không")}
    assert "household_business" not in {s.name for s in situations_in("khai sinh ghi sai quê quán của mẹ")}


def test_a_moved_citizens_cancuoc_is_an_exchange() -> None:
    names = {s.name for s in situations_in("dọn nhà sang xã khác thì cccd có phải cấp lại không")}
    assert "id_address_changed" in names
    assert "id_address_changed" not in {s.name for s in situations_in("căn cước bị mất khi chuyển nhà")}
