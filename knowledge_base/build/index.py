"""Build the search index (``dvcbot kb build``): embed the passages, write FAISS + BM25 + metadata.

Skipped when the content hash (catalogue, FAQ entries, encoder, indexing code) is unchanged. Passage
embeddings are cached under ``settings.var_dir / "cache"`` keyed by the encoder id, so a rebuild
after a small catalogue or FAQ change only embeds the new texts. The folder is written with
:func:`dvcbot.artifacts.build_into` (temporary folder swapped into place). The layout is described
in :mod:`knowledge_base.index`, which loads it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from dvcbot import artifacts
from dvcbot.settings import get_settings
from knowledge_base.documents import DOCUMENTS_VERSION, build_corpus
from knowledge_base.index import FORMAT, INDEX_FILE, META_FILE, encoder_id, passage_text_for_encoder
from knowledge_base.lexical import BM25Index

__all__ = ["build_index", "content_hash", "is_current", "load_sources"]

log = logging.getLogger(__name__)

BATCH = 64


# ---- content hash ---------------------------------------------------------------------------


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
    root = Path(__file__).resolve().parents[2]
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


