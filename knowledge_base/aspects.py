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

__all__ = ["ASPECTS", "ASPECT_LABELS", "detect_aspect", "topic_text", "answer_span"]

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
    "fee": r"le phi|phi|bao nhieu tien|mat tien|may tien|ton tien|het tien|ton bao nhieu|het bao nhieu"
    r"|mien phi|tra tien|dong tien|tien le phi|\d+ dong|\d+ nghin|dong nao",
    "processing_time": r"bao lau|lau|may ngay|bao nhieu ngay|may hom|bao gio|khi nao|thoi gian|thoi han"
    r"|lay ngay|trong ngay|may tuan|bao nhieu tuan",
    "documents": r"giay to gi|giay to nao|nhung giay to|can giay to|giay to can|can gi|can nhung gi|mang theo"
    r"|mang gi|chuan bi|thanh phan|ho so gom|ho so can|ho so gi|ho so nhung|can ho so|bo ho so|kham suc khoe"
    r"|anh the|to khai|mau don",
    "where": r"o dau|noi nao|cho nao|(?<!doi )dia chi|di dau|den dau|ra dau|toi dau|phuong nao|xa nao|co quan nao"
    r"|ra phuong|ra uy ban|ra xa|gan nha|nop o",
    "online": r"online|truc tuyen|qua mang|tren mang|dich vu cong|tren vneid|qua vneid|tren app|qua app"
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


def detect_aspect(query: str) -> str | None:
    """The aspect the query asks about, or None for a general question about the procedure."""
    text = fold(query or "")
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
