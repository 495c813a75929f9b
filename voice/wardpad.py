"""Choosing the ward with the keypad after option 4 (nearest agent), for callers who cannot say it.

Elderly callers know their old district (quận, huyện before the 2025 merger) better than the new
ward's name, and nobody knows a ward code, so the keypad goes from what they know to the ward in
three short spoken steps, never more than eight items at a time:

1. "ở các quận nội thành cũ, bấm phím 1; ở các huyện, thị xã cũ, bấm phím 2";
2. the old districts of that part of the city, eight per page ("Ba Đình, bấm phím 1; … nghe tiếp,
   bấm phím 9");
3. the new wards and communes that took over that old district (``data/geo/old_to_new.csv``), the
   ones that took most of it first, eight per page.

The chosen ward goes to the turn service as the routing button's payload
(``/find_agent{"ward": "Phường Ngọc Hà"}``), so the conversation answers with the nearest agents
(name, address, phone, spoken by :mod:`voice.wording`) and the call can be put through to the
agent's phone (key 9). Saying the ward, new or old name, works at every step; ``*`` is the main menu
and ``0`` a person, as everywhere.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 8
MORE_KEY = "9"
URBAN, RURAL = "1", "2"

OFFER = ("Nếu muốn chọn bằng bàn phím: ở các quận nội thành cũ, bấm phím 1; "
         "ở các huyện, thị xã cũ, bấm phím 2.")
ASK_DISTRICT = "Anh chị ở quận, huyện cũ nào?"
ASK_WARD = "Các phường, xã mới thuộc {district} cũ:"
NOT_A_CHOICE = "Xin lỗi, phím này chưa có lựa chọn."


@dataclass(frozen=True)
class District:
    name: str  # "Quận Ba Đình"
    urban: bool
    wards: tuple[str, ...]  # new wards, most of the old district first: "Phường Ngọc Hà", …

    @property
    def short(self) -> str:
        """"Ba Đình" (the name callers say)."""
        return self.name.split(" ", 2)[-1] if self.name.lower().startswith("thị xã") else self.name.split(" ", 1)[1]


@lru_cache(maxsize=1)
def districts() -> tuple[District, ...]:
    """The old districts in their official order, each with the new wards that took it over."""
    weight: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with open(ROOT / "data/geo/old_to_new.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # an old ward wholly merged counts more than a part of one
            weight[(row["old_district_code"], row["old_district"])][row["new_name"]] += (
                2 if row["merge"] == "full" else 1)
    out = []
    for (_code, name), wards in sorted(weight.items()):
        ordered = tuple(w for w, _n in sorted(wards.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(District(name, name.startswith("Quận"), ordered))
    return tuple(out)


def _page(items: list[str], page: int) -> tuple[str, bool]:
    chunk = items[page * PAGE:(page + 1) * PAGE]
    more = len(items) > (page + 1) * PAGE
    parts = [f"{item}, bấm phím {i}" for i, item in enumerate(chunk, 1)]
    if more:
        parts.append(f"nghe tiếp, bấm phím {MORE_KEY}")
    return "; ".join(parts) + ".", more


def payload(ward: str) -> str:
    """The routing button's payload for a ward (what the turn service gets)."""
    return "/find_agent" + json.dumps({"ward": ward}, ensure_ascii=False)


@dataclass
class WardKeypad:
    """The state of one caller's keypad ward choice. :meth:`press` returns what to say and, once a
    ward is chosen, the payload to send."""

    stage: str = "area"  # area → district → ward
    page: int = 0
    choices: list[District] = field(default_factory=list)
    district: District | None = None

    def _options(self) -> list[str]:
        if self.stage == "district":
            return [d.short for d in self.choices]
        if self.stage == "ward" and self.district:
            return list(self.district.wards)
        return []

    def prompt(self) -> str:
        if self.stage == "area":
            return OFFER
        text, _more = _page(self._options(), self.page)
        head = ASK_DISTRICT if self.stage == "district" else ASK_WARD.format(district=self.district.name)
        return f"{head} {text}" if self.page == 0 else text

    def press(self, key: str) -> tuple[str, str | None]:
        """(what to say, payload or None) for one key; keys 1–9 only (``*`` and ``0`` are the menu's)."""
        if self.stage == "area":
            if key not in (URBAN, RURAL):
                return NOT_A_CHOICE + " " + OFFER, None
            self.choices = [d for d in districts() if d.urban == (key == URBAN)]
            self.stage, self.page = "district", 0
            return self.prompt(), None
        options = self._options()
        if key == MORE_KEY and len(options) > (self.page + 1) * PAGE:
            self.page += 1
            return self.prompt(), None
        index = self.page * PAGE + int(key) - 1 if key.isdigit() and key != "0" else -1
        if not (self.page * PAGE <= index < min(len(options), (self.page + 1) * PAGE)):
            return NOT_A_CHOICE + " " + self.prompt(), None
        if self.stage == "district":
            self.district = self.choices[index]
            self.stage, self.page = "ward", 0
            return self.prompt(), None
        ward = options[index]
        return f"Dạ, {ward}. Tôi tìm điểm hỗ trợ gần nhất, anh chị chờ một chút.", payload(ward)
