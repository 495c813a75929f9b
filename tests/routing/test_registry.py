"""Agent registry on SQLite and PostgreSQL: seeding, CSV validation, all-or-nothing import, round trip."""

from __future__ import annotations

import io

import pytest

from dvcbot.settings import get_settings
from routing.gazetteer import get_gazetteer
from routing.registry import AgentRegistry
from routing.schema import CsvError, parse_csv, write_csv
from tests.routing.helpers import synthetic_rows, to_csv


def test_seeds_itself_from_the_bundled_default_once(registry, db_url):
    default = parse_csv((get_settings().data_dir / "agents" / "default_agents.csv").read_bytes(), get_gazetteer())
    assert registry.count() == len(default) >= 126 + 2
    types = {a.type for a in registry.all()}
    assert {"mot_cua_xa", "chi_nhanh", "buu_dien"} <= types
    assert all(a.location_accuracy == "ward" for a in registry.all())
    assert sum(a.type == "mot_cua_xa" for a in registry.all()) == 126
    version = registry.version()
    again = AgentRegistry(db_url)  # a second process opening the same database does not re-seed
    assert again.count() == registry.count() and again.version() == version
    assert not again.ensure_seeded()


def test_import_replaces_and_is_idempotent(registry):
    text = to_csv(synthetic_rows(40))
    report = registry.import_csv(text)
    assert (report.added, report.removed) == (40, registry_default_size())
    assert registry.count() == 40
    version = registry.version()
    again = registry.import_csv(text.encode("utf-8"))
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 40)
    assert registry.version() == version  # nothing changed, nothing to rebuild


def registry_default_size() -> int:
    return len(parse_csv((get_settings().data_dir / "agents" / "default_agents.csv").read_bytes(), get_gazetteer()))


def test_merge_keeps_agents_absent_from_the_file(registry):
    rows = synthetic_rows(5)
    registry.import_csv(to_csv(rows))
    rows[0]["name"] = "Tên mới"
    extra = synthetic_rows(7)[5:]
    report = registry.import_csv(to_csv([rows[0], *extra]), replace=False)
    assert (report.added, report.updated, report.removed, report.unchanged) == (2, 1, 0, 0)
    assert registry.count() == 7
    assert registry.get(rows[0]["id"]).name == "Tên mới"


def test_export_round_trip(registry):
    rows = synthetic_rows(25)
    registry.import_csv(to_csv(rows))
    buf = io.StringIO()
    write_csv(registry.all(), buf)
    exported = buf.getvalue()
    assert parse_csv(exported, get_gazetteer()) == sorted(registry.all(), key=lambda a: a.id)
    report = registry.import_csv(exported)
    assert not report.changed and report.unchanged == 25
    # and the bundled default file is itself an export of its registry
    fresh = io.StringIO()
    write_csv(parse_csv((get_settings().data_dir / "agents" / "default_agents.csv").read_bytes(), get_gazetteer()),
              fresh)
    assert fresh.getvalue() == (get_settings().data_dir / "agents" / "default_agents.csv").read_text("utf-8")


def test_every_bad_row_is_reported_and_nothing_is_imported(registry):
    before = registry.all()
    rows = synthetic_rows(8)
    rows[1]["name"] = ""  # line 3: missing field
    rows[2]["lat"], rows[2]["lon"] = "10.7769", "106.7009"  # line 4: Hồ Chí Minh City
    rows[3]["ward_code"] = "99999"  # line 5: unknown ward
    rows[4]["id"] = rows[0]["id"]  # line 6: duplicate of line 2
    rows[5]["lat"] = "hai mươi mốt"  # line 7: not a number
    rows[6]["type"] = "quan_ca_phe"  # line 8: unknown type
    rows[7]["location_accuracy"] = "approx"  # line 9
    with pytest.raises(CsvError) as err:
        registry.import_csv(to_csv(rows))
    got = {(e.line, e.code) for e in err.value.errors}
    assert got == {(3, "missing_field"), (4, "outside_hanoi"), (5, "unknown_ward"), (6, "duplicate_id"),
                   (7, "bad_number"), (8, "unknown_type"), (9, "unknown_accuracy")}
    message = str(err.value)
    assert "dòng 6" in message and "dòng 2" in message  # the duplicate names the first occurrence
    assert registry.all() == before


def test_wrong_columns_and_encoding_are_clear_errors(registry):
    before = registry.count()
    rows = synthetic_rows(2)
    with pytest.raises(CsvError) as err:
        registry.import_csv(to_csv(rows, columns=["id", "name", "type", "address", "lat", "lon"]))
    assert err.value.errors[0].code == "missing_columns"
    assert "ward_code" in str(err.value) and "location_accuracy" in str(err.value)
    with pytest.raises(CsvError) as err:
        registry.import_csv(to_csv(rows).replace("source", "nguon"))
    assert err.value.errors[0].code == "unknown_columns"
    with pytest.raises(CsvError) as err:
        registry.import_csv(to_csv(rows).encode("cp1258", errors="replace") + "Đại lý".encode("utf-16-le"))
    assert err.value.errors[0].code == "bad_encoding" and "UTF-8" in str(err.value)
    with pytest.raises(CsvError) as err:
        registry.import_csv(b"")
    assert err.value.errors[0].code == "empty_file"
    with pytest.raises(CsvError) as err:
        registry.import_csv(to_csv([]))
    assert err.value.errors[0].code == "no_rows"
    assert registry.count() == before


def test_semicolon_separated_file_with_bom_is_accepted(registry):
    text = to_csv(synthetic_rows(3)).replace(",", ";")
    with pytest.raises(CsvError):  # services also use ";": a ;-separated file must quote them
        registry.import_csv(("\ufeff" + text).encode("utf-8"))
    rows = synthetic_rows(3)
    for r in rows:
        r["services"] = r["services"].replace(";", "|")
    good = "\ufeff" + to_csv(rows).replace(",", ";")
    report = registry.import_csv(good.encode("utf-8"))
    assert report.added == 3
    assert all(a.services for a in registry.all())


def test_paged_listing_with_filters(registry):
    registry.import_csv(to_csv(synthetic_rows(60)))
    everyone = registry.all()
    items, total = registry.page(page=2, size=25)
    assert total == 60 and [a.id for a in items] == [a.id for a in everyone[25:50]]
    items, total = registry.page(page=1, size=100, types=["dai_ly"])
    assert total == sum(a.type == "dai_ly" for a in everyone) and all(a.type == "dai_ly" for a in items)
    items, total = registry.page(page=1, size=100, service="chung_thuc")
    assert total == sum("chung_thuc" in a.services for a in everyone) > 0
    ward = everyone[0].ward_code
    items, total = registry.page(page=1, size=100, ward_codes=[ward])
    assert total == sum(a.ward_code == ward for a in everyone) and all(a.ward_code == ward for a in items)
