"""``dvcbot agents ...`` and ``dvcbot wards ...``: the agent registry, nearest agents, coverage, wards.

Exit codes: 0 success, 1 a file or query with errors (nothing changed), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _import(args: argparse.Namespace) -> int:
    from routing.schema import CsvError
    from routing.service import get_routing

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp {path}: {exc.strerror} (cannot read file)", file=sys.stderr)
        return 1
    routing = get_routing()
    try:
        report = routing.registry.import_csv(data, replace=not args.merge)
    except CsvError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    routing.reload()
    print(f"Đã nhập {path.name}: {report}. Tổng số điểm: {routing.registry.count()}.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from routing.schema import write_csv
    from routing.service import get_routing

    agents = get_routing().registry.all()
    if args.file in (None, "-"):
        write_csv(agents, sys.stdout)
        return 0
    with open(args.file, "w", encoding="utf-8", newline="") as fh:
        n = write_csv(agents, fh)
    print(f"Đã xuất {n} điểm vào {args.file}.", file=sys.stderr)
    return 0


def _nearest(args: argparse.Namespace) -> int:
    from routing.answers import format_km
    from routing.schema import RADIUS_KM
    from routing.service import InvalidQuery, get_routing

    routing = get_routing()
    types = args.type.split(",") if args.type else None
    services = args.service.split(",") if args.service else None
    try:
        if args.q:
            result = routing.nearest_by_text(args.q, k=args.k, types=types, services=services)
            if result.resolution is None or not result.resolution.found:
                raise InvalidQuery("ward_not_found", f"Không tìm thấy phường, xã nào trong: {args.q!r}.")
        elif args.lat is not None and args.lon is not None:
            result = routing.nearest(args.lat, args.lon, k=args.k, types=types, services=services)
        else:
            raise InvalidQuery("missing_query", "Cần --lat và --lon, hoặc --q.")
    except InvalidQuery as exc:
        print(f"{exc.message} ({exc.key})", file=sys.stderr)
        return 1
    if args.json:
        _print_json(result.to_dict())
        return 0
    res = result.resolution
    if res is not None and res.ambiguous:
        print(f"Tên có thể chỉ nhiều phường, xã: {', '.join(w.full_name for w in res.candidates)}")
        return 0
    if not result.any_within:
        print(f"Không có điểm nào trong bán kính {RADIUS_KM:g} km; các điểm gần nhất:")
    for h in result.hits:
        a = h.agent
        approx = " (vị trí gần đúng)" if a.approximate else ""
        print(f"{format_km(h.distance_km):>10}  {a.id}  {a.name}{approx}\n            {a.address}"
              f"{'  ĐT ' + a.phone if a.phone else ''}")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from routing.answers import format_km
    from routing.schema import RADIUS_KM
    from routing.service import get_routing

    cov = get_routing().coverage()
    if args.json:
        _print_json(cov.to_dict())
        return 0
    for w in sorted(cov.wards, key=lambda w: -(w.distance_km or 1e9)):
        dist = "không có điểm" if w.distance_km is None else format_km(w.distance_km)
        mark = "" if w.covered else f"  CHƯA PHỦ (> {RADIUS_KM:g} km)"
        print(f"{w.ward.code}  {w.ward.full_name:<40} {dist:>12}  {w.nearest_agent_id or ''}{mark}")
    print(f"\n{len(cov.wards) - len(cov.uncovered)}/{len(cov.wards)} phường, xã có điểm phục vụ trong bán kính "
          f"{cov.radius_km:g} km (tính từ điểm đại diện của phường, xã, gần đúng).")
    if cov.uncovered:
        print("Chưa được phủ: " + ", ".join(w.ward.full_name for w in cov.uncovered))
    return 0


def _resolve(args: argparse.Namespace) -> int:
    from routing.gazetteer import get_gazetteer

    res = get_gazetteer().resolve(args.text)
    if args.json:
        _print_json(res.to_dict())
    elif not res.found:
        pass
    elif res.ward_code:
        print(f"{res.ward_code}  {res.name}" + (f"  (tên cũ: {res.old_name})" if res.via_old_name else ""))
    else:
        print(f"Nhiều khả năng ({res.old_name or args.text}):")
        for w in res.candidates:
            print(f"  {w.code}  {w.full_name}")
    if not res.found:
        print(f"Không tìm thấy phường, xã nào trong: {args.text!r} (ward_not_found)", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    agents = sub.add_parser("agents", help="agent registry: import, export, nearest, coverage")
    asub = agents.add_subparsers(dest="agents_command", metavar="ACTION", required=True)

    p = asub.add_parser("import", help="validate a registry CSV and import it (all or nothing)")
    p.add_argument("file", help="CSV file (UTF-8), schema in data/agents/README.md")
    p.add_argument("--merge", action="store_true", help="add and update only; keep agents absent from the file")
    p.set_defaults(func=_import)

    p = asub.add_parser("export", help="write the registry as CSV (same schema as import)")
    p.add_argument("file", nargs="?", help="output file (default: standard output)")
    p.set_defaults(func=_export)

    p = asub.add_parser("nearest", help="nearest agents to a point or to a ward named in text")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--q", help="a ward name or an address containing one")
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--type", help="comma-separated agent types")
    p.add_argument("--service", help="comma-separated services")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_nearest)

    p = asub.add_parser("coverage", help="distance from each ward to the nearest agent; wards not covered")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_coverage)

    wards = sub.add_parser("wards", help="ward gazetteer")
    wsub = wards.add_subparsers(dest="wards_command", metavar="ACTION", required=True)
    p = wsub.add_parser("resolve", help="free text (new or old names) → ward code, name, candidates")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_resolve)
