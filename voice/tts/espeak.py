"""Debian's ``espeak-ng`` with its Vietnamese voice: offline, robotic but clear on a phone line."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

from voice.tts import SynthesizerUnavailable


def read_wav(data: bytes) -> tuple[bytes, int]:
    """PCM frames and rate of a 16-bit mono WAV held in memory."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError("expected 16-bit mono WAV")
        return w.readframes(w.getnframes()), w.getframerate()


class EspeakSynthesizer:
    name = "espeak"

    def __init__(self, voice: str = "vi", words_per_minute: int = 150, pitch: int = 45) -> None:
        self._exe = shutil.which("espeak-ng")
        if not self._exe:
            raise SynthesizerUnavailable("espeak-ng is not installed (apt-get install espeak-ng)")
        self.voice, self.wpm, self.pitch = voice, words_per_minute, pitch

    @property
    def voice_key(self) -> str:
        return f"espeak-ng:{self.voice}:{self.wpm}:{self.pitch}"

    def synthesize(self, text: str) -> tuple[bytes, int]:
        # the text goes on stdin, never on the command line (no option injection, no length limit)
        proc = subprocess.run(
            [self._exe, "-v", self.voice, "-s", str(self.wpm), "-p", str(self.pitch), "--stdout"],
            input=text.encode("utf-8"), capture_output=True, timeout=60, check=True,
        )
        return read_wav(proc.stdout)
