"""Is this FAQ entry an answer to the message? (issue 9, misrouted answers)

The search always returns *something*: "vay tiền ngân hàng" finds the entry about paying fees
through banks, "đăng ký tạm trú trên VNeID" the one about creating a level-1 account. An entry is
given only when its own question, paraphrases and answer cover the message's content words; among
the first search hits that do, the one whose own question matches the message best wins
(:func:`best_entry`). Nothing covered well
enough means the honest "I do not have this" with topic buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dvcbot.textnorm import strip_accents, tokens

#: a message's content words an entry must cover (share of them) to be given as the answer
MIN_COVERAGE = 0.75
#: words that carry no topic: question words, politeness, pronouns, generic verbs
_GENERIC_TEXT = (
        "tôi mình em anh chị cháu bác bà ông cô chú bạn ad admin tổng đài viên ạ ơi nhé nhỉ à ạ vậy thế thì "
        "là có không được cần gì những nào ở đâu bao nhiêu lâu sao như thế nào làm muốn hỏi cho xin giúp "
        "với và hay hoặc của đã đang sẽ rồi mà nếu khi để bị phải nên này đó kia các một hai nghe nói bảo "
        "đúng sai thật chưa vẫn còn nữa lại ra vào lên xuống đi đến tại trên qua từ về theo bây giờ nay "
        "hôm ngày mới cũ nhà mình ai gì đâu luôn cũng rất quá lắm thôi"
)
#: word by word as well: folding the whole text reads "không ..." runs as spoken numbers
GENERIC = frozenset(tokens(_GENERIC_TEXT)) | frozenset(strip_accents(w) for w in _GENERIC_TEXT.split())


def content_words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in GENERIC and not w.isdigit()}


def entry_words(entry: Any) -> set[str]:
    texts: Sequence[str] = (getattr(entry, "question", ""), *getattr(entry, "paraphrases", ()),
                            getattr(entry, "answer", ""), getattr(entry, "expired_answer", "") or "")
    return set(tokens(" ".join(texts)))


def coverage(message: str, entry: Any) -> float:
    """Share of the message's content words found in the entry's question, paraphrases or answer."""
    words = content_words(message)
    if not words:
        return 1.0  # nothing to check ("thế thì sao"): the search order decides
    return len(words & entry_words(entry)) / len(words)


def question_coverage(message: str, entry: Any) -> float:
    """Share of the message's content words found in the entry's own question and paraphrases
    (not its answer): how well the entry's question matches what was asked."""
    words = content_words(message)
    if not words:
        return 1.0
    texts = (getattr(entry, "question", ""), *getattr(entry, "paraphrases", ()))
    return len(words & set(tokens(" ".join(texts)))) / len(words)


def best_entry(message: str, entries: list[Any], context: str | None = None) -> Any | None:
    """Among the entries covering at least :data:`MIN_COVERAGE` of ``message`` (question,
    paraphrases and answer), the one whose own question matches the message best; then the best
    covered; then, for a short follow-up, the one closest to the ``context`` (the question answered
    before); then the search order. None when no entry covers enough.

    Several close entries often pass the coverage check because their answers mention each other's
    words ("miễn lệ phí" in the online-submission answers); the entry's own question is what tells
    "Hà Nội nhận hết thủ tục qua mạng?" (all online) from "nộp online có miễn phí?" (zero fee)."""
    scored = []
    for i, entry in enumerate(entries):
        full = coverage(message, entry)
        if full < MIN_COVERAGE - 1e-9:
            continue
        near = coverage(context, entry) if context else 0.0
        scored.append(((round(question_coverage(message, entry), 6), round(full, 6), round(near, 6), -i), entry))
    return max(scored, key=lambda t: t[0])[1] if scored else None
