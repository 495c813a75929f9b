"""The agent registry's CSV schema, its validation, and the ``Agent`` record.

The schema is documented for operators in ``data/agents/README.md``. A file is validated as a
whole: every bad row is reported with its line number and reason, and a file with any error
imports nothing (the caller gets :class:`CsvError` with the full list).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import IO, Any

COLUMNS = [
    "id", "name", "type", "address", "ward_code", "lat", "lon", "location_accuracy",
    "phone", "opening_hours", "services", "source",
]
REQUIRED = ["id", "name", "type", "address", "ward_code", "lat", "lon", "location_accuracy"]

#: agent types and how the bot and the map name them (the one list: the API serves it to the map)
TYPES: dict[str, str] = {
    "dai_ly": "Đại lý dịch vụ công trực tuyến",
    "chi_nhanh": "Chi nhánh Trung tâm Phục vụ hành chính công",
    "diem_tiep_nhan": "Điểm tiếp nhận",
    "mot_cua_xa": "Bộ phận một cửa phường, xã",
    "buu_dien": "Bưu điện",
}
#: service keys an agent may list, and how the map names them (other keys are allowed)
SERVICES: dict[str, str] = {
    "tiep_nhan_ho_so": "tiếp nhận hồ sơ",
    "tra_ket_qua": "trả kết quả",
    "ho_tro_truc_tuyen": "hướng dẫn nộp hồ sơ trực tuyến",
    "chung_thuc": "chứng thực",
    "buu_chinh_cong_ich": "nhận và trả hồ sơ qua bưu chính công ích",
}
#: an agent within this distance (km, straight line) of a ward's inside point covers the ward;
#: answers say when none lies within it
RADIUS_KM = 5.0
#: ``exact``: the building's coordinates; ``ward``: the ward's point (the answer says it is approximate)
ACCURACIES = ("exact", "ward")
SERVICE_SEPARATOR = ";"
MAX_ID_LEN = 64


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    type: str
    address: str
    ward_code: str
    lat: float
    lon: float
    location_accuracy: str
    phone: str = ""
    opening_hours: str = ""
    services: tuple[str, ...] = ()
    source: str = ""

    @property
    def approximate(self) -> bool:
        return self.location_accuracy != "exact"

    def to_row(self) -> dict[str, str]:
        """The CSV row (strings), in the schema's column order."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "address": self.address,
            "ward_code": self.ward_code,
            "lat": f"{self.lat:.6f}",
            "lon": f"{self.lon:.6f}",
            "location_accuracy": self.location_accuracy,
            "phone": self.phone,
            "opening_hours": self.opening_hours,
            "services": SERVICE_SEPARATOR.join(self.services),
            "source": self.source,
        }

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = self.to_row()
        d["lat"], d["lon"], d["services"] = self.lat, self.lon, list(self.services)
        d["type_label"] = TYPES.get(self.type, self.type)
        return d


@dataclass(frozen=True)
class RowError:
    line: int | None  # 1 = the header line; None for file-level errors
    code: str  # English key: missing_field, bad_number, outside_hanoi, unknown_ward, duplicate_id, ...
    reason: str  # Vietnamese, for the operator

    def __str__(self) -> str:
        where = f"dòng {self.line}: " if self.line else ""
        return f"{where}{self.reason} ({self.code})"


@dataclass
class CsvError(Exception):
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"Tệp CSV có {len(self.errors)} lỗi, không nhập dòng nào (nothing imported):"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


def split_services(value: str) -> tuple[str, ...]:
    parts = [p.strip() for p in value.replace("|", SERVICE_SEPARATOR).split(SERVICE_SEPARATOR)]
    return tuple(dict.fromkeys(p for p in parts if p))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError([RowError(None, "bad_encoding",
                                 f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại tệp "
                                 f"dưới dạng CSV UTF-8")]) from None


