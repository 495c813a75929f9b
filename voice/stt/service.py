"""Our recognisers as a Pipecat STT service that recognises while the caller speaks.

Audio is fed to the recogniser's streaming session as it arrives (from Silero's "started speaking",
with a short pre-roll so the first syllable is not lost), through the call's lane of the shared
recognition pool (:mod:`voice.stt.lanes`: in order within the call, calls side by side), so the
pipeline never waits for it. When Silero says the caller stopped, only the final flush remains,
which keeps the time from the end of speech to the transcript short. One transcript per utterance;
an utterance with no words (noise, a cough) produces none.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from concurrent.futures import Future

from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    Frame,
    TranscriptionFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection
from pipecat.services.settings import STTSettings
from pipecat.services.stt_service import STTService
from pipecat.transcriptions.language import Language
from pipecat.utils.time import time_now_iso8601

from voice.stt import Recognizer, RecognizerStream
from voice.stt.domain import DomainCorrector
from voice.stt.lanes import RecognitionPool
from voice.stt.normalize import normalize_transcript


class RecognizerSTTService(STTService):
    """The frame's ``text`` is the normalised transcript (what the turn service gets); ``result``
    holds ``{"raw", "backend", "audio_seconds", "final_seconds"}`` (final_seconds: the time from
    the end of speech to the transcript) for the call record and the benchmark."""

    def __init__(self, recognizer: Recognizer, preroll_secs: float = 0.3, pool: RecognitionPool | None = None,
                 corrector: DomainCorrector | None = None, **kwargs) -> None:
        kwargs.setdefault("settings", STTSettings(model=recognizer.name, language=None))
        kwargs.setdefault("ttfs_p99_latency", 0.5)
        super().__init__(**kwargs)
        self._recognizer = recognizer
        self._preroll_secs = preroll_secs
        self._preroll = bytearray()
        self._stream: Future[RecognizerStream] | None = None
        self._fed_bytes = 0
        self._own_pool = pool is None
        self._pool = pool or RecognitionPool(1)
        self._worker = self._pool.lane()
        self._corrector = corrector

    def can_generate_metrics(self) -> bool:
        return True

    async def run_stt(self, audio: bytes) -> AsyncGenerator[Frame | None, None]:
        if self._stream is None:
            self._preroll += audio
            keep = int(self.sample_rate * self._preroll_secs) * 2
            del self._preroll[:-keep or None]
        else:
            self._feed(audio)
        return
        yield  # an async generator that yields nothing: transcripts come on "stopped speaking"

    def _feed(self, audio: bytes) -> None:
        stream = self._stream

        def accept() -> None:
            stream.result().accept(audio)

        self._fed_bytes += len(audio)
        self._worker.submit(accept)  # runs in order on the call's lane; never awaited here

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, VADUserStartedSpeakingFrame):
            await self._start_utterance()
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            await self._finish_utterance()
        elif isinstance(frame, (EndFrame, CancelFrame)):
            self._close()

    async def _start_utterance(self) -> None:
        if self._stream is not None:
            return
        rate = self.sample_rate
        self._stream = self._worker.submit(lambda: self._recognizer.stream(rate))
        self._fed_bytes = 0
        preroll, self._preroll = bytes(self._preroll), bytearray()
        if preroll:
            self._feed(preroll)

    async def _finish_utterance(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        stopped = time.perf_counter()
        seconds = self._fed_bytes / 2 / self.sample_rate
        try:
            # after every accept already queued: the worker runs them in order
            raw = await asyncio.wrap_future(self._worker.submit(lambda: stream.result().final()))
        except Exception as exc:  # a native backend error must not end the call
            await self.push_error(f"speech recognition failed: {exc.__class__.__name__}", exception=exc)
            return
        text = normalize_transcript(raw, self._corrector)
        if not text:
            return
        await self.push_frame(TranscriptionFrame(
            text, self._user_id, time_now_iso8601(), Language.VI, finalized=True,
            result={"raw": raw, "backend": self._recognizer.name, "audio_seconds": round(seconds, 3),
                    "final_seconds": round(time.perf_counter() - stopped, 3)},
        ))

    def _close(self) -> None:
        self._worker.close()
        if self._own_pool:
            self._pool.shutdown()

    async def cleanup(self) -> None:
        await super().cleanup()
        self._close()
