"""Ward gazetteer: free text (new names, old names, old districts) and points → wards."""

from __future__ import annotations

import pytest

from routing.gazetteer import get_gazetteer

CAU_GIAY, NGHIA_DO, SOC_SON, HOAN_KIEM, CUA_NAM = "00166", "00160", "00376", "00070", "00082"


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def test_data_has_the_126_units(gaz):
    assert len(gaz.wards) == 126
    assert sum(w.type == "phuong" for w in gaz.wards.values()) == 51
    assert len(gaz.polygons()) == 126
    assert len(gaz.old_districts) == 30


@pytest.mark.parametrize("text", [
    "phường Cầu Giấy", "P. Cau Giay", "cầu giấy", "CẦU GIẤY", "p.cau giay", "Phuong Cau Giay",
    "số 12 đường Trần Thái Tông, phường Cầu Giấy, Hà Nội", "tôi ở cau giay", "00166",
])
def test_new_ward_names_with_and_without_diacritics(gaz, text):
    res = gaz.resolve(text)
    assert res.ward_code == CAU_GIAY
    assert res.name == "Phường Cầu Giấy"
    assert not res.via_old_name
    assert [w.code for w in res.candidates] == [CAU_GIAY]


@pytest.mark.parametrize("text", ["xa soc son", "xã Sóc Sơn", "Sóc Sơn", "X. soc son 123"])
def test_commune(gaz, text):
    assert gaz.resolve(text).ward_code == SOC_SON


def test_old_district_returns_every_new_ward_that_took_part_of_it(gaz):
    res = gaz.resolve("quận Hoàn Kiếm")
    codes = [w.code for w in res.candidates]
    assert res.ward_code is None and res.ambiguous and res.via_old_name
    assert res.old_name == "Quận Hoàn Kiếm"
    assert codes[0] == HOAN_KIEM  # the new ward of the same name is offered first
    assert {HOAN_KIEM, CUA_NAM} <= set(codes)
    # every candidate is a new ward that the conversion table names for that district
    table = set(gaz.old_districts["002"]["new"])
    assert set(codes) == table


def test_new_ward_wins_over_old_district_of_the_same_name(gaz):
    assert gaz.resolve("Hoàn Kiếm").ward_code == HOAN_KIEM
    assert gaz.resolve("phường Hoàn Kiếm").ward_code == HOAN_KIEM
    assert gaz.resolve("quan hoan kiem").ward_code is None


def test_old_ward_split_between_new_wards_gives_candidates(gaz):
    res = gaz.resolve("phường Dịch Vọng Hậu, quận Cầu Giấy")
    assert res.ward_code is None
    assert {w.code for w in res.candidates} == {CAU_GIAY, NGHIA_DO}
    assert res.via_old_name and "Dịch Vọng Hậu" in res.old_name


def test_old_ward_merged_whole_resolves_to_one_ward(gaz):
    res = gaz.resolve("phường Trúc Bạch")
    assert res.ward_code == "00004" and res.via_old_name
    assert res.old_name.startswith("Phường Trúc Bạch")


def test_old_district_narrows_an_old_ward_name_used_in_several_districts(gaz):
    everywhere = gaz.resolve("phường Minh Khai")
    narrowed = gaz.resolve("phuong minh khai quan hai ba trung")
    assert len(narrowed.candidates) < len(everywhere.candidates)
    districts = {gaz.old_wards[c]["district"] for c in gaz.old_wards if gaz.old_wards[c]["name"] == "Phường Minh Khai"}
    assert len(districts) == 2
    assert narrowed.old_name == "Phường Minh Khai, Quận Hai Bà Trưng"


@pytest.mark.parametrize("text", ["", "   ", "hôm nay trời đẹp", "tôi muốn làm căn cước", "làng tôi", "mua bưởi",
                                  "12345", "!!!"])
def test_text_without_a_ward(gaz, text):
    res = gaz.resolve(text)
    assert not res.found and res.ward_code is None and res.candidates == []


def test_one_word_names_need_a_unit_word_and_matching_diacritics(gaz):
    assert gaz.resolve("phường Láng").ward_code == "00199"
    assert gaz.resolve("p lang").ward_code == "00199"
    assert not gaz.resolve("phường làng").found


def test_street_named_like_a_ward_loses_to_the_ward(gaz):
    res = gaz.resolve("số 5 đường Cầu Giấy, phường Nghĩa Đô")
    assert res.ward_code == NGHIA_DO


