"""Rule entities with offsets into the ORIGINAL text."""

from __future__ import annotations

import unicodedata

import pytest

from nlu.entities import aspect_entity, classify_digits, number_entities


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in number_entities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gọi lại cho tôi số 0912.345.678 nhé", [("phone", "0912345678", "0912.345.678")]),
        ("sđt 0987 654 321", [("phone", "0987654321", "0987 654 321")]),
        ("số +84 912 345 678", [("phone", "0912345678", "+84 912 345 678")]),
        ("máy bàn 024 3825 1234", [("phone", "02438251234", "024 3825 1234")]),
        ("CCCD của tôi là 001088012345", [("id_number", "001088012345", "001088012345")]),
        ("căn cước 0010 8801 2345", [("id_number", "001088012345", "0010 8801 2345")]),
        ("hồ sơ G22.99-250101-0001 trễ hạn", [("dossier_code", "G22.99-250101-0001", "G22.99-250101-0001")]),
        (
            "mã 000.00.10.H26-250101-0001 ạ",
            [("dossier_code", "000.00.10.H26-250101-0001", "000.00.10.H26-250101-0001")],
        ),
        ("ma ho so g01.123-251231-0042", [("dossier_code", "G01.123-251231-0042", "g01.123-251231-0042")]),
    ],
)
def test_typed_numbers(text: str, expected: list) -> None:
    assert _found(text) == expected


def test_phone_read_aloud_after_normalisation() -> None:
    text = "số của tôi là không chín tám bảy sáu năm bốn ba hai một"
    assert _found(text) == [("phone", "0987654321", "không chín tám bảy sáu năm bốn ba hai một")]


def test_id_and_phone_in_one_message() -> None:
    text = "CCCD 001088012345, sđt 0912345678"
    assert _found(text) == [
        ("id_number", "001088012345", "001088012345"),
        ("phone", "0912345678", "0912345678"),
    ]


def test_offsets_are_on_the_original_even_in_nfd() -> None:
    text = unicodedata.normalize("NFD", "Số điện thoại: 0912 345 678")
    (e,) = number_entities(text)
    assert e["entity"] == "phone" and text[e["start"] : e["end"]] == "0912 345 678"


@pytest.mark.parametrize(
    "text", ["năm 2025 mất ba ngày", "lệ phí 26000 đồng", "tôi 70 tuổi", "không không", "mã 12345"]
)
def test_no_false_numbers(text: str) -> None:
    assert number_entities(text) == []


def test_classify_digits() -> None:
    assert classify_digits("0912345678") == ("phone", "0912345678")
    assert classify_digits("84912345678") == ("phone", "0912345678")
    assert classify_digits("001088012345") == ("id_number", "001088012345")
    assert classify_digits("12345") is None
    assert classify_digits("0123") is None


@pytest.mark.parametrize(
    ("text", "aspect", "cue"),
    [
        ("Làm CCCD cần những giấy tờ gì?", "documents", "giấy tờ"),
        ("lệ phí đổi gplx bn", "fee", "phí"),
        ("cấp hộ chiếu mất bao lâu", "processing_time", "lâu"),
        ("đăng ký tạm trú ở đâu", "where", "ở đâu"),
        ("lý lịch tư pháp làm online đc ko", "online", "online"),
    ],
)
def test_aspect_with_cue_span(text: str, aspect: str, cue: str) -> None:
    e = aspect_entity(text)
    assert e is not None and e["value"] == aspect
    assert cue in text[e["start"] : e["end"]]


def test_no_aspect_in_chitchat() -> None:
    assert aspect_entity("xin chào") is None
