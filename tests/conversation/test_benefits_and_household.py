"""Social-insurance benefits, household businesses, building and renting in citizens' words
(issue 9): the everyday names of the benefits, a word typed with other diacritics than a term's,
a story whose question names nothing, a shop that is a household business, and the close variant
that adds the fewest unasked words.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import choose_procedure
from actions.variants import least_unasked, on_topic, topic_sibling
from dvcbot.textnorm import tone_key
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import (
    by_situation,
    find_term,
    names_nothing,
    refers_back,
    request_clauses,
    request_part,
    required_part,
    same_words,
    situations_in,
)


def _code(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


def _cands(*codes: str) -> list[Candidate]:
    cat = load_catalogue()
    return [Candidate(code, cat[code].name, 0.6 - n * 0.01) for n, code in enumerate(codes)]


# --- a word typed with diacritics must be the term's -----------------------------------------------

def test_a_word_with_other_diacritics_is_not_the_term() -> None:
    assert not same_words(["bảo", "tự"], ["báo", "tử"])
    assert same_words(["bao", "tu"], ["báo", "tử"])  # typed without diacritics: may be the term
    assert same_words(["báo", "tu"], ["báo", "tử"])  # partly typed without
    assert tone_key("hoá") == tone_key("hóa")  # the tone's old and new placement are one word
    assert _code("trường bảo tự nộp hồ sơ trên mạng cho nhanh") is None
    assert _code("ông tôi mới mất, làm báo tử ở đâu") == "1.000656"
    assert _code("ong toi moi mat lam bao tu o dau") == "1.000656"


# --- the everyday names of the social-insurance benefits -------------------------------------------

def test_every_main_benefit_has_its_everyday_names() -> None:
    assert _code("chị tôi nghỉ thai sản thì ai trả tiền") == "2.000693"
    assert _code("làm hồ sơ hưởng thai sản cho vợ") == "2.000693"
    assert _code("bị viêm phổi nằm viện, muốn lấy tiền ốm đau") == "1.001667"
    assert _code("tôi được trợ cấp ốm đau mấy ngày") == "1.001667"
    assert _code("ông mất rồi, bà muốn nhận tiền tuất") == "2.000821"
    assert _code("xin mai táng phí cho bố") == "2.000821"
    assert _code("sau ốm đau được nghỉ dưỡng sức mấy ngày") == "1.001598"
    assert _code("dong bao hiem xa hoi tu nguyen o dau") == "1.002179"
    assert _code("rút bhxh tự nguyện một lần được không") != "1.002179"  # the lump sum, not joining


def test_collecting_a_pension_for_someone_else_and_certifying_the_signature() -> None:
    assert _code("ông nội già yếu, tôi lĩnh thay lương hưu được không") == "1.001601"
    assert _code("nhờ con gái nhận hộ trợ cấp bảo hiểm xã hội") == "1.001601"
    assert _code("lĩnh thay thì mang gì") is None  # nothing paid named: no benefit meant
    # the signature on the authorisation being certified is another procedure: the certification's
    assert _code("giấy lĩnh thay lương hưu phải chứng thực chữ ký ở đâu") == "2.000884"


def test_building_renting_and_closing_a_shop_in_everyday_words() -> None:
    assert _code("muốn sửa nhà có phải xin phép không") == "1.013229"
    assert _code("xay nha 3 tang co can giay phep xay dung") == "1.013225"
    assert _code("cuối tuần này xây nhà xong") is None  # no permit asked
    assert _code("tiền thuế cho thuê căn hộ nộp ở đâu") == "1.007689"
    assert _code("quán bún nhà tôi nghỉ bán hẳn") == "1.001266"
    assert _code("công ty tôi muốn đóng cửa hẳn") is None  # a company is dissolved, not this


# --- a story whose question names nothing ----------------------------------------------------------

def test_a_question_that_names_nothing_is_about_what_the_sentence_before_requires() -> None:
    assert names_nothing("Làm ở đâu hả chị?")
    assert names_nothing("em chưa làm bao giờ, làm online được không ạ")
    assert not names_nothing("xin giấy xác nhận độc thân ở đâu")
    assert required_part("Tôi viết đơn xin vay vốn, ngân hàng bảo phải có xác nhận cư trú") == \
        "ngân hàng bảo phải có xác nhận cư trú"
    assert required_part("Tôi muốn đổi bằng lái xe, tôi ở Long Biên") == "Tôi muốn đổi bằng lái xe, tôi ở Long Biên"
    story = ("Anh trai tôi sắp sang Hàn Quốc làm việc theo hợp đồng ba năm. Công ty môi giới yêu cầu phải "
             "nộp bản sao chứng thực hộ chiếu. Làm ở đâu vậy em?")
    part = request_part(story)
    assert "chứng thực hộ chiếu" in part and "Hàn Quốc" not in part


def test_a_clause_naming_a_verb_and_pointing_back_is_not_searched_alone() -> None:
    assert refers_back("Thủ tục đăng ký đó thế nào?")
    assert refers_back("thu tuc ke khai do lam the nao")
    assert refers_back("làm việc chứng thực ấy ở đâu")
    assert not refers_back("thủ tục đăng ký tạm trú thế nào")
    assert not refers_back("đăng ký biến động do tặng cho thế nào")  # "do" = because of, not "đó"
    story = ("Tôi vừa mua lại một chiếc ô tô cũ của người quen, giấy tờ đủ cả. Người bán dặn tôi "
             "phải đi sang tên trong 30 ngày. Thủ tục sang tên đó thế nào?")
    assert all("sang tên đó" not in c for c in request_clauses(story))


# --- a shop, stall or eatery is a household business ----------------------------------------------

def test_a_shop_prefers_the_household_business_variants() -> None:
    assert "household_business" in [s.name for s in situations_in("tiệm sửa xe nhà tôi muốn tạm nghỉ")]
    assert "household_business" in [s.name for s in situations_in("sap hang ngoai cho tam ngung kinh doanh")]
    assert "household_business" not in [s.name for s in situations_in("cơ quan tôi tạm ngừng tiếp dân")]
    text = "cửa hàng quần áo của tôi muốn tạm ngừng kinh doanh ba tháng"
    kept = by_situation(text, _cands("2.002029", "1.001570"), lambda c: c.name)
    assert kept[0].code == "1.001570"


def test_a_name_with_both_the_preferred_and_the_avoided_variant_is_kept() -> None:
    text = "cửa hàng tôi bị mất giấy chứng nhận đăng ký kinh doanh, xin cấp lại"
    kept = by_situation(text, _cands("2.000575", "1.001612"), lambda c: c.name)
    assert kept[0].code == "2.000575"  # "Cấp lại ..., Cấp đổi sang ...": lost, so cấp lại


# --- the close variant that adds the fewest unasked words ------------------------------------------

def test_the_variant_adding_fewest_unasked_words_is_answered() -> None:
    cands = _cands("1.011606", "1.011607", "1.011608")
    chosen = least_unasked("nhà tôi muốn được công nhận hộ nghèo", cands, lambda c: c.name)
    assert chosen is not None and chosen.code == "1.011607"
    # "thoát cận nghèo": the periodic and the regular recognition add as many words: no pick
    assert least_unasked("xin công nhận hộ thoát cận nghèo", cands, lambda c: c.name) is None


# --- a follow-up keeps the current topic's subject --------------------------------------------------

def _message(text: str, *pairs: tuple[str, float]) -> dict[str, object]:
    cat = load_catalogue()
    return {"text": text, "intent": {"name": "ask_procedure", "confidence": 0.9}, "entities": [],
            "procedure_candidates": [{"code": c, "name": cat[c].name, "score": s} for c, s in pairs]}


def test_a_follow_up_takes_the_close_candidate_of_the_current_subject() -> None:
    cat = load_catalogue()
    household = "Đăng ký thành lập hộ kinh doanh"
    cands = [Candidate("2.002029", cat["2.002029"].name, 0.66), Candidate("1.001570", cat["1.001570"].name, 0.61),
             Candidate("1.001266", cat["1.001266"].name, 0.58)]
    chosen = on_topic("nếu muốn tạm ngừng bán ít lâu thì tạm ngừng kinh doanh ra sao", cands, household,
                      lambda c: c.name)
    assert chosen is not None and chosen.code == "1.001570"
    # no word of the current subject in any: the search's order stands
    assert on_topic("tạm ngừng kinh doanh thế nào", cands, "Đăng ký khai sinh", lambda c: c.name) is None
    # the whole decision: answered, the company's variant named as an alternative
    message = _message("thế còn tạm ngừng kinh doanh mấy tháng thì sao",
                       ("2.002029", 0.66), ("1.001570", 0.61), ("1.001266", 0.58))
    decision = choose_procedure(message, "1.001612", cat)
    assert (decision.kind, decision.code) == ("answer", "1.001570")
    assert "2.002029" in [c.code for c in decision.alternatives]


def test_a_follow_up_naming_a_variant_of_the_current_procedure_gets_it() -> None:
    cat = load_catalogue()
    low = [Candidate("1.002890", cat["1.002890"].name, 0.47), Candidate("1.013229", cat["1.013229"].name, 0.42)]
    sibling = topic_sibling("thế nếu chỉ sửa chữa, cải tạo lại thôi", low, cat["1.013225"].name, lambda c: c.name)
    assert sibling is not None and sibling.code == "1.013229"
    # the same words as the current procedure's: no variant named
    assert topic_sibling("cấp giấy phép xây dựng mới", low[1:], cat["1.013225"].name, lambda c: c.name) is None


def test_words_starting_like_a_term_are_not_it() -> None:
    assert _code("đi nhận hộ chiếu cho mẹ đang hưởng lương hưu") != "1.001601"
    assert "household_business" not in [s.name for s in situations_in("công ty tôi mở thêm cửa hàng ở quận khác")]


def test_work_accidents_pension_moves_and_unpaid_months() -> None:
    assert _code("anh tôi bị tai nạn lao động khi làm ca đêm, làm hồ sơ thế nào") == "1.001632"
    assert _code("đóng bảo hiểm tai nạn lao động cho công nhân") != "1.001632"  # paying in, not a claim
    assert _code("vết thương cũ tái phát, trước bị tai nạn lao động") != "1.001632"
    assert _code("về quê ở với con, muốn chuyển nơi lĩnh lương hưu") == "1.001742"
    assert _code("chuyển lương hưu về tài khoản ngân hàng") != "1.001742"
    assert _code("bà tôi đã mất, còn hai tháng lương hưu chưa lĩnh") == "2.000717"
