"""Vietnamese text normalisation shared by the knowledge base, the NLU service and the gazetteer.

Citizens type without diacritics, in teencode ("ko", "dc", "j"), with abbreviations ("cccd",
"gplx"), and voice transcripts spell numbers as words ("hai mươi sáu nghìn"). Everything that
matches text against text goes through these functions so that the same question matches the
same way everywhere.

- :func:`clean`     NFC, control characters removed, whitespace folded, lower case.
- :func:`normalize` ``clean`` + teencode/abbreviations expanded + spoken numbers turned to digits.
  Diacritics are kept (the embedding model wants real Vietnamese).
- :func:`fold`      ``normalize`` + accents stripped (đ → d): the key for lexical matching.
- :func:`strip_accents` accents only.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "normalize", "fold", "strip_accents", "tokens", "spoken_numbers_to_digits"]

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)

#: teencode and common abbreviations, keyed by the accent-stripped token. Values are real
#: Vietnamese with diacritics. Only whole tokens are replaced.
ABBREVIATIONS: dict[str, str] = {
    "ko": "không", "k": "không", "kh": "không", "hok": "không", "hong": "không", "khong": "không",
    "hem": "không", "kg": "không", "0k": "không",
    "dc": "được", "dk": "được", "duoc": "được", "đc": "được", "đk": "được",
    "j": "gì", "ji": "gì", "gi": "gì",
    "ntn": "như thế nào", "ntnao": "như thế nào", "sao": "sao",
    "bn": "bao nhiêu", "bnhieu": "bao nhiêu", "bnh": "bao nhiêu",
    "bh": "bao giờ", "bjo": "bao giờ", "bg": "bao giờ",
    "cccd": "căn cước công dân", "cmnd": "chứng minh nhân dân", "cmt": "chứng minh thư",
    "gplx": "giấy phép lái xe", "bhyt": "bảo hiểm y tế", "bhxh": "bảo hiểm xã hội",
    "gks": "giấy khai sinh", "dkkd": "đăng ký kinh doanh", "hkd": "hộ kinh doanh", "kd": "kinh doanh",
    "tnhh": "trách nhiệm hữu hạn", "htx": "hợp tác xã", "ltp": "lý lịch tư pháp",
    "ubnd": "ủy ban nhân dân", "ub": "ủy ban", "ca": "công an",
    "tthc": "thủ tục hành chính", "dvc": "dịch vụ công", "dvcqg": "dịch vụ công quốc gia",
    "hs": "hồ sơ", "sdt": "số điện thoại", "đt": "điện thoại", "dt": "điện thoại",
    "ad": "tổng đài viên", "admin": "tổng đài viên",
    "vs": "với", "r": "rồi", "ms": "mới", "mk": "mình", "mik": "mình", "mn": "mọi người",
    "bt": "biết", "bít": "biết", "bik": "biết", "ok": "được", "oke": "được", "okie": "được",
    "cj": "chị", "a": "anh", "e": "em", "c": "chị", "ng": "người", "ngta": "người ta",
    "z": "vậy", "zậy": "vậy", "v": "vậy", "thik": "thích", "wa": "qua", "ntin": "nhắn tin",
    "cx": "cũng", "cug": "cũng", "trc": "trước", "tr": "trước", "lm": "làm", "lam": "làm",
    "nhiu": "nhiêu", "nhieu": "nhiêu", "tks": "cảm ơn", "thanks": "cảm ơn", "thank": "cảm ơn",
    "ty": "cảm ơn", "camon": "cảm ơn", "hc": "hành chính", "tp": "thành phố",
    "hn": "hà nội", "hcm": "hồ chí minh", "p": "phường", "q": "quận", "tx": "thị xã",
    "vneid": "vneid", "otp": "otp", "qr": "qr", "đkkd": "đăng ký kinh doanh",
    "vnid": "vneid", "tk": "tài khoản", "ck": "chuyển khoản", "pass": "mật khẩu",
    "tt": "thanh toán", "stk": "số tài khoản", "hchinh": "hành chính",
    "lltp": "lý lịch tư pháp", "oto": "ô tô", "kq": "kết quả",
}
# Sources of the table: the teencode seen in the project's own chat examples (bot/data/nlu.yml) and
# common Vietnamese chat shorthand (ko/k/hok, dc/đc, j, ntn, bn, v/z, r, ad, tk, ck, mk, tt, đk, lltp, oto, kq).
# The table is the one place for it: the knowledge base, the NLU and the gazetteer all read it here.

#: abbreviations whose meaning depends on the neighbouring words, keyed like ABBREVIATIONS. Each
#: rule is ``(expansion, previous words, next words)`` with accent-folded words; the first rule
#: whose previous word or next word is listed wins ("*" as next words: any word that is not a
#: particle, i.e. a content word follows). A token without a matching rule gets its ABBREVIATIONS
#: value (the context-free reading, also used for single tokens by nlu.spans).
_PARTICLES = frozenset(
    "khong ko k kh hok hem chua a ah a nhe nha v z vay roi r gi j thi ma chu ha ne nua duoc dc "
    "ad oi luon nhi nhe".split()
)
#: the next word of a token at the end of a clause or before a sentence particle (see :func:`_expand_in_context`)
_CLAUSE_END = frozenset({""}) | _PARTICLES
CONTEXTUAL: dict[str, tuple[tuple[str, frozenset[str], frozenset[str]], ...]] = {
    # "tt online", "chưa tt", "tt lệ phí": thanh toán; "làm tt", "tt hc": thủ tục
    "tt": (("thủ tục", frozenset({"lam", "lm", "cac", "nhung"}), frozenset({"hc", "hanh", "hchinh", "gi", "j"})),),
    # "có đk không" / "lm đk ko": được; "đk tạm trú", "lm đk kết hôn": đăng ký
    "dk": (("được", frozenset({"co", "khong", "ko", "k", "kh", "chua", "se", "moi"}), frozenset()),
           ("đăng ký", frozenset(), frozenset({"*"}))),
    # "quên mk", "đổi mk", "mk vneid": mật khẩu; otherwise "mk" is "mình"
    "mk": (("mật khẩu", frozenset({"quen", "doi", "nhap", "sai", "dat", "tao", "lay", "khoi", "cai"}),
            frozenset({"vneid", "vnid", "dinh", "app", "tai", "cu"})),),
    # "ca nhan", "ca the" typed without diacritics are "cá nhân" ("mã số thuế ca nhan"), "cá thể" ("hộ kinh
    # doanh ca the"): the token is kept as typed;
    # "tất ca", "… thanh toán ca, vậy là sao", "ca hai": cả (no-diacritics "all"); "ra ca phường", "ca xã": công an
    "ca": (("ca", frozenset(), frozenset({"nhan", "the"})),
           ("công an", frozenset({"ra", "den", "len", "toi", "tai", "o", "goi", "hoi", "nhan"}),
            frozenset({"phuong", "xa", "quan", "huyen", "tinh", "tp", "p", "q", "thanh"})),
           ("cả", frozenset({"tat", "het"}), _CLAUSE_END | frozenset({"hai", "ba", "nha", "ngay", "thang"}))),
    # "thủ tục hc", "tt hc", "giờ hc", "cải cách hc": hành chính; "hc của em bị mất", "làm hc", "hc hết hạn",
    # a message opening with "hc": hộ chiếu (the passport is the thing citizens hold, lose and renew)
    "hc": (("hành chính", frozenset({"tuc", "tt", "tthc", "vu", "cach", "gio", "tam", "nen", "cong", "trung"}),
            frozenset({"cong"})),
           ("hộ chiếu", frozenset({"", "lam", "cap", "doi", "mat", "xin", "gia", "han", "giu", "nop", "khoi", "phuc"}),
            frozenset({"cua", "bi", "mat", "het", "cu", "moi", "pho", "thong", "gan", "chip", "con", "da", "nuoc"}))),
    # "tk bạn nhé", "tk ad", "tk nhiều": cảm ơn; otherwise "tk" is "tài khoản" ("tk vneid bị khóa")
    "tk": (("cảm ơn", frozenset(), frozenset({"ban", "bn", "ad", "nhieu", "nhiu", "nhe", "nha", "bot", "shop"})),),
    # "hong" is the Southern chat "không" ("được hong"), but after "so" it is the colour of the pink
    # house certificate: "sang ten so hong" is "sổ hồng" (Luật Đất đai 2024: giấy chứng nhận; "sổ hồng"
    # is its everyday name), never "sổ không"
    "hong": (("hồng", frozenset({"so"}), frozenset()),),
}
CONTEXTUAL["đk"] = CONTEXTUAL["dk"]

_UNITS = {
    "không": 0, "khong": 0, "linh": None, "lẻ": None, "le": None,
    "một": 1, "mot": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "bon": 4, "tư": 4, "tu": 4,
    "năm": 5, "nam": 5, "lăm": 5, "lam": 5, "nhăm": 5, "sáu": 6, "sau": 6, "bảy": 7, "bay": 7,
    "tám": 8, "tam": 8, "chín": 9, "chin": 9, "mười": 10, "muoi": 10, "mươi": -10,
}
_SCALES = {"trăm": 100, "tram": 100, "nghìn": 1000, "nghin": 1000, "ngàn": 1000, "ngan": 1000,
           "triệu": 1_000_000, "trieu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000,
           "ty": 1_000_000_000, "ti": 1_000_000_000}
#: words after which a lone digit word is surely a number ("ba ngày", "năm nghìn")
_COUNTED = {"ngày", "tháng", "tuần", "giờ", "phút", "tuổi", "bản", "người", "đồng", "km", "cây",
            "số", "lần", "bước", "năm", "trang", "ảnh", "cái", "chữ", "nghìn", "triệu", "trăm"}
_DIGIT_WORDS = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ become d/D."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


#: the tone marks of Vietnamese (combining grave, acute, hook above, tilde, dot below)
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")


def tone_key(word: str) -> tuple[str, str]:
    """(letters with their vowel marks, tone mark): "hoá" and "hóa" are one word whatever the
    tone's placement."""
    nfd = unicodedata.normalize("NFD", word.lower())
    base = unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in _TONES))
    return base, "".join(ch for ch in nfd if ch in _TONES)


