"""Channels benchmark: a Zalo webhook burst across a crash, and 500 widget WebSocket sessions.

Starts the real stack (NLU service, action server, Rasa) and the gateway with both channels as its
own process; Zalo's API is the local fake of the tests (loopback, checks request shapes).

1. Zalo: ``--events`` webhook events (``--dup`` of them duplicates, as Zalo's retries) from 50
   concurrent senders; the gateway is killed (SIGKILL) halfway and started again, senders retry
   what was not acknowledged like Zalo does. Measured: acknowledgement latency, and that every
   unique message got exactly one answer and none was lost.
2. Widget: ``--sockets`` WebSocket sessions opened and held by the one gateway process; each sends
   one question (at most ``--concurrency`` turns waiting at once) while ping/pong round trips run
   over all the open sockets. Measured: turn latency, turn rate, ping latency, gateway memory.

    python benchmarks/channels_bench.py            # writes its section of docs/EVALUATION.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from channels.zalo.signature import sign  # noqa: E402
from dvcbot.procs import Service, free_port  # noqa: E402
from dvcbot.settings import Settings  # noqa: E402
from dvcbot.stack import build_services, migrate, service_env, start_all, stop_all, with_tokens  # noqa: E402
from tests.channels.fake_zalo import FakeZalo  # noqa: E402

APP_ID, OA_KEY, APP_SECRET = "3141592653589793", "bench-oa-secret", "bench-app-secret"
QUESTIONS = ["đăng ký tạm trú cần giấy tờ gì", "lệ phí làm căn cước bao nhiêu", "xin chào",
             "quên mật khẩu vneid thì phải làm sao", "đăng ký khai sinh cho con cần gì",
             "nộp hồ sơ trực tuyến ở đâu", "cảm ơn"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def gateway_service(settings: Settings, fake_url: str, log: Path) -> Service:
    env = {**service_env(settings),
           "DVCBOT_ZALO_APP_ID": APP_ID, "DVCBOT_ZALO_OA_SECRET_KEY": OA_KEY, "DVCBOT_ZALO_APP_SECRET": APP_SECRET,
           "DVCBOT_ZALO_ACCESS_TOKEN": "access-0", "DVCBOT_ZALO_REFRESH_TOKEN": "refresh-0",
           "DVCBOT_ZALO_API_URL": fake_url, "DVCBOT_ZALO_OAUTH_URL": fake_url,
           # every benchmark client comes from 127.0.0.1: the per-address limit would measure itself
           "DVCBOT_RATE_LIMIT_CLIENT": "10000000/minute", "DVCBOT_RATE_LIMIT_SESSION": "100000/minute",
           "DVCBOT_TURN_QUEUE_SIZE": "1000", "DVCBOT_LOG_LEVEL": "WARNING"}
    cmd = [sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory", "--host", settings.host,
           "--port", str(settings.gateway_port), "--log-level", "warning", "--no-access-log"]
    return Service("gateway", cmd, f"{settings.gateway_url}/healthz", log, env, cwd=ROOT)


def rss_mb(pid: int) -> float:
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total = float(line.split()[1]) / 1024
    return total


# --- Zalo -------------------------------------------------------------------------------------------

def zalo_events(n: int, dup_share: float, seed: int = 7) -> tuple[list[dict], int]:
    rng = random.Random(seed)
    unique = n - int(n * dup_share)
    events = []
    for i in range(unique):
        events.append({"app_id": APP_ID, "event_name": "user_send_text", "sender": {"id": f"88{i:010d}"},
                       "recipient": {"id": "oa-1"}, "message": {"msg_id": f"bench-{i}", "text": QUESTIONS[i % len(QUESTIONS)]}})
    order = list(events)
    for _ in range(n - unique):  # a retry arrives after its original
        original = rng.randrange(unique)
        order.insert(rng.randrange(order.index(events[original]) + 1, len(order) + 1), events[original])
    return order, unique


async def zalo_sequential(url: str, n: int) -> list[float]:
    """Acknowledgement latency of events sent one at a time (the cost of one ack, no queueing)."""
    acks = []
    async with httpx.AsyncClient(timeout=30) as client:
        for i in range(n):
            event = {"app_id": APP_ID, "event_name": "user_send_text", "sender": {"id": f"77{i:010d}"},
                     "recipient": {"id": "oa-1"}, "timestamp": str(int(time.time() * 1000)),
                     "message": {"msg_id": f"bench-seq-{i}", "text": QUESTIONS[i % len(QUESTIONS)]}}
            body = json.dumps(event, ensure_ascii=False).encode()
            start = time.perf_counter()
            resp = await client.post(url + "/webhooks/zalo", content=body, headers={
                "Content-Type": "application/json", "X-ZEvent-Signature": sign(APP_ID, body, event["timestamp"], OA_KEY)})
            if resp.status_code == 200:
                acks.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(0.05)
    return acks


async def zalo_burst(url: str, events: list[dict], restart, concurrency: int = 50) -> dict:
    acks: list[float] = []
    refused = 0
    sent = 0
    restarted = asyncio.Event()
    queue: asyncio.Queue[dict] = asyncio.Queue()
    for e in events:
        queue.put_nowait(e)

    async def sender(client: httpx.AsyncClient) -> None:
        nonlocal refused, sent
        while True:
            try:
                event = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            while True:  # like Zalo: retry until acknowledged
                body = json.dumps({**event, "timestamp": str(int(time.time() * 1000))}, ensure_ascii=False).encode()
                headers = {"Content-Type": "application/json",
                           "X-ZEvent-Signature": sign(APP_ID, body, json.loads(body)["timestamp"], OA_KEY)}
                start = time.perf_counter()
                try:
                    resp = await client.post(url + "/webhooks/zalo", content=body, headers=headers)
                    if resp.status_code == 200:
                        acks.append((time.perf_counter() - start) * 1000)
                        break
                    refused += 1
                except httpx.HTTPError:
                    refused += 1
                await asyncio.sleep(0.2)
            sent += 1
            if sent == len(events) // 2 and not restarted.is_set():
                restarted.set()
                await asyncio.to_thread(restart)

    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        await asyncio.gather(*(sender(client) for _ in range(concurrency)))
    return {"acks": acks, "not_acknowledged_then_retried": refused, "seconds": time.perf_counter() - start}


def inbox_state(db_url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_key, user_id, status, reply FROM zalo_inbox")).all()
    engine.dispose()
    return {r.event_key: (r.user_id, r.status, json.loads(r.reply) if r.reply else None) for r in rows}


# --- widget -----------------------------------------------------------------------------------------

async def widget_sessions(url: str, n: int, concurrency: int) -> dict:
    from websockets.asyncio.client import connect

    ws_url = url.replace("http", "ws", 1) + "/ws/widget?session_id="
    sockets = []
    opened_at = time.perf_counter()
    for batch in range(0, n, 50):
        sockets += await asyncio.gather(*(connect(f"{ws_url}web-bench{i:06d}", origin=url, max_size=2**20)
                                          for i in range(batch, min(n, batch + 50))))
    open_s = time.perf_counter() - opened_at
    # each socket has one reader; frames go to the waiting turn or ping of that socket
    waiters: list[dict[str, asyncio.Future]] = [{} for _ in sockets]

    async def reader(i: int) -> None:
        async for raw in sockets[i]:
            frame = json.loads(raw)
            kind = "pong" if frame["type"] == "pong" else ("reply" if frame["type"] in ("reply", "error") else None)
            fut = waiters[i].pop(kind, None) if kind else None
            if fut and not fut.done():
                fut.set_result(frame)

    readers = [asyncio.create_task(reader(i)) for i in range(len(sockets))]

    async def request(i: int, frame: dict, kind: str) -> dict:
        fut = asyncio.get_running_loop().create_future()
        waiters[i][kind] = fut
        await sockets[i].send(json.dumps(frame))
        return await asyncio.wait_for(fut, 600)

    turn_ms: list[float] = []
    outcomes = {"answered": 0, "busy": 0, "degraded": 0, "errors": 0}
    gate = asyncio.Semaphore(concurrency)

    async def turn(i: int) -> None:
        async with gate:
            start = time.perf_counter()
            try:
                frame = await request(i, {"type": "message", "text": QUESTIONS[i % len(QUESTIONS)],
                                          "id": f"bench-w-{i:06d}"}, "reply")
            except Exception:
                outcomes["errors"] += 1
                return
            turn_ms.append((time.perf_counter() - start) * 1000)
            if frame["type"] == "error":
                outcomes["errors"] += 1
            elif frame.get("degraded"):
                outcomes["degraded"] += 1
            elif frame.get("busy"):
                outcomes["busy"] += 1
            else:
                outcomes["answered"] += 1

    ping_ms: list[float] = []
    turns_done = asyncio.Event()

    async def pinger() -> None:
        while not turns_done.is_set():
            for i in random.sample(range(len(sockets)), min(50, len(sockets))):
                start = time.perf_counter()
                await request(i, {"type": "ping"}, "pong")
                ping_ms.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(0.5)

    ping_task = asyncio.create_task(pinger())
    start = time.perf_counter()
    await asyncio.gather(*(turn(i) for i in range(len(sockets))))
    elapsed = time.perf_counter() - start
    turns_done.set()
    await ping_task
    still_open = sum(1 for s in sockets if s.state.name == "OPEN")
    for s in sockets:
        await s.close()
    for r in readers:
        r.cancel()
    return {"opened": len(sockets), "open_s": open_s, "still_open": still_open, "turn_ms": turn_ms,
            "seconds": elapsed, "outcomes": outcomes, "ping_ms": ping_ms}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--dup", type=float, default=0.2)
    ap.add_argument("--sequential", type=int, default=50, help="Zalo events sent one at a time first")
    ap.add_argument("--sockets", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=16, help="widget turns waiting at once")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--zalo-only", action="store_true", help="only the Zalo burst, nothing written")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dvcbot-channels-bench-"))
    settings = with_tokens(Settings(var_dir=tmp, gateway_port=free_port(), nlu_port=free_port(),
                                    rasa_port=free_port(), actions_port=free_port(),
                                    database_url=f"sqlite:///{tmp / 'bench.db'}"))
    migrate(settings)
    services = build_services(settings, tmp / "logs", gateway=False)
    fake = FakeZalo(APP_ID, APP_SECRET, access_token="access-0", refresh_token="refresh-0").__enter__()
    gateway = gateway_service(settings, fake.url, tmp / "logs" / "gateway.log")
    url = settings.gateway_url
    try:
        print("starting the stack ...", flush=True)
        start_all([*services, gateway])
        from dvcbot.procs import wait_http

        if not wait_http(f"{url}/readyz", 900):
            print("error: the stack did not become ready", flush=True)
            return 1

        def restart() -> None:
            print("  killing the gateway (SIGKILL) and starting it again ...", flush=True)
            os.killpg(gateway.proc.pid, signal.SIGKILL)
            gateway.proc.wait(10)
            gateway.start()
            if not gateway.wait_ready(300):
                raise RuntimeError("the gateway did not come back:\n" + gateway.log_tail())

        seq = asyncio.run(zalo_sequential(url, args.sequential))
        print(f"zalo: {len(seq)} events one at a time: ack p50 {pct(seq, .5):.1f} ms, p95 {pct(seq, .95):.1f} ms",
              flush=True)
        events, unique = zalo_events(args.events, args.dup)
        print(f"zalo: {len(events)} events ({unique} unique) ...", flush=True)
        z = zalo_burst(url, events, restart)
        z = asyncio.run(z)
        deadline = time.monotonic() + 1800
        while True:
            state = inbox_state(settings.db_url)
            finished = sum(1 for _u, status, _r in state.values() if status in ("done", "failed"))
            if finished >= unique + len(seq) or time.monotonic() > deadline:
                break
            time.sleep(2)
        per_user: dict[str, int] = {}
        for m in fake.state.sent:
            per_user[m["recipient"]["user_id"]] = per_user.get(m["recipient"]["user_id"], 0) + 1
        wrong = [k for k, (user, status, reply) in state.items()
                 if status != "done" or reply is None or per_user.get(user, 0) != len(reply["messages"])]
        z.update(stored=len(state) - len(seq), unique=unique,
                 done=sum(1 for k, v in state.items() if v[1] == "done" and not k.startswith("m:bench-seq-")),
                 wrong=len(wrong), shape_errors=len(fake.state.shape_errors))
        print(f"zalo: acked {len(z['acks'])} in {z['seconds']:.1f} s, p50 {pct(z['acks'], .5):.1f} ms, "
              f"p95 {pct(z['acks'], .95):.1f} ms, retried {z['not_acknowledged_then_retried']}; stored {len(state)}, "
              f"done {z['done']}/{unique}, not exactly once: {len(wrong)}", flush=True)

        if args.zalo_only:
            return 0
        print(f"widget: opening {args.sockets} sockets ...", flush=True)
        w = asyncio.run(widget_sessions(url, args.sockets, args.concurrency))
        mem = rss_mb(gateway.proc.pid)
        load = os.getloadavg()
        rate = len(w["turn_ms"]) / w["seconds"]
        print(f"widget: {w['opened']} opened in {w['open_s']:.1f} s, {w['still_open']} still open; "
              f"{len(w['turn_ms'])} turns in {w['seconds']:.1f} s = {rate:.1f}/s, p50 {pct(w['turn_ms'], .5):.0f} ms, "
              f"p95 {pct(w['turn_ms'], .95):.0f} ms; ping p95 {pct(w['ping_ms'], .95):.1f} ms; {w['outcomes']}; "
              f"gateway RSS {mem:.0f} MB", flush=True)
    finally:
        gateway.stop()
        stop_all(services)
        fake.__exit__(None, None, None)
    if not args.no_write:
        from dvcbot.evaldoc import write_section

        body = (
            "`python benchmarks/channels_bench.py`: the real stack (NLU, actions, Rasa) and the gateway with both "
            "channels as one process; Zalo's API is the tests' local fake.\n\n"
            "| measure | value | target |\n|---|---|---|\n"
            f"| Zalo burst: events sent (duplicates) | {len(events)} ({len(events) - unique}) | 1,000 (20 %) |\n"
            f"| Zalo: acknowledged | {len(z['acks'])} of {len(events)} | all |\n"
            f"| Zalo: acknowledgement, {len(seq)} events one at a time, p50 / p95 | {pct(seq, .5):.1f} / "
            f"{pct(seq, .95):.1f} ms | |\n"
            f"| Zalo burst (50 concurrent senders): acknowledgement p50 / p95 | {pct(z['acks'], .5):.1f} / "
            f"{pct(z['acks'], .95):.1f} ms | p95 ≤ 100 ms |\n"
            f"| Zalo: gateway killed (SIGKILL) and restarted after half the events; attempts refused meanwhile and "
            f"retried by the sender | {z['not_acknowledged_then_retried']} | |\n"
            f"| Zalo: inbox rows (unique messages) / answered | {z['stored']} / {z['done']} of {unique} | all, once |\n"
            f"| Zalo: messages not answered exactly once | {z['wrong']} | 0 |\n"
            f"| Widget: WebSocket sessions held by one gateway process | {w['opened']} opened, {w['still_open']} still "
            f"open at the end | 500 |\n"
            f"| Widget: one question per session, ≤ {args.concurrency} waiting: turns / rate | {len(w['turn_ms'])} in "
            f"{w['seconds']:.0f} s = {rate:.1f} turns/s | limited by the core |\n"
            f"| Widget: turn latency p50 / p95 | {pct(w['turn_ms'], .5):.0f} / {pct(w['turn_ms'], .95):.0f} ms | |\n"
            f"| Widget: outcomes answered / busy / degraded / errors | {w['outcomes']['answered']} / "
            f"{w['outcomes']['busy']} / {w['outcomes']['degraded']} / {w['outcomes']['errors']} | |\n"
            f"| Widget: ping round trip over the open sockets during the turns, p50 / p95 | "
            f"{pct(w['ping_ms'], .5):.1f} / {pct(w['ping_ms'], .95):.1f} ms | |\n"
            f"| Gateway memory (RSS) with the sockets open | {mem:.0f} MB | |\n")
        body += (f"\nLoad average of the shared machine during the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
                 "(1 / 5 / 15 min) on 2 cores: other agents were running their own tests and benchmarks.\n")
        met = pct(z["acks"], .95) <= 100
        body += (f"\nThe burst acknowledgement target (p95 ≤ 100 ms) is {'met' if met else 'NOT met'} in this run. "
                 "An acknowledgement only verifies the signature and stores the event (batched, one transaction per "
                 "batch, on a thread of its own); the one-at-a-time figure is that cost without queueing. In the "
                 "burst, 50 requests at once queue for the gateway's share of two busy cores, while its workers "
                 "answer the events already stored.\n")
        body += ("\nThe ping round trips stay short while turns queue for Rasa: the sockets are not the limit; "
                 "the turn rate is the conversation core's (compare the chat benchmark's sustained rate).\n")
        write_section("channels", "Channels: Zalo webhook burst and widget WebSocket sessions (issue 11)", body)
        print("wrote docs/EVALUATION.md", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
