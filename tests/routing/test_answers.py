"""The dialogue's answer for "where is the nearest service point" (Vietnamese, speakable)."""

from __future__ import annotations

import re

import pytest

from routing.answers import find_agent_answer, format_km, speakable_phone
from routing.service import get_routing
from tests.routing.helpers import synthetic_rows, to_csv

pytestmark = pytest.mark.usefixtures("routing_env")
EMOJI_OR_MARKDOWN = re.compile(r"[\U0001F300-\U0001FAFF*#|`_]{1}")


def assert_speakable(text: str) -> None:
    assert text and not EMOJI_OR_MARKDOWN.search(text.replace("find_agent", ""))


def test_format_km():
    assert format_km(1.234) == "1,2 km"
    assert format_km(0.05) == "dưới 100 m"
    assert format_km(12.0) == "12,0 km"


def test_speakable_phone_groups_digits():
    assert speakable_phone("02432191319") == "024 3219 1319"
    assert speakable_phone("0947535764") == "0947 535 764"
    assert speakable_phone("0947.535.764") == "0947 535 764"
    assert speakable_phone("+84947535764") == "0947 535 764"
    assert speakable_phone("1022") == "1022"  # short numbers stay as they are
    assert speakable_phone("024 3219 1319 (máy lẻ 2)") == "024 3219 1319 (máy lẻ 2)"


def assert_addresses_citizen_politely(text: str) -> None:
    """The bot says "anh chị" to citizens everywhere, never "bạn"."""
    assert not re.search(r"\bbạn\b", text, flags=re.IGNORECASE)


def test_answer_for_a_new_ward_name():
    a = find_agent_answer(text="cho hỏi ở P. Cau Giay làm căn cước ở đâu")
    assert a["ward_code"] == "00166" and not a["needs_ward"] and len(a["agent_ids"]) == 3
    assert "Phường Cầu Giấy" in a["text"] and "gần đúng" in a["text"]
    assert "https://dvc.example.vn/map?ward=00166" in a["text"]
    assert_speakable(a["text"])
    assert_addresses_citizen_politely(a["text"])
    more = find_agent_answer(text="P. Cau Giay", exclude_ids=a["agent_ids"])
    assert not set(more["agent_ids"]) & set(a["agent_ids"])


def test_ambiguous_old_name_asks_with_buttons():
    a = find_agent_answer(text="tôi ở phường Dịch Vọng Hậu quận Cầu Giấy")
    assert a["needs_ward"] and a["ward_code"] is None and a["agent_ids"] == []
    assert {b["ward_code"] for b in a["buttons"]} == {"00166", "00160"}
    assert "tên cũ" in a["text"] and a["text"].endswith("?")
    assert "Anh chị đang ở phường, xã nào?" in a["text"]
    assert_addresses_citizen_politely(a["text"])
    # the button's payload names the new ward, which resolves without ambiguity
    title = a["buttons"][0]["title"]
    assert find_agent_answer(text=title)["ward_code"] == a["buttons"][0]["ward_code"]


def test_location_shared_from_the_phone():
    a = find_agent_answer(lat=21.0285, lon=105.8542)
    assert a["ward_code"] == "00070" and len(a["agent_ids"]) == 3
    assert "khoảng" in a["text"] and "km" in a["text"] and "map?lat=21.02850&lon=105.85420" in a["text"]
    assert "gần vị trí của anh chị" in a["text"]
    assert_speakable(a["text"])
    assert_addresses_citizen_politely(a["text"])


def test_no_ward_asks_for_one():
    a = find_agent_answer(text="tôi muốn tìm chỗ nộp hồ sơ")
    assert a["needs_ward"] and a["agent_ids"] == [] and "phường, xã" in a["text"]
    assert a["text"].startswith("Anh chị cho biết anh chị đang ở phường, xã nào")
    assert_addresses_citizen_politely(a["text"])
    invalid = find_agent_answer(lat=999, lon=105.0)["text"]
    assert invalid.startswith("Vị trí anh chị gửi không hợp lệ") and "bạn" not in invalid
    assert find_agent_answer()["needs_ward"]
    assert find_agent_answer(lat=999, lon=105.0)["needs_ward"]


def test_honest_when_nothing_within_5_km():
    routing = get_routing()
    rows = [r for r in synthetic_rows(300) if r["ward_code"] == "00070"][:2]  # only in Hoàn Kiếm
    for r in rows:
        r["location_accuracy"] = "exact"
    routing.registry.import_csv(to_csv(rows))
    routing.reload()
    a = find_agent_answer(text="xã Sóc Sơn")
    assert "Không có điểm nào trong bán kính 5 km" in a["text"]
    assert len(a["agent_ids"]) == 2 and "Đại lý số" in a["text"]
    assert "Thứ Hai đến Thứ Sáu" in a["text"] and re.search(r"điện thoại 024 30\d\d \d{4}\b", a["text"])  # hours, speakable phone
    assert_addresses_citizen_politely(a["text"])
    assert "Vị trí các điểm trên là gần đúng" not in a["text"]  # exact locations carry no caveat


def test_an_old_ward_is_told_which_ward_it_became():
    a = find_agent_answer(text="nhà tôi ở phường Trúc Bạch quận Ba Đình cũ, giờ thuộc phường nào")
    assert a["ward_code"] == "00004" and not a["needs_ward"]
    first = a["text"].split("\n")[0]
    assert "Phường Trúc Bạch" in first and "nay thuộc Phường Ba Đình" in first
    # a ward named by its current name needs no such sentence
    assert "nay thuộc" not in find_agent_answer(text="phường Ba Đình")["text"]
