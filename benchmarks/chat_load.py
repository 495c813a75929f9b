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


async def burst(url: str, sessions: int, turns: int) -> dict[str, float]:
    """``sessions`` citizens at once, ``turns`` messages each: answered / told to wait / degraded."""
    outcome = {"answered": 0, "busy": 0, "degraded": 0, "errors": 0}
    latencies: list[float] = []

    async def citizen(i: int, client: httpx.AsyncClient) -> None:
        for t in range(turns):
            start = time.perf_counter()
            try:
                resp = await client.post("/api/v1/chat", json={"session_id": f"burst-{i}", "text": MESSAGES[t % len(MESSAGES)],
                                                               "message_id": f"burst-{i}-{t}"})
                body = resp.json()
            except (httpx.HTTPError, ValueError):
                outcome["errors"] += 1
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            key = "degraded" if body.get("degraded") else "busy" if body.get("busy") else "answered"
            outcome[key] += 1 if resp.status_code == 200 else 0
            outcome["errors"] += 0 if resp.status_code == 200 else 1

    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=httpx.Limits(max_connections=sessions)) as client:
        await asyncio.gather(*(citizen(i, client) for i in range(sessions)))
    elapsed = time.perf_counter() - start
    return {**outcome, "p50": pct(latencies, .5), "p95": pct(latencies, .95), "rate": len(latencies) / elapsed}


async def rasa_paths(rasa_url: str, token: str, rounds: int) -> dict[str, list[float]]:
    """One turn straight to Rasa, two ways: REST channel + tracker read (before) and the dvcbot
    channel that answers with the intent (now)."""
    out: dict[str, list[float]] = {"rest + tracker": [], "dvcbot channel": []}
    async with httpx.AsyncClient(base_url=rasa_url, timeout=60) as client:
        for r in range(rounds):
            for m in MESSAGES:
                start = time.perf_counter()
                sender = f"rest-{r}"
                (await client.post("/webhooks/rest/webhook", json={"sender": sender, "message": m})).raise_for_status()
                await client.get(f"/conversations/{sender}/tracker", params={"include_events": "NONE", "token": token})
                out["rest + tracker"].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                (await client.post("/webhooks/dvcbot/webhook", json={"sender": f"dvc-{r}", "message": m,
                                                                      "metadata": {}},
                                   headers={"Authorization": f"Bearer {token}"})).raise_for_status()
                out["dvcbot channel"].append((time.perf_counter() - start) * 1000)
    return out


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
    ap.add_argument("--sessions", type=int, default=50, help="burst: citizens at once")
    ap.add_argument("--turns", type=int, default=5, help="burst: messages per citizen")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    services = []
    url = args.url
    rasa_url = rasa_token = ""
    if not url:
        from dvcbot.procs import free_port
        from dvcbot.settings import Settings
        from dvcbot.stack import build_services, migrate, start_all, with_tokens

        tmp = Path(tempfile.mkdtemp(prefix="dvcbot-bench-"))
        settings = with_tokens(Settings(var_dir=tmp, gateway_port=free_port(), nlu_port=free_port(),
                                        rasa_port=free_port(), actions_port=free_port(),
                                        database_url=f"sqlite:///{tmp / 'bench.db'}"))
        migrate(settings)
        # every benchmark client comes from 127.0.0.1: the per-address limit would measure itself
        services = build_services(settings, tmp / "logs", extra_env={"DVCBOT_RATE_LIMIT_CLIENT": "1000000/minute",
                                                                       "DVCBOT_RATE_LIMIT_SESSION": "100000/minute"})
        print("starting the stack ...", flush=True)
        start_all(services)
        url = settings.gateway_url
        rasa_url = settings.rasa_url
        rasa_token = settings.rasa_token
    from dvcbot.procs import wait_http

    print("waiting for /readyz (every part warm) ...", flush=True)
    if not wait_http(f"{url}/readyz", 900):
        print("error: the stack did not become ready", flush=True)
        return 1
    try:
        seq = asyncio.run(sequential(url, args.rounds))
        print(f"sequential: {len(seq)} turns, p50 {pct(seq, .5):.0f} ms, p95 {pct(seq, .95):.0f} ms", flush=True)
        n, elapsed, lat = asyncio.run(sustained(url, args.concurrency, args.seconds, args.max_turns))
        rate = n / elapsed
        print(f"sustained: {n} turns in {elapsed:.1f} s = {rate:.1f} turns/s with {args.concurrency} clients; "
              f"p50 {pct(lat, .5):.0f} ms, p95 {pct(lat, .95):.0f} ms", flush=True)
        b = asyncio.run(burst(url, args.sessions, args.turns))
        print(f"burst {args.sessions} sessions x {args.turns} turns: {b}", flush=True)
        paths = asyncio.run(rasa_paths(rasa_url, rasa_token, max(2, args.rounds // 2))) if not args.url else {}
        for name, values in paths.items():
            print(f"straight to Rasa, {name}: p50 {pct(values, .5):.0f} ms, p95 {pct(values, .95):.0f} ms", flush=True)
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
                f"| mean | {statistics.mean(lat):.0f} ms | |\n"
                f"| burst {args.sessions} sessions × {args.turns} turns: answered / told to wait / degraded / errors "
                f"| {b['answered']} / {b['busy']} / {b['degraded']} / {b['errors']} | 0 degraded |\n"
                f"| burst latency p50 / p95 | {b['p50']:.0f} / {b['p95']:.0f} ms | |\n"
                f"| burst throughput | {b['rate']:.1f} turns/s | |\n")
        for name, values in paths.items():
            body += f"| straight to Rasa, {name}: p50 / p95 | {pct(values, .5):.0f} / {pct(values, .95):.0f} ms | |\n"
        body += ("\nThe gateway used to post to Rasa's REST channel and then read the tracker for the intent "
                 "(two requests to Rasa per turn); the dvcbot channel answers with the intent in one request.\n")
        write_section("chat", "Chat turns through the gateway (issues 3, 7, 8)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
