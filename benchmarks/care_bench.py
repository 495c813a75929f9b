"""Care console benchmark: ticket list and dashboard with 100,000 tickets and 500,000 ratings.

Targets (issue 10): filtered, paged ticket list p95 ≤ 200 ms on PostgreSQL and on SQLite;
dashboard p95 ≤ 500 ms. Each request goes through the real console route (sign-in cookie, role
check, query, Jinja2 page or JSON) with FastAPI's TestClient, on a database filled by
``care.seed`` (``dvcbot care seed``). PostgreSQL is a throwaway local cluster (tests/pg.py).

Run: ``.venv/bin/python benchmarks/care_bench.py [--tickets 100000] [--ratings 500000]
[--backends sqlite,postgresql] [--no-write]``; results go to the ``care`` section of
docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from care.seed import seed  # noqa: E402
from care.tickets import CATEGORIES, STATUSES  # noqa: E402
from dvcbot.evaldoc import write_section  # noqa: E402
from tests.care.helpers import add_staff, make_app, signed_in  # noqa: E402


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]  # noqa: E731
    return {"p50": pick(0.50), "p95": pick(0.95), "max": s[-1], "mean": statistics.fmean(s)}


def list_queries(n: int, rnd: random.Random) -> list[str]:
    """Filtered, paged list URLs as staff use them (status/category/channel/overdue/ward, pages 1–5)."""
    urls = []
    for _ in range(n):
        params = []
        if rnd.random() < 0.6:
            params.append(f"status={rnd.choice(list(STATUSES))}")
        if rnd.random() < 0.5:
            params.append(f"category={rnd.choice(list(CATEGORIES))}")
        if rnd.random() < 0.3:
            params.append(f"channel={rnd.choice(['web', 'zalo', 'voice'])}")
        if rnd.random() < 0.2:
            params.append("overdue=1")
        if rnd.random() < 0.2:
            params.append(f"ward={rnd.choice(['00001', '00199', '00226'])}")
        params.append(f"page={rnd.randint(1, 5)}")
        urls.append("/console/tickets?" + "&".join(params))
    return urls


def time_get(client, url: str, accept: str = "text/html") -> float:
    t0 = time.perf_counter()
    r = client.get(url, headers={"accept": accept})
    elapsed = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return elapsed


def run_backend(name: str, db_url: str, tickets: int, ratings: int, list_n: int, search_n: int,
                dash_n: int) -> dict:
    t0 = time.perf_counter()
    seed(db_url, tickets, ratings)
    seed_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        app, _ = make_app(db_url, Path(tmp))
        add_staff(db_url, "bench", "supervisor")
        client = signed_in(app, "bench")
        rnd = random.Random(7)
        for url in list_queries(5, rnd):  # warm caches and connections
            time_get(client, url)
        lists = [time_get(client, u) for u in list_queries(list_n, rnd)]
        searches = [time_get(client, f"/console/tickets?q={rnd.choice(['thái độ', 'khai sinh', 'Cầu Giấy', 'PA-26-0001'])}"
                             f"{rnd.randint(0, 9) if rnd.random() < 0.3 else ''}") for _ in range(search_n)]
        time_get(client, "/console/dashboard/data", "application/json")
        dash = [time_get(client, "/console/dashboard/data", "application/json") for _ in range(dash_n)]
        page = [time_get(client, "/console/dashboard") for _ in range(max(3, dash_n // 3))]
    return {"backend": name, "seed_s": seed_s, "list": percentiles(lists), "search": percentiles(searches),
            "dashboard": percentiles(dash), "dashboard_page": percentiles(page), "n": (list_n, search_n, dash_n)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=100_000)
    ap.add_argument("--ratings", type=int, default=500_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--list-queries", type=int, default=300)
    ap.add_argument("--search-queries", type=int, default=60)
    ap.add_argument("--dashboard-queries", type=int, default=30)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results.append(run_backend("SQLite", f"sqlite:///{tmp}/care.db", args.tickets, args.ratings,
                                           args.list_queries, args.search_queries, args.dashboard_queries))
        elif backend == "postgresql":
            from tests.pg import PostgresCluster

            cluster = PostgresCluster().start()
            try:
                results.append(run_backend("PostgreSQL 15", cluster.new_database(), args.tickets, args.ratings,
                                           args.list_queries, args.search_queries, args.dashboard_queries))
            finally:
                cluster.stop()
        print(results[-1], flush=True)
    lines = [f"{args.tickets:,} tickets and {args.ratings:,} ratings over 90 days (`care.seed`); every request "
             "through the console route with a signed-in supervisor (TestClient: routing, auth, query, page).",
             "", "| backend | list p50 / p95 ms | search p50 / p95 ms | dashboard JSON p50 / p95 ms | "
             "dashboard page p95 ms | seed s |", "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['list']['p50']:.0f} / {r['list']['p95']:.0f} | "
                     f"{r['search']['p50']:.0f} / {r['search']['p95']:.0f} | "
                     f"{r['dashboard']['p50']:.0f} / {r['dashboard']['p95']:.0f} | "
                     f"{r['dashboard_page']['p95']:.0f} | {r['seed_s']:.0f} |")
    lines += ["", f"Targets: list p95 ≤ 200 ms, dashboard p95 ≤ 500 ms. Queries: {args.list_queries} random "
              "filter combinations (status, category, channel, overdue, ward; pages 1–5), "
              f"{args.search_queries} full-text searches (ILIKE over description, place, ward), "
              f"{args.dashboard_queries} dashboard computations (30 days: per day × category, open/overdue, "
              "median time to resolve, satisfaction overall / per channel / per topic). The machine is shared "
              "by several agents, so figures vary with its load."]
    if not args.no_write:
        write_section("care", "Care console: ticket list and dashboard", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
