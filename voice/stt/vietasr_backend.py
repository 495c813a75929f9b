"""The ``viet-asr`` recogniser (import name ``vietasr``): an embedded Vietnamese model, no download."""

from __future__ import annotations

import threading

import numpy as np

from voice.stt import RecognizerUnavailable


class _VietAsrStream:
    """One utterance; calls into the native library hold the model's lock (one thread at a time)."""

    def __init__(self, session, lock: threading.Lock) -> None:
        self._session = session
        self._lock = lock

    def accept(self, pcm: bytes) -> bool:
        with self._lock:
            self._session.accept(np.frombuffer(pcm, dtype=np.int16))
        return False  # end of turn comes from Pipecat's VAD

    def partial(self) -> str:
        with self._lock:
            return self._session.partial().partial.strip()

    def final(self) -> str:
        with self._lock:
            text = self._session.final().text.strip()
            self._session.close()
        return text


class VietAsrRecognizer:
    """One loaded model shared by every call; the native pipeline is used by one thread at a time."""

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
        with self._lock:
            return _VietAsrStream(self._pipeline.stream(float(sample_rate)), self._lock)