def test_find_in_text_gives_offsets_on_the_original_text(gaz):
    text = "tôi ở phường dịch vọng hậu muốn tìm chỗ làm căn cước"
    value, start, end = gaz.find_in_text(text)
    assert text[start:end] == "phường dịch vọng hậu"
    assert set(value) == {CAU_GIAY, NGHIA_DO}
    value, start, end = gaz.find_in_text("Cho hỏi ở P. Cầu Giấy có chỗ nào không")
    assert value == CAU_GIAY
    assert "Cho hỏi ở P. Cầu Giấy có chỗ nào không"[start:end] == "P. Cầu Giấy"
    assert gaz.find_in_text("cảm ơn nhé") is None


def test_point_in_polygon(gaz):
    for w in gaz.wards.values():  # every ward's inside point lies in that ward
        assert gaz.ward_at(w.rep_lat, w.rep_lon).code == w.code
    assert gaz.ward_at(21.0285, 105.8542).code == HOAN_KIEM  # Hoàn Kiếm lake
    assert gaz.ward_at(10.7769, 106.7009) is None  # Hồ Chí Minh City
    assert not gaz.near_hanoi(10.7769, 106.7009)
    assert gaz.near_hanoi(21.0285, 105.8542)


def test_every_new_ward_resolves_from_its_full_name_with_and_without_diacritics(gaz):
    from dvcbot.textnorm import strip_accents

    for w in gaz.wards.values():
        assert gaz.resolve(w.full_name).ward_code == w.code, w.full_name
        assert gaz.resolve(strip_accents(w.full_name).lower()).ward_code == w.code, w.full_name


def test_every_old_district_resolves_through_the_table(gaz):
    for od in gaz.old_districts.values():
        res = gaz.resolve(od["name"])
        assert res.via_old_name and {w.code for w in res.candidates} == set(od["new"]), od["name"]


@pytest.mark.parametrize("text,expected", [
    ("X. Sóc Sơn", {SOC_SON}),
    ("TT. Văn Điển, H. Thanh Trì", {"00337", "00640", "00664"}),
    ("phường mỹ đình hai", {CAU_GIAY, "00592"}),  # voice: digits spoken as words
    ("my dinh 2", {CAU_GIAY, "00592"}),
])
def test_abbreviated_units_and_spoken_digits(gaz, text, expected):
    assert {w.code for w in gaz.resolve(text).candidates} == expected


def test_every_old_ward_with_its_district_resolves_through_the_table(gaz):
    """All 526 old wards except those spelled like a new ward (the new unit wins, by design)."""
    import re

    from dvcbot.textnorm import strip_accents

    new_names = {strip_accents(w.name).lower() for w in gaz.wards.values()}
    checked = 0
    for ow in gaz.old_wards.values():
        if strip_accents(re.sub(r"^(Phường|Xã|Thị trấn)\s+", "", ow["name"])).lower() in new_names:
            continue
        want = {code for code, _merge in ow["new"]}
        for text in (f"{ow['name']}, {ow['district']}", strip_accents(f"{ow['name']} {ow['district']}").lower()):
            res = gaz.resolve(text)
            assert res.via_old_name and {w.code for w in res.candidates} == want, text
            assert (res.ward_code is None) == (len(want) > 1)
        checked += 1
    assert checked > 400


# ---------------------------------------------------------------- an old ward with its old district
# Official table rows (data/geo/old_to_new.csv) used below:
#   Phường Yên Hòa, Quận Cầu Giấy  → Phường Yên Hòa 00175 + Phường Cầu Giấy 00166 (split)
#   Phường Láng Hạ, Quận Đống Đa   → Giảng Võ 00025 + Láng 00199 + Đống Đa 00235 (split)
#   Phường Phúc Xá, Quận Ba Đình   → Phường Hồng Hà 00097
#   Phường Chương Dương, Quận Hoàn Kiếm → Phường Hồng Hà 00097; Xã Chương Dương, Huyện Thường Tín →
#   Xã Chương Dương 10237
#   Xã Tam Hiệp, Huyện Phúc Thọ → Xã Hát Môn 09772; Xã Tam Hiệp, Huyện Thanh Trì → Hoàng Liệt 00337
#   + Đại Thanh 00664
#   Xã Phù Linh, Huyện Sóc Sơn → Xã Sóc Sơn 00376
YEN_HOA, HONG_HA = "00175", "00097"


def _table(gaz, old_name: str, district: str) -> list[str]:
    rows = [ow for ow in gaz.old_wards.values() if ow["name"] == old_name and ow["district"] == district]
    assert len(rows) == 1
    return [code for code, _merge in rows[0]["new"]]


