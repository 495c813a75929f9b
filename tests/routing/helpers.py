"""Test data builders shared by the routing tests."""

from __future__ import annotations

import csv
import io
import random

from routing.gazetteer import get_gazetteer
from routing.schema import COLUMNS


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` valid registry rows scattered around the wards' inside points (all types, some services)."""
    rnd = random.Random(seed)
    wards = list(get_gazetteer().wards.values())
    types = ["dai_ly", "chi_nhanh", "diem_tiep_nhan", "mot_cua_xa", "buu_dien"]
    services = ["tiep_nhan_ho_so", "ho_tro_truc_tuyen", "chung_thuc", "buu_chinh_cong_ich"]
    rows = []
    for i in range(n):
        w = rnd.choice(wards)
        rows.append({
            "id": f"syn-{i:05d}", "name": f"Đại lý số {i}", "type": rnd.choice(types),
            "address": f"Số {i} phố Thử, {w.full_name}", "ward_code": w.code,
            "lat": f"{w.rep_lat + rnd.uniform(-0.002, 0.002):.6f}",
            "lon": f"{w.rep_lon + rnd.uniform(-0.002, 0.002):.6f}",
            "location_accuracy": rnd.choice(["exact", "ward"]), "phone": f"0243{i:07d}",
            "opening_hours": "Thứ Hai đến Thứ Sáu, 8 giờ đến 17 giờ",
            "services": ";".join(rnd.sample(services, rnd.randint(1, 2))), "source": "test",
        })
    return rows


def to_csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns or COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
