"""The Hanoi ward gazetteer: free text → ward (new names, old names, old districts) and point → ward.

Data: ``data/geo/`` (imported by ``scripts/import_geo.py``): the 126 wards/communes of the two-level
government, their polygons, and the official old → new conversion table.

Text matching works on accent-folded word tokens of the original text (so that offsets into the
original text are kept for the NLU ``ward`` entity). Rules, in order of preference:

- an old ward named together with its own old district ("phường Yên Hòa quận Cầu Giấy", "Láng Hạ,
  Đống Đa") is that (old ward, old district) row of the official table, before anything else: the
  new wards that took it over, not the new ward named like the district or like the old ward;
- otherwise a new ward name wins over an old name of the same spelling ("Cầu Giấy" is both a new phường and
  an old quận), except after a district word ("quận", "huyện", "thị xã"), which selects the old
  district and returns every new ward that took a part of it;
- an old ward name resolves through the conversion table; a ward split between several new ones
  returns all of them as candidates; an old district named elsewhere in the text ("phường Dịch
  Vọng Hậu, quận Cầu Giấy") narrows old ward names that exist in several districts;
- one-word names ("Láng", "Bưởi") need a unit word before them, and a name right after "đường",
  "phố", "ngõ" is a street, used only when nothing else matched;
- when the input carries diacritics, one-word names must match them too ("làng" is not "Láng").
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely import STRtree
from shapely.geometry import Point, shape

from dvcbot.settings import get_settings
from dvcbot.textnorm import strip_accents

_TOKEN = re.compile(r"[\w\u0300-\u036f]+", re.UNICODE)
_MAX_NAME_TOKENS = 6

#: unit words before a name (accent-folded token sequences)
_WARD_UNITS = [("thi", "tran"), ("phuong",), ("p",), ("xa",), ("x",), ("tt",), ("phg",), ("fuong",)]
_DISTRICT_UNITS = [("thi", "xa"), ("quan",), ("huyen",), ("q",), ("tx",), ("h",)]
_UNIT_PREFIX_OF = {
    ("phuong",): "phuong ", ("p",): "phuong ", ("phg",): "phuong ", ("fuong",): "phuong ",
    ("xa",): "xa ", ("x",): "xa ", ("thi", "tran"): "thi tran ", ("tt",): "thi tran ",
}
_DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_STREET_WORDS = {"duong", "pho", "ngo", "ngach", "hem", "dg", "đg"}
_OLD_UNIT_PREFIX = re.compile(r"^(phường|xã|thị trấn|quận|huyện|thị xã)\s+", re.I)


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    full_name: str
    type: str  # "phuong" | "xa"
    rep_lat: float
    rep_lon: float
    centroid_lat: float
    centroid_lon: float
    area_km2: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "full_name": self.full_name,
            "type": self.type,
            "rep_lat": self.rep_lat,
            "rep_lon": self.rep_lon,
        }


@dataclass
class Resolution:
    """Result of :meth:`Gazetteer.resolve`.

    ``ward_code``/``name`` are set when the text names exactly one new ward; ``candidates`` lists
    every new ward the text may mean (one element when resolved, several when ambiguous, none when
    nothing was found). ``old_name`` is the old unit the text used, when it went through the table.
    """

    ward_code: str | None = None
    name: str | None = None
    candidates: list[Ward] = field(default_factory=list)
    via_old_name: bool = False
    old_name: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def found(self) -> bool:
        return bool(self.candidates)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "ward_code": self.ward_code,
            "name": self.name,
            "candidates": [{"code": w.code, "name": w.full_name} for w in self.candidates],
            "via_old_name": self.via_old_name,
            "old_name": self.old_name,
            "ambiguous": self.ambiguous,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Mention:
    """A ward mention in a sentence; unpacks as ``(value, start, end)``.

    ``value`` is the ward code when unambiguous, else the list of candidate codes.
    """

    value: str | list[str]
    start: int
    end: int
    resolution: Resolution

    def __iter__(self):
        return iter((self.value, self.start, self.end))


@dataclass(frozen=True)
class _Entry:
    kind: str  # "new" | "old_ward" | "old_district"
    key: str  # new ward code, old ward code, or old district code
    accented: tuple[str, ...]  # lower-case NFC tokens of the name, for the diacritics check


@dataclass
class _Match:
    start_tok: int
    end_tok: int
    entries: list[_Entry]
    unit: str | None  # "ward" | "district" | None
    unit_word: tuple[str, ...]  # the folded unit tokens, () without one
    unit_tok: int  # index of the first token of the unit word (== start_tok without one)
    street: bool


def _fold_token(token: str) -> str:
    return strip_accents(unicodedata.normalize("NFC", token).lower())


def _accent_key(token: str) -> str:
    """Lower-case NFC token with the tone mark position normalised (hoà == hòa)."""
    nfd = unicodedata.normalize("NFD", token.lower())
    tones = "".join(ch for ch in nfd if ch in "\u0300\u0301\u0303\u0309\u0323")
    base = "".join(ch for ch in nfd if ch not in "\u0300\u0301\u0303\u0309\u0323")
    return unicodedata.normalize("NFC", base) + tones


def _has_diacritics(token: str) -> bool:
    return _fold_token(token) != unicodedata.normalize("NFC", token).lower()


def _name_tokens(name: str) -> tuple[list[str], list[str]]:
    raw = _TOKEN.findall(unicodedata.normalize("NFC", name))
    return [_fold_token(t) for t in raw], [_accent_key(t) for t in raw]


#: place names taken out of one message at most
MAX_PLACE_NAMES = 4


class Gazetteer:
    def __init__(self, geo_dir: Path):
        self.geo_dir = geo_dir
        self.wards: dict[str, Ward] = {}
        with open(geo_dir / "wards.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                self.wards[r["code"]] = Ward(
                    code=r["code"],
                    name=r["name"],
                    full_name=r["full_name"],
                    type=r["type"],
                    rep_lat=float(r["rep_lat"]),
                    rep_lon=float(r["rep_lon"]),
                    centroid_lat=float(r["centroid_lat"]),
                    centroid_lon=float(r["centroid_lon"]),
                    area_km2=float(r["area_km2"]),
                )
        # old → new conversion
        self.old_wards: dict[str, dict[str, Any]] = {}  # old code -> {name, district_code, district, new}
        self.old_districts: dict[str, dict[str, Any]] = {}  # district code -> {name, new: {code: n_old_wards}}
        with open(geo_dir / "old_to_new.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                ow = self.old_wards.setdefault(
                    r["old_code"],
                    {"name": r["old_name"], "district_code": r["old_district_code"],
                     "district": r["old_district"], "new": []},
                )
                ow["new"].append((r["new_code"], r["merge"]))
                od = self.old_districts.setdefault(r["old_district_code"], {"name": r["old_district"], "new": {}})
                od["new"][r["new_code"]] = od["new"].get(r["new_code"], 0) + 1
        self._index: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        for w in self.wards.values():
            self._add_name(w.name, "new", w.code)
            if " - " in w.name:  # "Văn Miếu - Quốc Tử Giám": each half alone names it too
                for part in w.name.split(" - "):
                    self._add_name(part, "new", w.code)
        for code, ow in self.old_wards.items():
            self._add_name(_OLD_UNIT_PREFIX.sub("", ow["name"]), "old_ward", code)
        for code, od in self.old_districts.items():
            self._add_name(_OLD_UNIT_PREFIX.sub("", od["name"]), "old_district", code)
        self._polygons: list[Any] | None = None
        self._codes_by_poly: list[str] = []
        self._tree: STRtree | None = None

    def _add_name(self, name: str, kind: str, key: str) -> None:
        if re.search(r"\d", name):  # "Mỹ Đình 2" is also said "Mỹ Đình hai" (voice, typing)
            spoken = re.sub(r"\d", lambda m: f" {_DIGIT_WORDS[int(m.group(0))]} ", name)
            self._add_name_tokens(" ".join(spoken.split()), kind, key)
        self._add_name_tokens(name, kind, key)

    def _add_name_tokens(self, name: str, kind: str, key: str) -> None:
        folded, accented = _name_tokens(name)
        if folded and len(folded) <= _MAX_NAME_TOKENS:
            entry = _Entry(kind, key, tuple(accented))
            if entry not in self._index[tuple(folded)]:
                self._index[tuple(folded)].append(entry)

    # ------------------------------------------------------------------ polygons
    def _load_polygons(self) -> None:
        if self._tree is not None:
            return
        fc = json.loads((self.geo_dir / "wards.geojson").read_text(encoding="utf-8"))
        polys, codes = [], []
        for feat in fc["features"]:
            polys.append(shape(feat["geometry"]))
            codes.append(feat["properties"]["code"])
        self._polygons, self._codes_by_poly = polys, codes
        self._tree = STRtree(polys)

    def polygons(self) -> list[tuple[str, Any]]:
        """(code, shapely geometry) for every ward."""
        self._load_polygons()
        assert self._polygons is not None
        return list(zip(self._codes_by_poly, self._polygons, strict=True))

    def ward_at(self, lat: float, lon: float) -> Ward | None:
        """The ward containing the point (boundary points included), or None outside Hanoi."""
        self._load_polygons()
        assert self._tree is not None
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return self.wards[self._codes_by_poly[int(min(hits))]]

    def near_hanoi(self, lat: float, lon: float, tolerance_deg: float = 0.005) -> bool:
        """True when the point is inside Hanoi or within ``tolerance_deg`` (about 500 m) of it."""
        self._load_polygons()
        assert self._tree is not None
        hits = self._tree.query(Point(lon, lat), predicate="dwithin", distance=tolerance_deg)
        return len(hits) > 0

    # ------------------------------------------------------------------ text
    def ward(self, code: str) -> Ward | None:
        return self.wards.get(code)

    def _tokens(self, text: str) -> list[tuple[str, str, int, int, bool]]:
        out = []
        for m in _TOKEN.finditer(text):
            tok = m.group(0)
            out.append((_fold_token(tok), _accent_key(tok), m.start(), m.end(), _has_diacritics(tok)))
        return out

    @staticmethod
    def _unit_before(folded: list[str], i: int) -> tuple[str | None, int, tuple[str, ...]]:
        for units, kind in ((_DISTRICT_UNITS, "district"), (_WARD_UNITS, "ward")):
            for unit in units:  # "thị xã" is a district word: checked before "xã"
                n = len(unit)
                if i - n >= 0 and tuple(folded[i - n:i]) == unit:
                    return kind, i - n, unit
        return None, i, ()

    @staticmethod
    def _unit_len_at(folded: list[str], i: int) -> int:
        for unit in (*_DISTRICT_UNITS, *_WARD_UNITS):
            if tuple(folded[i:i + len(unit)]) == unit:
                return len(unit)
        return 0

    def _longest_name_at(self, folded: list[str], i: int) -> int:
        for n in range(min(_MAX_NAME_TOKENS, len(folded) - i), 0, -1):
            if tuple(folded[i:i + n]) in self._index:
                return n
        return 0

    def _matches(self, text: str) -> tuple[list[_Match], list[tuple[str, str, int, int, bool]]]:
        toks = self._tokens(text)
        folded = [t[0] for t in toks]
        matches: list[_Match] = []
        i = 0
        skipped_unit = False
        while i < len(toks):
            unit_len = 0 if skipped_unit else self._unit_len_at(folded, i)  # "phường Phương Mai": a name
            skipped_unit = False
            if unit_len:
                # "phường Định Công" is not the old "xã Phương Đình" + "Công": a unit word followed by a
                # name reaching at least as far is a unit word ("Phương Liên - Trung Tự" stays a name)
                after = self._longest_name_at(folded, i + unit_len)
                if after and unit_len + after >= self._longest_name_at(folded, i):
                    i += unit_len
                    skipped_unit = True
                    continue
            found = None
            for n in range(min(_MAX_NAME_TOKENS, len(toks) - i), 0, -1):
                entries = self._index.get(tuple(folded[i:i + n]))
                if not entries:
                    continue
                unit, unit_tok, unit_word = self._unit_before(folded, i)
                if matches and unit_tok < matches[-1].end_tok:  # "Phúc Xá Ba Đình": "xá" ends a name
                    unit, unit_tok, unit_word = None, i, ()
                if n == 1:
                    if unit is None:
                        continue
                    if toks[i][4]:  # typed with diacritics: they must agree for one-word names
                        entries = [e for e in entries if e.accented == (toks[i][1],)]
                        if not entries:
                            continue
                prev = folded[i - 1] if i > 0 else ""
                street = prev in _STREET_WORDS and not (prev == "pho" and i > 1 and folded[i - 2] == "thanh")
                street = street and not (matches and matches[-1].end_tok == i)  # "Chương Dương Hoàn Kiếm"
                found = _Match(i, i + n, entries, unit, unit_word, unit_tok, street)
                break
            if found:
                matches.append(found)
                i = found.end_tok
            else:
                i += 1
        return matches, toks

    def _resolve_match(self, m: _Match, district_context: set[str]) -> tuple[list[str], bool, str | None, int]:
        """(new ward codes, via_old_name, old_name, rank); lower rank = better."""
        kinds = defaultdict(list)
        for e in m.entries:
            kinds[e.kind].append(e.key)
        order = ["old_district", "new", "old_ward"] if m.unit == "district" else ["new", "old_ward", "old_district"]
        for kind in order:
            if kind not in kinds:
                continue
            if kind == "new":
                return kinds["new"][:1], False, None, 0 if m.unit == "ward" else 1
            if kind == "old_ward":
                codes = kinds["old_ward"]
                narrowed = [c for c in codes if self.old_wards[c]["district_code"] in district_context]
                codes = narrowed or codes
                prefix = _UNIT_PREFIX_OF.get(m.unit_word)  # "phường X" is not "xã X"
                if prefix:
                    typed = [c for c in codes if _fold_token(self.old_wards[c]["name"]).startswith(prefix)]
                    codes = typed or codes
                new: list[str] = []
                for c in codes:
                    for nc, _merge in self.old_wards[c]["new"]:
                        if nc not in new:
                            new.append(nc)
                olds = [self.old_wards[c] for c in codes]
                old_name = "; ".join(f"{o['name']}, {o['district']}" for o in olds)
                return new, True, old_name, 0 if m.unit == "ward" else 2
            if kind == "old_district":
                code = kinds["old_district"][0]
                od = self.old_districts[code]
                same = [c for c in od["new"] if _fold_token(self.wards[c].name) == _fold_token(
                    _OLD_UNIT_PREFIX.sub("", od["name"]))]
                ranked = same + sorted((c for c in od["new"] if c not in same), key=lambda c: (-od["new"][c], c))
                return ranked, True, od["name"], 3
        return [], False, None, 9

    def _old_ward_with_its_district(self, matches: list[_Match]) -> tuple[_Match, _Match, list[str]] | None:
        """An old ward named together with its own old district: (ward match, district match, old codes).

        "phường Yên Hòa quận Cầu Giấy", "Láng Hạ, Đống Đa", "xã Tam Hiệp huyện Thanh Trì": the pair
        names one row group of the official table, which beats a new ward spelled like either half
        (the new "phường Cầu Giấy", the new "phường Yên Hòa") and decides between old wards of the same
        name in different districts. The district half carries "quận"/"huyện"/"thị xã" (anywhere in the
        text), or no unit word right after the ward ("tôi ở Cầu Giấy, gần Nghĩa Đô" is no pair); never a
        ward word ("phường Cầu Giấy" is the new ward) nor a street word.
        """
        named: dict[str, _Match] = {}  # after "quận"/"huyện"/"thị xã": anywhere in the text
        for m in matches:
            if m.unit == "district" and not m.street:
                for e in m.entries:
                    if e.kind == "old_district":
                        named.setdefault(e.key, m)
        for pos, m in enumerate(matches):
            if m.unit == "district" or m.street:
                continue
            districts = dict(named)
            nxt = matches[pos + 1] if pos + 1 < len(matches) else None
            if nxt is not None and nxt.unit is None and not nxt.street and nxt.start_tok == m.end_tok:
                for e in nxt.entries:  # without a unit word only right after the ward: "Láng Hạ, Đống Đa"
                    if e.kind == "old_district":
                        districts.setdefault(e.key, nxt)
            codes = [e.key for e in m.entries if e.kind == "old_ward"
                     and districts.get(self.old_wards[e.key]["district_code"], m) is not m]
            if not codes:
                continue
            prefix = _UNIT_PREFIX_OF.get(m.unit_word)  # "phường Yên Viên" is not "thị trấn Yên Viên"
            if prefix:
                codes = [c for c in codes if _fold_token(self.old_wards[c]["name"]).startswith(prefix)] or codes
            return m, districts[self.old_wards[codes[0]]["district_code"]], codes
        return None

    def _pair_resolution(self, pair: tuple[_Match, _Match, list[str]],
                         toks: list[tuple[str, str, int, int, bool]]) -> Resolution:
        """The new ward(s) that took over an old ward named with its district, by the official table."""
        m, dm, codes = pair
        codes = [c for c in codes if self.old_wards[c]["district_code"] == self.old_wards[codes[0]]["district_code"]]
        new: list[str] = []
        for c in codes:
            for nc, _merge in self.old_wards[c]["new"]:
                if nc not in new:
                    new.append(nc)
        # the new ward that kept the old ward's name (if any) is offered first
        bare = {_fold_token(_OLD_UNIT_PREFIX.sub("", self.old_wards[c]["name"])) for c in codes}
        new.sort(key=lambda nc: _fold_token(self.wards[nc].name) not in bare)
        old_name = "; ".join(f"{self.old_wards[c]['name']}, {self.old_wards[c]['district']}" for c in codes)
        first, last = (m, dm) if m.start_tok < dm.start_tok else (dm, m)
        if last.unit_tok == first.end_tok:  # "phường Láng Hạ, Đống Đa": the mention spans both
            start, end = toks[first.unit_tok][2], toks[last.end_tok - 1][3]
        else:
            start, end = toks[m.unit_tok][2], toks[m.end_tok - 1][3]
        cands = [self.wards[c] for c in new]
        if len(cands) == 1:
            return Resolution(cands[0].code, cands[0].full_name, cands, True, old_name, start, end)
        return Resolution(None, None, cands, True, old_name, start, end)

    def resolve(self, text: str) -> Resolution:
        """Resolve free text (a ward name, an address, a sentence) to a new ward or candidates."""
        if not text or not text.strip():
            return Resolution()
        stripped = text.strip()
        if stripped in self.wards:  # a GSO code on its own (button payloads, API callers)
            w = self.wards[stripped]
            return Resolution(w.code, w.full_name, [w], start=text.find(stripped), end=text.find(stripped) + 5)
        matches, toks = self._matches(text)
        if not matches:
            return Resolution()
        pair = self._old_ward_with_its_district(matches)
        if pair is not None:
            return self._pair_resolution(pair, toks)
        district_context = {
            e.key for m in matches if m.unit == "district" for e in m.entries if e.kind == "old_district"
        }
        best = None
        for pos, m in enumerate(matches):
            codes, via_old, old_name, rank = self._resolve_match(m, district_context)
            if not codes:
                continue
            rank += 10 if m.street else 0
            key = (rank, pos)
            if best is None or key < best[0]:
                best = (key, m, codes, via_old, old_name)
        if best is None:
            return Resolution()
        _key, m, codes, via_old, old_name = best
        cands = [self.wards[c] for c in codes]
        start, end = toks[m.unit_tok][2], toks[m.end_tok - 1][3]
        if len(cands) == 1:
            w = cands[0]
            return Resolution(w.code, w.full_name, cands, via_old, old_name, start, end)
        return Resolution(None, None, cands, via_old, old_name, start, end)

    def search(self, text: str, limit: int = 12) -> list[Ward]:
        """Wards whose new name starts with, or contains, what was typed (the map's search box).

        For what :meth:`resolve` does not take as a name: the first letters of one ("hoa" lists
        every ward beginning with Hòa). A whole-name match ranks first, then a name that starts with
        the text, then a word of the name that does, then any part of it; leading unit words
        ("phường", "p.", "xã") are dropped but kept as an alternative ("phuong duc" is Phượng Dực).
        """
        q = " ".join(_fold_token(t) for t in _TOKEN.findall(unicodedata.normalize("NFC", text or "")))
        if not q:
            return []
        keys = [q]
        rest = q
        while True:
            for unit in (*_WARD_UNITS, *_DISTRICT_UNITS):
                word = " ".join(unit) + " "
                if rest.startswith(word) and len(rest) > len(word):
                    rest = rest[len(word):]
                    break
            else:
                break
        if rest != q:
            keys.append(rest)

        def score(w: Ward) -> int:
            name = " ".join(_name_tokens(w.name)[0])
            full = " ".join(_name_tokens(w.full_name)[0])
            best = 0
            for k in keys:
                if k in (name, full):
                    best = max(best, 100)
                elif name.startswith(k) or full.startswith(k):
                    best = max(best, 60)
                elif f" {k}" in f" {name}":
                    best = max(best, 40)
                elif k in name or k in full:
                    best = max(best, 20)
            return best

        scored = [(score(w), w) for w in self.wards.values()]
        ranked = sorted((x for x in scored if x[0]), key=lambda x: (-x[0], x[1].name))
        return [w for _s, w in ranked[:limit]]

    def find_in_text(self, text: str) -> Mention | None:
        """Locate the ward mention in a sentence, with offsets on the original text."""
        res = self.resolve(text)
        if not res.found or res.start is None or res.end is None:
            return None
        value: str | list[str] = res.ward_code or [w.code for w in res.candidates]
        return Mention(value, res.start, res.end, res)

    def without_places(self, text: str, limit: int = MAX_PLACE_NAMES) -> str:
        """``text`` without the ward and district names found in it, at most ``limit`` of them ("hộ khẩu ở
        Sóc Sơn, đi làm ở Cầu Giấy": two): what is left says what the message asks besides the place."""
        for _ in range(limit):
            mention = self.find_in_text(text)
            if mention is None or mention.end <= mention.start:
                break
            text = f"{text[:mention.start]} {text[mention.end:]}"
        return text


@lru_cache(maxsize=4)
def _load(geo_dir: str) -> Gazetteer:
    return Gazetteer(Path(geo_dir))


def get_gazetteer(geo_dir: Path | None = None) -> Gazetteer:
    """The process-wide gazetteer (built once; polygons are loaded on the first point query)."""
    return _load(str(geo_dir or get_settings().data_dir / "geo"))
