"""Build the bundled default agent registry (data/agents/default_agents.csv) from the shared data.

No public machine-readable list of Hanoi's online public-service agents, centre branches or
commune one-stop shops exists (see ../shared/data/README.md), so the default registry holds what
the data supports, each with its real location accuracy:

- the 126 commune/ward one-stop shops (``mot_cua_xa``) at the ward's inside point (``ward``);
- the centre's two branches with known (old) addresses (``chi_nhanh``), at their ward's point (``ward``);
- the Hanoi post offices (``buu_dien``) at their candidate new ward's centroid (``ward``); offices
  whose old ward has no new ward are reported and left out, never invented.

Operators replace the whole list with the authoritative one: ``dvcbot agents import FILE.csv``.
Run: ``.venv/bin/python scripts/build_default_agents.py`` (after scripts/import_geo.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routing.gazetteer import Gazetteer  # noqa: E402
from routing.schema import Agent, parse_csv, write_csv  # noqa: E402

GSO_SOURCE = "thanglequoc/vietnamese-provinces-database@cd58063 (GSO)"
POST_SOURCE = "HThanh-how/order-management@58a9379 (danh bạ bưu cục 2024)"
FACTS = "../shared/data/facts/hanoi_centre_vneid_payment_facts.md"

#: the two branches whose (old) addresses are public (facts file, Decision 255/QĐ-TTPVHCC)
BRANCHES = [
    {
        "id": "cn-01",
        "name": "Chi nhánh số 1, Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        "address": "Tòa nhà liên cơ, 258 Võ Chí Công (địa chỉ cũ: phường Xuân La, quận Tây Hồ), Hà Nội",
        "ward_code": "00103",  # Phường Tây Hồ (the facts: "phường Tây Hồ / Xuân La area")
        "source": "https://sieucacuocnews.com/print/471812.html",
    },
    {
        "id": "cn-02",
        "name": "Chi nhánh số 2, Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        "address": "85 Dịch Vọng Hậu (địa chỉ cũ: quận Cầu Giấy), Hà Nội",
        "ward_code": "00166",  # Phường Cầu Giấy (old Dịch Vọng Hậu was split: Cầu Giấy / Nghĩa Đô)
        "source": "https://sieucacuocnews.com/print/471812.html",
    },
]
#: one-stop shop addresses that a public page gives (facts file)
KNOWN_HQ = {
    "00082": ("21 Bà Triệu, phường Cửa Nam, Hà Nội",
              "https://baomoi.net.vn/dien-mao-moi-cua-cac-tru-so-phuong-xa-o-ha-noi-sau-sap-nhap-c52667783.epi"),
    "00070": ("126 Hàng Trống, phường Hoàn Kiếm, Hà Nội",
              "https://baomoi.net.vn/dien-mao-moi-cua-cac-tru-so-phuong-xa-o-ha-noi-sau-sap-nhap-c52667783.epi"),
}
SERVICES_ONE_STOP = ("tiep_nhan_ho_so", "tra_ket_qua", "ho_tro_truc_tuyen", "chung_thuc")
SERVICES_BRANCH = ("tiep_nhan_ho_so", "tra_ket_qua", "ho_tro_truc_tuyen")
SERVICES_POST = ("buu_chinh_cong_ich",)


def one_stop_shops(gaz: Gazetteer) -> list[Agent]:
    out = []
    for w in gaz.wards.values():
        address, source = KNOWN_HQ.get(w.code, (f"Trụ sở Ủy ban nhân dân {w.full_name}, Hà Nội", GSO_SOURCE))
        out.append(Agent(
            id=f"mcx-{w.code}", name=f"Bộ phận một cửa Ủy ban nhân dân {w.full_name}", type="mot_cua_xa",
            address=address, ward_code=w.code, lat=w.rep_lat, lon=w.rep_lon, location_accuracy="ward",
            services=SERVICES_ONE_STOP, source=f"{source}; tọa độ: điểm đại diện của {w.full_name}",
        ))
    return out


def branches(gaz: Gazetteer) -> list[Agent]:
    out = []
    for b in BRANCHES:
        w = gaz.wards[b["ward_code"]]
        out.append(Agent(
            id=b["id"], name=b["name"], type="chi_nhanh", address=b["address"], ward_code=w.code,
            lat=w.rep_lat, lon=w.rep_lon, location_accuracy="ward",
            services=SERVICES_BRANCH, source=f"{b['source']}; tọa độ: điểm đại diện của {w.full_name}",
        ))
    return out


def post_offices(gaz: Gazetteer, path: Path) -> tuple[list[Agent], list[str], int]:
    offices = json.loads(path.read_text(encoding="utf-8"))
    out, unmatched, several = [], [], 0
    for o in tqdm(offices, desc="post offices", unit="office"):
        cands = [c for c in o["new_ward_candidates"] if c["code"] in gaz.wards]
        if not cands:
            unmatched.append(f"{o['code']} {o['name']} ({o['ward']}, {o['district']})")
            continue
        if len(cands) > 1:
            several += 1
        c = cands[0]
        w = gaz.wards[c["code"]]
        lat, lon = float(c["centroid_lat"]), float(c["centroid_lon"])
        if gaz.ward_at(lat, lon) is None:  # a centroid outside every polygon: use the inside point
            lat, lon = w.rep_lat, w.rep_lon
        also = ", ".join(x["name"] for x in cands[1:])
        address = f"{o['detailAddress']} (địa chỉ cũ: {o['ward']}, {o['district']}), Hà Nội"
        note = f"; có thể thuộc {also}" if also else ""
        out.append(Agent(
            id=f"bd-{o['code']}", name=f"Bưu điện {o['name']}", type="buu_dien", address=address,
            ward_code=w.code, lat=lat, lon=lon, location_accuracy="ward", phone=f"0{o['phone']}",
            services=SERVICES_POST,
            source=f"{POST_SOURCE}; tọa độ: tâm {w.full_name}{note}",
        ))
    return out, unmatched, several


PROVENANCE = """# data/agents provenance

