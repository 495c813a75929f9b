"""A neighbour procedure's facts instead of the one asked (issue 9): a copy of a civil-status paper,
recognising a child, certified copies, a damaged passport, driving-licence variants, putting papers
into the căn cước; follow-ups that ask the office, the citizen's legal deadline, a child's papers.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.message import Candidate
from actions.procedure import ActionAnswerProcedure, choose_procedure, for_minor
from actions.variants import siblings
from knowledge_base.aspect_writers import citizen_deadline, minor_papers
from knowledge_base.aspects import asks_deadline, detect_aspect
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import (
    asked_subject,
    bundle_over,
    by_situation,
    catalogue_words,
    find_term,
    request_clauses,
    situations_in,
    story_completions,
    without_possessed,
)
from tests.conversation.test_followup_and_variants import msg, run

BAN_SAO_HO_TICH, NHAN_CHA_CON, CHUNG_THUC_BAN_SAO = "2.000635", "1.001022", "2.000815"
HO_CHIEU, TEM_AB = "1.001456", "1.014901"
DOI_GPLX, CAP_LAI_GPLX, GPLX_QUOC_TE, DOI_GPLX_NN = "3.000347", "3.000348", "3.000353", "3.000351"
TICH_HOP_CAN_CUOC, KHAI_TU, KHAI_SINH, TAM_TRU = "1.014060", "1.000656", "1.001193", "1.004194"


def _term(text: str) -> str | None:
    term = find_term(text)
    return term.code if term is not None else None


def test_a_copy_of_a_registered_civil_status_paper_is_the_copy_procedure() -> None:
    for text in ("xin bản sao giấy khai sinh cho con để nộp hồ sơ nhập học",
                 "giấy chứng tử của mẹ tôi thất lạc, muốn xin bản sao giấy chứng tử",
                 "cần trích lục kết hôn để làm thủ tục vay vốn",
                 "ban sao giay dang ky ket hon xin o dau"):
        assert _term(text) == BAN_SAO_HO_TICH, text
    # the marriage itself, or a photocopy certified from the original, is another procedure
    assert _term("đăng ký kết hôn cần mang giấy đăng ký kết hôn cũ không") != BAN_SAO_HO_TICH
    assert _term("mang giấy đăng ký kết hôn đi chứng thực bản sao") == CHUNG_THUC_BAN_SAO


def test_recognising_a_child_is_not_marriage_and_not_adoption() -> None:
    assert _term("chúng tôi chưa cưới, giờ anh ấy muốn nhận con thì làm gì") == NHAN_CHA_CON
    assert _term("bố đứa bé muốn làm thủ tục nhận cha cho cháu") == NHAN_CHA_CON
    assert _term("vợ chồng tôi muốn nhận con nuôi") != NHAN_CHA_CON
    assert _term("hôm nào nhận con dấu của công ty") != NHAN_CHA_CON


def test_certified_copies_in_everyday_words() -> None:
    for text in ("đi sao y học bạ ở đâu", "công chứng bản sao bằng đại học ở phường được không",
                 "chứng thực giấy tờ tùy thân mất bao nhiêu một trang"):
        assert _term(text) == CHUNG_THUC_BAN_SAO, text


def test_a_damaged_expired_or_full_passport_is_a_new_passport_not_the_ab_stamp() -> None:
    for text in ("hộ chiếu bị ướt nhòe hết ảnh thì làm sao", "hộ chiếu cũ của mẹ hết trang rồi",
                 "ho chieu sap het han muon lam moi"):
        assert _term(text) == HO_CHIEU, text
    for text in ("mất hộ chiếu ở ga tàu", "hộ chiếu báo mất rồi lại tìm thấy"):
        assert _term(text) != HO_CHIEU, text
    cat = load_catalogue()
    cands = [Candidate(c, cat[c].name, 0.6 - i * 0.01) for i, c in enumerate([TEM_AB, "1.010384", HO_CHIEU])]

    def name_of(c: Candidate) -> str:
        return c.name

    kept = by_situation("hộ chiếu của con bị rách", cands, name_of, lambda c, p: siblings(c, p, name_of, cat))
    assert TEM_AB not in [c.code for c in kept]
    kept = by_situation("xin cấp lại tem AB đi Lào", cands, name_of, lambda c, p: siblings(c, p, name_of, cat))
    assert kept[0].code == TEM_AB


def test_driving_licence_everyday_names_and_variants() -> None:
    assert "giấy phép lái xe" in catalogue_words("bằng lái của tôi bị mờ")
    assert _term("gia hạn bằng lái xe máy ở đâu") == DOI_GPLX
    assert _term("lam lai bang lai o to mat bao lau") == CAP_LAI_GPLX
    assert _term("đi nước ngoài cần bằng lái quốc tế") == GPLX_QUOC_TE
    cat = load_catalogue()
    # a longer name that holds the term's name is a narrower variant, not a bundle
    cands = [(DOI_GPLX_NN, cat[DOI_GPLX_NN].name), (DOI_GPLX, cat[DOI_GPLX].name)]
    assert bundle_over(cat[DOI_GPLX].name, cands, "đổi bằng lái xe hạng b2 sang thẻ mới năm ngoái") is None


def test_putting_a_paper_into_the_can_cuoc_is_the_card_update() -> None:
    assert _term("tích hợp thẻ bảo hiểm y tế vào căn cước ở đâu") == TICH_HOP_CAN_CUOC
    assert _term("tich hop giay phep lai xe vao cccd") == TICH_HOP_CAN_CUOC
    assert _term("tích hợp bằng lái vào vneid trên điện thoại") != TICH_HOP_CAN_CUOC


def test_an_office_named_as_the_place_is_a_where_follow_up() -> None:
    cat = load_catalogue()
    for text in ("làm ở công an xã được không", "ra ủy ban phường nộp được không cháu",
                 "bố nộp tại bộ phận một cửa được không"):
        assert detect_aspect(text) == "where", text
        decision = choose_procedure(msg(text), TAM_TRU, cat)
        assert (decision.kind, decision.code, decision.aspect) == ("answer", TAM_TRU, "where"), text


def test_the_citizens_legal_deadline_is_read_from_the_record() -> None:
    cat = load_catalogue()
    assert "15 ngày" in (citizen_deadline(cat[KHAI_TU]) or "")
    assert "60 ngày" in (citizen_deadline(cat[KHAI_SINH]) or "")
    assert citizen_deadline(cat["1.004873"]) is None  # the clause there is the commune's own duty
    for text in ("sinh cháu xong thì trong vòng mấy ngày phải đi đăng ký", "hạn chót đi khai là bao giờ",
                 "đăng ký muộn có bị phạt không"):
        assert asks_deadline(text), text
    for text in ("bao lâu thì có giấy", "mất mấy ngày làm việc"):
        assert not asks_deadline(text), text
    reply, _ = run(ActionAnswerProcedure(), msg("thế trong bao lâu phải đi đăng ký hả em",
                                                entities={"procedure_aspect": "processing_time"}),
                   {"procedure": KHAI_SINH})
    assert "60 ngày" in reply and KHAI_SINH in reply


def test_a_childs_papers_are_named_when_the_child_is_under_14() -> None:
    cat = load_catalogue()
    assert any("TK01a" in p for p in minor_papers(cat[HO_CHIEU]))
    assert any("khai sinh" in p for p in minor_papers(cat[HO_CHIEU]))
    assert minor_papers(cat["2.000200"]) == []
    assert for_minor(msg("xin hộ chiếu cho bé 4 tuổi cần gì")) and not for_minor(msg("tôi 30 tuổi làm hộ chiếu"))
    reply, _ = run(ActionAnswerProcedure(), msg("làm hộ chiếu cho cháu 7 tuổi cần giấy tờ gì",
                                                entities={"procedure": HO_CHIEU, "procedure_aspect": "documents"}),
                   {})
    assert "TK01a" in reply


def test_a_paper_the_citizen_has_is_not_what_a_long_message_asks_for() -> None:
    assert "khai sinh" not in without_possessed("cháu không có giấy tờ gì ngoài giấy khai sinh")
    assert "hộ khẩu" not in without_possessed("bà chỉ có sổ hộ khẩu cũ thôi")
    assert without_possessed("tôi muốn làm lại hộ chiếu") == "tôi muốn làm lại hộ chiếu"
    story = ("Chào cô, tôi năm nay 40 tuổi, trước giờ chưa có thẻ căn cước vì đi làm ăn xa suốt. Giờ tôi cần thẻ "
             "để làm sổ tiết kiệm. Tôi làm thẻ lần đầu thì ra đâu, tôi không có giấy gì ngoài giấy khai sinh")
    asked = asked_subject(story)
    assert "thẻ căn cước" in asked and "khai sinh" not in asked
    assert not any("khai sinh" in c for c in request_clauses(story))
    # a request that names its paper in full needs no completion from the story
    assert story_completions("có sổ đỏ rồi, giờ muốn làm sổ đỏ mới", "giờ muốn làm sổ đỏ mới") == []


def test_never_having_had_a_paper_is_a_first_issue() -> None:
    for text in ("chưa bao giờ có căn cước", "con tôi chưa bao giờ làm hộ chiếu"):
        assert "first_time" in [s.name for s in situations_in(text)], text


def test_a_follow_up_may_repeat_words_of_the_current_procedures_name() -> None:
    from actions.followup import followup_aspect

    cat = load_catalogue()
    assert followup_aspect(msg("bao lâu thì tích hợp xong"), TICH_HOP_CAN_CUOC, cat) == "processing_time"
    assert followup_aspect(msg("sang tên xe hết bao nhiêu tiền"), "1.013076", cat) == "fee"
    # another procedure's words are still another topic
    assert followup_aspect(msg("còn đăng ký tạm trú mất bao lâu"), TICH_HOP_CAN_CUOC, cat) is None
    assert followup_aspect(msg("sau đó mở lại chỗ nào"), "3.000275", cat) is None  # one shared word: chance


def test_a_name_made_only_of_variant_words_has_no_siblings() -> None:
    cat = load_catalogue()

    def name_of(c: Candidate) -> str:
        return c.name

    gia_han = Candidate("1.002755", cat["1.002755"].name, 0.7)  # "Gia hạn tạm trú"
    assert siblings(gia_han, ("đổi",), name_of, cat) == []
    kept = by_situation("giấy tạm trú của mẹ sắp hết hạn rồi", [gia_han], name_of,
                        lambda c, p: siblings(c, p, name_of, cat))
    assert [c.code for c in kept] == ["1.002755"]


def test_a_related_faq_answers_a_name_worded_follow_up_only_for_the_aspect_it_was_written_for() -> None:
    from actions import kb

    # "mở khóa ở đâu" after the unlock procedure: the FAQ entry asked "... mở khóa ở đâu?"
    reply, _ = run(ActionAnswerProcedure(), msg("thế mở khóa ở đâu", entities={"procedure_aspect": "where"}),
                   {"procedure": "3.000275"})
    unlock = kb.faq_text(kb.faq_entry("vneid.unlock")) or ""
    assert reply.startswith(unlock[:60])
    # the integration FAQ tells how, not how long: the record's time answers
    reply, _ = run(ActionAnswerProcedure(), msg("tích hợp xong mất mấy ngày"), {"procedure": TICH_HOP_CAN_CUOC})
    assert f"(mã {TICH_HOP_CAN_CUOC})" in reply and "7 ngày" in reply
    # ... also when the NLU read it as a VNeID question (an entry of that topic about another procedure)
    from actions.faq import ActionAnswerFaq

    reply, _ = run(ActionAnswerFaq(), msg("điều chỉnh xong thì mấy ngày", "ask_vneid"), {"procedure": TICH_HOP_CAN_CUOC})
    assert f"(mã {TICH_HOP_CAN_CUOC})" in reply


def test_each_licence_qualifier_picks_its_own_variant() -> None:
    cat = load_catalogue()

    def name_of(c: Candidate) -> str:
        return c.name

    plain = [Candidate(DOI_GPLX, cat[DOI_GPLX].name, 0.7)]
    for text, code in (("đổi bằng lái bộ đội cấp sang bằng thường", "3.000349"),
                       ("bằng lái công an nhân dân muốn đổi", "3.000350"),
                       ("tôi có bằng lái nước ngoài, muốn đổi", DOI_GPLX_NN)):
        kept = by_situation(text, plain, name_of, lambda c, p: siblings(c, p, name_of, cat))
        assert kept[0].code == code, text


def test_a_lost_or_torn_registered_paper_gets_a_copy_of_its_extract() -> None:
    cat = load_catalogue()
    for text in ("giấy kết hôn của bố mẹ bị mất rồi thì xin lại thế nào",
                 "giấy chứng tử của ông bị rách nát, làm lại ở đâu"):
        assert {"civil_paper_lost", "death_paper_lost"} & {s.name for s in situations_in(text)}, text
        decision = choose_procedure(msg(text, candidates=[("1.000894", 0.62), (BAN_SAO_HO_TICH, 0.58),
                                                          (KHAI_TU, 0.55)]), None, cat)
        assert decision.code == BAN_SAO_HO_TICH, text
    # the register lost too: registered again, not copied
    assert "civil_paper_lost" not in [s.name for s in situations_in("mất giấy kết hôn, sổ hộ tịch cũng không còn")]


def test_a_death_is_registered_but_a_torn_death_certificate_is_copied() -> None:
    assert _term("bố tôi bị mất hôm qua, làm giấy chứng tử ở đâu") == KHAI_TU
    assert "death_paper_lost" not in [s.name for s in situations_in("ông tôi mất rồi, làm giấy chứng tử cần gì")]
    assert "death_paper_lost" in [s.name for s in situations_in("giấy chứng tử của bà bị rách nát, xin cấp lại")]
    assert _term("giấy chứng tử của bà bị rách nát, xin cấp lại") != KHAI_TU
