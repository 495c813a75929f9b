"""The prompt cache as a Pipecat TTS service (audio out at 8 kHz for the Twilio serializer).

A reply is synthesised sentence by sentence: the first sentence is played as soon as it is ready
while the next is synthesised, so the caller hears the answer start after one sentence's synthesis
instead of the whole reply's. Sentences are also the cache's unit, so a sentence shared by several
prompts ("Anh chị có thể bấm phím 0 để gặp cán bộ...") is synthesised once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, AsyncIterator

from pipecat.frames.frames import ErrorFrame, Frame
from pipecat.services.settings import TTSSettings
from pipecat.services.tts_service import TTSService

from voice.tts import PHONE_RATE
from voice.tts.cache import PromptCache

#: 100 ms of 8 kHz 16-bit audio per frame, so an interruption stops playback quickly
CHUNK_BYTES = PHONE_RATE // 10 * 2
#: a sentence ends at . ? ! ; or : followed by a space (not inside "1.004194" or "0,5")
_SENTENCE_END = re.compile(r"(?<=[.?!;:])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a reply, in order, each with its final punctuation."""
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]


class CachedTTSService(TTSService):
    def __init__(self, cache: PromptCache, **kwargs) -> None:
        kwargs.setdefault("settings", TTSSettings(model=cache.synthesizer.name, voice=cache.synthesizer.voice_key,
                                                  language=None))
        super().__init__(push_start_frame=True, push_stop_frames=True, sample_rate=PHONE_RATE, **kwargs)
        self._cache = cache

    def can_generate_metrics(self) -> bool:
        return True

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame | None, None]:
        parts = sentences(text) or [text]
        failed: list[Exception] = []

        async def chunks() -> AsyncIterator[bytes]:
            upcoming = asyncio.ensure_future(asyncio.to_thread(self._cache.get, parts[0]))
            try:
                for i in range(len(parts)):
                    try:
                        pcm = await upcoming
                    except Exception as exc:
                        failed.append(exc)
                        return
                    if i + 1 < len(parts):  # synthesised while this sentence is played
                        upcoming = asyncio.ensure_future(asyncio.to_thread(self._cache.get, parts[i + 1]))
                    for k in range(0, len(pcm), CHUNK_BYTES):
                        yield pcm[k:k + CHUNK_BYTES]
            finally:
                upcoming.cancel()  # an interruption: the rest of the reply is not needed

        await self.start_tts_usage_metrics(text)
        async for frame in self._stream_audio_frames_from_iterator(
            chunks(), in_sample_rate=PHONE_RATE, context_id=context_id
        ):
            await self.stop_ttfb_metrics()
            yield frame
        if failed:
            yield ErrorFrame(error=f"speech synthesis failed: {failed[0].__class__.__name__}")
