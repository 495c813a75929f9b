"""Causes of procedure misses (session 12, second round): everyday situations told around the
question (a sale or a rent with a tax word, a pensioner's move, a child's age, work without an
employer), a negated alternative ("chứ không lập công ty"), "thẻ" folded like "thế", a topic switch
"còn X thì ..." to a bare paper, and a procedure's whole title said with slips beside channel words.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.followup import followup_aspect, switch_subject
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import find_term, situations_in, without_negated
from nlu.parser import says_title


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


def test_a_negated_alternative_names_nothing() -> None:
    assert "cong ty" not in without_negated("nhà em bán hàng nhỏ thôi, chứ không lập công ty")
    assert "cong ty" not in without_negated("không phải công ty mà là hộ kinh doanh")
    assert without_negated("có phải khai thuế không") == "co phai khai thue khong"
    assert "household_business" in {s.name for s in situations_in(
        "mở tiệm may nhỏ ở nhà, chỉ là hộ gia đình chứ không lập công ty, đăng ký gì")}


def test_seller_tax_and_rental_tax_told_around_the_question() -> None:
    assert _code("tôi vừa bán mảnh đất, thuế thu nhập cá nhân bên bán khai ở đâu") == "1.007674"
    assert _code("ban can ho chung cu thi nop thue tncn nhu nao") == "1.007674"
    assert _code("bán nhà thì người mua nộp lệ phí trước bạ bao nhiêu") != "1.007674"
    assert _code("cho thue nha nguyen can thi khai thue the nao") == "1.007689"
    assert _code("nhà có 4 phòng trọ cho công nhân, đóng thuế ra sao") == "1.007689"
    assert _code("tiền thuê nhà tháng này bao nhiêu") is None


def test_a_pensioner_moving_collects_at_the_new_place() -> None:
    assert _code("mẹ tôi về hưu ở tỉnh khác giờ ở với tôi, đổi chỗ nhận lương hưu được không") == "1.001742"
    assert _code("chuyen noi linh luong huu ve ha noi lam the nao") == "1.001742"  # "thế" is no "thẻ"
    assert _code("muốn nhận lương hưu qua thẻ ngân hàng") != "1.001742"


def test_a_childs_age_makes_the_cancuoc_the_under_14_one() -> None:
    assert _code("cháu nội em mới 2 tuổi có làm căn cước được không") == "1.012549"
    assert _code("lam cccd cho be 4 tuoi the nao") == "1.012549"
    assert _code("con 9 tuổi bị mất thẻ căn cước") != "1.012549"
    assert _code("tôi 45 tuổi làm căn cước ở đâu") != "1.012549"


def test_work_without_an_employer_is_voluntary_social_insurance() -> None:
    assert _code("lam nong khong co luong muon tu dong bhxh de co luong huu") == "1.002179"
    assert _code("tôi làm tự do không có hợp đồng lao động, muốn tham gia bảo hiểm xã hội") == "1.002179"
    assert _code("tự đóng bảo hiểm y tế cho cả nhà") != "1.002179"


def test_a_shop_with_business_registration_is_a_household_business() -> None:
    assert _code("ra mở cái quán nước nhỏ có cần đăng ký kinh doanh không cháu") == "1.001612"
    assert _code("đăng ký kinh doanh cho công ty cổ phần") != "1.001612"


def test_còn_x_thì_switches_to_the_paper_named() -> None:
    known = load_catalogue()
    previous = next(code for code, p in known.items() if "lý lịch tư pháp" in p.name.lower())
    assert followup_aspect({"text": "còn hộ chiếu thì làm ở đâu"}, previous, known) is None
    assert followup_aspect({"text": "vậy còn visa thì sao"}, previous, known) is None
    assert followup_aspect({"text": "còn lệ phí thì sao"}, previous, known) == "fee"
    assert followup_aspect({"text": "còn giấy tờ thì cần gì"}, previous, known) == "documents"
    assert switch_subject("con 5 tuoi thi lam the nao") == []  # a child, not "còn"
    assert switch_subject("con gái tôi thì sao") == []


def test_a_whole_title_said_with_slips() -> None:
    assert says_title("đăng kí thường chú nộp online có được miễn phí ko", "Đăng ký thường trú")
    assert not says_title("nộp trực tuyến có được miễn phí không", "Đăng ký thường trú")


def test_the_lone_word_of_a_switch_is_another_procedure() -> None:
    from actions.procedure import about_current

    known = load_catalogue()
    record = next(p for p in known.values() if "lý lịch tư pháp" in p.name.lower())
    passport = next(p for p in known.values() if p.name.lower().startswith("cấp hộ chiếu phổ thông"))
    assert not about_current("còn hộ chiếu thì làm ở đâu", record, [passport.name])
