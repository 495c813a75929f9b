"""Crawl glitches: text that must not be read to a citizen.

The national records were crawled from web pages; some fields were cut in the middle ("Hồ sơ gồm )
và nộp cho ...", a document "name" that is the tail of the steps). Such a field is left out of the
answer, which points to the source instead.
"""

from __future__ import annotations

import re

#: a list marker the records keep in front of items ("b) Bản thuyết minh", "+) Khi", "1. Tờ khai")
_LIST_MARK = re.compile(r"^\s*(?:[+\-*•]\)?|\(?[0-9a-zđivx]{1,4}\)|[0-9]{1,2}[.)])\s+", re.IGNORECASE)
_INLINE_MARK = re.compile(r"(?:\b[0-9a-zđ]{1,3}|\*|\+)\)", re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^\s*[)\]},;:.!?…]")
_LEAKED_STEP = re.compile(r"\bBước\s*\d+\s*[.:]", re.IGNORECASE)


def is_garbled(text: str) -> bool:
    """True for a cut or leaked field: it starts with a closing bracket or punctuation, closes a
    bracket it never opened, carries numbered steps, or has fewer than two words."""
    text = _LIST_MARK.sub("", (text or "").strip(), count=1)
    if len(text.split()) < 2 or _LEADING_JUNK.match(text):
        return True
    body = _INLINE_MARK.sub(" ", text)  # "a1)", "Mục a)", "*)": list markers, not brackets
    if body.count(")") > body.count("("):  # the start was cut ("... ) và nộp cho")
        return True
    return bool(_LEAKED_STEP.search(text))
