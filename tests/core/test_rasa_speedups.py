"""bot/rasa_speedups.py validates action server responses exactly as Rasa 3.6 does (same accepted
responses, same error for a rejected one), with the validator built once."""

import subprocess
from pathlib import Path

from dvcbot.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]

CHECK = r'''
import json, sys
sys.path.insert(0, "bot")
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
import rasa_speedups

cases = [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "Dạ", "buttons": []}]},
    {"events": [], "responses": []},
    {"events": [{"event": 3}]},
    {"events": "x"},
    {"responses": [{"text": 5}]},
    {"events": [{"event": "followup", "name": "action_x"}], "responses": [{"custom": {"a": 1}}]},
]
action = RemoteAction.__new__(RemoteAction)

def outcomes():
    out = []
    for case in cases:
        try:
            out.append(["ok", RemoteAction._validate_action_result(action, case)])
        except ValidationError as e:
            out.append(["error", e.message])
    return out

before = outcomes()
rasa_speedups.install()
assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
print(json.dumps({"before": before, "after": outcomes()}))
'''


def test_patched_validation_gives_the_same_outcomes_as_rasa():
    python = get_settings().rasa_venv / "bin" / "python"
    done = subprocess.run([str(python), "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["after"] == result["before"]
    assert [o[0] for o in result["after"]].count("error") >= 2  # invalid responses are still rejected
    assert [o[0] for o in result["after"]].count("ok") >= 2


SESSIONS = r'''
import asyncio, json, socket, sys
sys.path.insert(0, "bot")
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig
import rasa_speedups

seen = []

async def webhook(request):
    seen.append({"port": request.transport.get_extra_info("peername")[1], "token": request.query.get("token"),
                 "body": await request.json()})
    return web.json_response({"ok": True, "n": len(seen)})

async def calls(port):
    config = EndpointConfig(f"http://127.0.0.1:{port}", token="t0ken")
    return [await config.request("post", "/webhook", json={"i": i}) for i in range(3)]

async def main():
    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    before = await calls(port)
    ports_before = [r["port"] for r in seen]
    rasa_speedups.install()
    after = await calls(port)
    await runner.cleanup()
    print(json.dumps({"before": before, "after": after, "seen": seen, "ports_before": ports_before,
                      "ports_after": [r["port"] for r in seen[3:]]}))

asyncio.run(main())
'''


def test_endpoint_requests_reuse_one_connection_and_keep_their_parameters():
    import json

    python = get_settings().rasa_venv / "bin" / "python"
    done = subprocess.run([str(python), "-c", SESSIONS], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["ok"] for r in result["after"]] == [True] * 3
    assert [s["token"] for s in result["seen"]] == ["t0ken"] * 6  # the token still goes with every call
    assert [s["body"]["i"] for s in result["seen"]] == [0, 1, 2, 0, 1, 2]
    assert len(set(result["ports_before"])) == 3  # as shipped: a new connection per request
    assert len(set(result["ports_after"])) == 1  # patched: one kept-alive connection
