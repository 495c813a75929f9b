"""Our recognisers as a Pipecat STT service (segments cut by Pipecat's Silero VAD)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator

from pipecat.frames.frames import ErrorFrame, Frame, TranscriptionFrame
from pipecat.services.settings import STTSettings
from pipecat.services.stt_service import SegmentedSTTService
from pipecat.transcriptions.language import Language
from pipecat.utils.time import time_now_iso8601

from voice.stt import Recognizer
from voice.stt.normalize import normalize_transcript


class RecognizerSTTService(SegmentedSTTService):
    """Transcribes each VAD segment with a :class:`Recognizer` in a worker thread.

    The frame's ``text`` is the normalised transcript (what the turn service gets); ``result``
    holds ``{"raw": ..., "backend": ..., "seconds": ...}`` for the call transcript and benchmarks.
    An utterance with no words (noise, a cough) produces no frame.
    """

    def __init__(self, recognizer: Recognizer, **kwargs) -> None:
        kwargs.setdefault("settings", STTSettings(model=recognizer.name, language=None))
        # the time from the end of speech to the transcript, for Pipecat's turn metadata
        kwargs.setdefault("ttfs_p99_latency", 1.0)
        super().__init__(**kwargs)
        self._recognizer = recognizer

    @property
    def wants_wav_segments(self) -> bool:
        return False  # our recognisers read raw 16-bit PCM

    def can_generate_metrics(self) -> bool:
        return True

    async def run_stt(self, audio: bytes) -> AsyncGenerator[Frame | None, None]:
        started = time.perf_counter()
        try:
            raw = await asyncio.to_thread(self._recognizer.transcribe, audio, self.sample_rate)
        except Exception as exc:  # a native backend error must not end the call
            yield ErrorFrame(error=f"speech recognition failed: {exc.__class__.__name__}")
            return
        text = normalize_transcript(raw)
        if not text:
            return
        seconds = len(audio) / 2 / self.sample_rate
        yield TranscriptionFrame(
            text, self._user_id, time_now_iso8601(), Language.VI,
            result={"raw": raw, "backend": self._recognizer.name, "audio_seconds": seconds,
                    "recognise_seconds": time.perf_counter() - started},
        )
