"""Intent classifier: sentence embeddings + character n-grams, one calibrated logistic model.

Features (concatenated, each block L2-normalised):
- character n-grams (2-5, word-bounded) and word uni/bigrams, TF-IDF, on the accent-folded text
  (``dvcbot.textnorm.fold``), so "lam giay khai sinh" and "làm giấy khai sinh" look the same;
- the knowledge base encoder's query embedding of the normalised text (diacritics kept), which
  carries meaning across paraphrases. Without an encoder the n-grams are used alone.

Every training example is also added as an accent-stripped copy. The multinomial logistic
regression's logits are divided by a temperature fitted on out-of-fold predictions (folds grouped
by original example, so a copy never leaks into its own fold): the confidences are calibrated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from tqdm import tqdm

from dvcbot.textnorm import fold, normalize, strip_accents

Embedder = Callable[[list[str]], np.ndarray]

#: weight of the embedding block relative to the n-gram blocks (each block has unit norm)
EMBEDDING_WEIGHT = 3.0
C = 20.0
SEED = 13
#: below this calibrated confidence the parse's intent is ``nlu_fallback`` (Rasa's FallbackClassifier
#: convention). Chosen on the out-of-fold reliability that ``fit`` reports (``oof_reliability`` in
#: var/nlu/meta.json): at 0.45, 94 % of the out-of-fold training texts are kept and 90 % of those are
#: right (at 0.6: 86 % kept, 92 % right); everyday short texts ("vâng", "cảm ơn") sit far above it.
FALLBACK_THRESHOLD = 0.45


def augment(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str], list[int]]:
    """The examples plus their accent-stripped copies; ``groups`` ties a copy to its original."""
    xs, ys, groups = [], [], []
    for i, (t, y) in enumerate(zip(texts, labels, strict=True)):
        for variant in dict.fromkeys([t, strip_accents(t)]):
            xs.append(variant)
            ys.append(y)
            groups.append(i)
    return xs, ys, groups


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class IntentClassifier:
    def __init__(self, use_embeddings: bool = True) -> None:
        self.use_embeddings = use_embeddings
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\w+"
        )
        self.model: LogisticRegression | None = None
        self.temperature = 1.0
        self.classes: list[str] = []

    # --- features ------------------------------------------------------------------------------
    def _features(self, texts: Sequence[str], embed: Embedder | None, fit: bool = False):
        folded = [fold(t) or "_" for t in texts]
        if fit:
            blocks = [self.char.fit_transform(folded), self.word.fit_transform(folded)]
        else:
            blocks = [self.char.transform(folded), self.word.transform(folded)]
        if self.use_embeddings:
            if embed is None:
                raise RuntimeError("this model was trained with sentence embeddings: an encoder is needed")
            vecs = np.asarray(embed([normalize(t) or "_" for t in texts]), dtype=np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
            blocks.append(csr_matrix(vecs * EMBEDDING_WEIGHT))
        return hstack(blocks).tocsr()

    @staticmethod
    def _new_model() -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=3000, random_state=SEED)

    # --- training --------------------------------------------------------------------------------
    def fit(
        self, texts: Sequence[str], labels: Sequence[str], embed: Embedder | None = None, folds: int = 5
    ) -> dict:
        xs, ys, groups = augment(texts, labels)
        steps = tqdm(total=folds + 2, desc="NLU training", unit="step")
        # features: the embeddings are computed once for all texts; the vectorisers are refitted per
        # fold inside _oof_logits via a fresh classifier that shares the embedding cache
        cache: dict[str, np.ndarray] = {}
        if self.use_embeddings and embed is not None:
            uniq = list(dict.fromkeys(normalize(t) or "_" for t in xs))
            for i in range(0, len(uniq), 64):
                batch = uniq[i : i + 64]
                for t, v in zip(batch, np.asarray(embed(batch)), strict=True):
                    cache[t] = v
        cached: Embedder | None = (lambda b: np.stack([cache[t] for t in b])) if cache else None
        steps.update(1)
        y = np.asarray(ys)
        self.classes = sorted(set(ys))
        oof = np.zeros((len(xs), len(self.classes)))
        for train_idx, test_idx in GroupKFold(n_splits=folds).split(xs, y, groups):
            fold_clf = IntentClassifier(self.use_embeddings)
            xtr = fold_clf._features([xs[i] for i in train_idx], cached, fit=True)
            m = self._new_model().fit(xtr, y[train_idx])
            xte = fold_clf._features([xs[i] for i in test_idx], cached)
            logits = m.decision_function(xte)
            cols = [self.classes.index(c) for c in m.classes_]
            oof[np.ix_(test_idx, cols)] = logits
            steps.update(1)
        target = np.array([self.classes.index(c) for c in ys])

        def nll(t: float) -> float:
            p = _softmax(oof / t)
            return float(-np.log(p[np.arange(len(target)), target] + 1e-12).mean())

        self.temperature = float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)
        self.model = self._new_model().fit(self._features(xs, cached, fit=True), y)
        steps.update(1)
        steps.close()
        oof_pred = np.array(self.classes)[oof.argmax(axis=1)]
        conf = _softmax(oof / self.temperature).max(axis=1)
        correct = oof_pred == y
        reliability = {
            str(th): {
                "kept": round(float((conf >= th).mean()), 3),
                "accuracy_kept": round(float(correct[conf >= th].mean()), 3) if (conf >= th).any() else None,
            }
            for th in (0.3, FALLBACK_THRESHOLD, 0.6, 0.8)
        }
        return {
            "examples": len(texts),
            "with_copies": len(xs),
            "temperature": round(self.temperature, 3),
            "oof_accuracy": round(float((oof_pred == y).mean()), 4),
            "oof_reliability": reliability,
        }

    # --- prediction ------------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str], embed: Embedder | None = None) -> np.ndarray:
        """Calibrated probabilities, columns in ``self.classes`` order."""
        assert self.model is not None, "not trained"
        logits = self.model.decision_function(self._features(texts, embed))
        return _softmax(logits / self.temperature)

    def rank(self, text: str, embed: Embedder | None = None) -> list[tuple[str, float]]:
        probs = self.predict_proba([text], embed)[0]
        order = np.argsort(-probs)
        return [(self.classes[i], float(probs[i])) for i in order]
