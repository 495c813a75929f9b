"""Speech synthesis: one :class:`Synthesizer` interface; espeak-ng Vietnamese by default, Piper optional.

Every synthesiser returns 16-bit mono PCM at its own rate; :class:`voice.tts.cache.PromptCache`
keeps the 8 kHz result of each (voice, sentence) so repeated prompts (greeting, menu, reprompts)
are synthesised once per process and once on disk; the Twilio serializer turns 8 kHz PCM into μ-law.
"""

from __future__ import annotations

from typing import Protocol

from dvcbot.settings import Settings

#: the rate every prompt is stored and played at: the phone line's
PHONE_RATE = 8000


class Synthesizer(Protocol):
    name: str

    @property
    def voice_key(self) -> str:
        """Identifies the voice and its options in the prompt cache."""

    def synthesize(self, text: str) -> tuple[bytes, int]:
        """16-bit mono PCM and its sample rate."""


class SynthesizerUnavailable(RuntimeError):
    """The configured synthesiser cannot be used (program, package or voice file missing)."""


def make_synthesizer(settings: Settings) -> Synthesizer:
    backend = settings.tts_backend.lower()
    if backend == "espeak":
        from voice.tts.espeak import EspeakSynthesizer

        return EspeakSynthesizer()
    if backend == "piper":
        from voice.tts.piper import PiperSynthesizer

        if not settings.piper_voice_path:
            raise SynthesizerUnavailable("tts_backend is piper but DVCBOT_PIPER_VOICE_PATH is not set")
        return PiperSynthesizer.shared(settings.piper_voice_path)
    raise SynthesizerUnavailable(f"unknown tts_backend {settings.tts_backend!r} (espeak or piper)")
