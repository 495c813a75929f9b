"""``kill -9`` of each service under load, with ``dvcbot run`` supervising (issue 8 target).

Starts ``dvcbot run`` on free ports in a temporary folder, keeps ``--citizens`` conversations
sending messages (each with its own ``message_id``), and kills NLU, actions, Rasa and the gateway
in turn with SIGKILL. For each kill: seconds until the supervisor reports the service running
again and ``/readyz`` is ready, and what the citizens got meanwhile (answers, the apology, "busy",
refused connections — only when the gateway itself is down). At the end every message that was not
answered is sent again with the same ``message_id``, and the stores are compared:

- lost: a message the gateway accepted that is neither answered nor retryable (stuck ``pending``);
- processed twice: a conversation with more user messages in Rasa's tracker (less those a retry
  undid) than answered turns.

Bounded: ``--max-minutes`` for the whole run. Results go to docs/EVALUATION.md (section ``heal``)
unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dvcbot.procs import free_port  # noqa: E402

MESSAGES = ["xin chào", "đăng ký tạm trú cần giấy tờ gì", "thế lệ phí bao nhiêu", "quên mật khẩu vneid thì làm sao",
            "cảm ơn"]
ORDER = ["nlu", "actions", "rasa", "gateway"]


class Load:
    def __init__(self, url: str, citizens: int) -> None:
        self.url = url
        self.citizens = citizens
        self.outcomes: collections.Counter = collections.Counter()
        self.phase = "warm"
        self.by_phase: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.unanswered: list[dict] = []
        self.sessions: list[str] = []
        self.stop = False

    async def citizen(self, client: httpx.AsyncClient) -> None:
        session = f"heal-{uuid.uuid4().hex[:10]}"
        self.sessions.append(session)
        i = 0
        while not self.stop:
            body = {"session_id": session, "text": MESSAGES[i % len(MESSAGES)], "channel": "api",
                    "message_id": f"{session}-{i}"}
            i += 1
            try:
                resp = await client.post("/api/v1/chat", json=body)
                data = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
                if resp.status_code == 200 and not data.get("degraded") and not data.get("busy"):
                    outcome = "answered"
                elif resp.status_code == 200 and data.get("degraded"):
                    outcome = "apology"
                elif resp.status_code == 200 and data.get("busy"):
                    outcome = "busy"
                else:
                    outcome = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                outcome = "refused" if isinstance(exc, httpx.ConnectError) else type(exc).__name__
            self.outcomes[outcome] += 1
            self.by_phase[self.phase][outcome] += 1
            if outcome != "answered":
                self.unanswered.append(body)
                await asyncio.sleep(1.0)
            await asyncio.sleep(0.5)

    async def run(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=130) as client:
            await asyncio.gather(*(self.citizen(client) for _ in range(self.citizens)))

    async def retry_unanswered(self) -> collections.Counter:
        result: collections.Counter = collections.Counter()
        async with httpx.AsyncClient(base_url=self.url, timeout=130) as client:
            for body in self.unanswered:
                resp = await client.post("/api/v1/chat", json=body)
                data = resp.json()
                result["answered" if resp.status_code == 200 and not data.get("degraded") else "not answered"] += 1
        return result


def status(var: Path) -> dict:
    try:
        return json.loads((var / "run" / "supervisor.json").read_text())["services"]
    except (OSError, ValueError, KeyError):
        return {}


def ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


async def scenario(url: str, var: Path, load: Load, deadline: float) -> dict[str, float | None]:
    back: dict[str, float | None] = {}
    task = asyncio.create_task(load.run())
    await asyncio.sleep(20)
    for name in ORDER:
        before = status(var)[name]
        load.phase = f"{name} down"
        os.kill(before["pid"], signal.SIGKILL)
        t0 = time.monotonic()
        back[name] = None
        while time.monotonic() < deadline:
            now = status(var).get(name, {})
            if now.get("restarts", 0) > before["restarts"] and now.get("state") == "running" and ready(url):
                back[name] = time.monotonic() - t0
                break
            await asyncio.sleep(0.5)
        print(f"   {name}: back after {back[name]} s", flush=True)
        load.phase = f"after {name}"
        await asyncio.sleep(15)
    load.stop = True
    await task
    return back


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citizens", type=int, default=10)
    parser.add_argument("--max-minutes", type=float, default=30)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_minutes * 60

    var = Path(tempfile.mkdtemp(prefix="dvcbot-heal-"))
    ports = {k: free_port() for k in ("NLU", "ACTIONS", "RASA", "GATEWAY")}
    env = {**os.environ, "DVCBOT_VAR_DIR": str(var), "DVCBOT_DATABASE_URL": f"sqlite:///{var / 'dvcbot.db'}",
           **{f"DVCBOT_{k}_PORT": str(v) for k, v in ports.items()},
           # one client address sends for all the simulated citizens: measure healing, not the rate limits
           "DVCBOT_RATE_LIMIT_SESSION": "100000/minute", "DVCBOT_RATE_LIMIT_CLIENT": "100000/minute"}
    url = f"http://127.0.0.1:{ports['GATEWAY']}"
    out = open(var / "run.log", "wb")  # noqa: SIM115
    run = subprocess.Popen([sys.executable, "-m", "dvcbot.cli", "run"], cwd=ROOT, env=env, stdout=out,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        print(">> dvcbot run: waiting until ready", flush=True)
        while not ready(url):
            if run.poll() is not None or time.monotonic() > deadline:
                print((var / "run.log").read_text()[-3000:])
                return 1
            time.sleep(2)
        load = Load(url, args.citizens)
        back = asyncio.run(scenario(url, var, load, deadline))
        retried = asyncio.run(load.retry_unanswered())
    finally:
        run.send_signal(signal.SIGINT)
        try:
            run.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
    with sqlite3.connect(var / "dvcbot.db") as db:
        turns = dict(db.execute("SELECT status, count(*) FROM chat_turns GROUP BY status").fetchall())
        done_per_session = dict(db.execute(
            "SELECT session_id, count(*) FROM chat_turns WHERE status = 'done' AND response NOT LIKE "
            "'%\"degraded\": true%' AND response NOT LIKE '%\"degraded\":true%' GROUP BY session_id").fetchall())
    with sqlite3.connect(var / "rasa_tracker.db") as db:
        # a pass that died unanswered is undone by the retry (a 'rewind' event): it does not count
        user_events = dict(db.execute(
            "SELECT substr(sender_id, instr(sender_id, ':') + 1), "
            "sum(CASE WHEN type_name = 'user' THEN 1 ELSE -1 END) FROM events "
            "WHERE type_name IN ('user', 'rewind') AND sender_id LIKE 'api:heal-%' GROUP BY sender_id").fetchall())
    twice = sum(max(0, n - done_per_session.get(s, 0)) for s, n in user_events.items())
    body = report(args, load, back, retried, turns, twice)
    print(body)
    if not args.no_write:
        from dvcbot.evaldoc import write_section

        write_section("heal", "Healing: kill -9 of each service under load (dvcbot run)", body)
    return 0


def report(args, load: Load, back: dict, retried: collections.Counter, turns: dict, twice: int) -> str:
    lines = [
        f"`python benchmarks/heal.py`: `dvcbot run` on this machine, {args.citizens} citizens sending a message "
        "every ~0.5 s through `POST /api/v1/chat`; each service killed with SIGKILL in turn, 15 s apart "
        f"(load average at the end {os.getloadavg()[0]:.1f}: other agents share the 2 cores). Rate limits "
        "raised for the run (all citizens come from one address). 'other' = the connection was cut "
        "mid-request (the gateway was killed while answering).",
        "",
        "| killed | back after (s) | answered | apology | busy | refused | other |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ORDER:
        c = load.by_phase.get(f"{name} down", collections.Counter())
        other = sum(v for k, v in c.items() if k not in ("answered", "apology", "busy", "refused"))
        took = f"{back[name]:.0f}" if back.get(name) is not None else "not back"
        lines.append(f"| {name} | {took} | {c['answered']} | {c['apology']} | {c['busy']} | {c['refused']} | {other} |")
    lines += [
        "",
        f"All turns: {dict(load.outcomes)}. 'back after' = until the supervisor reports the service running "
        "(warm: its ready URL answers) and the gateway's `/readyz` is ready again. While the gateway itself "
        "is down nobody can answer (refused connections); production runs two gateways behind a load "
        "balancer.",
        f"Every unanswered message sent again with the same message_id afterwards: {dict(retried)}. "
        f"Turns in the store at the end: {turns} ({turns.get('pending', 0)} stuck pending = lost). "
        f"User messages Rasa processed more often than answered turns: {twice} (processed twice).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
