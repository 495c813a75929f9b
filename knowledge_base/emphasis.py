"""The emphasis "hẳn" typed inside a residence phrase (issue 9).

Citizens stress a move for good with "hẳn" between the verb and the household word: "nhập hẳn hộ khẩu cho
mẹ", "chuyển hẳn khẩu về nhà tôi", "tách hẳn hộ ra". There it breaks the phrase the vocabulary and the
titles know ("nhập hộ khẩu", "chuyển khẩu", "tách hộ") and adds nothing: moving one's residence is already
for good. :func:`without_emphasis` drops it there, and only there: elsewhere "hẳn" is a meaning of its own
("nghỉ hẳn", "đóng cửa hẳn", "đóng hẳn công ty" close a business for good, "ở hẳn" is no short stay).
Typed without diacritics, "han" is also the "hạn" of "gia hạn", "hết hạn": it is dropped only between a
verb of moving (nhập, chuyển, tách) and the household word.
"""

from __future__ import annotations

import re

#: the household words a residence verb takes (as typed with diacritics)
_HOUSEHOLD = r"(?:hộ khẩu|khẩu|hộ|thường trú)"
#: "hẳn" typed with diacritics before one of them
_EMPHASIS = re.compile(rf"(?<=\w)\s+hẳn(?=\s+{_HOUSEHOLD}(?!\w))", re.IGNORECASE)
#: ... and "han" typed without them, between a verb of moving and a household word
_BARE_EMPHASIS = re.compile(r"(?<!\w)(nhap|chuyen|tach)\s+han(?=\s+(?:ho khau|khau|ho|thuong tru)(?!\w))",
                            re.IGNORECASE)


def without_emphasis(text: str) -> str:
    """``text`` without the emphasis "hẳn" before a household word ("nhập hẳn hộ khẩu" → "nhập hộ khẩu")."""
    return _BARE_EMPHASIS.sub(r"\1", _EMPHASIS.sub("", text))
