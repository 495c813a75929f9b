"""Short follow-ups keep the current procedure, whatever intent the NLU gave them.

After an answer about a procedure, citizens ask "bao lâu", "có mất phí không", "nộp ở đâu",
"làm online được không". Out of context these look like payment, submission, place or even
out-of-scope questions, and the NLU (which sees one message) labels them so. Every action that
can receive such a message asks :func:`followup_aspect` first: when the conversation has a
current procedure, the message names no other one and asks about one aspect, the answer is that
aspect of the current procedure.

:func:`followup_aspect` is the one deciding function; :func:`answer_followup` writes the answer
(with the same wording and buttons as ``action_answer_procedure``).
"""

from __future__ import annotations

import re
from typing import Any

from actions.message import entity_values, is_payload, message_text
from dvcbot.textnorm import fold, strip_accents, tokens

#: a follow-up is short: longer messages tell a new story and go through the normal resolution
MAX_FOLLOWUP_TOKENS = 10
#: words that may appear in a follow-up besides the question words (folded)
_FOLLOWUP_TEXT = (
        "thế thì còn vậy nữa vay z v ạ ơi nhé nhỉ à ah ừ uh ok dạ vâng bạn em anh chị cháu bà ông bác cô chú "
        "ad admin tổng đài viên xong lấy nhận có không ko k được dc mất tốn hết bao nhiêu lâu mấy ngày hôm "
        "tuần tháng tiền phí lệ giá rẻ đắt cần mang gì những nào ở đâu chỗ nơi nộp làm đi đến ra tại online "
        "mạng trực tuyến qua trên app điện thoại nhà hồ sơ giấy tờ gồm chuẩn bị kết quả khi bao giờ lúc "
        "thời gian hạn xử lý giải quyết bước cách như sao thế nào hả hở nhờ hỏi cho tôi mình luôn cũng "
        "một 1 trang bản lần người phải cùng có thể hay là của đó này thôi miễn phí free nhanh "
        "giấy phép sổ thẻ chứng nhận giảm ưu đãi hơn "
        # how long a fee or reduction lasts ("giá đó áp dụng đến khi nào", "sang năm còn giá này không")
        "giá áp dụng sang năm nay sau tới vẫn hiệu lực hết nghìn đồng mức thu chính sách tăng cái đấy ấy"
)
#: word by word as well: folding the whole text reads "không ..." runs as spoken numbers
FOLLOWUP_WORDS = frozenset(tokens(_FOLLOWUP_TEXT)) | frozenset(strip_accents(w) for w in _FOLLOWUP_TEXT.split())
#: messages that are about something else even when short ("quên mật khẩu", "số tổng đài")
_OTHER_TOPIC = re.compile(
    r"\b(?:vneid|dinh danh|mat khau|passcode|otp|tong dai|so dien thoai|hotline|zalo|bien lai"
    r"|ngan hang|vi dien tu|khieu nai|phan anh|can bo|nguoi that|cam on|tam biet|chao)\b"
)


_REDUCTION = re.compile(r"\b(?:giam|uu dai|mien giam|re hon|dat hon)\b")


def followup_aspect(message: dict[str, Any], previous_code: str | None, known: Any) -> str | None:
    """The aspect ``message`` asks about the current procedure ``previous_code``, or None when the
    message is not such a follow-up (no current procedure, another procedure named, a longer or
    other-topic message, or no aspect asked)."""
    from knowledge_base.aspects import asks_fee_validity, detect_aspect

    if not previous_code or previous_code not in known:
        return None
    text = message_text(message)
    if not text.strip() or is_payload(text):
        return None
    if any(code != previous_code for code in entity_values(message, "procedure")):
        return None
    words = tokens(text)
    if not words or len(words) > MAX_FOLLOWUP_TOKENS or _OTHER_TOPIC.search(fold(text)):
        return None
    if len([w for w in words if w not in FOLLOWUP_WORDS and not w.isdigit()]) > 1:  # "115 nghìn", "2027"
        return None
    if _REDUCTION.search(fold(text)) or asks_fee_validity(text):  # "đến bao giờ thì hết giảm?": the fee
        return "fee"
    return detect_aspect(text)


def answer_followup(dispatcher: Any, tracker: Any, aspect: str) -> list[dict[str, Any]] | None:
    """Answer ``aspect`` of the conversation's current procedure; None when it cannot be answered."""
    from actions import kb
    from actions.procedure import answer_with

    proc = kb.procedure(tracker.get_slot("procedure"))
    if proc is None:
        return None
    return answer_with(dispatcher, proc, aspect, guessed=bool(tracker.get_slot("procedure_guessed")))


def try_followup(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """The events of a follow-up answer when the latest message is one, else None (do the usual)."""
    from actions import kb

    message = tracker.latest_message or {}
    aspect = followup_aspect(message, tracker.get_slot("procedure"), kb.catalogue())
    if aspect is None:
        return None
    return answer_followup(dispatcher, tracker, aspect)
