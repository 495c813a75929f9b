"""Synthesised prompts kept at the phone rate, in memory and on disk (keyed by voice and text)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import soxr

from voice.tts import PHONE_RATE, Synthesizer


def to_phone_rate(pcm: bytes, rate: int) -> bytes:
    if rate == PHONE_RATE or not pcm:
        return pcm
    samples = np.frombuffer(pcm, dtype=np.int16)
    return soxr.resample(samples, rate, PHONE_RATE, quality="HQ").astype(np.int16).tobytes()


class PromptCache:
    """LRU in memory (``max_items``) over an optional folder of ``<sha256>.pcm`` files."""

    def __init__(self, synthesizer: Synthesizer, folder: Path | None = None, max_items: int = 256) -> None:
        self.synthesizer = synthesizer
        self.folder = folder
        self.max_items = max_items
        self._mem: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.synthesizer.voice_key}\n{text}".encode()).hexdigest()

    def get(self, text: str) -> bytes:
        """8 kHz 16-bit PCM of ``text`` (synthesised on a miss; blocking: call from a thread)."""
        key = self._key(text)
        with self._lock:
            if key in self._mem:
                self._mem.move_to_end(key)
                self.hits += 1
                return self._mem[key]
        path = self.folder / f"{key}.pcm" if self.folder else None
        if path and path.is_file():
            pcm = path.read_bytes()
            self.hits += 1
        else:
            pcm = to_phone_rate(*self.synthesizer.synthesize(text))
            self.misses += 1
            if path:
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(pcm)
                tmp.replace(path)
        with self._lock:
            self._mem[key] = pcm
            while len(self._mem) > self.max_items:
                self._mem.popitem(last=False)
        return pcm
