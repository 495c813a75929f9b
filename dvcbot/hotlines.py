"""The support numbers of Hanoi's Public Administrative Service Centre and how replies say them.

The one place for these facts: the gateway's apology, the FAQ answers, the routing answers and
every reply in ``bot/domain.yml`` use the spellings below (``bot/domain.yml`` and
``data/faq/faq.yml`` cannot import Python, so ``tests/core/test_hotlines.py`` checks their texts
with :func:`nonstandard_spellings`).

Numbers are written in groups separated by spaces ("024 1022", "1900 1009"): a text-to-speech voice
on the 1022 callbot reads a group as a number, and a chat reader dials them without trouble.
Sources: ``data/faq/PROVENANCE.md`` (hotline 024 1022 ext. 7/8, switchboard 1900 1009, Zalo).
"""

from __future__ import annotations

import re

#: the short name of the hotline, as people and the press call it ("tổng đài 1022")
HOTLINE_SHORT = "1022"
#: the hotline as dialled (Hanoi area code 024)
HOTLINE = "024 1022"
#: the hotline's extensions for citizens
HOTLINE_BRANCHES = "nhánh 7 hoặc nhánh 8"
#: the centre's smart switchboard
SWITCHBOARD = "1900 1009"
#: the centre's Zalo (and Viber) number
ZALO = "0768 221 221"

#: how to call the hotline, speakable: "the 1022 hotline, number 024 1022, extension 7 or 8"
CALL_HOTLINE = f"tổng đài {HOTLINE_SHORT}, số {HOTLINE}, {HOTLINE_BRANCHES}"
#: the hotline and the switchboard: what to call to reach a person
CALL_ANY = f"{CALL_HOTLINE}, hoặc tổng đài {SWITCHBOARD}"
#: every channel of the centre, for "how do I contact you"
ALL_CHANNELS = f"{CALL_HOTLINE}, tổng đài {SWITCHBOARD}, hoặc Zalo {ZALO}"

#: the only spellings a reply may use, by the digits they stand for
SPELLINGS: dict[str, str] = {
    "1022": HOTLINE_SHORT,
    "0241022": HOTLINE,
    "19001009": SWITCHBOARD,
    "0768221221": ZALO,
}

# a run of digits in which single spaces or dots may separate groups ("024.1022", "1900 1009")
_NUMBER_RE = re.compile(r"(?<![\d])\d+(?:[ .]\d+)*(?![\d])")


def digits(spelled: str) -> str:
    """A number as bare digits, its groups joined ("1900 1009", "1900.1009" → ``"19001009"``)."""
    return re.sub(r"[ .]", "", spelled)


def digit_runs(text: str) -> list[str]:
    """The numbers written in ``text``, as bare digits (:func:`digits`)."""
    return [digits(m.group(0)) for m in _NUMBER_RE.finditer(text or "")]


def nonstandard_spellings(text: str) -> list[str]:
    """The spellings of the centre's numbers in ``text`` that differ from :data:`SPELLINGS`.

    ``"gọi 024.1022 hoặc 19001009"`` → ``["024.1022", "19001009"]``. Other numbers (a ministry's
    hotline, a fee, a date) are not this module's business and are ignored.
    """
    bad = []
    for match in _NUMBER_RE.finditer(text):
        spelled = match.group(0)
        if spelled not in SPELLINGS.values() and any(known in digits(spelled) for known in SPELLINGS):
            bad.append(spelled)
    return bad


__all__ = [
    "ALL_CHANNELS",
    "CALL_ANY",
    "CALL_HOTLINE",
    "HOTLINE",
    "HOTLINE_BRANCHES",
    "HOTLINE_SHORT",
    "SPELLINGS",
    "SWITCHBOARD",
    "ZALO",
    "digit_runs",
    "digits",
    "nonstandard_spellings",
]
