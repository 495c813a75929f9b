"""Dated fees and Hanoi places as the action server sends them (issue 9, items 1, 5, 6): the real
``ActionAnswerProcedure`` with a follow-up on the current procedure, on 2026-11-30."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from actions.procedure import ActionAnswerProcedure
from dvcbot.settings import get_settings
from tests.bot.test_actions import message, run, tracker


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DVCBOT_TODAY", "2026-11-30")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("DVCBOT_TODAY")
    get_settings.cache_clear()


def follow_up(code: str, text: str, aspect: str) -> str:
    """The answer to a short follow-up ("có mất phí không") while ``code`` is the current procedure."""
    msgs, _ = run(ActionAnswerProcedure(), tracker(message(text, "ask_procedure", {"procedure_aspect": aspect}),
                                                   slots={"procedure": code}))
    assert msgs, "no answer"
    return msgs[0]["text"]


def test_passport_fee_today_is_the_normal_rate() -> None:
    text = follow_up("1.001456", "nộp online thì mất bao nhiêu tiền", "fee")
    assert "1.001456" in text and "200.000 đồng" in text
    assert "160.000" not in text


def test_death_registration_is_not_said_free() -> None:
    text = follow_up("1.000656", "có mất tiền không", "fee")
    assert "miễn phí" not in text.lower()
    assert "miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn" in text


def test_birth_registration_where_and_how_long_in_hanoi() -> None:
    where = follow_up("1.001193", "làm ở đâu", "where")
    assert "Ủy ban nhân dân xã, phường" in where and "thị trấn" not in where
    time = follow_up("1.001193", "bao lâu thì xong", "processing_time")
    assert "trong ngày làm việc tiếp theo" in time
    assert not re.search(r"giải quyết: \d+\s*[.(]", time)


def test_lost_passport_goes_to_the_commune_police() -> None:
    text = follow_up("1.010385", "báo mất ở đâu", "where")
    assert "Công an xã, phường" in text
    assert not re.search(r"Công an (?:cấp )?huyện", text)
