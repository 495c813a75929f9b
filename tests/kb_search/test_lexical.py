"""The BM25 retriever on its own: folding, typos, persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge_base.lexical import BM25Index, features

TEXTS = [
    "Đăng ký tạm trú",
    "Đăng ký thường trú",
    "Cấp hộ chiếu phổ thông ở trong nước",
    "Thủ tục đăng ký khai sinh",
    "Đổi giấy phép lái xe",
]


def test_accents_teencode_and_abbreviations_match() -> None:
    bm = BM25Index.build(TEXTS)
    assert bm.top("dang ky tam tru", 1)[0][0] == 0
    assert bm.top("đổi gplx", 1)[0][0] == 4  # gplx → giấy phép lái xe
    assert bm.top("lam ho chieu", 1)[0][0] == 2


def test_character_trigrams_rescue_a_typo() -> None:
    bm = BM25Index.build(TEXTS)
    assert bm.top("đăng ký tạm chú", 1)[0][0] == 0
    assert bm.top("khai sin", 1)[0][0] == 3


def test_bigrams_prefer_the_phrase() -> None:
    feats = features("đăng ký tạm trú")
    assert feats["b:tam_tru"] == 1 and feats["w:tam"] == 1 and feats["c:#ta"] == 1


def test_nothing_matches_gives_zeros() -> None:
    bm = BM25Index.build(TEXTS)
    assert not bm.scores("zzzz qqqq").any()
    assert bm.top("", 3) == []


def test_save_and_load_roundtrip(tmp_path: Path) -> None:
    bm = BM25Index.build(TEXTS)
    bm.save(tmp_path)
    again = BM25Index.load(tmp_path)
    for q in ("tam tru", "giay phep lai xe", "khai sinh cho con"):
        assert np.allclose(bm.scores(q), again.scores(q))
    assert again.self_score("tam tru") > 0


def test_company_abbreviations_fold_for_matching() -> None:
    from dvcbot.textnorm import fold, normalize

    # "ty" alone is teencode for "cảm ơn", but never inside "công ty"
    assert normalize("thành lập công ty TNHH") == "thành lập công ty trách nhiệm hữu hạn"
    assert fold("cong ty co phan") == "cong ty co phan"
    assert normalize("ty ad") == "cảm ơn tổng đài viên"
    assert normalize("xin phiếu LTP") == "xin phiếu lý lịch tư pháp"
    bm = BM25Index.build(["Đăng ký thành lập công ty TNHH một thành viên", "Đăng ký thành lập hộ kinh doanh"])
    assert bm.top("mở công ty trách nhiệm hữu hạn", 1)[0][0] == 0
