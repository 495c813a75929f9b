"""A second procedure asked together with the current one becomes their interconnected bundle.

After the answer about a procedure ("đăng ký khai sinh"), a citizen asks for a related one at the
same time: "làm luôn thẻ bảo hiểm y tế cho cháu được không", "kèm thẻ BHYT cho bé luôn". When the
catalogue has an interconnected procedure ("Liên thông ... đăng ký khai sinh, cấp thẻ bảo hiểm y
tế ...") joining the current one with what the message asks for, that bundle is the answer, not the
second procedure on its own.

:func:`bundle_with` is the one deciding function.
"""

from __future__ import annotations

import re
from typing import Any

from dvcbot.textnorm import fold

#: asked at the same time as the current procedure ("làm luôn", "kèm", "cùng lúc", "đồng thời", "tiện"), folded
_TOGETHER = re.compile(r"\b(?:luon|kem(?: theo)?|cung luc|cung mot luc|dong thoi|tien(?: the| lam)?|mot the|mot lan)\b")
#: words of a procedure's name that say nothing of what it is about
_NAME_STOP = frozenset("thu tuc lien thong cac hanh chinh ve va cho doi voi thuc hien tai cap nguoi tre em duoi tren "
                       "tuoi".split())
#: the words of the other part a message must name (of the bundle's words beyond the current procedure's)
MIN_OTHER_WORDS = 2


def asks_together(text: str) -> bool:
    """The message asks for something at the same time as the current procedure ("làm luôn ...")."""
    return bool(_TOGETHER.search(fold(text)))


def _name_words(name: str) -> set[str]:
    return set(fold(name).split()) - _NAME_STOP


def bundle_with(current: str | None, text: str, known: Any) -> str | None:
    """The code of an interconnected procedure ("Liên thông ...") that holds the ``current`` procedure and the
    other one ``text`` asks for together with it; None when the message asks nothing together, or no bundle
    of the catalogue ``known`` (code -> Procedure) joins them. Of several, the one with fewest parts not asked."""
    if not current or current not in known or not asks_together(text):
        return None
    own = _name_words(getattr(known[current], "name", "") or "")
    if not own:
        return None
    asked = set(fold(text).split())
    best: tuple[int, int, str] | None = None
    for code, proc in known.items():
        name = getattr(proc, "name", "") or ""
        if code == current or not fold(name).startswith("lien thong"):
            continue
        words = _name_words(name)
        if not own <= words:
            continue
        other = words - own
        named = len(other & asked)
        if named < MIN_OTHER_WORDS:
            continue
        key = (-named, len(other - asked), code)
        if best is None or key < best:
            best = key
    return best[2] if best is not None else None
