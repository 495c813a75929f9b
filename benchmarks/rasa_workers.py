"""Rasa with 1 vs 2 Sanic workers, straight to its REST webhook; a py-spy profile of one message.

Rasa's documented way to more turns per second is several Sanic workers (``SANIC_WORKERS``), which
needs the Redis lock store (so two messages of one conversation never run at once) and a tracker
store every worker shares (PostgreSQL). This benchmark starts exactly that on loopback: a throwaway
PostgreSQL cluster, ``redis-server``, the real NLU service and action server, then Rasa with 1 and
with 2 workers in turn, and for each:

- ``--sessions`` citizens (default 50) at once, each sending ``--turns`` messages (default 5) one
  after the other (a real conversation: greeting, procedure, follow-up, FAQ, thanks);
- p50/p95 latency per turn, turns/s over the whole run, failures;
- CPU seconds used by Rasa (all its processes) and by NLU + actions, from ``/proc``: turns per
  CPU-second is the capacity of one core, whatever else shares the machine.

Then, with 1 worker, ``py-spy`` samples Rasa during a second run and the samples are grouped by
where the time goes (policies, TensorFlow, tracker store, lock store, NLU/action HTTP, logging).
Bounded: every phase has a deadline (``--max-seconds`` per load run). Results go to
docs/EVALUATION.md (section ``rasa_workers``) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dvcbot.procs import Service, free_port, group_members, port_free, wait_until  # noqa: E402
from dvcbot.settings import Settings  # noqa: E402
from dvcbot.stack import build_services, rasa_command, rasa_env, start_all, stop_all, with_tokens  # noqa: E402

CONVERSATION = [
    "xin chào",
    "đăng ký tạm trú cần giấy tờ gì",
    "thế lệ phí bao nhiêu",
    "quên mật khẩu vneid thì làm sao",
    "cảm ơn",
]

#: where a py-spy sample's time goes: the first rule (from the innermost frame outwards) that matches
CATEGORIES = [
    # uvloop runs the loop in C: a sample whose innermost Python frame is Sanic's serve() is the loop
    # waiting for I/O (or in C code of its own, which is not Rasa's per-message work)
    (IDLE := "idle: event loop waiting for I/O", ("select (selectors", "(selectors.py", "epoll",
                                                  "serve (sanic/server/runners.py")),
    ("TensorFlow / model inference", ("tensorflow", "keras")),
    ("SQL tracker store (SQLAlchemy, psycopg2)", ("sqlalchemy", "psycopg2", "tracker_store")),
    ("Redis lock store", ("lock_store", "redis/")),
    ("validation of action server responses (jsonschema)", ("jsonschema", "_validate_action_result")),
    ("HTTP calls to NLU and actions (aiohttp)", ("aiohttp", "http_interpreter", "rasa/core/actions/action.py")),
    ("logging", ("logging/", "structlog")),
    ("tracker, events and featurisation (Python)", ("rasa/shared/core", "featurizer", "rasa/core/featurizers")),
    ("policies and graph (Python)", ("rasa/core/policies", "rasa/engine", "rasa/graph_components")),
    ("message processing (Rasa core)", ("rasa/core/processor", "rasa/core/agent", "rasa/core/channels")),
    ("Sanic HTTP server and asyncio", ("sanic", "asyncio", "uvloop")),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def cpu_seconds(pgids: list[int]) -> float:
    """User + system CPU time of every live process of the groups (children reaped count too)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pgid in pgids:
        for pid in group_members(pgid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # utime stime cutime cstime are fields 14-17 of stat; after ")" they start at index 11
            total += sum(int(x) for x in fields[11:15])
    return total / tick


# --- loopback infrastructure -----------------------------------------------------------------------

class Redis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir)], stdout=open(workdir / "redis.log", "ab"), stderr=subprocess.STDOUT)  # noqa: SIM115
        if not wait_until(lambda: not port_free(self.port), 30):
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def endpoints_file(path: Path, settings: Settings, pg_port: int, db: str, redis_port: int) -> Path:
    path.write_text(yaml.safe_dump({
        "nlu": {"url": settings.nlu_url},
        "action_endpoint": {"url": f"{settings.actions_url}/webhook", "token": settings.actions_token},
        "tracker_store": {"type": "SQL", "dialect": "postgresql", "url": "127.0.0.1", "port": pg_port,
                          "db": db, "username": "postgres"},
        "lock_store": {"type": "redis", "url": "127.0.0.1", "port": redis_port, "db": 1},
    }))
    return path


# --- load ------------------------------------------------------------------------------------------