`default_agents.csv` is produced by `scripts/build_default_agents.py` from `../shared/data/` and
`data/geo/` (do not edit by hand; operators import the authoritative list instead).

| rows | built from | source (from ../shared/data/README.md) |
|---|---|---|
| {n_shops} `mot_cua_xa` | `data/geo/wards.csv` (ward inside point) | GitHub thanglequoc/vietnamese-provinces-database @cd58063 (MIT; GSO and national GIS server) |
| {n_branches} `chi_nhanh` | `facts/hanoi_centre_vneid_payment_facts.md` (old addresses) | https://sieucacuocnews.com/print/471812.html (Decision 255/QĐ-TTPVHCC) |
| {n_posts} `buu_dien` | `geo/hanoi_post_offices.json` (ward centroid) | GitHub HThanh-how/order-management @58a9379 (2024 directory), joined with the tables above |

Every location is `ward` accuracy: the point is the ward's, not the building's, and answers say so.
Two one-stop shop addresses come from
https://baomoi.net.vn/dien-mao-moi-cua-cac-tru-so-phuong-xa-o-ha-noi-sau-sap-nhap-c52667783.epi.
Post offices whose old ward was split ({n_several}) are placed in the first candidate new ward; the others
are named in the `source` column. Left out ({n_unmatched}, no new ward in the data):
{unmatched}

Not in any public machine-readable source (README of the shared data): the online public-service
agents, the other branches and the 30 reception points. The authoritative list is published at
https://ttpvhcc.hanoi.gov.vn/ and must be imported with `dvcbot agents import FILE.csv`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "agents")
    args = parser.parse_args(argv)
    gaz = Gazetteer(ROOT / "data" / "geo")
    shops, brs = one_stop_shops(gaz), branches(gaz)
    posts, unmatched, several = post_offices(gaz, args.shared / "geo" / "hanoi_post_offices.json")
    agents = shops + brs + posts
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "default_agents.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_csv(agents, fh)
    parse_csv(path.read_bytes(), gaz)  # the bundled file must pass the operators' validation
    (args.out / "PROVENANCE.md").write_text(PROVENANCE.format(
        n_shops=len(shops), n_branches=len(brs), n_posts=len(posts), n_several=several,
        n_unmatched=len(unmatched), unmatched="\n".join(f"- {u}" for u in unmatched) or "- none",
    ), encoding="utf-8")
    print(f"{path}: {len(agents)} agents ({len(shops)} one-stop shops, {len(brs)} branches, "
          f"{len(posts)} post offices; {several} post offices in split wards)")
    for u in unmatched:
        print(f"  unmatched post office (left out): {u}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
