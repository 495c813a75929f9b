"""Nearest agents and coverage against brute force, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

import pytest

from routing.gazetteer import get_gazetteer
from routing.geoindex import GeoIndex, haversine_km
from routing.schema import RADIUS_KM
from routing.service import InvalidQuery, RoutingService
from tests.routing.helpers import synthetic_rows, to_csv


@pytest.fixture(scope="module")
def sqlite_service(tmp_path_factory):
    """Input validation does not depend on the database: one SQLite registry is enough."""
    from dvcbot.db import upgrade
    from routing.registry import AgentRegistry

    url = f"sqlite:///{tmp_path_factory.mktemp('v') / 'r.db'}"
    upgrade(url)
    return RoutingService(AgentRegistry(url))


def brute_force(agents, lat, lon, k, accept=lambda a: True):
    scored = sorted((haversine_km(lat, lon, a.lat, a.lon), a.id) for a in agents if accept(a))
    return scored[:k]


def test_geoindex_matches_brute_force_with_random_points():
    rnd = random.Random(3)
    pts = [(rnd.uniform(20.5, 21.4), rnd.uniform(105.3, 106.0)) for _ in range(3000)]
    index = GeoIndex(list(range(len(pts))), [p[0] for p in pts], [p[1] for p in pts])
    for _ in range(50):
        lat, lon = rnd.uniform(20.5, 21.4), rnd.uniform(105.3, 106.0)
        got = index.nearest(lat, lon, 5)
        want = sorted((haversine_km(lat, lon, *pts[i]), i) for i in range(len(pts)))[:5]
        assert [i for i, _ in got] == [i for _, i in want]
        for (_, d_got), (d_want, _) in zip(got, want, strict=True):
            assert d_got == pytest.approx(d_want, abs=1e-6)
        odd = index.nearest(lat, lon, 3, accept=lambda i: i % 7 == 0)
        assert [i for i, _ in odd] == [i for _, i in [w for w in sorted(
            (haversine_km(lat, lon, *pts[i]), i) for i in range(len(pts)) if i % 7 == 0)][:3]]
    assert GeoIndex([], [], []).nearest(21, 105.8, 3) == []


def test_nearest_by_point_with_filters_matches_brute_force(service, registry):
    registry.import_csv(to_csv(synthetic_rows(400)))
    service.reload()
    agents = registry.all()
    rnd = random.Random(11)
    for _ in range(25):
        lat, lon = rnd.uniform(20.7, 21.3), rnd.uniform(105.5, 105.95)
        result = service.nearest(lat, lon, k=4)
        want = brute_force(agents, lat, lon, 4)
        assert [h.agent.id for h in result.hits] == [i for _, i in want]
        assert [h.within_radius for h in result.hits] == [d <= RADIUS_KM for d, _ in want]
        typed = service.nearest(lat, lon, k=3, types=["dai_ly", "chi_nhanh"], services=["chung_thuc"])
        want = brute_force(agents, lat, lon, 3,
                           lambda a: a.type in ("dai_ly", "chi_nhanh") and "chung_thuc" in a.services)
        assert [h.agent.id for h in typed.hits] == [i for _, i in want]
    first = service.nearest(21.03, 105.85, k=2)
    more = service.nearest(21.03, 105.85, k=2, exclude_ids=[h.agent.id for h in first.hits])
    assert not {h.agent.id for h in first.hits} & {h.agent.id for h in more.hits}
    assert more.hits[0].distance_km >= first.hits[-1].distance_km


def test_nearest_by_text_starts_from_the_wards_inside_point(service):
    result = service.nearest_by_text("P. Cau Giay", k=3)
    ward = get_gazetteer().wards["00166"]
    assert result.origin_kind == "ward" and (result.origin_lat, result.origin_lon) == (ward.rep_lat, ward.rep_lon)
    assert result.hits[0].agent.ward_code == "00166" and result.any_within
    ambiguous = service.nearest_by_text("phường Dịch Vọng Hậu, quận Cầu Giấy")
    assert ambiguous.hits == [] and ambiguous.resolution.ambiguous
    nothing = service.nearest_by_text("xin chào")
    assert nothing.hits == [] and not nothing.resolution.found


def test_far_point_has_nothing_within_5_km_but_still_gets_the_nearest(service):
    result = service.nearest(20.0, 105.0, k=3)  # ~100 km south-west of Hanoi
    assert len(result.hits) == 3 and not result.any_within
    assert all(h.distance_km > RADIUS_KM for h in result.hits)


@pytest.mark.parametrize("lat,lon,key", [
    ("abc", 105.8, "invalid_coordinates"), (95, 105.8, "lat_out_of_range"), (21, 181, "lon_out_of_range"),
    (float("nan"), 105.8, "invalid_coordinates"), (None, 105.8, "invalid_coordinates"),
])
def test_bad_points_are_rejected(sqlite_service, lat, lon, key):
    with pytest.raises(InvalidQuery) as err:
        sqlite_service.nearest(lat, lon)
    assert err.value.key == key


def test_bad_k_and_type_are_rejected(sqlite_service):
    for k in (0, 21, "x"):
        with pytest.raises(InvalidQuery):
            sqlite_service.nearest(21.0, 105.8, k=k)
    with pytest.raises(InvalidQuery) as err:
        sqlite_service.nearest(21.0, 105.8, types=["quan_ca_phe"])
    assert err.value.key == "unknown_type"


def test_coverage_matches_brute_force_and_lists_uncovered_wards(service, registry):
    gaz = get_gazetteer()
    # only a handful of agents in the centre: the outer communes are uncovered
    rows = [r for r in synthetic_rows(600) if r["ward_code"] in {"00004", "00070", "00166", "00082"}][:6]
    registry.import_csv(to_csv(rows))
    service.reload()
    agents = registry.all()
    cov = service.coverage()
    assert len(cov.wards) == 126
    for wc in cov.wards:
        d, agent_id = brute_force(agents, wc.ward.rep_lat, wc.ward.rep_lon, 1)[0]
        assert wc.distance_km == pytest.approx(d, abs=1e-6) and wc.nearest_agent_id == agent_id
        assert wc.covered == (d <= RADIUS_KM)
    uncovered = {w.ward.code for w in cov.uncovered}
    assert "00376" in uncovered  # xã Sóc Sơn is far from the centre
    assert "00070" not in uncovered
    data = cov.to_dict()
    assert data["wards_total"] == 126 and data["wards_covered"] == 126 - len(uncovered)
    assert [w["code"] for w in data["uncovered"]][0] == max(cov.uncovered, key=lambda w: w.distance_km).ward.code
    assert gaz.wards["00376"].full_name in {w["name"] for w in data["uncovered"]}


def test_default_registry_covers_every_ward(service):
    cov = service.coverage()
    assert not cov.uncovered  # every ward has its one-stop shop at its inside point


def test_index_follows_an_import_in_another_process(registry, db_url):
    from routing.registry import AgentRegistry

    service = RoutingService(registry, refresh_seconds=0)
    other = AgentRegistry(db_url)  # stands for the CLI in another process
    other.import_csv(to_csv(synthetic_rows(10)))
    assert {a.id for a in service.agents} == {a.id for a in other.all()}
