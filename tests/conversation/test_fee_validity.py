"""Date-sensitive fee questions (issue 9, item 1): a question about how long a fee or reduction lasts
is the fee aspect of the current procedure; the fee answer says what applies today, until when, and
what ended when, and never holds a fee and a contradicting hedge. Dates are moved on both sides of
each validity boundary. Phrasings are written for these tests, not copied from the evaluation sets."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import followup_aspect
from actions.procedure import ActionAnswerProcedure, also_asks_fee, online_fee_policy_answer, with_fee
from knowledge_base.answers import procedure_answer
from knowledge_base.aspect_writers import fee_text, reduction_end_note
from knowledge_base.aspects import asks_fee, asks_fee_validity, detect_aspect
from knowledge_base.catalogue import load_catalogue
from knowledge_base.hanoi import fee_note
from knowledge_base.validity import fee_now

CAP_DOI = "2.001195"  # Cấp đổi thẻ căn cước: 50.000 đồng, 50 % until 31/12/2026
LAI_XE = "3.000348"  # Cấp lại giấy phép lái xe: 135.000 đồng; online 115.000 until 31/12/2025
HO_CHIEU = "1.001456"  # Cấp hộ chiếu: 200.000 đồng; online 160.000 until 31/12/2023
TAM_TRU = "1.004194"
LAST_DAY = dt.date(2026, 12, 31)
NEXT_DAY = dt.date(2027, 1, 1)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def msg(text: str) -> dict:
    return {"text": text, "intent": {"name": "ask_procedure", "confidence": 0.9}, "entities": [],
            "procedure_candidates": [], "metadata": {}}


# ---- which questions are about a fee's validity -------------------------------------------------
@pytest.mark.parametrize("text", [
    "mức giảm này có hiệu lực tới lúc nào",
    "phí như vậy áp dụng đến bao giờ hả em",
    "qua năm sau thì có tăng phí không",
    "nam 2028 con duoc giam gia khong",
    "lệ phí ưu đãi còn không hay hết rồi",
    "đến ngày nào thì hết được giảm",
])
def test_validity_questions_are_fee_questions(text: str) -> None:
    assert asks_fee_validity(text)
    assert detect_aspect(text) == "fee"


@pytest.mark.parametrize(("text", "aspect"), [
    ("đến bao giờ thì có kết quả", "processing_time"),  # a processing time, not a validity
    ("gia hạn tạm trú đến khi nào", "processing_time"),  # "gia hạn" is not a price
    ("thẻ hết hạn thì đổi ở đâu", "where"),
    ("năm nay con tôi 6 tuổi làm hộ chiếu cần giấy tờ gì", "documents"),
])
def test_other_time_questions_keep_their_aspect(text: str, aspect: str) -> None:
    assert not asks_fee_validity(text)
    assert detect_aspect(text) == aspect


def test_says_now_is_not_when() -> None:
    # "bảo giờ" ("says now") is not "bao giờ" ("when") once the diacritics are written
    text = "mẹ tôi bảo giờ phải đổi thẻ, cho hỏi đổi ở đâu"
    assert detect_aspect(text) == "where"
    assert detect_aspect("bao giờ thì đổi xong") == "processing_time"


def test_price_comparison_between_channels_is_the_fee() -> None:
    assert detect_aspect("làm qua mạng có rẻ hơn ra tận nơi không") == "fee"
    assert detect_aspect("cấp lại bằng lái làm trên mạng có được miễn phí không") == "fee"
    assert asks_fee("đổi ở đâu và tốn bao nhiêu tiền") and not asks_fee("đổi ở đâu")


def test_short_validity_follow_ups_keep_the_procedure(cat) -> None:
    for text in ("cái giá đấy áp dụng tới khi nào", "năm 2030 còn mức này không", "có còn giảm xuống 115 nghìn không"):
        assert followup_aspect(msg(text), CAP_DOI, cat) == "fee", text
    assert followup_aspect(msg("nộp ở đâu"), CAP_DOI, cat) == "where"


# ---- the fee answer by date ---------------------------------------------------------------------
def test_reduction_in_force_says_until_when_and_what_comes_after(cat) -> None:
    text = procedure_answer(cat[CAP_DOI], "fee", LAST_DAY)
    assert "25.000 đồng" in text and "31/12/2026" in text
    assert "Từ ngày 01/01/2027, nếu không có quy định mới, mức thu là 50.000 đồng" in text
    after = procedure_answer(cat[CAP_DOI], "fee", NEXT_DAY)
    assert "50.000 đồng" in after and "25.000" not in after
    assert "31/12/2026" in after and "kết thúc" in after  # what ended when
    assert reduction_end_note(cat[CAP_DOI], NEXT_DAY) == ""


def test_no_after_note_when_the_record_already_says_what_follows(cat) -> None:
    # on 1/6/2025 the record's next reduction (from 1/7/2025) is known: no "nếu không có quy định mới"
    assert reduction_end_note(cat[CAP_DOI], dt.date(2025, 6, 1)) == ""


def test_ended_online_rate_is_dated_but_never_read_out(cat) -> None:
    before = fee_text(cat[LAI_XE], dt.date(2025, 12, 31))
    assert "115.000 đồng" in before
    now = fee_text(cat[LAI_XE], dt.date(2026, 1, 1))
    assert "135.000 đồng" in now and "115.000" not in now
    assert "khi nộp trực tuyến" in now and "31/12/2025" in now and "kết thúc" in now
    passport = fee_text(cat[HO_CHIEU], dt.date(2026, 11, 30))
    assert "200.000 đồng" in passport and "160.000" not in passport and "31/12/2023" in passport


def test_ended_reduction_is_reported_by_fee_now() -> None:
    desc = "50.000 đồng; Kể từ ngày 01/01/2025 đến hết ngày 31/12/2026 mức thu bằng 50% mức thu nêu trên."
    assert fee_now(50000, desc, LAST_DAY).amount == 25000
    later = fee_now(50000, desc, NEXT_DAY)
    assert later.amount == 50000 and later.reduction is None and later.ended == [LAST_DAY]


def test_no_contradicting_hedge_after_the_zero_fee_policy_ended(cat) -> None:
    assert "gần đúng" not in fee_note(dt.date(2026, 1, 1), "CURRENT")
    assert fee_note(dt.date(2025, 12, 31), "CURRENT") == "CURRENT"
    for code in (CAP_DOI, LAI_XE, HO_CHIEU, TAM_TRU):
        text = procedure_answer(cat[code], "fee", dt.date(2026, 11, 30))
        assert "gần đúng" not in text and "có thể được giảm hoặc miễn" not in text, code


# ---- the action: a fee asked besides another aspect, the online-fee policy ----------------------
def test_fee_asked_besides_where_is_added_before_the_link(cat) -> None:
    assert also_asks_fee(msg("đổi ở chỗ nào, hết mấy tiền"), "where")
    assert not also_asks_fee(msg("đổi ở chỗ nào"), "where")
    assert not also_asks_fee(msg("hết mấy tiền"), "fee") and not also_asks_fee(msg("hết mấy tiền"), None)
    text = with_fee("Thủ tục X. Nơi tiếp nhận: Công an.\nXem chi tiết tại: https://x", cat[CAP_DOI],
                    dt.date(2026, 11, 30))
    assert "Nơi tiếp nhận" in text and "25.000 đồng" in text and text.endswith("Xem chi tiết tại: https://x")


def test_online_fee_policy_question_without_a_procedure_is_answered_by_its_dates(monkeypatch) -> None:
    from actions import kb

    monkeypatch.setattr(kb, "today", lambda: dt.date(2026, 3, 1))
    text = online_fee_policy_answer(msg("ông nghe nói giờ làm hồ sơ qua mạng không tốn phí phải không"))
    assert text is not None and "31/12/2025" in text and not text.startswith("Dạ, đúng")
    assert online_fee_policy_answer(msg("lệ phí bao nhiêu")) is None  # no online/free: ask which procedure
    assert online_fee_policy_answer(msg("nộp online được không")) is None  # not a fee question
    # other costs of filing online have their own answers (postage support, digital signature)
    assert online_fee_policy_answer(msg("nộp qua mạng thì có mất tiền gửi kết quả về nhà không")) is None
    assert online_fee_policy_answer(msg("làm chữ ký số để nộp online có mất phí không")) is None

    t = Tracker("u", {}, msg("làm giấy tờ trên mạng có được miễn phí không cháu"),
                [{"event": "user", "text": "làm giấy tờ trên mạng có được miễn phí không cháu"}],
                False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerProcedure().run(dispatcher, t, {}))
    assert "31/12/2025" in dispatcher.messages[0]["text"]
    monkeypatch.setattr(kb, "today", lambda: dt.date(2025, 3, 1))  # while the policy ran: yes, until when
    during = online_fee_policy_answer(msg("làm hồ sơ online có mất lệ phí không"))
    assert during is not None and "0 đồng" in during and "31/12/2025" in during and "hết hiệu lực" not in during


def test_the_faq_action_answers_a_story_about_free_online_filing_by_the_policys_dates(monkeypatch) -> None:
    """"năm ngoái nộp trên mạng không mất đồng nào, giờ thôi rồi à" read as an online-filing question: the
    0-đồng policy by its dates, not the postage support; "thanh toán lệ phí online thế nào" asks how to pay."""
    from actions import kb
    from actions.faq import ActionAnswerFaq

    monkeypatch.setattr(kb, "today", lambda: dt.date(2026, 3, 1))
    for text in ("hồi năm ngoái nộp giấy tờ trên mạng thấy không tốn đồng nào, năm nay có còn thế không",
                 "nam ngoai lam ho so online khong mat tien, gio thanh pho bo mien phi roi a"):
        assert online_fee_policy_answer(msg(text), free_named=True) is not None, text
        t = Tracker("u", {}, {**msg(text), "intent": {"name": "ask_online_submission", "confidence": 0.9}},
                    [{"event": "user", "text": text}], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAnswerFaq().run(dispatcher, t, {}))
        assert "31/12/2025" in dispatcher.messages[0]["text"], text
    for text in ("thanh toán lệ phí online thế nào", "nộp lệ phí online xong lấy biên lai ở đâu"):
        assert online_fee_policy_answer(msg(text), free_named=True) is None, text


@pytest.mark.parametrize(("text", "cut"), [
    ("làm lại căn cước trên mạng còn được giảm phí không", True),
    ("nghe nói đổi thẻ được giảm một nửa lệ phí phải không", True),
    ("lệ phí cấp hộ chiếu có ưu đãi gì không", True),
    ("doi cccd giam 50 phan tram den bao gio", True),
    ("nộp lệ phí bằng thẻ ngân hàng nào", False),
    ("giảm bớt giấy tờ được không", False),
])
def test_a_fee_cut_is_asked(text: str, cut: bool) -> None:
    from knowledge_base.aspects import asks_fee_cut

    assert asks_fee_cut(text) is cut, text


def test_a_fee_cut_question_naming_a_procedure_gets_its_dated_fee(monkeypatch) -> None:
    from actions.faq import ActionAnswerFaq

    monkeypatch.setenv("DVCBOT_TODAY", "2026-11-30")
    card = [{"code": CAP_DOI, "name": "Cấp đổi thẻ căn cước", "score": 0.6}]
    message = {"text": "cấp đổi thẻ căn cước nộp qua mạng còn giảm lệ phí không",
               "intent": {"name": "ask_online_payment", "confidence": 0.7}, "entities": [],
               "procedure_candidates": card}
    reply = ActionAnswerFaq._fee_cut_reply(message)
    assert reply is not None and "25.000" in reply[0] and "31/12/2026" in reply[0]
    assert ActionAnswerFaq._fee_cut_reply({**message, "text": "cấp đổi thẻ căn cước trả phí bằng thẻ nào"}) is None
