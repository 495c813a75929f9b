"""Rule entities: phone, id_number, dossier_code, procedure_aspect.

All offsets are into the ORIGINAL text. Numbers are found on the normalised words of
:mod:`nlu.spans`, so digits typed with separators ("0912.345.678", "024 3825 1234") and digits
read aloud ("không chín một hai ...") are both recognised; a run of digit groups is cut greedily
into the longest pieces that form a valid phone or citizen ID number.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge_base.aspects import detect_aspect
from nlu.spans import Word, words

#: dossier (hồ sơ) receipt codes: "G22.99-250101-0001" (agency code, yymmdd, sequence),
#: "000.00.10.H26-250101-0001" (Hanoi one-stop agency code ending in H26)
DOSSIER_RE = re.compile(
    r"(?<![\w.-])((?:[A-Za-z]\d{2}|\d{3})(?:\.[A-Za-z0-9]{1,4}){1,4}-\d{6}-\d{4,6})(?![\w-])"
)
_PHONE_RES = (
    re.compile(r"0[35789]\d{8}"),  # mobile
    re.compile(r"02\d{9}"),  # landline with area code (024 for Hanoi)
    re.compile(r"84[35789]\d{8}|842\d{9}"),  # +84 ...
    re.compile(r"(?:1900|1800)\d{4,6}"),  # hotlines
)
_ID_RE = re.compile(r"0\d{11}")  # căn cước: 3-digit province code 001-096, then 9 digits
_SPOKEN_DIGITS = {
    "không": "0",
    "một": "1",
    "hai": "2",
    "ba": "3",
    "bốn": "4",
    "tư": "4",
    "năm": "5",
    "lăm": "5",
    "sáu": "6",
    "bảy": "7",
    "bẩy": "7",
    "tám": "8",
    "chín": "9",
}
_JOINERS = {".", "-", "+", "(", ")"}


def _entity(name: str, value: Any, start: int, end: int, extractor: str, confidence: float = 1.0) -> dict:
    return {
        "entity": name,
        "value": value,
        "start": start,
        "end": end,
        "confidence": confidence,
        "extractor": extractor,
    }


def classify_digits(digits: str) -> tuple[str, str] | None:
    """(entity, value) for a digit string that is a phone or citizen ID number, else None."""
    if _ID_RE.fullmatch(digits):
        return "id_number", digits
    for rx in _PHONE_RES:
        if rx.fullmatch(digits):
            return "phone", "0" + digits[2:] if digits.startswith("84") else digits
    return None


def _digit_runs(ws: list[Word], blocked: list[tuple[int, int]]) -> list[list[tuple[str, int, int, bool]]]:
    """Runs of consecutive digit groups: (digits, start, end, spoken)."""
    runs: list[list[tuple[str, int, int, bool]]] = []
    cur: list[tuple[str, int, int, bool]] = []
    for w in ws:
        if any(s <= w.start < e for s, e in blocked):
            group = None
        elif w.norm.isdigit():
            group = (w.norm, w.start, w.end, False)
        elif w.norm in _SPOKEN_DIGITS:
            group = (_SPOKEN_DIGITS[w.norm], w.start, w.end, True)
        else:
            group = None
        if group:
            cur.append(group)
        elif w.norm in _JOINERS and cur:
            continue
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def number_entities(text: str, ws: list[Word] | None = None) -> list[dict]:
    """Dossier codes, phones and 12-digit ID numbers with offsets into ``text``."""
    out: list[dict] = []
    blocked: list[tuple[int, int]] = []
    for m in DOSSIER_RE.finditer(text):
        out.append(_entity("dossier_code", m.group(1).upper(), m.start(1), m.end(1), "dvcbot_regex"))
        blocked.append((m.start(1), m.end(1)))
    ws = words(text) if ws is None else ws
    for run in _digit_runs(ws, blocked):
        i = 0
        while i < len(run):
            for j in range(len(run) - 1, i - 1, -1):
                piece = run[i : j + 1]
                spoken = sum(1 for g in piece if g[3])
                if 0 < spoken < 3 and spoken == len(piece):
                    continue  # "một hai" alone is not a number read aloud
                found = classify_digits("".join(g[0] for g in piece))
                if found:
                    start = piece[0][1]
                    if start > 0 and text[start - 1] == "+":
                        start -= 1
                    out.append(_entity(found[0], found[1], start, piece[-1][2], "dvcbot_regex"))
                    i = j + 1
                    break
            else:
                i += 1
    return sorted(out, key=lambda e: e["start"])


def aspect_entity(text: str, ws: list[Word] | None = None, max_words: int = 200) -> dict | None:
    """The ``procedure_aspect`` entity (the knowledge base's rules) with the span of its cue words.

    The span is the shortest window of words that still triggers the same aspect; texts longer
    than ``max_words`` words get the whole-text span (the search would be quadratic).
    """
    aspect = detect_aspect(text)
    if not aspect:
        return None
    ws = words(text) if ws is None else ws
    keys = [w.folded for w in ws]
    start, end = 0, len(text)
    if ws and len(ws) <= max_words:
        k = next((k for k in range(1, len(ws) + 1) if detect_aspect(" ".join(keys[:k])) == aspect), len(ws))
        i = next((i for i in range(k - 1, -1, -1) if detect_aspect(" ".join(keys[i:k])) == aspect), 0)
        start, end = ws[i].start, ws[k - 1].end
    return _entity("procedure_aspect", aspect, start, end, "dvcbot_rules")


#: where a question asks several things at once ("đổi ở đâu và mất bao nhiêu tiền")
_ASK_SPLIT = re.compile(r"\s+(?:và|với|va|voi|hay|hoặc|hoac|rồi|roi|còn|con)\s+|[,;?.!]+\s*", re.IGNORECASE)


def asked_aspects(text: str) -> set[str]:
    """The aspects asked in the request part of ``text`` (:func:`knowledge_base.vocabulary.
    request_part`), one per clause: a long story's own words ("làm năm 2015", "bảo giờ phải
    đổi") do not count as a question about time."""
    try:
        from knowledge_base.vocabulary import request_part
    except ImportError:  # the knowledge base is optional for the NLU
        part = text
    else:
        part = request_part(text)
    return {a for a in (detect_aspect(c) for c in _ASK_SPLIT.split(part) if c and c.strip()) if a}


def request_aspect_entity(text: str, ws: list[Word] | None = None) -> dict | None:
    """The ``procedure_aspect`` entity of what the message asks: None when it asks two or more
    aspects at once (the general answer gives papers, fee, time and place together); for a long
    message, the aspect of its request part; else :func:`aspect_entity`."""
    asked = asked_aspects(text)
    if len(asked) >= 2:
        return None
    whole = aspect_entity(text, ws)
    if len(asked) == 1 and (whole is None or whole["value"] not in asked):
        return _entity("procedure_aspect", next(iter(asked)), 0, len(text), "dvcbot_rules")
    return whole