def clean(text: str) -> str:
    """NFC, no control or zero-width characters, single spaces, lower case."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()


def _expand(token: str) -> str:
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]
    # "sđt", "đkkd": the only diacritic is đ, so the abbreviation is meant; a token with real
    # tone marks ("hồng", "tỷ") is a Vietnamese word and stays as it is.
    key = token.replace("đ", "d")
    if key != token and key == strip_accents(token) and key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    return token


def _key(token: str) -> str:
    return strip_accents(token)


def _expand_in_context(parts: list[str], i: int) -> str:
    """The expansion of ``parts[i]`` given its neighbours (:data:`CONTEXTUAL`), else :func:`_expand`."""
    token = parts[i]
    rules = CONTEXTUAL.get(token) or CONTEXTUAL.get(token.replace("đ", "d"))
    if rules:
        prev = _key(parts[i - 1]) if i else ""
        nxt = _key(parts[i + 1]) if i + 1 < len(parts) and parts[i + 1].isalnum() else ""
        for expansion, before, after in rules:
            if prev in before or nxt in after or ("*" in after and nxt and nxt not in _PARTICLES):
                return expansion
    if token == "ty" and i and parts[i - 1] in ("công", "cong"):  # "công ty", not "cảm ơn"
        return token
    return _expand(token)


def _parse_number(words: list[str]) -> int | None:
    """Value of a run of Vietnamese number words ("hai mươi sáu nghìn" → 26000), or None."""
    total, current, last = 0, 0, None
    seen = False
    for w in words:
        if w in _SCALES:
            scale = _SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        elif w in ("mươi", "muoi") and last is not None:
            current = current - (last or 0) + (last or 0) * 10
        elif w in ("linh", "lẻ", "le"):
            pass
        else:
            v = _UNITS.get(w)
            if v is None or v < 0:
                return None
            current += v
            last = v
            seen = True
            continue
        last = None
    return total + current if seen else None


def spoken_numbers_to_digits(text: str) -> str:
    """Turn runs of spoken number words into digits.

    Runs of three or more single-digit words become a digit string (phone numbers, ID numbers,
    dossier codes read aloud: "không chín tám ..." → "098..."). Compound numbers with mươi, trăm,
    nghìn, triệu become their value. A lone digit word is converted only before a counted noun
    ("ba ngày" → "3 ngày"); "không" on its own stays the question particle.
    """
    words = text.split(" ")
    out: list[str] = []
    i = 0
    number_words = set(_UNITS) | set(_SCALES) | {"mươi", "muoi"}
    while i < len(words):
        if i and words[i] in ("ty", "tỷ") and words[i - 1] in ("công", "cong"):
            out.append(words[i])  # "công ty không": the company, not "a billion zero"
            i += 1
            continue
        j = i
        while j < len(words) and words[j] in number_words:
            j += 1
        run = words[i:j]
        if not run:
            out.append(words[i])
            i += 1
            continue
        nxt = words[j] if j < len(words) else ""
        if len(run) >= 3 and all(w in _DIGIT_WORDS for w in run):
            out.append("".join(str(_UNITS[w]) for w in run))
        elif (
            any(w in _SCALES or w in ("mươi", "muoi", "mười") for w in run)
            and any(w not in _SCALES for w in run)
            and run[0] not in ("không", "khong")
        ):
            value = _parse_number(run)
            out.append(str(value) if value is not None else " ".join(run))
        elif len(run) == 1 and run[0] not in ("không", "khong") and nxt in _COUNTED and run[0] in _UNITS:
            out.append(str(_UNITS[run[0]]))
        else:
            out.extend(run)
        i = j
    return " ".join(out)


def _separate_digits(text: str) -> str:
    # "26.000đ" / "26,000 đồng" → "26000 đồng"; keep dossier codes like G22.99-250101-0001 intact
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", text)
    return re.sub(r"(\d)(đ|vnd|vnđ)\b", r"\1 đồng", text)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Clean text, expand teencode/abbreviations and spoken numbers; diacritics are kept."""
    text = clean(text)
    if not text:
        return ""
    text = _separate_digits(text)
    parts = re.findall(r"\w+|[^\w\s]", text)
    expanded = " ".join(_expand_in_context(parts, i) for i in range(len(parts)))
    return spoken_numbers_to_digits(_SPACE.sub(" ", expanded).strip())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The accent-insensitive matching key: normalize, strip accents, keep only word characters."""
    return " ".join(_WORD.findall(strip_accents(normalize(text))))


def folded(*phrases: str) -> tuple[str, ...]:
    """Cue phrases as messages are compared (:func:`fold`); an argument may hold several, ";"-separated."""
    return tuple(fold(p) for arg in phrases for p in arg.split(";"))


def tokens(text: str) -> list[str]:
    """Accent-folded word tokens."""
    return fold(text).split()


def one_edit_apart(a: str, b: str, swaps: bool = True) -> bool:
    """True when ``b`` is ``a`` with one letter added, removed or changed, or (``swaps``) two
    neighbouring letters swapped: the usual typing slips ("quyên" for "quên", "thuogn" for "thuong")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (swaps and len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]
