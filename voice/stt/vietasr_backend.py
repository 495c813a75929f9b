"""The ``viet-asr`` recogniser (import name ``vietasr``): an embedded Vietnamese model, no download.

Concurrency (read from the installed 0.1.0.dev11 and checked on this machine): ``Pipeline`` loads
the ONNX model once; ``Pipeline.stream()`` makes a native ``Session`` whose modules are *cloned*
from the pipeline's (``VietAsrModule::Clone``, ``VadModule::Clone``; a module without ``Clone``
would make the library log "falling back to shared instance (this Session will not be safe for
concurrent use)", which the ``transcribe`` preset never does). A session keeps its own decoder
state and shares the read-only ONNX Runtime session, whose ``Run`` is thread-safe. The Python
binding is cffi in ABI mode, which releases the GIL during native calls, and inference uses one
thread per session. So several calls' sessions run at the same time on one loaded model (six
concurrent sessions gave the same text as one, about 15 MB of memory each instead of 170 MB per
model); only each session must be used from one thread at a time, which the call's recognition
lane (:mod:`voice.stt.lanes`) guarantees. ``Pipeline.transcribe`` (whole-buffer, used by the
benchmark) has no documented guarantee, so it keeps a lock.
"""

from __future__ import annotations

import threading

import numpy as np

from voice.stt import RecognizerUnavailable


class _VietAsrStream:
    """One utterance; use from one thread at a time (the call's lane)."""

    def __init__(self, session) -> None:
        self._session = session

    def accept(self, pcm: bytes) -> bool:
        self._session.accept(np.frombuffer(pcm, dtype=np.int16))
        return False  # end of turn comes from Pipecat's VAD

    def partial(self) -> str:
        return self._session.partial().partial.strip()

    def final(self) -> str:
        try:
            return self._session.final().text.strip()
        finally:
            self._session.close()


class VietAsrRecognizer:
    """One loaded model shared by every call; each utterance has its own native session."""

    name = "vietasr"
    _shared: VietAsrRecognizer | None = None
    _shared_lock = threading.Lock()

    def __init__(self, preset: str = "transcribe") -> None:
        try:
            from vietasr import Pipeline
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RecognizerUnavailable("the viet-asr package is not installed") from exc
        self._pipeline = Pipeline.preset(preset)
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> VietAsrRecognizer:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def transcribe(self, pcm: bytes, sample_rate: int) -> str:
        samples = np.frombuffer(pcm, dtype=np.int16)
        if samples.size == 0:
            return ""
        with self._lock:
            return self._pipeline.transcribe(samples, float(sample_rate)).text.strip()

    def stream(self, sample_rate: int) -> _VietAsrStream:
        return _VietAsrStream(self._pipeline.stream(float(sample_rate)))