async def load(rasa_url: str, sessions: int, turns: int, max_seconds: float) -> dict:
    latencies: list[float] = []
    failures = collections.Counter()
    limits = httpx.Limits(max_connections=sessions, max_keepalive_connections=sessions)

    async with httpx.AsyncClient(base_url=rasa_url, timeout=120, limits=limits) as client:
        async def citizen() -> None:
            sender = f"bench-{uuid.uuid4().hex[:10]}"
            for text in CONVERSATION[:turns]:
                start = time.perf_counter()
                try:
                    resp = await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
                    ok = resp.status_code == 200 and bool(resp.json())
                    if not ok:
                        failures[f"HTTP {resp.status_code}" if resp.status_code != 200 else "empty reply"] += 1
                except httpx.HTTPError as exc:
                    failures[type(exc).__name__] += 1
                    continue
                latencies.append((time.perf_counter() - start) * 1000)

        start = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(citizen() for _ in range(sessions))), max_seconds)
        wall = time.perf_counter() - start
    return {"latencies": latencies, "wall": wall, "failures": dict(failures),
            "turns": len(latencies), "turns_per_s": len(latencies) / wall}


async def warm_up(rasa_url: str, workers: int) -> None:
    """Each worker answers each kind of message once before anything is measured."""
    async with httpx.AsyncClient(base_url=rasa_url, timeout=300) as client:
        for _ in range(2):
            await asyncio.gather(*(
                client.post("/webhooks/rest/webhook", json={"sender": f"warm-{uuid.uuid4().hex[:8]}", "message": t})
                for t in CONVERSATION for _ in range(workers * 2)))


# --- profile ---------------------------------------------------------------------------------------

def categorise(raw: Path) -> tuple[int, collections.Counter, collections.Counter, collections.Counter]:
    """py-spy ``--format raw`` (collapsed stacks) -> busy samples, by category, by innermost Rasa
    frame, by innermost frame (idle samples, the event loop waiting, are left out)."""
    by_category: collections.Counter = collections.Counter()
    by_rasa_frame: collections.Counter = collections.Counter()
    by_leaf: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        category = "other"
        for frame in reversed(frames):
            hit = next((name for name, keys in CATEGORIES if any(k in frame for k in keys)), None)
            if hit:
                category = hit
                break
        if category == IDLE:
            continue
        total += n
        by_category[category] += n
        by_leaf[_frame_name(frames[-1])] += n
        rasa_frame = next((f for f in reversed(frames) if " (rasa/" in f), None)
        if rasa_frame:
            by_rasa_frame[_frame_name(rasa_frame)] += n
    return total, by_category, by_rasa_frame, by_leaf


