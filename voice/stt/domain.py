"""Domain correction of a transcript: ward, procedure and service names put back as they are written.

Neither backend can be biased towards our vocabulary while keeping open recognition (vietasr has
no hotword interface; a Vosk grammar *restricts* recognition to its phrases, see
:mod:`voice.stt.vosk_backend`). Recognisers mostly get Vietnamese names wrong by a tone or one
letter ("phường ngọc hả", "căn cược"), so after recognition the transcript's syllable n-grams are
compared with the domain's names, accent-insensitively:

- a name of two or more syllables whose accent-stripped form equals the n-gram's replaces it (the
  tones were wrong; the letters were right);
- a longer name (at least ``fuzzy_min_chars`` letters) one letter away from the n-gram replaces it
  only when it is the only name that close;
- ward and old-district names only right after a place word ("phường", "xã", "quận", "huyện",
  "thị trấn", "thị xã"), since many are ordinary words ("ba đình", "hồng hà");
- single syllables are never touched. Conservative by design: a wrong correction is worse than none.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from dvcbot.textnorm import clean, strip_accents
from knowledge_base.vocabulary import term_entries

ROOT = Path(__file__).resolve().parents[2]
#: words after which a place name is expected
PLACE_WORDS = ("phường", "xã", "quận", "huyện", "thị trấn", "thị xã")
#: service words callers say that are not in the procedure data
DOMAIN_TERMS = ("căn cước", "căn cước công dân", "định danh điện tử", "tài khoản định danh", "dịch vụ công",
                "hộ chiếu", "giấy khai sinh", "lệ phí trước bạ", "thanh toán trực tuyến", "bưu điện")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Term:
    written: str
    syllables: int
    key: str  # accent-stripped, lower case, single spaces
    place: bool


def _key(text: str) -> str:
    return " ".join(_WORD.findall(strip_accents(clean(text))))


def _within_one(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


class DomainCorrector:
    def __init__(self, names: list[str], places: list[str], fuzzy_min_chars: int = 9) -> None:
        terms: dict[tuple[str, bool], _Term] = {}
        for written, place in [(n, False) for n in names] + [(p, True) for p in places]:
            written = clean(written)
            key = _key(written)
            n = len(key.split())
            if n >= 2 and (key, place) not in terms:
                terms[(key, place)] = _Term(written, n, key, place)
        self._terms = sorted(terms.values(), key=lambda t: -t.syllables)
        self._by_len: dict[int, list[_Term]] = {}
        for t in self._terms:
            self._by_len.setdefault(t.syllables, []).append(t)
        self._sizes = sorted(self._by_len, reverse=True)
        self.fuzzy_min_chars = fuzzy_min_chars

    def __len__(self) -> int:
        return len(self._terms)

    def _match(self, words: list[str], place: bool) -> _Term | None:
        key = " ".join(_key(w) for w in words)
        candidates = [t for t in self._by_len.get(len(words), ()) if t.place == place]
        exact = [t for t in candidates if t.key == key]
        if exact:
            return exact[0] if len({t.written for t in exact}) == 1 else None
        if len(key) < self.fuzzy_min_chars:
            return None
        close = {t.written: t for t in candidates if len(t.key) >= self.fuzzy_min_chars and _within_one(t.key, key)}
        return next(iter(close.values())) if len(close) == 1 else None

    def correct(self, text: str) -> str:
        """The transcript with domain names in their written form (lower case, as transcripts are)."""
        words = clean(text).split()
        out: list[str] = []
        i = 0
        while i < len(words):
            after_place = any(" ".join(out[-len(p.split()):]) == p for p in PLACE_WORDS if out)
            replaced = False
            for n in self._sizes:
                if i + n > len(words):
                    continue
                chunk = words[i:i + n]
                if any(not _WORD.fullmatch(w) for w in chunk):
                    continue
                term = (self._match(chunk, True) if after_place else None) or self._match(chunk, False)
                if term is not None:
                    out.extend(term.written.split())
                    i += n
                    replaced = True
                    break
            if not replaced:
                out.append(words[i])
                i += 1
        return " ".join(out)


def _strip_prefix(name: str) -> str:
    return re.sub(r"^(phường|xã|quận|huyện|thị trấn|thị xã)\s+", "", clean(name))


@lru_cache(maxsize=1)
def default_corrector() -> DomainCorrector:
    """Names from the project data: wards (new and old), old districts, procedure aliases and
    citizen terms, plus :data:`DOMAIN_TERMS`."""
    places: list[str] = []
    with open(ROOT / "data/geo/wards.csv", encoding="utf-8") as f:
        places += [row["name"] for row in csv.DictReader(f)]
    with open(ROOT / "data/geo/old_to_new.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            places += [_strip_prefix(row["old_name"]), _strip_prefix(row["old_district"])]
    names = list(DOMAIN_TERMS)
    aliases = yaml.safe_load((ROOT / "data/procedures/aliases.yml").read_text(encoding="utf-8")) or {}
    names += [a for values in aliases.values() for a in values if len(a.split()) <= 5]
    names += [str(t["term"]) for t in term_entries() if len(str(t.get("term", "")).split()) <= 5]
    return DomainCorrector(names, places)


def hint_phrases(limit: int = 2000) -> list[str]:
    """The domain's words as a phrase list (for a Vosk grammar): place words + names, lower case."""
    c = default_corrector()
    phrases = [*PLACE_WORDS, *(t.written for t in c._terms)]
    return list(dict.fromkeys(phrases))[:limit]
