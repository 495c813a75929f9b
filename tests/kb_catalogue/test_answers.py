"""Citizen answers: code, source link, full diacritics, honest fees, and ``dvcbot kb show``."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from dvcbot.settings import ROOT
from knowledge_base.answer_format import format_vnd
from knowledge_base.answers import WRITERS, procedure_answer
from knowledge_base.aspects import ASPECTS
from knowledge_base.catalogue import load_catalogue

TODAY = dt.date(2026, 6, 1)
DIACRITICS = re.compile(r"[ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]")
NOT_SPEAKABLE = re.compile(r"[*#|`\U0001F300-\U0001FAFF\u2600-\u27BF]")


def test_every_aspect_has_exactly_one_writer() -> None:
    assert set(WRITERS) == {None, *ASPECTS}


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.mark.parametrize("code", ["1.004194", "1.001193", "3.000347", "1.001456", "2.000815", "3.000228"])
@pytest.mark.parametrize("aspect", [None, *ASPECTS])
def test_every_aspect_names_code_and_source(cat, code: str, aspect: str | None) -> None:
    proc = cat[code]
    text = procedure_answer(proc, aspect, TODAY)
    assert code in text
    assert text.rstrip(".").endswith(proc.source_url)
    assert DIACRITICS.search(text)
    assert not NOT_SPEAKABLE.search(text)
    assert "\n" not in text


def test_overview_and_fee_of_tam_tru(cat) -> None:
    text = procedure_answer(cat["1.004194"], None, TODAY)
    assert text.startswith("Thủ tục Đăng ký tạm trú (mã 1.004194).")
    assert "7.000 đồng" in text and "10.000 đồng" in text and "3 ngày làm việc" in text
    fee = procedure_answer(cat["1.004194"], "fee", TODAY)
    # after Hanoi's 0-đồng online policy ended (31/12/2025) the amount is not hedged as approximate
    assert "hồ sơ thủ tục quốc gia" in fee and "gần đúng" not in fee and "31/12/2025" in fee


def test_unknown_fee_is_not_free(cat) -> None:
    text = procedure_answer(cat["1.000232"], "fee", TODAY)
    assert "không có thông tin về lệ phí" in text and "miễn phí" not in text


def test_expired_reduced_fee_is_not_current(cat) -> None:
    # 3.000347: 115.000 đồng online "đến hết ngày 31/12/2025"; the general fee is 135.000 đồng
    before = procedure_answer(cat["3.000347"], "fee", dt.date(2025, 6, 1))
    after = procedure_answer(cat["3.000347"], "fee", TODAY)
    assert "115.000 đồng" in before
    assert "115.000 đồng" not in after and "135.000 đồng" in after
    assert "31/12/2025" in after and "kết thúc" in after


def test_long_lists_are_cut(cat) -> None:
    text = procedure_answer(cat["1.001193"], "documents", TODAY)
    assert re.search(r"Và \d+ giấy tờ khác, xem chi tiết tại https://", text)
    # sub-cases of a record are pointed to, not read out
    text = procedure_answer(cat["1.004194"], "documents", TODAY)
    assert re.search(r"Ngoài ra có \d+ trường hợp riêng .*xem chi tiết tại https://", text)


def test_format_and_bad_aspect(cat) -> None:
    assert format_vnd(26000) == "26.000 đồng" and format_vnd(1_200_000) == "1.200.000 đồng"
    with pytest.raises(ValueError):
        procedure_answer(cat["1.004194"], "colour", TODAY)


def _show(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DVCBOT_TODAY": TODAY.isoformat()}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "dvcbot"), "kb", "show", *args] if (ROOT / ".venv").exists()
                          else [sys.executable, "-m", "dvcbot.cli", "kb", "show", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_kb_show_cli() -> None:
    full = _show("1.004194")
    assert full.returncode == 0, full.stderr
    for part in ("Đăng ký tạm trú", "Mã thủ tục: 1.004194", "Lệ phí", "Thời hạn giải quyết", "Bước 1",
                 "Căn cứ pháp lý", "https://dichvucong.gov.vn/"):
        assert part in full.stdout
    one = _show("3.000347", "--aspect", "fee")
    assert one.returncode == 0 and "135.000 đồng" in one.stdout
    missing = _show("9.999999")
    assert missing.returncode == 2 and "Không tìm thấy thủ tục" in missing.stderr
    bad = _show("1.004194", "--aspect", "colour")
    assert bad.returncode == 2 and "documents" in bad.stderr


def test_all_essential_answers_are_speakable(cat) -> None:
    essential = [p for p in cat.values() if p.essential]
    assert len(essential) >= 100
    for proc in essential:
        for aspect in (None, *ASPECTS):
            text = procedure_answer(proc, aspect, TODAY)
            assert proc.code in text and proc.source_url in text, (proc.code, aspect)
            assert not NOT_SPEAKABLE.search(text) and "\n" not in text, (proc.code, aspect, text)
            assert "TTPVHCC" not in text


def test_suspect_amount_is_said_as_uncertain(cat) -> None:
    text = procedure_answer(cat["3.000125"], "fee", TODAY)  # "850 VNĐ" in the record
    assert "hồ sơ ghi 850" in text and "850.000 đồng" in text and "kiểm tra lại" in text
