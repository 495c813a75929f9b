"""Which part of a procedure a question is about (papers, fee, time, where ...) and its short answer.

Rules run on the folded text (:func:`dvcbot.textnorm.fold`: no accents, teencode expanded,
spoken numbers as digits), so "le phi bn", "lệ phí bao nhiêu" and "lệ phí bn" are the same.
The specific aspects compete by position (the first one the citizen mentions wins: "ở đâu và mất
bao lâu" is a *where* question); "result" and "steps" are generic phrasings ("thế nào", "làm
sao") and are only chosen when nothing more specific matched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dvcbot.textnorm import fold, normalize, strip_accents

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["ASPECTS", "ASPECT_LABELS", "asks_deadline", "asks_fee", "asks_fee_validity", "asks_when_in_force", "detect_aspect", "topic_text", "answer_span"]

ASPECTS: tuple[str, ...] = (
    "documents",
    "fee",
    "processing_time",
    "where",
    "steps",
    "online",
    "legal_basis",
    "result",
)

#: Vietnamese names of the aspects (for messages and buttons)
ASPECT_LABELS: dict[str, str] = {
    "documents": "giấy tờ cần chuẩn bị",
    "fee": "lệ phí",
    "processing_time": "thời gian giải quyết",
    "where": "nơi nộp hồ sơ",
    "steps": "các bước thực hiện",
    "online": "nộp trực tuyến",
    "legal_basis": "căn cứ pháp lý",
    "result": "kết quả nhận được",
}

_SPECIFIC: dict[str, str] = {
    "fee": r"le phi|phi(?! dia gioi)|bao nhieu tien|mat tien|may tien|ton tien|het tien|ton bao nhieu|het bao nhieu"
    r"|mien phi|tra tien|dong tien|nhieu tien|tien le phi|\d+ dong|\d+ nghin|\d+ 1000|dong nao"
    r"|re hon|dat hon|gia re|muc thu|muc gia|(?:tra|thu|tinh|dong) (?:tien |phi )?theo muc nao|(?<!tham )gia (?:do|nay|ay|day|the|tien|ca|bao nhieu|nhu)",
    "processing_time": r"bao lau|lau|may ngay|bao nhieu ngay|may hom|bao gio|khi nao|thoi gian|thoi han"
    r"|lay ngay|trong ngay|may tuan|bao nhieu tuan",
    "documents": r"giay to gi|giay to nao|nhung giay to|can giay to|giay to can|can gi|can nhung gi|mang theo"
    r"|mang (?:nhung |cac )?gi|chuan bi|thanh phan|ho so gom|ho so can|ho so gi|ho so nhung|can ho so|bo ho so|kham suc khoe"
    r"|anh the|to khai|mau don|(?:mang|can) (?:nhung |cac )?giay (?:gi|nao)",
    "where": r"o dau|noi nao|cho nao|(?<!doi )dia chi|di dau|den dau|ra dau|toi dau|phuong nao|xa nao|co quan nao"
    r"|ra phuong|ra uy ban|ra xa|gan nha|nop o"
    # an office named as the place asked about ("làm ở công an phường được không", "nộp tại ủy ban xã")
    r"|(?:lam|nop|di|den|ra|o|tai) (?:o |tai )?(?:cong an|uy ban|ubnd|bo phan mot cua|mot cua)"
    # the channel asked ("báo bằng cách nào", "nộp qua hình thức nào", "gửi qua kênh nào"): the ways to file,
    # which the where answer lists (in person, online); "làm bằng cách nào" stays the steps
    r"|(?:nop|bao|gui|khai|thong bao|dang ky) (?:bang|qua|theo) (?:nhung |cac )?(?:cach|hinh thuc|kenh|duong) nao"
    r"|(?:hinh thuc|kenh) nao|(?:nhung|may|cac) (?:cach|hinh thuc)(?: nao de)? (?:nop|bao|gui|khai)",
    "online": r"online|truc tuyen|qua mang|tren mang|dich vu cong|(?:tren|qua|bang) (?:app |ung dung )?vneid|tren app|qua app"
    r"|tai nha|tren dien thoai",
    "legal_basis": r"can cu|luat|nghi dinh|thong tu|quyet dinh|van ban phap|quy dinh nao|theo quy dinh",
}
_GENERIC: dict[str, str] = {
    "result": r"nhan duoc gi|duoc nhan gi|nhan gi|nhan duoc giay|nhan giay gi|ket qua|duoc cap gi|cap giay gi",
    "steps": r"cac buoc|buoc|thu tuc the nao|lam sao|lam the nao|nhu the nao|the nao|nhu nao|ra sao|quy trinh"
    r"|trinh tu|huong dan|cach lam|cach",
}
_SPECIFIC_RE = {a: re.compile(rf"\b(?:{p})\b") for a, p in _SPECIFIC.items()}
_GENERIC_RE = {a: re.compile(rf"\b(?:{p})\b") for a, p in _GENERIC.items()}


#: "until when / still / next year / in 2027": the time a dated rule covers, not a processing time
_VALIDITY_TIME = re.compile(
    r"\b(?:den (?:het )?(?:khi nao|bao gio|ngay nao|luc nao|thang nao|nam nao)|ap dung den|ap dung toi"
    r"|(?:den|toi) (?:het )?(?:khi nao|bao gio|luc nao)|bao gio het|khi nao het|hieu luc|het han chua|con han"
    r"|con (?:khong|ko|k|nua khong|ap dung|duoc|nhu|the|gia)|co con|van con|van duoc|sang nam|nam sau|nam toi"
    r"|tu nam|den nam|nam \d{4} (?:con|van|co|thi))\b"
)
#: "since when / from when / in force / when does it end": the start or end of a dated rule
_IN_FORCE_TIME = re.compile(
    r"\b(?:tu (?:khi nao|bao gio|luc nao|ngay nao|thang nao|nam nao)|bat dau|ap dung (?:tu|khi nao|bao gio|luc nao)"
    r"|hieu luc|(?:khi nao|bao gio|luc nao)(?: thi)? (?:het|ket thuc|ap dung|bat dau)"
    # when it ended or stops ("hết hạn lúc nào", "kết thúc ngày nào", "ngừng từ bao giờ")
    r"|(?:het han|ket thuc|dung|ngung|cham dut)(?: ap dung)?(?: tu| vao| tu)? (?:khi nao|bao gio|luc nao|ngay nao"
    r"|thang nao|nam nao))\b"
)
#: what such a question is about: a price, a reduction, an exemption, a policy
_VALIDITY_OBJECT = re.compile(
    r"\b(?:le phi|phi|tien|(?<!tham )gia(?! han| dinh| tri| ha)|giam|tang|uu dai|mien|muc (?:thu|nay|do|ay|phi|gia|giam)|chinh sach"
    r"|\d+ (?:1000|dong|nghin)|0 dong|khong dong)\b"
)
#: comparing prices ("nộp online có rẻ hơn không"): the fee, whatever channel word comes first
#: and claims that it costs nothing ("nộp online có được miễn phí không"): the dated fee answer says
#: whether that holds today
_PRICE_COMPARISON = re.compile(r"\b(?:re hon|dat hon|re nhat|chenh lech|gia re|mien phi|mien le phi|0 dong"
                               r"|khong mat (?:le phi|phi|tien|dong nao)|khong ton (?:phi|tien))\b")
#: "bảo giờ" ("says now": "các cháu bảo giờ phải đổi") folds to "bao gio" ("when"); with its
#: diacritics written the two differ, so the accented form is dropped before folding
_SAYS_NOW = re.compile(r"\bbảo\s+giờ\b", re.IGNORECASE)


def asks_fee_validity(query: str) -> bool:
    """True for a question about how long a fee, reduction or fee policy lasts or whether it still
    applies ("giảm đến bao giờ", "sang năm còn giá này không", "còn được giảm không"): a fee
    question, answered with the amount that applies today and its validity dates."""
    text = fold(_SAYS_NOW.sub("bảo", query or ""))
    return bool(_VALIDITY_TIME.search(text) and _VALIDITY_OBJECT.search(text))


#: a cut of a fee asked ("có được giảm 50% lệ phí không", "lệ phí có ưu đãi gì không", "miễn giảm phí"): folded
_FEE_CUT = re.compile(r"\b(?:giam \d{1,3} ?(?:%|phan tram)|giam (?:mot )?nua|(?:duoc |con |mien )?giam (?:le phi|phi|tien|gia)"
                      r"|(?:le phi|phi)\b.*\b(?:duoc giam|giam gia|uu dai)|uu dai (?:le phi|phi))\b")


def asks_fee_cut(query: str) -> bool:
    """True for a question about a cut of a fee or whether it still holds ("nộp trên mạng có còn được giảm
    50% lệ phí không", "lệ phí có được giảm không"): asked with a procedure named, that procedure's fee
    as valid today (amount, cut, until when) answers it, not a payment FAQ."""
    return bool(_FEE_CUT.search(fold(query or ""))) or asks_fee_validity(query)


#: "cheaper" said of a way of filing ("rẻ hơn", "đỡ tốn", "bớt tiền", "ít tiền hơn")
_CHEAPER = re.compile(r"\b(?:re hon|do ton(?: tien)?|bot (?:tien|phi|le phi)|it tien hon|tiet kiem (?:tien|hon))\b")


def asks_cheaper_online(query: str) -> bool:
    """True for a question whether filing online costs less ("nộp online có còn rẻ hơn không", "làm trên
    mạng có đỡ tốn hơn không"): a question about an online fee cut, answered like :func:`asks_fee_cut`
    with the fee of the procedure it is about, as valid today."""
    from knowledge_base.hanoi import names_online

    return bool(_CHEAPER.search(fold(query or ""))) and names_online(query)


def asks_when_in_force(query: str) -> bool:
    """True for a question about when a rule starts, ends or whether it still applies ("áp dụng từ
    khi nào", "đến bao giờ", "còn hiệu lực không"), whatever the rule is about."""
    text = fold(_SAYS_NOW.sub("bảo", query or ""))
    return bool(_VALIDITY_TIME.search(text) or _IN_FORCE_TIME.search(text))


#: how soon the citizen must file ("trong bao lâu phải đi khai", "mấy ngày phải đăng ký", "hạn chót"):
#: the legal deadline, not the processing time
_DEADLINE = re.compile(
    r"\b(?:trong (?:vong |thoi han )?(?:bao lau|bao nhieu ngay|may ngay|bao nhieu thang|may thang)\b.*\bphai"
    r"|phai\b.*\btrong (?:vong |thoi han )?(?:bao lau|bao nhieu ngay|may ngay|bao nhieu thang|may thang)"
    r"|(?:bao lau|may ngay|bao nhieu ngay|may thang)(?: thi| la)? (?:bat buoc |can |phai )(?:di |lam |dang ky|khai|bao|nop)"
    r"|han chot|cham nhat (?:la )?(?:bao lau|may ngay|bao nhieu ngay|khi nao|bao gio)|muon nhat"
    r"|(?:de|lam|khai|dang ky) (?:qua han|muon|tre)(?: thi)? (?:co )?bi phat)\b"
)


def asks_deadline(query: str) -> bool:
    """True for a question about how soon the citizen must file ("trong bao lâu phải đi khai tử",
    "mấy ngày phải đăng ký khai sinh", "hạn chót là khi nào"): answered with the legal deadline
    the record states, before the processing time."""
    return bool(_DEADLINE.search(fold(query or "")))


def asks_fee(query: str) -> bool:
    """True when the query asks the fee (maybe besides another aspect: "ở đâu và hết bao nhiêu tiền")."""
    text = fold(query or "")
    return bool(_SPECIFIC_RE["fee"].search(text)) or asks_fee_validity(query)


def detect_aspect(query: str) -> str | None:
    """The aspect the query asks about, or None for a general question about the procedure.

    A question about how long a fee or reduction applies is the fee aspect (its answer carries the
    validity dates), although "đến bao giờ" alone would read as a processing time."""
    text = fold(_SAYS_NOW.sub("bảo", query or ""))
    if asks_fee_validity(query) or _PRICE_COMPARISON.search(text):
        return "fee"
    if not text:
        return None
    best: tuple[int, int, str] | None = None
    for order, (aspect, rx) in enumerate(_SPECIFIC_RE.items()):
        m = rx.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, aspect)
    if best:
        return best[2]
    for aspect, rx in _GENERIC_RE.items():
        if rx.search(text):
            return aspect
    return None


_WORD = re.compile(r"\w+")
_ALL_RE = re.compile(
    r"\b(?:" + "|".join(f"(?:{p})" for p in [*_SPECIFIC.values(), *_GENERIC.values()]) + r")\b"
)


def topic_text(query: str) -> str:
    """The query without its aspect phrases ("lệ phí", "ở đâu", "mất bao lâu", "online" ...),
    diacritics kept: what identifies *which* procedure is meant. Falls back to the normalised
    query when nothing would be left."""
    words = _WORD.findall(normalize(query or ""))
    if not words:
        return ""
    folded = [strip_accents(w) for w in words]
    starts, pos = [], 0
    for w in folded:
        starts.append(pos)
        pos += len(w) + 1
    drop = [False] * len(words)
    for m in _ALL_RE.finditer(" ".join(folded)):
        for i, st in enumerate(starts):
            if m.start() <= st < m.end():
                drop[i] = True
    kept = [w for w, d in zip(words, drop, strict=True) if not d]
    return " ".join(kept) if kept else " ".join(words)


def answer_span(hit: Any, aspect: str | None, today: dt.date | None = None) -> str:
    """The best short answer text for ``hit`` (a :class:`knowledge_base.search.Hit`) and ``aspect``.

    Procedures are answered by :func:`knowledge_base.answers.procedure_answer` (speakable,
    with the code and the source link); FAQs by :func:`knowledge_base.faq.faq_answer`, which
    never presents an expired policy as current.
    """
    from dvcbot.settings import get_settings

    today = today or get_settings().current_date()
    if hit.kind == "faq":
        from knowledge_base.faq import faq_answer, get_faq

        faq = get_faq(hit.id)
        if faq is None:
            return f"Dạ, {hit.title} Xem thêm tại {hit.source_url}".strip()
        return faq_answer(faq, today)
    from knowledge_base.answers import procedure_answer
    from knowledge_base.catalogue import load_catalogue

    proc = load_catalogue().get(hit.id)
    if proc is None:  # a stale index can name a procedure the catalogue no longer has
        return f"Dạ, thủ tục {hit.title} (mã {hit.id}), xem chi tiết tại {hit.source_url}".strip()
    return procedure_answer(proc, aspect if aspect in ASPECTS else None, today)


#: a question of what follows ("không báo thì có sao không", "chưa làm thì bị phạt không", "ko dk thi sao"),
#: folded; "không có sao đâu" ("no problem") is none, and a bare "còn <something> thì sao" is a topic switch
_CONSEQUENCE = re.compile(
    r"\b(?<!khong )(?<!ko )(?<!k )(?<!chang )(?:(?:thi|se) )?co sao (?:khong|ko|k|ha|a)\b"
    r"|\b(?:khong|ko|k|chua|quen)(?: \w+){1,3} thi sao\b|\b(?<!khong )(?<!ko )(?<!k )(?<!chang )(?:thi|co|se) (?:co )?"
    r"(?:co sao|bi (?:sao|gi|phat|lam sao|xu phat|xu ly)|anh huong gi|van de gi)\b"
    r"|\b(?:co )?bi (?:phat|xu phat|xu ly) (?:khong|ko|k|ha|a)\b|\bphat (?:bao nhieu|the nao|nhu the nao)\b")


def asks_consequence(query: str) -> bool:
    """True for a question of what follows from doing or not doing something ("không báo thì có sao
    không", "nếu chưa đăng ký thì có bị phạt không"): asked of the procedure being talked about."""
    return bool(_CONSEQUENCE.search(fold(query or "")))
