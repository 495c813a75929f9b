"""Normalisation as the NLU sees it: teencode, accents, NFC/NFD, spoken numbers, offsets."""

from __future__ import annotations

import unicodedata

import pytest

from dvcbot.textnorm import fold
from nlu.spans import find_phrase, words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Làm CCCD ko đc à", "lam can cuoc cong dan khong duoc a"),
        ("k biet j", "khong biet gi"),
        ("dc ko ad", "duoc khong tong dai vien"),
        ("đổi GPLX ntn", "doi giay phep lai xe nhu the nao"),
        ("lệ phí bn", "le phi bao nhieu"),
        ("LÀM GIẤY KHAI SINH", "lam giay khai sinh"),
        ("lam giay khai sinh", "lam giay khai sinh"),
        ("mất ba ngày", "mat 3 ngay"),
        ("số không chín một hai ba bốn năm sáu bảy tám", "so 0912345678"),
    ],
)
def test_fold_is_accent_case_and_teencode_insensitive(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_nfd_and_nfc_fold_the_same() -> None:
    nfc = "Đăng ký khai sinh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert fold(nfd) == fold(nfc) == "dang ky khai sinh"


def test_words_keep_offsets_of_the_original_text() -> None:
    text = "Làm  CCCD ở đâu?"
    ws = words(text)
    cccd = [w for w in ws if w.start == text.index("CCCD")]
    assert [w.folded for w in cccd] == ["can", "cuoc", "cong", "dan"]
    assert {(w.start, w.end) for w in cccd} == {(5, 9)}
    span = find_phrase(ws, "o dau")
    assert span is not None and text[span[0] : span[1]] == "ở đâu"


def test_decomposed_text_stays_one_token_per_word() -> None:
    text = unicodedata.normalize("NFD", "tạm trú")
    ws = words(text)
    assert [w.folded for w in ws] == ["tam", "tru"]
    assert text[ws[1].start : ws[1].end] == unicodedata.normalize("NFD", "trú")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # "tt": thanh toán by default, thủ tục after "làm" or before "hành chính"
        ("tt online bi loi", "thanh toan online bi loi"),
        ("chua tt", "chua thanh toan"),
        ("lm tt hc", "lam thu tuc hanh chinh"),
        # "đk"/"dk": được after "có"/"không" or before a particle, đăng ký before a content word
        ("co dk ko", "co duoc khong"),
        ("nop online dk ko", "nop online duoc khong"),
        ("lm dk tam tru can gi v", "lam dang ky tam tru can gi vay"),
        ("đk kết hôn ở đâu", "dang ky ket hon o dau"),
        # "mk": mật khẩu after quên/đổi/nhập or before vneid, else mình
        ("quen mk vneid", "quen mat khau vneid"),
        ("doi mk", "doi mat khau"),
        ("mk muon hoi", "minh muon hoi"),
        ("tk bi khoa", "tai khoan bi khoa"),
        ("ck roi", "chuyen khoan roi"),
        ("công ty tnhh", "cong ty trach nhiem huu han"),
        ("tks ad", "cam on tong dai vien"),
    ],
)
def test_abbreviations_read_in_context(raw: str, expected: str) -> None:
    assert fold(raw) == expected
