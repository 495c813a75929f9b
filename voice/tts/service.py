"""The prompt cache as a Pipecat TTS service (audio out at 8 kHz for the Twilio serializer)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from pipecat.frames.frames import ErrorFrame, Frame
from pipecat.services.settings import TTSSettings
from pipecat.services.tts_service import TTSService

from voice.tts import PHONE_RATE
from voice.tts.cache import PromptCache

#: 100 ms of 8 kHz 16-bit audio per frame, so an interruption stops playback quickly
CHUNK_BYTES = PHONE_RATE // 10 * 2


class CachedTTSService(TTSService):
    def __init__(self, cache: PromptCache, **kwargs) -> None:
        kwargs.setdefault("settings", TTSSettings(model=cache.synthesizer.name, voice=cache.synthesizer.voice_key,
                                                  language=None))
        super().__init__(push_start_frame=True, push_stop_frames=True, sample_rate=PHONE_RATE, **kwargs)
        self._cache = cache

    def can_generate_metrics(self) -> bool:
        return True

    async def run_tts(self, text: str, context_id: str) -> AsyncGenerator[Frame | None, None]:
        try:
            pcm = await asyncio.to_thread(self._cache.get, text)
        except Exception as exc:
            yield ErrorFrame(error=f"speech synthesis failed: {exc.__class__.__name__}")
            return

        async def chunks():
            for i in range(0, len(pcm), CHUNK_BYTES):
                yield pcm[i:i + CHUNK_BYTES]

        await self.start_tts_usage_metrics(text)
        async for frame in self._stream_audio_frames_from_iterator(
            chunks(), in_sample_rate=PHONE_RATE, context_id=context_id
        ):
            await self.stop_ttfb_metrics()
            yield frame
