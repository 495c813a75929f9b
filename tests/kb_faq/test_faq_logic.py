"""Loading, validation errors and the validity-window logic of ``knowledge_base.faq``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dvcbot.cli import main
from dvcbot.settings import get_settings
from knowledge_base.faq import (
    FaqError,
    faq_answer,
    get_faq,
    is_current,
    load_faqs,
    validity,
)

D = dt.date.fromisoformat

GOOD = {
    "id": "payment.test_policy",
    "category": "payment",
    "question": "Chính sách thử nghiệm có còn áp dụng không?",
    "paraphrases": ["chinh sach thu con khong", "chính sách thử còn áp dụng không"],
    "answer": "Dạ, chính sách thử đang áp dụng. Nguồn: thử nghiệm.",
    "source_url": "https://example.gov.vn/a",
    "valid_from": "2025-01-01",
    "valid_until": "2025-12-31",
    "related_procedures": ["3.000228"],
}


def _write(tmp_path: Path, entries: list[dict], name: str = "faq.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"faqs": entries}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def today_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DVCBOT_TODAY", "2026-11-22")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("DVCBOT_TODAY")
    get_settings.cache_clear()


# ----------------------------------------------------------------- the real 0-đồng fee entry


def test_zero_fee_policy_before_within_after() -> None:
    faq = get_faq("payment.zero_fee_hanoi")
    assert faq is not None
    before = faq_answer(faq, D("2023-01-15"), with_url=False)
    within = faq_answer(faq, D("2025-06-01"), with_url=False)
    last_day = faq_answer(faq, D("2025-12-31"), with_url=False)
    after = faq_answer(faq, D("2026-11-22"), with_url=False)

    assert validity(faq, D("2023-01-15")) == "upcoming" and "chưa có hiệu lực" in before
    assert "0 đồng" not in before
    assert within == faq.answer == last_day and "0 đồng" in within
    assert validity(faq, D("2026-01-01")) == "expired" and not is_current(faq, D("2026-01-01"))
    assert after == faq.expired_answer
    assert "đã hết hiệu lực" in after and "31/12/2025" in after


def test_default_today_comes_from_settings(today_env: None) -> None:
    assert get_settings().current_date() == D("2026-11-22")
    faq = get_faq("payment.zero_fee_hanoi")
    assert faq is not None
    assert not is_current(faq)
    assert faq_answer(faq, with_url=False) == faq.expired_answer
    # a rule from 1/1/2026 is current on that day
    post = get_faq("submission.results_by_post")
    assert post is not None and is_current(post)


def test_rule_not_yet_in_force_is_not_presented_as_current() -> None:
    post = get_faq("submission.results_by_post")
    assert post is not None
    text = faq_answer(post, D("2025-10-01"), with_url=False)
    assert "1/1/2026" in text and "chưa có hiệu lực" in text
    assert text != post.answer
    assert faq_answer(post, D("2026-01-01"), with_url=False) == post.answer


def test_undated_entries_are_always_current_and_url_is_appended() -> None:
    faq = get_faq("contact.hotline")
    assert faq is not None and faq.valid_from is None and faq.valid_until is None
    assert is_current(faq, D("1990-01-01")) and is_current(faq, D("2100-01-01"))
    text = faq_answer(faq, D("2026-11-22"))
    assert text.startswith(faq.answer) and text.endswith(faq.source_url[0])
    assert get_faq("no.such_entry") is None


# ----------------------------------------------------------------- a temporary file


def test_tmp_file_without_expired_answer_says_it_has_ended(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD])
    (faq,) = load_faqs(path)
    assert faq.valid_from == D("2025-01-01") and faq.related_procedures == ("3.000228",)
    assert faq.source_url == ("https://example.gov.vn/a",)
    assert faq.search_texts == (GOOD["question"], *GOOD["paraphrases"]) and faq.has_dates
    assert faq_answer(faq, D("2025-05-05"), with_url=False) == GOOD["answer"]
    ended = faq_answer(faq, D("2026-01-01"), with_url=False)
    assert "31/12/2025" in ended and "hết hiệu lực" in ended and "đang áp dụng" not in ended


def test_reload_after_the_file_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD])
    assert len(load_faqs(path)) == 1
    path.write_text(yaml.safe_dump({"faqs": [GOOD, {**GOOD, "id": "payment.other"}]}), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert [f.id for f in load_faqs(path)] == ["payment.test_policy", "payment.other"]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([GOOD, {**GOOD}], "entry 2 (id 'payment.test_policy'): duplicate id, first used by entry 1"),
        ([{**GOOD, "valid_until": "2025-13-45"}], "'valid_until' must be an ISO date"),
        ([{**GOOD, "valid_from": "31/12/2025"}], "'valid_from' must be an ISO date"),
        ([{**GOOD, "valid_from": "2026-01-01"}], "valid_from 2026-01-01 is after valid_until 2025-12-31"),
        ([{**GOOD, "category": "weather"}], "unknown category 'weather'"),
        ([{k: v for k, v in GOOD.items() if k != "answer"}], "missing required field(s): answer"),
        ([{**GOOD, "source_url": []}], "missing required field(s): source_url"),
        ([{**GOOD, "source_url": ["ftp://x"]}], "is not an http(s) URL"),
        ([{**GOOD, "valid_untill": "2025-12-31"}], "unknown field(s): valid_untill"),
        ([{**GOOD, "related_procedures": [3.000228]}], "must be quoted text"),
        ([{**GOOD, "id": "Bad Id"}], "id must look like"),
        ([{k: v for k, v in GOOD.items() if k != "valid_until"} | {"expired_answer": "Dạ, hết."}],
         "expired_answer needs a valid_until date"),
        (["just text"], "entry 1: must be a mapping"),
        ([], "expected a non-empty list"),
    ],
)
def test_invalid_files_are_rejected_with_a_clear_message(
    tmp_path: Path, entries: list, message: str
) -> None:
    path = _write(tmp_path, entries)
    with pytest.raises(FaqError) as err:
        load_faqs(path)
    assert message in str(err.value)
    assert str(path.name) in str(err.value)


def test_broken_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("faqs: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FaqError, match="not valid YAML"):
        load_faqs(bad)
    with pytest.raises(FaqError, match="not found"):
        load_faqs(tmp_path / "missing.yml")


def test_show_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "faq", "payment.zero_fee_hanoi", "--today", "2026-11-22"]) == 0
    assert "đã hết hiệu lực" in capsys.readouterr().out
    assert main(["kb", "faq", "payment.zero_fee_hanoi", "--today", "hôm nay"]) == 2
    assert "ISO date" in capsys.readouterr().out
    assert main(["kb", "faq", "nope.nope"]) == 2
    assert main(["kb", "faq"]) == 0
    assert "contact.hotline" in capsys.readouterr().out
