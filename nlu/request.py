"""The request inside a message, and the intent checks that need no dialogue context (issue 9).

Citizens wrap their question: "ad ơi …", "chào em, …", or a whole story before it ("Tôi năm nay
72 tuổi, … cho tôi hỏi …"). The classifier scores the whole message; the wrapping pulls it towards
greet or towards whatever the story is about. :func:`request_text` finds the part that asks (the
message without its leading address/greeting, or for a long message the sentences with a question
or request cue — :func:`knowledge_base.vocabulary.request_part`, the same part the procedure search
uses), and when that part alone is a request (:func:`is_request`), :func:`combine` mixes the two
rankings, the request part weighing more.

:func:`procedure_not_agent_or_payment` is the second check: a message that names a procedure but
carries no word of finding a nearby point (find_agent) or of paying online (ask_online_payment) is a
question about that procedure ("tách hộ làm ở công an phường hay …", "thành lập công ty …").
"""

from __future__ import annotations

import re

from dvcbot.textnorm import fold

#: words that address or greet before the request ("ad ơi", "chào em", "dạ cho em hỏi"); each is
#: compared with a token's accent-folded, teencode-expanded form
_ADDRESS_WORDS = frozenset(
    fold(w)
    for w in (
        "xin chào alo alô hello hi dạ vâng ơi ad admin bạn em anh chị cháu bác cô chú ạ à "
        "ông bà cán bộ tổng đài viên nhé cho hỏi chút xíu"
    ).split()
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
#: a message with fewer words than this (accent-folded, abbreviations expanded) after its address is
#: not split: "chào em, chị muốn hỏi ít việc" is a greeting, "ad ơi lm cccd ở đâu" asks
MIN_REQUEST_WORDS = 5
#: the part alone must be at least this sure of its (non-social) intent to be mixed in
REQUEST_MIN_CONFIDENCE = 0.6
#: weight of the request part's ranking against the whole message's
REQUEST_WEIGHT = 0.6

#: a message naming a procedure is find_agent only with one of these (accent-folded phrases)
AGENT_CUES = tuple(
    fold(p)
    for p in (
        "gần", "gan nha", "gần nhất", "gần đây", "đại lý", "điểm tiếp nhận", "điểm hỗ trợ", "điểm phục vụ",
        "điểm dịch vụ", "bưu điện", "bưu cục", "chi nhánh", "vị trí", "chỉ đường", "địa chỉ", "tìm",
        "một cửa", "người hỗ trợ", "ai hỗ trợ", "ai giúp", "nhờ người",
    )
)
#: ... and ask_online_payment only with one of these
PAYMENT_CUES = tuple(
    fold(p)
    for p in (
        "thanh toán", "trả phí", "trả tiền", "nộp phí", "nộp lệ phí", "nộp tiền", "chuyển khoản", "trừ tiền",
        "bị trừ", "hoàn tiền", "hoàn lại", "biên lai", "hóa đơn", "thẻ", "ví điện tử", "momo", "vnpay",
        "qr", "internet banking", "giao dịch", "mã thanh toán", "phí giao dịch",
    )
)

#: ... and file_complaint only with one of these: "nghỉ việc rồi muốn rút bhxh" names a procedure and
#: complains of nothing
COMPLAINT_CUES = tuple(
    fold(p)
    for p in (
        "phản ánh", "khiếu nại", "tố cáo", "kiến nghị", "góp ý", "bức xúc", "thái độ", "tác phong", "chậm", "trễ",
        "trễ hẹn", "quá hạn", "quá hẹn", "lỡ hẹn", "không giải quyết", "chưa giải quyết", "không trả", "chưa trả",
        "chưa có kết quả", "mãi không", "mãi chưa", "vẫn chưa", "gây khó", "khó dễ", "nhũng nhiễu", "hạch sách",
        "vòi", "đòi tiền", "thu thêm", "bồi dưỡng", "tiêu cực", "sai", "lỗi", "từ chối", "trả lại", "bắt",
        "quát", "hách dịch", "cáu", "tệ", "kém", "không hài lòng", "bực", "thất vọng", "không ai", "không nghe",
        "không được", "không nhận", "treo", "đi lại nhiều lần", "nhiều lần",
    )
)


def _address_end(tokens: list[str]) -> int:
    """How many leading tokens only address or greet."""
    n = 0
    for tok in tokens:
        if fold(tok) not in _ADDRESS_WORDS:
            break
        n += 1
    return n


def request_text(text: str) -> str | None:
    """The part of ``text`` that asks, when it differs from the whole message; else None."""
    part = text
    try:
        from knowledge_base.vocabulary import request_part
    except ImportError:  # the knowledge base is optional for the NLU
        request_part = None
    if request_part is not None:
        part = request_part(text)
    matches = list(_TOKEN.finditer(part))
    skip = _address_end([m.group() for m in matches])
    if skip and skip < len(matches) and len(fold(part[matches[skip].start():]).split()) >= MIN_REQUEST_WORDS:
        part = part[matches[skip].start():]
    part = part.strip(" ,.;:!?-")
    if not part or fold(part) == fold(text):
        return None
    return part


#: intents that are not a request: a part classified as one of these is not the message's request
#: ("chào bạn nhé, mình có việc cần hỏi" is a greeting, whatever its tail looks like alone)
SOCIAL_INTENTS = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope"})


def is_request(part: list[tuple[str, float]], threshold: float = REQUEST_MIN_CONFIDENCE) -> bool:
    """Whether the part's own ranking (best first) makes it a request worth mixing in: its best
    intent is not social and is at least ``threshold`` sure."""
    return bool(part) and part[0][0] not in SOCIAL_INTENTS and part[0][1] >= threshold


def combine(whole: list[tuple[str, float]], part: list[tuple[str, float]],
            weight: float = REQUEST_WEIGHT) -> list[tuple[str, float]]:
    """One ranking from the whole message's and the request part's, best first."""
    scores = {name: (1 - weight) * p for name, p in whole}
    for name, p in part:
        scores[name] = scores.get(name, 0.0) + weight * p
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _has(folded: str, cues: tuple[str, ...]) -> bool:
    padded = f" {folded} "
    return any(f" {c} " in padded for c in cues)


def procedure_not_agent_or_payment(intent: str, text: str) -> bool:
    """True when ``intent`` (find_agent, ask_online_payment or file_complaint) lacks every cue of its
    kind in ``text``:
    a message that names a procedure is then a procedure question."""
    folded = fold(text)
    if intent == "find_agent":
        return not _has(folded, AGENT_CUES)
    if intent == "ask_online_payment":
        return not _has(folded, PAYMENT_CUES)
    if intent == "file_complaint":
        return not _has(folded, COMPLAINT_CUES)
    return False


#: asking for the centre's number ("cho tôi xin số điện thoại", "gọi số nào"), accent-folded phrases
NUMBER_ASKED_CUES = tuple(
    fold(p)
    for p in (
        "xin số", "xin sđt", "xin sdt", "số điện thoại", "sđt", "số nào", "số gì", "số hotline", "số tổng đài",
        "số đường dây nóng",
    )
)
#: ... but not leaving one's own number to be called back ("để lại số", "gọi lại cho tôi số 09…")
CALLBACK_CUES = tuple(fold(p) for p in ("để lại", "gọi lại", "liên hệ lại", "gọi cho tôi", "số của tôi", "số tôi"))
_DIGITS = re.compile(r"\d{4,}")


def asks_for_number(text: str) -> bool:
    """True when ``text`` asks for a phone number to call (ask_contact: the hotline answers it), not
    for a person to call back or to take over the chat (request_human)."""
    folded = fold(text)
    return (_has(folded, NUMBER_ASKED_CUES) and not _has(folded, CALLBACK_CUES)
            and not _DIGITS.search(text.replace(" ", "")))
