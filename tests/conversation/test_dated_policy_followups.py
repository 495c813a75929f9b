"""Questions asked in passing after a procedure: whether filing online is still free (Hanoi's dated
0-đồng policy, answered by its dates), and a hearsay opener before a fee comparison."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.followup import answer_free_online_question, followup_words
from knowledge_base.hanoi import asks_free_online


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("nop truc tuyen gio con duoc mien phi nua ko", True),
        ("bà nghe nói làm trên mạng thì không phải nộp lệ phí, giờ còn thế không cháu", True),
        ("lam onl van k mat tien dk ak", True),
        ("năm nay nộp qua mạng có còn 0 đồng không", True),
        ("nộp online lệ phí bao nhiêu", False),  # the procedure's own online fee
        ("làm trực tuyến có mất phí không", False),  # its fee too, not the policy
        ("trả kết quả về nhà có miễn phí không", False),  # no online filing named
    ],
)
def test_a_question_whether_online_filing_is_still_free(text: str, asked: bool) -> None:
    assert asks_free_online(text) is asked


def test_the_free_online_question_gets_the_policy_by_its_dates() -> None:
    d = CollectingDispatcher()
    latest = {"text": "nộp trên mạng giờ vẫn không mất đồng nào chứ", "intent": {"name": "ask_online_payment"},
              "entities": []}
    assert answer_free_online_question(d, latest) is not None
    assert "31/12/2025" in d.messages[0]["text"]
    assert answer_free_online_question(CollectingDispatcher(), {"text": "mất bao lâu", "entities": []}) is None


def test_a_hearsay_opener_is_no_word_of_the_question() -> None:
    assert followup_words("người ta bảo làm online rẻ hơn hả") == ["lam", "online", "re", "hon", "ha"]
    assert followup_words("nghe nói lên phường nộp nhanh hơn") == ["len", "phuong", "nop", "nhanh", "hon"]
