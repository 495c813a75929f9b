"""The request inside a message, and the intent checks that need no dialogue context (issue 9).

Citizens wrap their question: "ad ơi …", "chào em, …", or a whole story before it ("Tôi năm nay
72 tuổi, … cho tôi hỏi …"). The classifier scores the whole message; the wrapping pulls it towards
greet or towards whatever the story is about. :func:`request_text` finds the part that asks (the
message without its leading address/greeting, or for a long message the sentences with a question
or request cue — :func:`knowledge_base.vocabulary.request_part`, the same part the procedure search
uses), and when that part alone is a request (:func:`is_request`), :func:`combine` mixes the two
rankings, the request part weighing more.

:func:`procedure_without_cue` is the second check: a message that names a procedure but carries no
word of finding a nearby point (find_agent), of paying online (ask_online_payment), of complaining
(file_complaint) or of the online filing process (ask_online_submission) is a question about that
procedure ("tách hộ làm ở công an phường hay …", "thành lập công ty …").
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
#: complains of nothing. None may fold to an everyday word ("tệ" folds to the "tế" of "y tế", "vòi"
#: to "với")
COMPLAINT_CUES = tuple(
    fold(p)
    for p in (
        "khiếu nại", "phản ánh", "phan anh", "tố cáo", "kiến nghị", "góp ý", "bức xúc", "thái độ", "tác phong",
        "quát", "hách dịch", "gây khó", "khó dễ", "nhũng nhiễu", "phiền hà", "hối lộ", "bôi trơn", "tiêu cực",
        "đòi tiền", "đòi thêm", "thu thêm", "ngoài quy định", "sai quy định", "trễ hạn", "trễ hẹn", "quá hạn",
        "quá hẹn", "chậm", "lâu quá", "hẹn đi hẹn lại", "hẹn lại", "mãi chưa", "mãi không", "vẫn chưa", "không ai",
        "không được giải quyết", "từ chối", "vô lý", "làm mất", "bị mất hồ sơ", "làm sai", "ghi sai",
        "không hướng dẫn", "không nhận", "đùn đẩy", "thất vọng", "trễ", "lỡ hẹn", "không giải quyết",
        "chưa giải quyết", "không trả", "chưa trả", "chưa có kết quả", "hạch sách", "bồi dưỡng", "sai", "lỗi",
        "trả lại", "bắt", "cáu", "kém", "không hài lòng", "bực", "không nghe", "không được", "treo",
        "đi lại nhiều lần", "nhiều lần",
    )
)
#: asking to correct one's own data ("muốn điều chỉnh lại", "xin sửa", "cải chính"): a request, not a
#: complaint, when the only complaint cues are the wrong data itself (:data:`WRONG_DATA_CUES`)
CORRECTION_CUES = tuple(
    fold(p)
    for p in (
        "điều chỉnh", "sửa lại", "muốn sửa", "xin sửa", "sửa thông tin", "sửa ngày", "sửa tên", "cải chính",
        "đính chính", "cập nhật lại", "chỉnh lại", "chỉnh sửa",
    )
)
#: complaint cues that only say the data is wrong ("ngày sinh bị sai", "ghi sai tên đệm")
WRONG_DATA_CUES = frozenset(fold(p) for p in ("sai", "ghi sai", "lỗi", "bị sai", "sai thông tin", "nhầm"))
#: ... and ask_online_submission only with one of these: the words of the online filing process itself
#: (the portal, the account, files, signing, the dossier's status, sending originals, results by post)
SUBMISSION_CUES = tuple(
    fold(p)
    for p in (
        "cổng", "dichvucong", "dvc", "trang web", "website", "trang nào", "web nào", "đăng nhập", "tài khoản",
        "mật khẩu", "file", "tải lên", "tải file", "đính kèm", "scan", "ảnh chụp", "ký số", "chữ ký số",
        "tra cứu", "trạng thái", "đến đâu", "bước nào", "đã nộp", "vừa nộp", "bổ sung", "trả về", "trả lại",
        "bản gốc", "bản giấy", "bản chính", "gửi bưu điện", "qua bưu điện", "bưu chính", "kết quả gửi",
        "nhận kết quả", "kết quả về", "một phần", "toàn trình", "mã hồ sơ", "biên nhận", "hủy hồ sơ", "rút hồ sơ",
        "sửa hồ sơ", "lỗi", "máy tính", "điện thoại", "không biết", "không rành", "hướng dẫn nộp", "cách nộp",
        "các bước",
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


#: the cues an intent needs when the message names a procedure (without one: a procedure question)
CUES_OF_INTENT: dict[str, tuple[str, ...]] = {"find_agent": AGENT_CUES, "ask_online_payment": PAYMENT_CUES,
                                              "file_complaint": COMPLAINT_CUES, "ask_online_submission": SUBMISSION_CUES}


def procedure_without_cue(intent: str, text: str) -> bool:
    """True when ``intent`` (find_agent, ask_online_payment, file_complaint, ask_online_submission)
    lacks every cue of its kind in ``text``: a message that names a procedure is then a question
    about that procedure ("nghỉ việc rồi muốn rút bhxh 1 lần" is a request, not a complaint; "làm hộ
    chiếu nộp online có rẻ hơn không" asks about the passport, not about the portal)."""
    cues = CUES_OF_INTENT.get(intent)
    return cues is not None and not _has(fold(text), cues)


def asks_correction(text: str) -> bool:
    """True when ``text`` asks to correct its data and complains of nothing else: "ngày sinh trong cơ
    sở dữ liệu bị sai, muốn điều chỉnh lại" is the correction procedure, not a complaint; "cán bộ ghi
    sai mà không chịu sửa" still complains (other cues than the wrong data)."""
    padded = f" {fold(text)} "
    if not _has(padded.strip(), CORRECTION_CUES):
        return False
    return all(c in WRONG_DATA_CUES for c in COMPLAINT_CUES if f" {c} " in padded)


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
