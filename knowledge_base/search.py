"""Hybrid search over procedures and FAQs: e5 dense vectors (FAISS) fused with BM25.

Each retriever scores passages; an item (procedure or FAQ) takes its best passage.

- dense: cosine similarity of the whole query to the passage, rescaled from the useful e5 range
  (:data:`DENSE_FLOOR` .. 1) to 0..1;
- lexical: BM25 divided by the query's *self score* (what a passage made of exactly the query's
  own features would get, so 1.0 means "every query feature matched" whatever the query length),
  capped at 1 and scaled a little by how much of the passage the query covers. For procedures it
  is mostly computed on the query's *topic* (the query without aspect words: "lệ phí", "ở đâu",
  "online", "mất bao lâu" name no procedure but do appear in FAQ questions, which pulled
  procedure questions towards FAQs); FAQs are matched on the whole query.

The two are fused linearly (weights tuned on the dev set). A small prior prefers essential and
popular procedures, which breaks ties between the same procedure listed at several levels.
Expired FAQ entries stay findable (the answer says the policy has ended) and are flagged.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from dvcbot.settings import get_settings
from dvcbot.textnorm import clean, fold
from knowledge_base.aspects import ASPECTS, detect_aspect, topic_text
from knowledge_base.documents import Item
from knowledge_base.index import IndexUnavailableError, LoadedIndex, load_index, passage_text_for_encoder

__all__ = ["ASPECTS", "Hit", "KnowledgeBase", "get_kb", "IndexUnavailableError"]

log = logging.getLogger(__name__)

#: characters of a query that are looked at; rambling voice transcripts rarely need more
MAX_QUERY_CHARS = 600
#: passages fetched from FAISS per query before grouping by item
DENSE_CANDIDATES = 400
#: e5 cosine similarities of unrelated Vietnamese texts sit around 0.7-0.75; rescale from there
DENSE_FLOOR = 0.7
#: fusion weights, tuned on the dev set (a grid over floor, weights and prior; see docs/EVALUATION.md)
DENSE_WEIGHT = 0.4
LEXICAL_WEIGHT = 0.6
#: lexical scores above 1 (features repeated in a passage) are capped
LEXICAL_CAP = 1.0
#: share of the lexical score that depends on how much of the passage the query covers
COVERAGE_SHARE = 0.3
#: prior for essential procedures and popular ones (rank 1 gets the whole popularity bonus):
#: breaks ties and nudges near-ties towards what citizens ask about most
ESSENTIAL_BONUS = 0.02
POPULARITY_BONUS = 0.1
#: share of the topic-only score in a procedure's score (the rest: the whole query)
TOPIC_SHARE = 0.75


@dataclass(frozen=True)
class Hit:
    kind: str  # "procedure" | "faq"
    id: str  # procedure code or FAQ id
    title: str
    score: float
    aspect: str | None
    essential: bool
    source_url: str
    #: an FAQ whose policy has ended (or not started): answer with faq_answer, never as current
    expired: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def prepare_query(query: Any) -> str:
    """Cleaned query text, cut to :data:`MAX_QUERY_CHARS` at a word boundary; "" if unusable."""
    if not isinstance(query, str):
        return ""
    text = clean(query[: MAX_QUERY_CHARS * 4])
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        text = text[: text.rfind(" ")] if " " in text else text
    return text if fold(text) else ""


class KnowledgeBase:
    """The loaded index, lexical index, catalogue and FAQs; thread-safe for searching."""

    def __init__(self, loaded: LoadedIndex, encoder: Any | None = None) -> None:
        self.loaded = loaded
        self.items: list[Item] = loaded.items
        self.passage_item = loaded.passage_item
        self.dense_item = self.passage_item[loaded.dense_passages]
        self.n_items = len(self.items)
        self.lexical = loaded.lexical
        self._encoder = encoder
        self.kind_mask = {
            kind: np.array([i.kind == kind for i in self.items], dtype=bool) for kind in ("procedure", "faq")
        }
        prior = np.zeros(self.n_items, dtype=np.float32)
        for n, item in enumerate(self.items):
            if item.essential:
                prior[n] += ESSENTIAL_BONUS
            if item.popularity_rank:
                prior[n] += POPULARITY_BONUS / (1.0 + np.log1p(item.popularity_rank))
        self.prior = prior
        self._faqs = self._load_faqs()

    # ---- loading ------------------------------------------------------------------------------
    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from knowledge_base.encoder import get_encoder

            self._encoder = get_encoder()
        return self._encoder

    def _load_faqs(self) -> dict[str, Any]:
        from knowledge_base.faq import load_faqs

        return {f.id: f for f in load_faqs()}

    def _expired(self, item: Item) -> bool:
        """An FAQ whose policy is not valid today (checked per search: a server may run for days)."""
        if item.kind != "faq" or item.id not in self._faqs:
            return False
        from knowledge_base.faq import is_current

        return not is_current(self._faqs[item.id], get_settings().current_date())

    # ---- scoring ------------------------------------------------------------------------------
    def _group_max(self, passage_scores: np.ndarray, fill: float) -> np.ndarray:
        out = np.full(self.n_items, -np.inf, dtype=np.float32)
        np.maximum.at(out, self.passage_item, passage_scores.astype(np.float32))
        out[np.isinf(out)] = fill
        return out

    def lexical_scores(self, text: str) -> np.ndarray:
        """Per item, 0..1: best passage of BM25 over the query's self score (capped at 1),
        scaled by how much of the passage the query covers."""
        raw = self.lexical.scores(text)
        if not raw.any():
            return np.zeros(self.n_items, dtype=np.float32)
        norm = np.minimum(raw / max(self.lexical.self_score(text), 1e-6), LEXICAL_CAP)
        scaled = norm * ((1.0 - COVERAGE_SHARE) + COVERAGE_SHARE * self.lexical.coverage(text))
        return self._group_max(scaled, 0.0)

    def dense_raw(self, texts: list[str]) -> np.ndarray:
        """Per text and item: best passage cosine similarity (items outside the FAISS candidates
        get the lowest candidate similarity). Shape (len(texts), n_items)."""
        vecs = self.encoder.encode_queries([passage_text_for_encoder(t) for t in texts])
        vecs = np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(texts), -1)
        k = min(DENSE_CANDIDATES, self.loaded.faiss_index.ntotal)
        sims, idx = self.loaded.faiss_index.search(vecs, k)
        out = np.empty((len(texts), self.n_items), dtype=np.float32)
        for row in range(len(texts)):
            valid = idx[row] >= 0
            floor = float(sims[row][valid].min()) if valid.any() else DENSE_FLOOR
            item_scores = np.full(self.n_items, -np.inf, dtype=np.float32)
            np.maximum.at(item_scores, self.dense_item[idx[row][valid]], sims[row][valid])
            item_scores[np.isinf(item_scores)] = floor
            out[row] = item_scores
        return out

    def dense_scores(self, texts: list[str]) -> np.ndarray:
        """Per text and item, 0..1: best passage cosine rescaled from DENSE_FLOOR."""
        return np.clip((self.dense_raw(texts) - DENSE_FLOOR) / (1.0 - DENSE_FLOOR), 0.0, 1.0)

    def search(
        self,
        query: str,
        k: int = 5,
        kinds: list[str] | tuple[str, ...] | set[str] | None = None,
        lexical_only: bool = False,
    ) -> list[Hit]:
        """The ``k`` best procedures/FAQs for ``query``; [] for empty or meaningless input."""
        text = prepare_query(query)
        if not text or k <= 0:
            return []
        topic = topic_text(text) or text
        is_faq = self.kind_mask["faq"]
        lex_full = self.lexical_scores(text)
        lex_topic = self.lexical_scores(topic) if topic != text else lex_full
        lex = np.where(is_faq, lex_full, TOPIC_SHARE * lex_topic + (1 - TOPIC_SHARE) * lex_full)
        if lexical_only:
            fused = lex + self.prior
            fused[lex <= 0] = -np.inf
        else:
            # one embedding of the whole query serves both kinds: embedding the topic as well cost
            # a second encoder pass and changed nothing on the dev set
            dense = self.dense_scores([text])[0]
            fused = DENSE_WEIGHT * dense + LEXICAL_WEIGHT * lex + self.prior
        if kinds:
            allowed = np.zeros(self.n_items, dtype=bool)
            for kind in kinds:
                allowed |= self.kind_mask.get(kind, np.zeros(self.n_items, dtype=bool))
            fused = np.where(allowed, fused, -np.inf)
        k = min(k, self.n_items)
        top = np.argpartition(-fused, k - 1)[:k]
        top = top[np.argsort(-fused[top], kind="stable")]
        aspect = detect_aspect(text)
        hits = []
        for n in top:
            if not np.isfinite(fused[n]):
                continue
            item = self.items[int(n)]
            hits.append(
                Hit(
                    kind=item.kind,
                    id=item.id,
                    title=item.title,
                    score=round(float(fused[n]), 4),
                    aspect=aspect,
                    essential=item.essential,
                    source_url=item.source_url,
                    expired=self._expired(item),
                )
            )
        return hits


_kb: KnowledgeBase | None = None
_kb_lock = threading.Lock()


def get_kb() -> KnowledgeBase:
    """The process-wide knowledge base, loaded once (index, lexical index, encoder on first search)."""
    global _kb
    with _kb_lock:
        if _kb is None:
            loaded = load_index()
            _warn_if_stale(loaded)
            _kb = KnowledgeBase(loaded)
        return _kb


def _warn_if_stale(loaded: LoadedIndex) -> None:
    """A stale index still answers (its items are in its metadata), but say how to refresh it."""
    from knowledge_base.build.index import content_hash

    try:
        current = content_hash()
    except Exception:  # the sources themselves are broken: their own loaders report that
        log.debug("cannot compute the index content hash", exc_info=True)
        return
    if loaded.meta.get("content_hash") != current:
        log.warning(
            "search index at %s is out of date (catalogue, FAQ, encoder or indexing code changed); "
            "run `dvcbot kb build`",
            loaded.index_dir,
        )


def reset_kb() -> None:
    """Forget the cached knowledge base (tests, or after a rebuild)."""
    global _kb
    with _kb_lock:
        _kb = None


# ---- CLI ---------------------------------------------------------------------------------------
