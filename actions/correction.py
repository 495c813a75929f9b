"""A message that takes back the bot's reading and names a new request (issue 9).

"à không, ý tôi là nhập hộ khẩu cho mẹ", "nhầm, em muốn hỏi thường trú chứ", "ko phải, đăng ký cho bố ở
hẳn": the citizen corrects what the bot answered. The procedure answered before is then no topic to
stay on: the message is read alone, as a new question (a follow-up would keep or vary the old one,
"đăng ký tạm trú" → its residence look-alikes). :func:`takes_back` tells such a message: a take-back cue
(:data:`_TAKE_BACK`) and, after it, words that name something (not "không, cảm ơn", not "ý tôi là thế").
"""

from __future__ import annotations

import re

from dvcbot.textnorm import fold as _fold
from dvcbot.textnorm import normalize
from knowledge_base.vocabulary import names_nothing

#: a take-back at the start ("à không,", "ko phải,", "không phải là", "nhầm rồi", "không không,"), or "ý tôi là", "ý em
#: muốn hỏi", "tôi nhầm", "gõ nhầm" anywhere (folded, punctuation kept)
_TAKE_BACK = re.compile(
    r"^(?:(?:a|u|o|da|ah|oi|uh|ui)\s*,?\s+)?(?:(?:khong|ko|k|hong)(?:\s+(?:khong|ko|phai))?\s*[,.!:;]|"
    r"(?:khong|ko|k) phai la\b|nham(?: roi)?\b)"
    r"|\by (?:toi|em|minh|chau|bac|con|to|anh|chi|co|chu|ong|ba) (?:la|muon hoi|hoi|dinh hoi|muon noi)\b"
    r"|\b(?:toi|em|minh|chau|bac|con|e|t) (?:nham|noi nham|go nham|viet nham|hoi nham)\b"
    r"|\b(?:go|viet|noi|hoi) nham\b"
)
#: words after the cue that name no new request ("không, cảm ơn", "ý tôi là thế đấy")
_NOTHING_NEW = frozenset(_fold("cảm ơn cám thôi thế vậy đó đấy này như ạ à nhé nha đâu rồi").split())


def _folded(text: str) -> str:
    """``text`` accent-folded word by word with its punctuation kept ("à không, ý" → "a khong , y")."""
    return " ".join(_fold(w) or w for w in normalize(text).split())


def takes_back(text: str) -> bool:
    """True when ``text`` takes back the bot's reading and names a new request (see the module)."""
    folded = _folded(text)
    match = _TAKE_BACK.search(folded)
    if match is None:
        return False
    rest = re.sub(r"[^\w\s]", " ", folded[match.end():])
    own = [w for w in rest.split() if w not in _NOTHING_NEW]
    return bool(own) and not names_nothing(" ".join(own))
