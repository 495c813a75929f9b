"""Chat-turn latency and sustained throughput through the gateway (issue 3 targets).

Starts the real stack on free ports (NLU, actions, Rasa, gateway) unless ``--url`` points at a running
gateway, then:
1. sends a fixed set of realistic messages one at a time (warm) and reports p50/p95 per turn;
2. sends turns from ``--concurrency`` simulated citizens for ``--seconds`` seconds (bounded) and reports
   turns per second sustained and the latency under load.
Results go to docs/EVALUATION.md (section "chat"). Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

MESSAGES = [
    "xin chào",
    "đăng ký tạm trú cần giấy tờ gì",
    "thế lệ phí bao nhiêu",
    "làm căn cước mất bao lâu",
    "quên mật khẩu vneid thì làm sao",
    "nộp hồ sơ trực tuyến thế nào",
    "số tổng đài là bao nhiêu",
    "cảm ơn",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def one_turn(client: httpx.AsyncClient, session: str, text: str) -> float:
    start = time.perf_counter()
    resp = await client.post("/api/v1/chat", json={"session_id": session, "text": text, "channel": "api"})
    resp.raise_for_status()
    if resp.json().get("degraded"):
        raise RuntimeError("degraded reply: a back-end part is down")
    return (time.perf_counter() - start) * 1000


async def sequential(url: str, rounds: int) -> list[float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for m in MESSAGES:  # warm-up
            await one_turn(client, "warm", m)
        out = []
        for r in range(rounds):
            for m in MESSAGES:
                out.append(await one_turn(client, f"seq-{r}", m))
        return out


async def sustained(url: str, concurrency: int, seconds: float, max_turns: int) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    count = 0

    async def citizen(i: int) -> None:
        nonlocal count
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            turn = 0
            while time.perf_counter() < deadline and count < max_turns:
                count += 1
                # each simulated citizen holds conversations of len(MESSAGES) turns, then a new one
                session = f"load-{i}-{turn // len(MESSAGES)}"
                latencies.append(await one_turn(client, session, MESSAGES[turn % len(MESSAGES)]))
                turn += 1

    start = time.perf_counter()
    await asyncio.gather(*(citizen(i) for i in range(concurrency)))
    return len(latencies), time.perf_counter() - start, latencies


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running gateway (default: start the stack on free ports)")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-turns", type=int, default=5000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    services = []
    url = args.url
    if not url:
        from dvcbot.procs import free_port
        from dvcbot.settings import Settings
        from dvcbot.stack import build_services, migrate, start_all

        tmp = Path(tempfile.mkdtemp(prefix="dvcbot-bench-"))
        settings = Settings(var_dir=tmp, gateway_port=free_port(), nlu_port=free_port(), rasa_port=free_port(),
                            actions_port=free_port(), database_url=f"sqlite:///{tmp / 'bench.db'}")
        migrate(settings)
        services = build_services(settings, tmp / "logs")
        print("starting the stack ...", flush=True)
        start_all(services)
        url = settings.gateway_url
    try:
        seq = asyncio.run(sequential(url, args.rounds))
        print(f"sequential: {len(seq)} turns, p50 {pct(seq, .5):.0f} ms, p95 {pct(seq, .95):.0f} ms", flush=True)
        n, elapsed, lat = asyncio.run(sustained(url, args.concurrency, args.seconds, args.max_turns))
        rate = n / elapsed
        print(f"sustained: {n} turns in {elapsed:.1f} s = {rate:.1f} turns/s with {args.concurrency} clients; "
              f"p50 {pct(lat, .5):.0f} ms, p95 {pct(lat, .95):.0f} ms", flush=True)
    finally:
        from dvcbot.stack import stop_all

        stop_all(services)
    if not args.no_write:
        from dvcbot.evaldoc import write_section

        body = (f"Full chat turn through the gateway (gateway → Rasa → NLU service + action server), "
                f"`python benchmarks/chat_load.py`.\n\n"
                f"| measure | value | target |\n|---|---|---|\n"
                f"| one turn, warm, sequential ({len(seq)} turns): p50 | {pct(seq, .5):.0f} ms | |\n"
                f"| one turn, warm, sequential: p95 | {pct(seq, .95):.0f} ms | ≤ 300 ms |\n"
                f"| sustained, {args.concurrency} concurrent clients, {elapsed:.0f} s | {rate:.1f} turns/s | ≥ 30 |\n"
                f"| latency under that load: p50 / p95 | {pct(lat, .5):.0f} / {pct(lat, .95):.0f} ms | |\n"
                f"| mean | {statistics.mean(lat):.0f} ms | |\n")
        write_section("chat", "Chat turns through the gateway (issue 3)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
