"""The keypad ward choice after option 4 (voice/wardpad.py): steps, pages, the payload sent."""

from __future__ import annotations

import json

from voice import wardpad
from voice.wardpad import WardKeypad, districts


def test_districts_cover_the_old_city_with_their_new_wards():
    all_d = districts()
    assert len(all_d) == 30
    assert sum(d.urban for d in all_d) == 12  # the twelve old quận
    ba_dinh = next(d for d in all_d if d.short == "Ba Đình")
    assert ba_dinh.urban and "Phường Ngọc Hà" in ba_dinh.wards[:4]
    assert next(d for d in all_d if d.name == "Thị Xã Sơn Tây").short == "Sơn Tây"
    assert all(1 <= len(d.wards) for d in all_d)


def test_area_then_district_pages_then_ward_gives_the_routing_payload():
    pad = WardKeypad()
    assert pad.prompt() == wardpad.OFFER
    said, payload = pad.press("1")
    assert said.startswith(wardpad.ASK_DISTRICT) and "Ba Đình, bấm phím 1" in said and "nghe tiếp, bấm phím 9" in said
    assert payload is None
    said, _ = pad.press("9")  # the second page of the urban districts
    assert said.startswith("Thanh Xuân, bấm phím 1") and "nghe tiếp" not in said
    said, _ = pad.press("7")  # only four on this page
    assert said.startswith(wardpad.NOT_A_CHOICE)
    said, _ = pad.press("2")
    assert said.startswith("Các phường, xã mới thuộc Quận Nam Từ Liêm cũ:")
    first = next(d for d in districts() if d.short == "Nam Từ Liêm").wards[0]
    said, payload = pad.press("1")
    assert first in said
    assert payload.startswith("/find_agent") and json.loads(payload[len("/find_agent"):]) == {"ward": first}


def test_rural_and_wrong_keys():
    pad = WardKeypad()
    said, _ = pad.press("5")
    assert said == wardpad.NOT_A_CHOICE + " " + wardpad.OFFER
    said, _ = pad.press("2")
    assert "Sóc Sơn, bấm phím 1" in said and "Ba Đình" not in said
    said, _ = pad.press("#")
    assert said.startswith(wardpad.NOT_A_CHOICE)
