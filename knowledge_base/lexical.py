"""BM25 over accent-folded tokens, word bigrams and character trigrams.

Citizens type without diacritics, with teencode and with typos ("tạm chú" for "tạm trú"), so
every text is first folded with :func:`dvcbot.textnorm.fold` (the same key everywhere in the
project). Three feature families are scored together:

- word unigrams (the main signal),
- word bigrams ("tam tru" is much more specific than "tam" and "tru" apart),
- character trigrams inside word boundaries, down-weighted: they rescue single-letter typos.

The index is a scipy CSR matrix of precomputed BM25 weights (documents x features), so a query
is one sparse matrix-vector product: well under a millisecond for a few thousand documents.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from dvcbot.textnorm import fold

__all__ = ["BM25Index", "features", "STOPWORDS"]

#: question and politeness words that say nothing about *which* procedure is meant. They are
#: dropped from queries and documents alike (folded form), so "cho bác hỏi ... thế nào" does not
#: drift towards FAQ paraphrases that happen to share the phrasing.
STOPWORDS: frozenset[str] = frozenset(
    """
    cho bac hoi chau em anh chi oi voi la va cua co khong duoc toi tui nhu nao gi nhe ne nhi
    ak ah uh um phai muon lam nhung nhieu lau roi nay kia xin
    """.split()
)

#: relative weight of each feature family in the query vector
WEIGHTS = {"w": 1.0, "b": 0.8, "c": 0.25}


def _words(text: str, drop_stopwords: bool = True) -> list[str]:
    toks = fold(text).split()
    if drop_stopwords:
        kept = [t for t in toks if t not in STOPWORDS]
        return kept or toks  # a query made only of stopwords keeps them
    return toks


def features(text: str, drop_stopwords: bool = True) -> Counter[str]:
    """Feature counts of ``text``: ``w:`` unigrams, ``b:`` bigrams, ``c:`` char trigrams."""
    words = _words(text, drop_stopwords)
    feats: Counter[str] = Counter()
    for w in words:
        feats["w:" + w] += 1
        padded = f"#{w}#"
        if len(padded) >= 4:
            for i in range(len(padded) - 2):
                feats["c:" + padded[i : i + 3]] += 1
    for a, b in zip(words, words[1:], strict=False):
        feats[f"b:{a}_{b}"] += 1
    return feats


class BM25Index:
    """Okapi BM25 with precomputed document weights.

    Each feature family gets its own length normalisation (document length counted per family),
    so long character-trigram lists do not swamp the word features.
    """

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, by_feature: sparse.csr_matrix) -> None:
        self.vocab = vocab
        self.idf = idf
        #: features x documents BM25 weights; a query selects its feature rows
        self.by_feature = by_feature
        self.n_docs = by_feature.shape[1]
        # idf of each word/bigram feature a document contains (char trigrams excluded), for coverage
        is_word = np.zeros(len(vocab), dtype=np.float32)
        for feat, j in vocab.items():
            if feat[0] in "wb":
                is_word[j] = 1.0
        pattern = (by_feature > 0).astype(np.float32)
        self._word_idf = sparse.diags(idf.astype(np.float32) * is_word).dot(pattern).tocsr()
        self._word_mass = np.asarray(self._word_idf.sum(axis=0), dtype=np.float32).ravel() + 1e-6

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.6) -> BM25Index:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        fam_len = {f: np.zeros(len(texts), dtype=np.float32) for f in WEIGHTS}
        doc_feats = [features(t) for t in texts]
        for i, feats in enumerate(doc_feats):
            for feat, tf in feats.items():
                j = vocab.setdefault(feat, len(vocab))
                rows.append(i)
                cols.append(j)
                tfs.append(float(tf))
                fam_len[feat[0]][i] += tf
        n_docs = max(len(texts), 1)
        tf_m = sparse.csr_matrix((tfs, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float32)
        df = np.asarray((tf_m > 0).sum(axis=0)).ravel()
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        # BM25 weight per stored entry
        coo = tf_m.tocoo()
        fam_of_col = np.array([f[0] for f in vocab], dtype="<U1") if vocab else np.array([], "<U1")
        dl = np.empty_like(coo.data)
        for fam, lengths in fam_len.items():
            mask = fam_of_col[coo.col] == fam
            avg = float(lengths.mean()) or 1.0
            dl[mask] = lengths[coo.row[mask]] / avg
        tf = coo.data
        w = idf[coo.col] * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * dl))
        by_feature = sparse.csr_matrix(
            (w, (coo.col, coo.row)), shape=(len(vocab), len(texts)), dtype=np.float32
        )
        return cls(vocab, idf, by_feature)

    # ---- persistence (built with the dense index, loaded in milliseconds) ----------------------
    def save(self, directory: Path, name: str = "lexical") -> None:
        m = self.by_feature
        np.savez(
            directory / f"{name}.npz",
            data=m.data,
            indices=m.indices,
            indptr=m.indptr,
            shape=np.array(m.shape),
            idf=self.idf,
        )
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        (directory / f"{name}.vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, name: str = "lexical") -> BM25Index:
        with np.load(directory / f"{name}.npz") as z:
            m = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
            idf = z["idf"]
        vocab_list = json.loads((directory / f"{name}.vocab.json").read_text(encoding="utf-8"))
        if len(vocab_list) != m.shape[0] or len(idf) != m.shape[0]:
            raise ValueError("lexical index files do not match")
        return cls({f: i for i, f in enumerate(vocab_list)}, idf, m)

    def _query_features(self, text: str) -> tuple[list[int], np.ndarray]:
        idx: list[int] = []
        vals: list[float] = []
        for feat in features(text):
            j = self.vocab.get(feat)
            if j is not None:
                idx.append(j)
                vals.append(WEIGHTS[feat[0]])
        return idx, np.asarray(vals, dtype=np.float32)

    def scores(self, text: str) -> np.ndarray:
        """BM25 score of every document for ``text`` (zeros when nothing matches)."""
        idx, vals = self._query_features(text)
        if not idx:
            return np.zeros(self.n_docs, dtype=np.float32)
        # rows of the feature-major matrix: one small sparse slice, then a weighted sum
        return np.asarray(self.by_feature[idx].T @ vals, dtype=np.float32).ravel()

    def coverage(self, text: str) -> np.ndarray:
        """Per document: the idf-weighted share of its words and bigrams that the query contains.

        BM25 only looks from the query's side; a short passage that the query covers entirely
        ("Cấp hộ chiếu phổ thông") is a better match than a long one sharing the same query words
        with many others. Used to scale BM25 a little (see ``knowledge_base.search``)."""
        idx = [self.vocab[f] for f in features(text) if f[0] in "wb" and f in self.vocab]
        if not idx:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._word_idf[idx].sum(axis=0), dtype=np.float32).ravel() / self._word_mass

    def self_score(self, text: str) -> float:
        """The score a document made of exactly the query's known features would get (average
        length, each feature once): the scale that makes lexical scores comparable across queries."""
        total = 0.0
        for feat in features(text):
            j = self.vocab.get(feat)
            if j is not None:
                total += WEIGHTS[feat[0]] * float(self.idf[j])
        return total

    def top(self, text: str, k: int = 10) -> list[tuple[int, float]]:
        s = self.scores(text)
        if not s.any():
            return []
        k = min(k, len(s))
        idx = np.argpartition(-s, k - 1)[:k]
        idx = idx[np.argsort(-s[idx])]
        return [(int(i), float(s[i])) for i in idx if s[i] > 0]
