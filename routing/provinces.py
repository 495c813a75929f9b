"""Vietnam's provinces and centrally-run cities by name, as citizens name them outside Hanoi.

The gazetteer (:mod:`routing.gazetteer`) knows Hanoi's wards and old districts; a citizen also names
where a relative lives or where they come from ("người yêu em ở Nam Định", "quê Thanh Hóa"). Such a
name says where, never which procedure, yet its words meet procedure titles by chance ("Nam Định" in
"người Việt Nam định cư ở nước ngoài"). The names: the 63 provinces and cities before the 1/7/2025
merger (the 34 of today are among them; citizens still use the old ones) and the common short forms.
Source: the administrative units list of the GSO (see ``data/geo/PROVENANCE.md``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from dvcbot.textnorm import normalize, strip_accents

#: the provinces and centrally-run cities (with diacritics), longest forms first where one holds another
PROVINCE_NAMES: tuple[str, ...] = (
    "Thừa Thiên Huế", "Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Sài Gòn",
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
    "An Giang", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương",
    "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái", "Vũng Tàu",
)


#: the old placement of the tone mark, as many still type it ("Thanh Hoá", "Khánh Hoà")
_OLD_TONES = {"óa": "oá", "òa": "oà", "úy": "uý"}
_OLD_TONE = re.compile("|".join(_OLD_TONES))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    """Each name as typed with its diacritics or without any (a name typed half-accented is not one)."""
    forms: list[str] = []
    for name in sorted(PROVINCE_NAMES, key=len, reverse=True):
        said = normalize(name)
        forms += [said, _OLD_TONE.sub(lambda m: _OLD_TONES[m.group(0)], said), strip_accents(said)]
    alternatives = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in dict.fromkeys(forms))
    # "người Việt Nam định cư" holds "Nam Định" by chance
    return re.compile(rf"(?<!\w)(?<!việt )(?<!viet )(?:{alternatives})(?!\w)", re.IGNORECASE)


def without_provinces(text: str) -> str:
    """``text`` (normalized) without the province and city names in it; ``text`` unchanged when it has none."""
    said = normalize(text)
    rest = _pattern().sub(" ", said)
    return text if rest == said else " ".join(rest.split())
