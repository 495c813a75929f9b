"""Start, watch and stop the service processes (used by ``dvcbot run`` and by the tests).

Every service runs in its own process group (its pid is the group id), so stopping it means
signalling the whole group: worker processes a service forked (Sanic's workers, uvicorn's
reloader) go with it even when the service's main process was killed with SIGKILL and can no
longer pass the signal on. Each child also asks the kernel for SIGTERM when the supervisor
itself dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``dvcbot run`` leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if ``host:port`` can be bound now (nothing listens on it any more)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def wait_until(condition, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None, ok=(200,)) -> bool:
    """Poll ``url`` until it answers with a status in ``ok``; False on timeout or if ``proc`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        if http_ok(url, ok=ok):
            return True
        time.sleep(0.3)
    return False


def http_ok(url: str, timeout: float = 2.0, ok=(200,)) -> bool:
    try:
        return httpx.get(url, timeout=timeout).status_code in ok
    except httpx.HTTPError:
        return False


def _die_with_parent(parent_pid: int) -> None:
    """``preexec_fn``: the child gets SIGTERM when the process that started it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # not Linux: the process group still lets the supervisor clean up
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _exists(send_signal, ident: int) -> bool:
    try:
        send_signal(ident, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def group_alive(pgid: int) -> bool:
    """True while any process of the group ``pgid`` exists (zombies of our own child included)."""
    return _exists(os.killpg, pgid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    return _exists(os.kill, pid)


def group_members(pgid: int) -> list[int]:
    """Pids of the live (non-zombie) processes in group ``pgid`` (Linux ``/proc``)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # fields after the ")" that closes the command name: state ppid pgrp ...
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


def kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


@dataclass
class Service:
    """One child process with its log file and the URL that says it is up."""

    name: str
    cmd: list[str]
    health_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    proc: subprocess.Popen | None = None
    #: the port it listens on: checked free before every (re)start
    port: int | None = None
    host: str = "127.0.0.1"

    @property
    def pgid(self) -> int | None:
        """Its process group id (= the pid it was started with; stays valid after it died)."""
        return self.proc.pid if self.proc is not None else None

    def start(self) -> Service:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        parent = os.getpid()
        with open(self.log_path, "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                self.cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                start_new_session=True,  # its own process group: stopped as a whole
                preexec_fn=lambda: _die_with_parent(parent),
            )
        return self

    def wait_ready(self, timeout: float) -> bool:
        return wait_http(self.health_url, timeout, self.proc)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to the whole group, SIGKILL after ``grace`` s; also reaps orphaned workers."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        if self.proc.poll() is None:
            kill_group(pgid, signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                kill_group(pgid, signal.SIGKILL)
                self.proc.wait(10)
        self.reap_group(grace)

    def reap_group(self, grace: float = 5.0) -> None:
        """Kill what is left of the group after the main process is gone (its workers)."""
        if self.proc is None:
            return
        pgid = self.proc.pid
        if group_members(pgid):
            kill_group(pgid, signal.SIGTERM)
            if not wait_until(lambda: not group_members(pgid), grace):
                kill_group(pgid, signal.SIGKILL)
                wait_until(lambda: not group_members(pgid), 10)
        with contextlib.suppress(ChildProcessError, OSError):
            self.proc.poll()

    def wait_port_free(self, timeout: float = 30.0) -> bool:
        if self.port is None:
            return True
        return wait_until(lambda: port_free(self.port, self.host), timeout)

