"""Import the Hanoi ward gazetteer from ../shared/data/geo into committed project data (data/geo/).

Writes:
- ``data/geo/wards.csv``        the 126 wards/communes of the two-level government (GSO code, name,
                                 type, centroid, a point inside the polygon, bbox, area)
- ``data/geo/wards.geojson``    their polygons (WGS84, coordinates rounded to 6 decimals, about 0.1 m)
- ``data/geo/old_to_new.csv``   the official conversion table old ward (+ old district) → new ward
- ``data/geo/PROVENANCE.md``    where each file comes from

Run: ``.venv/bin/python scripts/import_geo.py [--shared ../shared/data]``. Only scripts read ../shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
HANOI = "01"
HANOI_ROW = "Thành phố Hà Nội (01)"

PROVENANCE = """# data/geo provenance

Produced by `scripts/import_geo.py` from `../shared/data/geo/` (do not edit by hand; re-run the script).

| file | derived from | source (from ../shared/data/README.md) |
|---|---|---|
| `wards.csv` | `vn_units_2025.csv`, Hanoi rows (province 01, level ward) | GitHub thanglequoc/vietnamese-provinces-database @cd58063 (MIT; data from GSO and the national GIS server); centroids computed from its polygons |
| `wards.geojson` | `hanoi_wards_2025.geojson` (coordinates rounded to 6 decimals) | same repo, `json/geojson/01_ha_noi/wards/*` merged |
| `old_to_new.csv` | `old_to_new_communes_2025.csv`, rows of `Thành phố Hà Nội (01)` | GitHub sunshine-tech/VietnamProvinces @809e91b, `dev/seed-data/2025-07/` (government table) |

Checked against `vn_units_pre2025.json` (thanglequoc/vietnamese-provinces-database tag v2.4.1):
{check}

Caveats: the two-level units are those in force from 1/7/2025 (with the 2026 changes). `merge` is
`full` ("Nhập toàn bộ") or `partial` ("Nhập một phần"): an old ward merged partially into several new
wards is ambiguous, and the bot asks which new ward is meant. Old codes and new codes share the same
numbering space (old "Phường Hàng Trống" 00070 is not new "Phường Hoàn Kiếm" 00070): never mix them.
"""


def _round_coords(obj):
    if isinstance(obj, list):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), 6) for v in obj]
        return [_round_coords(v) for v in obj]
    return obj


def import_wards(shared: Path, out: Path) -> list[dict]:
    wards = []
    with open(shared / "vn_units_2025.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["province_code"] != HANOI or row["level"] != "ward":
                continue
            wards.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "full_name": row["full_name"],
                    "type": "phuong" if row["admin_unit"] == "Phường" else "xa",
                    "centroid_lat": row["centroid_lat"],
                    "centroid_lon": row["centroid_lon"],
                    "rep_lat": row["rep_point_lat"],
                    "rep_lon": row["rep_point_lon"],
                    "bbox_min_lon": row["bbox_min_lon"],
                    "bbox_min_lat": row["bbox_min_lat"],
                    "bbox_max_lon": row["bbox_max_lon"],
                    "bbox_max_lat": row["bbox_max_lat"],
                    "area_km2": row["area_km2"],
                }
            )
    wards.sort(key=lambda w: w["code"])
    with open(out / "wards.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(wards[0]))
        writer.writeheader()
        writer.writerows(wards)
    return wards


def import_polygons(shared: Path, out: Path, wards: list[dict]) -> int:
    by_code = {w["code"]: w for w in wards}
    src = json.loads((shared / "hanoi_wards_2025.geojson").read_text(encoding="utf-8"))
    features = []
    for feat in tqdm(src["features"], desc="polygons", unit="ward"):
        code = feat["properties"]["code"]
        ward = by_code.get(code)
        if ward is None:
            print(f"  polygon {code} has no ward row: skipped", file=sys.stderr)
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name": ward["name"],
                    "full_name": ward["full_name"],
                    "type": ward["type"],
                    "area_km2": float(ward["area_km2"]),
                },
                "geometry": {
                    "type": feat["geometry"]["type"],
                    "coordinates": _round_coords(feat["geometry"]["coordinates"]),
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    missing = set(by_code) - {f["properties"]["code"] for f in features}
    if missing:
        raise SystemExit(f"wards without a polygon: {sorted(missing)}")
    fc = {"type": "FeatureCollection", "features": features}
    (out / "wards.geojson").write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(features)


_CODE_IN_PARENS = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")


def import_old_to_new(shared: Path, out: Path, wards: list[dict]) -> list[dict]:
    new_codes = {w["code"] for w in wards}
    rows = []
    with open(shared / "old_to_new_communes_2025.csv", encoding="utf-8") as fh:
        for r in csv.reader(fh):
            if len(r) < 8 or r[0].strip() != HANOI_ROW:
                continue
            m = _CODE_IN_PARENS.match(r[6].strip())
            if not m:
                raise SystemExit(f"cannot read the old district in {r}")
            note = " ".join(r[5].split()).lower()
            new_code = r[2].strip()
            if new_code not in new_codes:
                raise SystemExit(f"unknown new ward code {new_code} in {r}")
            rows.append(
                {
                    "old_code": r[4].strip(),
                    "old_name": " ".join(r[3].split()),
                    "old_district_code": m.group(2),
                    "old_district": m.group(1),
                    "new_code": new_code,
                    "new_name": " ".join(r[1].split()),
                    "merge": "full" if note.startswith("nhập toàn bộ") else "partial",
                }
            )
    rows.sort(key=lambda x: (x["old_district_code"], x["old_code"], x["new_code"]))
    with open(out / "old_to_new.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def check_against_pre2025(shared: Path, rows: list[dict]) -> str:
    pre = json.loads((shared / "vn_units_pre2025.json").read_text(encoding="utf-8"))
    hanoi = next(p for p in pre if p["Code"] == HANOI)
    old_codes = {w["Code"] for d in hanoi["District"] for w in d["Ward"]}
    table = {r["old_code"] for r in rows}
    lines = [
        f"- old units file: {len(hanoi['District'])} districts, {len(old_codes)} wards",
        f"- conversion table: {len({r['old_district_code'] for r in rows})} districts, {len(table)} old wards, "
        f"{len(rows)} rows",
        f"- old wards missing from the table: {len(old_codes - table)}; in the table but not in the old units: "
        f"{len(table - old_codes)}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "geo")
    args = parser.parse_args(argv)
    shared = args.shared / "geo"
    args.out.mkdir(parents=True, exist_ok=True)
    wards = import_wards(shared, args.out)
    n_poly = import_polygons(shared, args.out, wards)
    rows = import_old_to_new(shared, args.out, wards)
    check = check_against_pre2025(shared, rows)
    (args.out / "PROVENANCE.md").write_text(PROVENANCE.format(check=check), encoding="utf-8")
    print(f"wards: {len(wards)} ({sum(w['type'] == 'phuong' for w in wards)} phường), polygons: {n_poly}")
    print(check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
