"""Normalised words that remember where they came from in the original text.

Entities must carry ``start``/``end`` offsets into the text the user typed, while matching happens
on the normalised, accent-folded form (``dvcbot.textnorm``). Each original token is normalised on
its own; an abbreviation that expands to several words ("cccd" → "căn cước công dân") gives
several words that share the token's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dvcbot.textnorm import normalize, strip_accents

# combining marks are included so that text typed in decomposed form (NFD) stays one token
_TOKEN = re.compile(r"[\w\u0300-\u036f]+|[^\w\s\u0300-\u036f]")


@dataclass(frozen=True)
class Word:
    norm: str  # normalised, diacritics kept
    folded: str  # accent-stripped matching key
    start: int  # offsets of the original token
    end: int


def words(text: str) -> list[Word]:
    """Normalised words of ``text`` with the offsets of the original tokens they come from."""
    out: list[Word] = []
    for m in _TOKEN.finditer(text):
        for w in normalize(m.group()).split():
            out.append(Word(w, strip_accents(w), m.start(), m.end()))
    return out


def find_phrase(ws: list[Word], phrase: str) -> tuple[int, int] | None:
    """Offsets in the original text of the first occurrence of the folded word sequence ``phrase``."""
    target = phrase.split()
    n = len(target)
    if not n:
        return None
    keys = [w.folded for w in ws]
    for i in range(len(keys) - n + 1):
        if keys[i : i + n] == target:
            return ws[i].start, ws[i + n - 1].end
    return None
