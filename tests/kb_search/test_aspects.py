"""Aspect detection on folded text: with and without diacritics, teencode, spoken numbers."""

from __future__ import annotations

import pytest

from knowledge_base.aspects import ASPECTS, detect_aspect


@pytest.mark.parametrize(
    ("query", "aspect"),
    [
        ("làm hộ chiếu thì chuẩn bị giấy tờ gì", "documents"),
        ("xin trich luc can nhung gi", "documents"),
        ("lệ phí cấp lại căn cước là bao nhiêu", "fee"),
        ("đổi bằng lái tốn bao nhiêu tiền vậy", "fee"),
        ("phí chứng thực hai nghìn đồng à", "fee"),
        ("bao lâu thì có kết quả đăng ký kết hôn", "processing_time"),
        ("cap lai gplx mat may ngay", "processing_time"),
        ("nộp hồ sơ khai tử ở đâu", "where"),
        ("xin xac nhan cu tru o dau vay", "where"),
        ("các bước xin lý lịch tư pháp", "steps"),
        ("thu tuc tach ho lam the nao", "steps"),
        ("làm tạm trú qua mạng được không", "online"),
        ("dang ky ket hon truc tuyen dc k", "online"),
        ("tạm trú theo luật nào", "legal_basis"),
        ("căn cứ pháp lý của thủ tục chứng thực", "legal_basis"),
        ("đăng ký hộ kinh doanh xong được nhận gì", "result"),
        ("đổi bằng lái xe", None),
        ("", None),
    ],
)
def test_detect_aspect(query: str, aspect: str | None) -> None:
    assert detect_aspect(query) == aspect


def test_first_mentioned_specific_aspect_wins() -> None:
    assert detect_aspect("đăng ký hộ kinh doanh ở đâu và mất bao lâu") == "where"
    assert detect_aspect("mất bao lâu và nộp ở đâu") == "processing_time"
    # a generic phrasing does not override a specific one
    assert detect_aspect("lệ phí làm căn cước như thế nào") == "fee"


def test_every_detected_aspect_is_known() -> None:
    for q in (
        "giấy tờ gì",
        "bao nhiêu tiền",
        "mấy ngày",
        "ở đâu",
        "thế nào",
        "online",
        "nghị định",
        "kết quả",
    ):
        assert detect_aspect(q) in ASPECTS