def _frame_name(frame: str) -> str:
    """``func (path/file.py:123)`` -> ``func (path/file.py)``."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].rstrip(')')})"


def profile(pid: int, out: Path, seconds: int) -> subprocess.Popen:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "100",
                             "--format", "raw", "--output", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


# --- main ------------------------------------------------------------------------------------------

def run_rasa(settings: Settings, workdir: Path, workers: int, pg, redis: Redis, model: Path,
             speedups: bool = True) -> Service:
    db = f"rasa_w{workers}_{int(speedups)}"
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    endpoints = endpoints_file(workdir / f"endpoints_{db}.yml", settings, pg.port, db, redis.port)
    rasa = Service(f"rasa-{workers}w", rasa_command(settings, model, endpoints=str(endpoints)),
                   f"{settings.rasa_url}/status?token={settings.rasa_token}", workdir / f"{db}.log",
                   {**rasa_env(settings), "SANIC_WORKERS": str(workers), "RASA_TELEMETRY_ENABLED": "false",
                    "DVCBOT_RASA_SPEEDUPS": "1" if speedups else "0"},
                   cwd=settings.rasa_project_dir, port=settings.rasa_port)
    rasa.start()
    if not rasa.wait_ready(900):
        tail = rasa.log_tail()
        rasa.stop()
        raise RuntimeError(f"Rasa with {workers} workers did not start:\n{tail}")
    return rasa


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure 1 worker with Rasa as shipped (DVCBOT_RASA_SPEEDUPS=0)")
    parser.add_argument("--profile-seconds", type=int, default=30)
    parser.add_argument("--max-seconds", type=float, default=600.0, help="deadline of one load run")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from tests.pg import PostgresCluster

    workdir = Path(tempfile.mkdtemp(prefix="dvcbot-rasa-workers-"))
    settings = with_tokens(Settings(var_dir=workdir, host="127.0.0.1", nlu_port=free_port(),
                                    actions_port=free_port(), rasa_port=free_port(), gateway_port=free_port(),
                                    database_url=f"sqlite:///{workdir / 'dvcbot.db'}"))
    model = settings.root / "bot" / "models" / "dvcbot.tar.gz"
    pg = PostgresCluster().start()
    redis = Redis(workdir)
    backends = build_services(settings, workdir / "logs", gateway=False)[:2]  # NLU and actions
    results: dict[str, dict] = {}
    configs = ([("1, Rasa as shipped", 1, False)] if args.baseline else []) + [
        (f"{w}{', with bot/rasa_speedups.py' if args.baseline else ''}", w, True) for w in args.workers]
    prof: tuple | None = None
    try:
        print(">> starting NLU and the action server", flush=True)
        start_all(backends, progress=lambda m: print(m, flush=True))
        for label, workers, speedups in configs:
            print(f">> Rasa with {label} worker(s)", flush=True)
            rasa = run_rasa(settings, workdir, workers, pg, redis, model, speedups)
            try:
                asyncio.run(warm_up(settings.rasa_url, workers))
                groups = [rasa.pgid]
                backend_groups = [s.pgid for s in backends]
                cpu0, back0 = cpu_seconds(groups), cpu_seconds(backend_groups)
                result = asyncio.run(load(settings.rasa_url, args.sessions, args.turns, args.max_seconds))
                result["rasa_cpu"] = cpu_seconds(groups) - cpu0
                result["backend_cpu"] = cpu_seconds(backend_groups) - back0
                result["processes"] = len(group_members(rasa.pgid))
                results[label] = result
                print(f"   {result['turns']} turns in {result['wall']:.1f} s, p50 {pct(result['latencies'], .5):.0f} ms,"
                      f" p95 {pct(result['latencies'], .95):.0f} ms, Rasa CPU {result['rasa_cpu']:.1f} s,"
                      f" failures {result['failures']}", flush=True)
                if workers == 1 and speedups and args.profile_seconds > 0:
                    raw = workdir / "rasa_profile.txt"
                    spy = profile(rasa.proc.pid, raw, args.profile_seconds)
                    time.sleep(1.0)
                    try:
                        asyncio.run(load(settings.rasa_url, args.sessions, args.turns, args.max_seconds))
                    finally:
                        spy.wait(args.profile_seconds + 60)
                    if raw.exists():
                        prof = categorise(raw)
                        keep = settings.root / "var" / "rasa_profile.txt"  # the raw stacks, for a flame graph
                        if keep.parent.is_dir():
                            shutil.copy(raw, keep)
            finally:
                rasa.stop()
    finally:
        stop_all(backends)
        redis.stop()
        pg.stop()

    body = report(args, results, prof)
    print(body)
    if not args.no_write:
        from dvcbot.evaldoc import write_section

        write_section("rasa_workers", "Rasa: 1 vs 2 Sanic workers, and where a message's time goes", body)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


def report(args, results: dict[str, dict], prof: tuple | None) -> str:
    load_avg = os.getloadavg()
    lines = [
        f"`python benchmarks/rasa_workers.py`: {args.sessions} concurrent sessions × {args.turns} turns "
        f"(greeting, procedure, fee follow-up, VNeID FAQ, thanks) straight to Rasa's REST webhook, "
        "with the real NLU service and action server; PostgreSQL tracker store and Redis lock store on "
        f"loopback (as Rasa prescribes for several workers). Load average at the end: "
        f"{load_avg[0]:.1f} (other agents share the 2 cores, so absolute times vary; CPU seconds per "
        "turn vary much less).",
        "",
        "| Rasa workers | turns | failed | p50 ms | p95 ms | turns/s | Rasa CPU s/turn | NLU+actions CPU s/turn "
        "| turns per Rasa core-second |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for workers, r in results.items():
        lat = r["latencies"]
        n = max(r["turns"], 1)
        failed = sum(r["failures"].values())
        lines.append(f"| {workers} | {r['turns']} | {failed} | {statistics.median(lat):.0f} | {pct(lat, .95):.0f} | "
                     f"{r['turns_per_s']:.1f} | {r['rasa_cpu'] / n:.3f} | {r['backend_cpu'] / n:.3f} | "
                     f"{n / max(r['rasa_cpu'], 1e-9):.1f} |")
    if results:
        best = min(results.values(), key=lambda r: (r["rasa_cpu"] + r["backend_cpu"]) / max(r["turns"], 1))
        per_turn = (best["rasa_cpu"] + best["backend_cpu"]) / max(best["turns"], 1)
        lines += ["", f"**Capacity per core:** one core sustains about {1 / max(per_turn, 1e-9):.1f} turns/s of "
                  f"the whole back end (Rasa + NLU + actions, {per_turn:.3f} CPU s per turn); Rasa alone about "
                  f"{best['turns'] / max(best['rasa_cpu'], 1e-9):.1f} turns per core-second. On this 2-core "
                  "machine the back end therefore tops out near twice the first figure when nothing else runs; "
                  "a second worker adds throughput only while a core is idle (it costs about as much CPU per turn), "
                  "so scale-out means more cores or hosts, each with its workers, behind the Redis lock store "
                  "and the shared PostgreSQL tracker store."]
    if prof:
        total, by_category, by_frame, by_leaf = prof
        lines += ["", f"**Where Rasa's time goes** (py-spy at 100 Hz, 1 worker with bot/rasa_speedups.py, {total} "
                  "busy samples during a "
                  "second run of the same load, idle event-loop samples left out; each sample counted once, "
                  "in the innermost matching layer):", "",
                  "| layer | share |", "|---|---|"]
        for name, n in by_category.most_common():
            lines.append(f"| {name} | {100 * n / max(total, 1):.0f} % |")
        lines += ["", "Innermost Rasa functions by samples:", ""]
        for name, n in by_frame.most_common(10):
            lines.append(f"- `{name}`: {100 * n / max(total, 1):.0f} %")
        lines += ["", "Innermost frames (any library) by samples:", ""]
        for name, n in by_leaf.most_common(10):
            lines.append(f"- `{name}`: {100 * n / max(total, 1):.0f} %")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
