"""Causes the lead mended after the session-17 merge (issue 9): a "mất" of time or money is no loss; a
question how to pay after the 0-đồng policy answer asks the payment steps, not the policy again."""

from __future__ import annotations

import pytest

from actions.followup import asks_how_to_pay
from knowledge_base.vocabulary import situations_in


def _names(text: str) -> list[str]:
    return [s.name for s in situations_in(text)]


@pytest.mark.parametrize("text", ["lm mat may ngay", "làm mất mấy ngày hả em", "làm mất bao lâu",
                                  "làm cái này mất phí không", "lam mat bao nhieu tien", "làm mất 2 tuần à"])
def test_a_mat_of_time_or_money_is_no_loss(text: str) -> None:
    assert "lost" not in _names(text)


@pytest.mark.parametrize("text", ["bi mat the roi", "tôi bị mất thẻ, làm lại mất bao lâu", "làm mất bằng lái",
                                  "đánh mất căn cước hôm qua"])
def test_a_loss_is_still_read(text: str) -> None:
    assert "lost" in _names(text)


@pytest.mark.parametrize("text", ["thế giờ thanh toán lệ phí trực tuyến kiểu gì", "vay thanh toan phi online lam sao",
                                  "thanh toán qua mạng thế nào hả cháu"])
def test_how_to_pay(text: str) -> None:
    assert asks_how_to_pay(text)


@pytest.mark.parametrize("text", ["vậy giờ nộp online thì trả theo mức nào", "thế bây giờ tính phí thế nào",
                                  "thanh toán bao nhiêu"])
def test_how_much_is_not_how_to_pay(text: str) -> None:
    assert not asks_how_to_pay(text)
