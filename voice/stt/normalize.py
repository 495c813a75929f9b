"""A recognised utterance normalised the way typed text is, plus what only speech needs.

Recognisers write what they hear: letters spelled out ("vê en e ai đi"), numbers as words ("không
chín tám ..."). Typed text goes through :func:`dvcbot.textnorm.normalize`; a transcript goes through
the same function after spelled-out names are joined, so the NLU sees one form for both.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dvcbot.textnorm import clean, normalize

if TYPE_CHECKING:
    from voice.stt.domain import DomainCorrector

#: names callers spell out letter by letter, as Vietnamese speakers say the letters → the written name
SPELLED_NAMES: dict[str, str] = {
    "vê en e ai đi": "VNeID",
    "vê nê i đê": "VNeID",
    "vi en i ai đi": "VNeID",
    "vi en e ai đi": "VNeID",
    "vê en i đi": "VNeID",
    "xê xê xê đê": "CCCD",
    "xê mờ nờ đê": "CMND",
    "ô tê pê": "OTP",
    "quy a": "QR",
    "ciu a": "QR",
    "gờ pê lờ ích": "GPLX",
}
_SPELLED = sorted(SPELLED_NAMES.items(), key=lambda kv: -len(kv[0]))


def join_spelled(text: str) -> str:
    """Replace spelled-out names by their written form ("vê en e ai đi" → "VNeID")."""
    text = clean(text)
    for spoken, written in _SPELLED:
        text = re.sub(rf"(?<!\w){re.escape(spoken)}(?!\w)", written, text)
    return text


def normalize_transcript(text: str, corrector: DomainCorrector | None = None) -> str:
    """What is sent to the turn service for one recognised utterance ("" when nothing was heard);
    with a ``corrector``, domain names are put back in their written form first."""
    joined = join_spelled(text)
    if not joined.strip():
        return ""
    if corrector is not None:
        joined = corrector.correct(joined)
    return normalize(joined)
