"""Whether the costs of filing online are paid for (issue 9, session 17, date18): today's support for online
filers answers it, not an entry holding "hỗ trợ" as help. Phrasings written for these tests, none from the
evaluation sets."""

from __future__ import annotations

import pytest

from knowledge_base.hanoi import asks_cost_support, online_support_faq


@pytest.mark.parametrize("text", [
    "giờ làm hồ sơ trên mạng thì được hỗ trợ những gì",
    "nop online bay gio co ho tro gi ko ad",
    "khoản tiền đó dân phải tự trả à",
    "chi phí đó ai chịu",
])
def test_a_cost_support_question_naming_online_or_a_cost(text: str) -> None:
    assert asks_cost_support(text)


@pytest.mark.parametrize("text", ["vậy là mình tự trả hay có ai chịu cho", "thế có được hỗ trợ không"])
def test_a_bare_cost_support_question_counts_after_a_cost_answer(text: str) -> None:
    assert asks_cost_support(text, cost_before=True)
    assert not asks_cost_support(text)


@pytest.mark.parametrize(("text", "cost_before"), [
    ("tôi không biết làm online, ai hỗ trợ", False),
    ("không tự nộp được thì có được hỗ trợ không", True),
    ("cho hỏi làm căn cước có hỗ trợ gì không", False),  # "cước" of "căn cước" is no cost
])
def test_help_with_doing_it_is_not_cost_support(text: str, cost_before: bool) -> None:
    assert not asks_cost_support(text, cost_before=cost_before)


@pytest.mark.parametrize("text", ["nghe nói giờ làm online được hỗ trợ tiền chứng thư số à",
                                  "cước gửi kết quả về nhà có được hỗ trợ không"])
def test_a_support_named_by_what_it_pays_for_is_left_to_its_own_entry(text: str) -> None:
    assert not asks_cost_support(text, cost_before=True)


def test_the_support_answer_names_the_supports_with_their_date() -> None:
    import datetime as dt

    from knowledge_base.faq import faq_answer, get_faq

    entry = get_faq(online_support_faq() or "")
    text = faq_answer(entry, dt.date(2026, 11, 30)) if entry is not None else ""
    assert "1/1/2026" in text and "bưu chính" in text and "chữ ký số" in text


class _Tracker:
    def __init__(self, text: str, faq_before: str) -> None:
        from actions.followup import ANSWER_FAQ_KEY

        self.latest_message = {"text": text, "intent": {"name": "ask_online_submission"}, "entities": []}
        self.events = [{"event": "user", "text": "..."},
                       {"event": "bot", "text": "...", "metadata": {ANSWER_FAQ_KEY: faq_before}},
                       {"event": "user", "text": text}]


def test_a_bare_support_question_after_the_postage_answer_is_today_s_support() -> None:
    from actions.online_support import online_support_text

    answer = online_support_text(_Tracker("vậy là mình tự trả hay có ai chịu cho", "submission.postal_fee_26000"))
    assert answer and "100%" in answer
    # after an answer about no cost, the same words ask nothing about costs
    assert online_support_text(_Tracker("vậy là mình tự trả hay có ai chịu cho", "vneid.password_rules")) is None
