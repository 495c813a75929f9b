"""Speech recognition: one :class:`Recognizer` interface, two real offline backends.

- ``vietasr`` (default): the ``viet-asr`` package's embedded Vietnamese streaming model.
- ``vosk``: a Kaldi model from a folder (``DVCBOT_VOSK_MODEL_PATH``), e.g. ``vosk-model-small-vn-0.4``.

:class:`voice.stt.service.RecognizerSTTService` wraps either as a Pipecat STT service.
"""

from __future__ import annotations

from typing import Protocol

from dvcbot.settings import Settings


class RecognizerStream(Protocol):
    """One streaming utterance: feed 16-bit mono PCM, read partial and final text."""

    def accept(self, pcm: bytes) -> bool:
        """Feed audio; True when the backend itself detected an end of utterance."""

    def partial(self) -> str: ...

    def final(self) -> str: ...


class Recognizer(Protocol):
    name: str

    def transcribe(self, pcm: bytes, sample_rate: int) -> str:
        """The text of one whole utterance (16-bit mono PCM)."""

    def stream(self, sample_rate: int) -> RecognizerStream: ...


class RecognizerUnavailable(RuntimeError):
    """The configured backend cannot be loaded (missing package or model folder)."""


def make_recognizer(settings: Settings) -> Recognizer:
    """The recogniser the settings name (loaded once per process and shared by the calls)."""
    backend = settings.asr_backend.lower()
    if backend == "vietasr":
        from voice.stt.vietasr_backend import VietAsrRecognizer

        return VietAsrRecognizer.shared()
    if backend == "vosk":
        from voice.stt.vosk_backend import VoskRecognizer

        if not settings.vosk_model_path:
            raise RecognizerUnavailable("asr_backend is vosk but DVCBOT_VOSK_MODEL_PATH is not set")
        phrases = None
        if settings.vosk_grammar:
            from voice.stt.domain import hint_phrases

            phrases = hint_phrases()
        return VoskRecognizer.shared(settings.vosk_model_path, phrases)
    raise RecognizerUnavailable(f"unknown asr_backend {settings.asr_backend!r} (vietasr or vosk)")
