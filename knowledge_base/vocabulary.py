"""Citizen vocabulary: everyday and old names of procedures ("tách khẩu", "giấy chứng tử",
"sang tên sổ đỏ") → the procedure, and the request inside a long message.

Data: ``data/vocabulary/citizen_terms.yml`` (each term with its source; provenance in
``data/vocabulary/PROVENANCE.md``). Terms match whole words, accent- and teencode-insensitively
(:func:`dvcbot.textnorm.fold`), longest first. Used by the NLU service (a procedure entity and the
search query) and by the procedure action (a term without a catalogue procedure gets its own
honest answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from dvcbot.settings import get_settings
from dvcbot.textnorm import fold

#: a message longer than this (words) tells a story; the request is looked for in its sentences
LONG_MESSAGE_WORDS = 22
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+|,\s+(?=(?:em|cho|xin|vậy|thì|giờ|bây giờ|nhờ|hỏi|muốn)\b)", re.I)
_QUESTION = re.compile(
    r"\b(?:gi|nao|sao|dau|bao nhieu|bao lau|khong|chua|the nao|nhu nao|ra sao|lam sao|can|muon|hoi|"
    r"huong dan|thu tuc|lam|dang ky|cap|xin|nop)\b"
)


@dataclass(frozen=True)
class Term:
    term: str
    code: str | None = None
    answer: str | None = None
    note: str | None = None
    source: str = ""

    @property
    def key(self) -> str:
        return fold(self.term)


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    path = get_settings().data_dir / "vocabulary" / "citizen_terms.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = [Term(str(t["term"]), str(t["code"]) if t.get("code") else None,
                " ".join(str(t["answer"]).split()) if t.get("answer") else None,
                t.get("note"), str(t.get("source", ""))) for t in data.get("terms", [])]
    return tuple(sorted(out, key=lambda t: len(t.key), reverse=True))


@dataclass(frozen=True)
class Word:
    """An everyday word for a catalogue word ("photo" → "bản sao"), not a procedure."""

    word: str
    means: str
    source: str = ""


@lru_cache(maxsize=1)
def words() -> tuple[Word, ...]:
    path = get_settings().data_dir / "vocabulary" / "citizen_terms.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(Word(str(w["word"]), str(w["means"]), str(w.get("source", ""))) for w in data.get("words", []) or [])


def catalogue_words(text: str) -> list[str]:
    """The catalogue wording of each everyday word in ``text`` (whole words, accent-insensitive)."""
    folded = f" {fold(text)} "
    return list(dict.fromkeys(w.means for w in words() if f" {fold(w.word)} " in folded))


def find_terms(text: str) -> list[Term]:
    """Terms occurring in ``text`` as whole words, longest first, without overlaps."""
    folded = f" {fold(text)} "
    found: list[Term] = []
    for t in terms():
        pos = folded.find(f" {t.key} ")
        if pos < 0:
            continue
        folded = folded[:pos] + " " + "#" * len(t.key) + " " + folded[pos + len(t.key) + 2:]
        found.append(t)
    return found


def find_term(text: str) -> Term | None:
    found = find_terms(text)
    return found[0] if found else None


def is_long(text: str) -> bool:
    """A message that tells a story before its question."""
    return len(fold(text).split()) > LONG_MESSAGE_WORDS


def request_part(text: str) -> str:
    """The part of a long message that asks something: the sentences with a request or a question
    word, the last ones first; short messages are returned unchanged."""
    if not is_long(text):
        return text
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    asking = [s for s in sentences if _QUESTION.search(fold(s))]
    if not asking:
        return text
    part = " ".join(asking[-2:])
    return part if len(fold(part).split()) >= 3 else text


#: a clause of a long message that asks for a procedure (accent-folded, teencode expanded)
_REQUEST_CUE = re.compile(
    r"\b(?:can gi|can nhung|can giay to|giay to gi|mang theo|mang gi|lam the nao|lam sao|nhu the nao|o dau|thu tuc|"
    r"xin|huong dan|muon (?:lam|dang ky|cap|doi|xin|nop|chuyen|tach))\b"
)
_CLAUSE = re.compile(r"(?<=[.!?;,])\s+|\n+")
#: a request clause shorter than this (folded words) names nothing to search for
MIN_CLAUSE_WORDS = 3


def request_clauses(text: str) -> list[str]:
    """The clauses of a long message that carry a request cue ("cần gì", "làm thế nào", "ở đâu",
    "thủ tục", "xin", "muốn làm/đăng ký/cấp/đổi"), in order; [] for a short message."""
    if not is_long(text):
        return []
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    out: list[str] = []
    for sentence in sentences:
        for clause in _CLAUSE.split(sentence):
            clause = clause.strip(" ,.;:!?-")
            folded = fold(clause)
            if len(folded.split()) >= MIN_CLAUSE_WORDS and _REQUEST_CUE.search(folded):
                out.append(clause)
    return out


def best_supported(clause_tops: list[list[str]], whole: list[str], k: int = 5) -> str | None:
    """The procedure a long message asks about, or None (then the usual search stands).

    ``clause_tops``: for each request clause, its search ranking (codes, best first); ``whole``: the
    ranking of the whole message. A code counts when it is first in a request clause AND among the
    whole message's top ``k`` (a clause alone can match something the story is not about); among
    those, the one first in the most clauses wins, then the one ranked higher for the whole."""
    top_k = whole[:k]
    votes: dict[str, int] = {}
    for ranking in clause_tops:
        if ranking and ranking[0] in top_k:
            votes[ranking[0]] = votes.get(ranking[0], 0) + 1
    if not votes:
        return None
    return min(votes, key=lambda code: (-votes[code], top_k.index(code)))


def expand_query(text: str, names: dict[str, str]) -> str:
    """The search query: the request part plus the official name of each term it contains and the
    catalogue wording of its everyday words ("photo" → "bản sao")."""
    part = request_part(text)
    extra = [names[t.code] for t in find_terms(text) if t.code and t.code in names]
    extra += catalogue_words(part)
    return " ".join([part, *extra]) if extra else part
