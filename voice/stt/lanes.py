"""Recognition work of all calls on one small thread pool, in order within each call.

Each call's recogniser session must see its audio in order and from one thread at a time (a
streaming session holds per-utterance state), but different calls' sessions are independent and
the native backends release the GIL, so they can run side by side. A :class:`Lane` per call queues
that call's jobs and runs them one after the other on the shared :class:`RecognitionPool`; the pool
has as many threads as the setting says (default: one per core), so six calls on two cores never
mean six threads fighting for two cores, and the asyncio loop never runs recognition itself.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class RecognitionPool:
    """The process's recognition threads (``workers`` ≤ 0: one per CPU core)."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers if workers > 0 else (os.cpu_count() or 2)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="asr")

    def lane(self) -> Lane:
        return Lane(self._executor)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class Lane:
    """A FIFO of jobs run one at a time, in order, on a shared executor."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self._executor = executor
        self._jobs: deque[tuple[Callable[[], Any], Future]] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._closed = False

    def submit(self, fn: Callable[[], Any]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                future.cancel()
                return future
            self._jobs.append((fn, future))
            if self._running:
                return future
            self._running = True
        self._executor.submit(self._drain)
        return future

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                fn, future = self._jobs.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to whoever awaits the job
                future.set_exception(exc)

    def close(self) -> None:
        """Drop the jobs not started yet (the call ended); a running one finishes."""
        with self._lock:
            self._closed = True
            jobs, self._jobs = list(self._jobs), deque()
        for _fn, future in jobs:
            future.cancel()
