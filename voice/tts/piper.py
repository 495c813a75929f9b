"""A Piper voice (``.onnx`` + ``.onnx.json``) the operator installs; needs the ``piper-tts`` package.

``piper-tts`` is GPL-3.0, so it is not a dependency of dvcbot: an operator who wants Piper installs
it (``pip install piper-tts``) and points ``DVCBOT_PIPER_VOICE_PATH`` at a Vietnamese voice such as
``vi_VN-vais1000-medium.onnx``. Synthesis goes through the same prompt cache as espeak-ng.
"""

from __future__ import annotations

import threading
from pathlib import Path

from voice.tts import SynthesizerUnavailable


class PiperSynthesizer:
    name = "piper"
    _shared: dict[Path, PiperSynthesizer] = {}
    _lock = threading.Lock()

    def __init__(self, voice_path: Path) -> None:
        voice_path = Path(voice_path)
        if not voice_path.is_file() or not Path(f"{voice_path}.json").is_file():
            raise SynthesizerUnavailable(f"{voice_path} is not a Piper voice (.onnx with .onnx.json beside it)")
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise SynthesizerUnavailable("the piper-tts package is not installed (pip install piper-tts)") from exc
        self._voice = PiperVoice.load(str(voice_path))
        self.voice_path = voice_path
        self._run_lock = threading.Lock()

    @classmethod
    def shared(cls, voice_path: Path) -> PiperSynthesizer:
        key = Path(voice_path).resolve()
        with cls._lock:
            if key not in cls._shared:
                cls._shared[key] = cls(key)
            return cls._shared[key]

    @property
    def voice_key(self) -> str:
        return f"piper:{self.voice_path.name}"

    def synthesize(self, text: str) -> tuple[bytes, int]:
        with self._run_lock:
            chunks = [c.audio_int16_bytes for c in self._voice.synthesize(text)]
        return b"".join(chunks), int(self._voice.config.sample_rate)
