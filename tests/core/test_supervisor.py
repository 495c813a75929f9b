"""The supervisor of ``dvcbot run``: restart with backoff, whole process groups, a status file.

The supervised programs are small forking HTTP servers (``forking_server.py``) that fail the way
Sanic and uvicorn do: after ``kill -9`` of the main process its worker keeps the port. Every wait
is on a condition with a generous timeout; nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import httpx
import pytest

from dvcbot.procs import Service, free_port, group_members, port_free, wait_until
from dvcbot.settings import Settings
from dvcbot.stack import Supervisor, read_supervisor_status, start_all, supervisor_status_path

SERVER = Path(__file__).with_name("forking_server.py")
WAIT = 120.0


def _service(name: str, tmp_path: Path) -> Service:
    port = free_port()
    return Service(name, [sys.executable, str(SERVER), str(port)], f"http://127.0.0.1:{port}/health",
                   tmp_path / "logs" / f"{name}.log", port=port)


def _worker_pid(svc: Service) -> int:
    return httpx.get(svc.health_url, timeout=10).json()["worker"]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def supervised(tmp_path):
    services = [_service("alpha", tmp_path), _service("beta", tmp_path)]
    status = tmp_path / "run" / "supervisor.json"
    start_all(services, progress=lambda _m: None)
    sup = Supervisor(services, status, backoff=(0.5, 1.0))
    sup.adopt_started()
    stop = threading.Event()
    thread = threading.Thread(target=sup.run, args=(stop.is_set, 0.2), daemon=True)
    thread.start()
    yield sup, services, status
    stop.set()
    thread.join(30)
    sup.stop()


def _status(path: Path) -> dict:
    return json.loads(path.read_text())["services"]


def test_kill_9_of_a_service_restarts_it_alone_and_frees_its_port(supervised):
    sup, (alpha, beta), status = supervised
    old_main, old_worker, beta_pid = alpha.proc.pid, _worker_pid(alpha), beta.proc.pid
    assert _status(status)["alpha"] == {**_status(status)["alpha"], "state": "running", "restarts": 0}

    os.kill(old_main, signal.SIGKILL)  # the worker survives its parent and keeps the port

    assert wait_until(lambda: _status(status)["alpha"]["restarts"] == 1
                      and _status(status)["alpha"]["state"] == "running", WAIT)
    entry = _status(status)["alpha"]
    assert entry["last_reason"] == "exited with signal SIGKILL"
    assert entry["last_restart"] and entry["pid"] == alpha.proc.pid != old_main
    # the orphaned worker of the killed process was stopped, the new one serves the same port
    assert wait_until(lambda: not _alive(old_worker), WAIT)
    assert _worker_pid(alpha) != old_worker
    # the other service was never touched
    assert beta.proc.pid == beta_pid and beta.alive() and _status(status)["beta"]["restarts"] == 0
    assert httpx.get(beta.health_url, timeout=10).status_code == 200
    log = Path(alpha.log_path).read_text()
    assert log.count("started worker") == 2


def test_stop_leaves_no_process_and_no_port_behind(tmp_path):
    services = [_service("alpha", tmp_path), _service("beta", tmp_path)]
    start_all(services, progress=lambda _m: None)
    sup = Supervisor(services, tmp_path / "supervisor.json")
    sup.adopt_started()
    groups = [s.pgid for s in services]
    workers = [_worker_pid(s) for s in services]
    sup.stop()
    assert all(not group_members(g) for g in groups)
    assert all(not _alive(w) for w in workers)
    assert all(port_free(s.port) for s in services)
    assert {v["state"] for v in _status(tmp_path / "supervisor.json").values()} == {"stopped"}


def test_a_service_that_keeps_failing_is_retried_with_growing_backoff(tmp_path):
    port = free_port()
    bad = Service("broken", [sys.executable, "-c", "import sys; sys.exit(3)"], f"http://127.0.0.1:{port}/health",
                  tmp_path / "broken.log", port=port)
    sup = Supervisor([bad], tmp_path / "supervisor.json", backoff=(0.2, 0.4, 0.8))
    bad.start()
    sup.adopt_started()
    stop = threading.Event()
    thread = threading.Thread(target=sup.run, args=(stop.is_set, 0.1), daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: _status(tmp_path / "supervisor.json")["broken"]["restarts"] >= 3, WAIT)
    finally:
        stop.set()
        thread.join(30)
        sup.stop()
    entry = _status(tmp_path / "supervisor.json")["broken"]
    assert entry["last_reason"] == "exited with code 3"
    assert sup.watches[0].failures >= 3  # not reset: it never ran long enough to count as healthy


def test_kill_9_of_the_supervisor_takes_its_children_along(tmp_path):
    """PR_SET_PDEATHSIG: the services do not outlive a supervisor killed with SIGKILL."""
    port = free_port()
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from dvcbot.procs import Service
        from dvcbot.stack import Supervisor, start_all
        svc = Service("alpha", [sys.executable, {str(SERVER)!r}, "{port}"], "http://127.0.0.1:{port}/health",
                      Path({str(tmp_path / 'alpha.log')!r}), port={port})
        start_all([svc], progress=lambda _m: None)
        sup = Supervisor([svc], Path({str(tmp_path / 'supervisor.json')!r}))
        sup.adopt_started()
        sup.run(lambda: False)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    try:
        assert wait_until(lambda: (tmp_path / "supervisor.json").exists(), WAIT)
        child = _status(tmp_path / "supervisor.json")["alpha"]["pid"]
        worker = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).json()["worker"]
        parent.kill()
        parent.wait(30)
        assert wait_until(lambda: not _alive(child) and not _alive(worker), WAIT)
        assert wait_until(lambda: port_free(port), WAIT)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_read_supervisor_status(tmp_path):
    settings = Settings(var_dir=tmp_path)
    assert read_supervisor_status(settings) is None  # no supervisor ever ran here
    path = supervisor_status_path(settings)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"supervisor_pid": os.getpid(), "services": {"nlu": {"restarts": 2}}}))
    assert read_supervisor_status(settings)["services"]["nlu"]["restarts"] == 2
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path.write_text(json.dumps({"supervisor_pid": dead.pid, "services": {}}))
    assert read_supervisor_status(settings) is None  # the file of a supervisor that is gone