def parse_csv(data: bytes | str, gazetteer: Any) -> list[Agent]:
    """Validate a whole registry CSV and return its agents, or raise :class:`CsvError` with every error.

    ``gazetteer`` checks the ward codes and that the coordinates lie in (or within 500 m of) Hanoi.
    """
    text = _decode(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise CsvError([RowError(None, "empty_file", "tệp rỗng")])
    sample = text[:4096]
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise CsvError([RowError(1, "bad_csv", f"không đọc được dòng tiêu đề: {exc}")]) from None
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    dup_cols = sorted({h for h in header if header.count(h) > 1})
    file_errors = []
    if missing:
        file_errors.append(RowError(1, "missing_columns", f"thiếu cột: {', '.join(missing)}; cần các cột: "
                                                          f"{', '.join(COLUMNS)}"))
    if unknown:
        file_errors.append(RowError(1, "unknown_columns", f"cột không có trong lược đồ: {', '.join(unknown)}"))
    if dup_cols:
        file_errors.append(RowError(1, "duplicate_columns", f"cột bị lặp: {', '.join(dup_cols)}"))
    if file_errors:
        raise CsvError(file_errors)

    errors: list[RowError] = []
    agents: list[Agent] = []
    first_line: dict[str, int] = {}
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, "bad_csv", f"dòng CSV hỏng: {exc}"))
            break
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) != len(header):
            errors.append(RowError(line, "wrong_field_count",
                                   f"có {len(values)} trường, tiêu đề có {len(header)}"))
            continue
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        row_errors = _validate_row(row, line, gazetteer)
        if row_errors:
            errors.extend(row_errors)
            continue
        if row["id"] in first_line:
            errors.append(RowError(line, "duplicate_id",
                                   f"mã '{row['id']}' đã có ở dòng {first_line[row['id']]}"))
            continue
        first_line[row["id"]] = line
        agents.append(
            Agent(
                id=row["id"], name=row["name"], type=row["type"], address=row["address"],
                ward_code=row["ward_code"], lat=float(row["lat"]), lon=float(row["lon"]),
                location_accuracy=row["location_accuracy"], phone=row.get("phone", ""),
                opening_hours=row.get("opening_hours", ""), services=split_services(row.get("services", "")),
                source=row.get("source", ""),
            )
        )
    if not errors and not agents:
        errors.append(RowError(None, "no_rows", "tệp không có dòng dữ liệu nào"))
    if errors:
        raise CsvError(errors)
    return agents


def _number(value: str) -> float | None:
    try:
        x = float(value)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _validate_row(row: dict[str, str], line: int, gazetteer: Any) -> list[RowError]:
    errs = [RowError(line, "missing_field", f"thiếu giá trị cột '{c}'") for c in REQUIRED if not row.get(c)]
    if errs:
        return errs
    if len(row["id"]) > MAX_ID_LEN:
        errs.append(RowError(line, "bad_id", f"mã dài quá {MAX_ID_LEN} ký tự"))
    if row["type"] not in TYPES:
        errs.append(RowError(line, "unknown_type",
                             f"loại '{row['type']}' không hợp lệ; dùng một trong: {', '.join(TYPES)}"))
    if row["location_accuracy"] not in ACCURACIES:
        errs.append(RowError(line, "unknown_accuracy",
                             f"location_accuracy '{row['location_accuracy']}' không hợp lệ; dùng exact hoặc ward"))
    if gazetteer.ward(row["ward_code"]) is None:
        errs.append(RowError(line, "unknown_ward", f"mã phường, xã '{row['ward_code']}' không có trong 126 "
                                                   f"đơn vị của Hà Nội"))
    lat, lon = _number(row["lat"]), _number(row["lon"])
    if lat is None or lon is None:
        bad = [c for c, v in (("lat", lat), ("lon", lon)) if v is None]
        errs.append(RowError(line, "bad_number", f"{', '.join(bad)} không phải là số (dùng dấu chấm thập phân)"))
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errs.append(RowError(line, "bad_coordinates", f"tọa độ ({lat}, {lon}) ngoài phạm vi vĩ độ, kinh độ"))
    elif not gazetteer.near_hanoi(lat, lon):
        errs.append(RowError(line, "outside_hanoi", f"tọa độ ({lat}, {lon}) nằm ngoài Hà Nội"))
    return errs


def write_csv(agents: list[Agent], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in sorted(agents, key=lambda a: a.id):
        writer.writerow(a.to_row())
    return len(agents)