@pytest.mark.parametrize("text,old,district,expected", [
    # the district's name is also a new ward's name (Cầu Giấy, Đống Đa, Ba Đình, Hoàn Kiếm, Sóc Sơn)
    ("phường Yên Hòa quận Cầu Giấy", "Phường Yên Hòa", "Quận Cầu Giấy", [YEN_HOA, CAU_GIAY]),
    ("phuong yen hoa, cau giay", "Phường Yên Hòa", "Quận Cầu Giấy", [YEN_HOA, CAU_GIAY]),
    ("quận Cầu Giấy, phường Yên Hòa", "Phường Yên Hòa", "Quận Cầu Giấy", [YEN_HOA, CAU_GIAY]),
    ("phường Láng Hạ, Đống Đa", "Phường Láng Hạ", "Quận Đống Đa", ["00025", "00199", "00235"]),
    ("Láng Hạ Đống Đa", "Phường Láng Hạ", "Quận Đống Đa", ["00025", "00199", "00235"]),
    ("Phúc Xá Ba Đình", "Phường Phúc Xá", "Quận Ba Đình", [HONG_HA]),
    ("xã Phù Linh huyện Sóc Sơn", "Xã Phù Linh", "Huyện Sóc Sơn", [SOC_SON]),
    # the same old name in two districts: the district decides
    ("phường Chương Dương, Hoàn Kiếm", "Phường Chương Dương", "Quận Hoàn Kiếm", [HONG_HA]),
    ("Chương Dương Hoàn Kiếm", "Phường Chương Dương", "Quận Hoàn Kiếm", [HONG_HA]),
    ("xã Chương Dương huyện Thường Tín", "Xã Chương Dương", "Huyện Thường Tín", ["10237"]),
    ("xã Tam Hiệp huyện Phúc Thọ", "Xã Tam Hiệp", "Huyện Phúc Thọ", ["09772"]),
    ("xa tam hiep thanh tri", "Xã Tam Hiệp", "Huyện Thanh Trì", ["00337", "00664"]),
])
def test_old_ward_with_its_old_district_is_the_table_match(gaz, text, old, district, expected):
    res = gaz.resolve(text)
    codes = [w.code for w in res.candidates]
    assert set(codes) == set(_table(gaz, old, district)) == set(expected), text
    assert codes[0] == expected[0]  # a new ward that kept the old name comes first
    assert res.via_old_name and res.old_name == f"{old}, {district}"  # said as the old unit's successor
    assert res.ward_code == (expected[0] if len(expected) == 1 else None)


def test_pair_mention_spans_ward_and_district(gaz):
    text = "tôi ở phường Láng Hạ, Đống Đa muốn làm căn cước"
    value, start, end = gaz.find_in_text(text)
    assert text[start:end] == "phường Láng Hạ, Đống Đa"
    assert set(value) == {"00025", "00199", "00235"}
    value, _s, _e = gaz.find_in_text("nhà tôi ở phường Phúc Xá quận Ba Đình cũ")
    assert value == HONG_HA


def test_without_its_district_a_new_name_stays_the_new_ward(gaz):
    assert gaz.resolve("phường Yên Hòa").ward_code == YEN_HOA
    assert gaz.resolve("phường Cầu Giấy").ward_code == CAU_GIAY
    assert gaz.resolve("xã Chương Dương").ward_code == "10237"
    # a new ward named after another, not right after it and without "quận": no pair
    assert gaz.resolve("tôi ở Cầu Giấy, gần Nghĩa Đô").ward_code == CAU_GIAY
    # "phường X" before the other name makes it a new ward, not an old district
    assert gaz.resolve("phường Nghĩa Đô, phường Cầu Giấy").ward_code == NGHIA_DO


def test_every_old_ward_with_its_district_in_everyday_forms(gaz):
    """All old wards (new-spelled ones too), district with or without its unit word, no diacritics."""
    import re

    from dvcbot.textnorm import strip_accents

    unit = re.compile(r"^(Phường|Xã|Thị trấn|Quận|Huyện|Thị xã)\s+")
    checked = 0
    for ow in gaz.old_wards.values():
        same = [o for o in gaz.old_wards.values() if o["district_code"] == ow["district_code"]
                and strip_accents(unit.sub("", o["name"])) == strip_accents(unit.sub("", ow["name"]))]
        if len(same) > 1:  # Thị trấn and Xã Yên Viên, both in Gia Lâm: the unit word decides, both → Phù Đổng
            continue
        want = {code for code, _merge in ow["new"]}
        district = unit.sub("", ow["district"])
        for text in (f"{ow['name']} {ow['district']}", f"{ow['name']}, {district}",
                     strip_accents(f"{ow['name']} {district}").lower()):
            res = gaz.resolve(text)
            assert res.via_old_name and {w.code for w in res.candidates} == want, text
        checked += 1
    assert checked > 500
