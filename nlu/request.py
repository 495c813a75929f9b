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
procedure ("tách hộ làm ở công an phường hay …", "thành lập công ty …"); so is a wish to correct one's
own record (:func:`corrects_own_record`: "ngày sinh bị ghi sai, muốn sửa lại" is the correction
procedure, not a complaint). :func:`asks_new_ward`: a message naming a ward that asks which ward it
became in the 2025 merger is a place question, not a merger procedure.

Words that decide an intent whatever the classifier reads: :func:`vneid_is_the_channel` (a named
procedure done "trên vneid" without a word of the account or app is a procedure question),
:func:`asks_about_hotline` (the centre's hotline named without a procedure is a contact question) and
:func:`declares_complaint` ("tôi muốn phản ánh", "mún báo lỗi": a complaint, whatever it is about).
:func:`asks_everyday_errand`: a shop, an ATM or a savings rate asked about with no public service named
is out of scope, whatever place or money words it shares with finding a service point or paying.
:func:`story_topic`: a story sure of its topic (the VNeID account, paying or filing online) keeps it
when its request part, read alone, named no procedure and looked like a procedure question.
"""

from __future__ import annotations

import re

from dvcbot.textnorm import clean, fold, folded, normalize, strip_accents
from knowledge_base.contact import asks_for_number as asks_for_number  # decided with the contact facts
from knowledge_base.contact import names_channel

#: words that address or greet before the request ("ad ơi", "chào em", "dạ cho em hỏi")
_ADDRESS_LIST = (
    "xin chào alo alô hello hi dạ vâng ơi ad admin bạn em anh chị cháu bác cô chú ạ à "
    "ông bà cán bộ tổng đài viên nhé cho hỏi chút xíu"
).split()
#: ... as typed with diacritics (teencode expanded): "chỗ", "có", "cần", "đã" are not "cho", "cô",
#: "cán", "dạ" although they fold alike
_ADDRESS_WORDS = frozenset(normalize(w) for w in _ADDRESS_LIST)
#: ... and accent-folded, for a token typed without diacritics ("ad oi", "da cho em hoi")
_ADDRESS_FOLDED = frozenset(fold(w) for w in _ADDRESS_LIST)
_TOKEN = re.compile(r"\w+", re.UNICODE)
#: a message with fewer words than this (accent-folded, abbreviations expanded) after its address is
#: not split: "chào em, chị muốn hỏi ít việc" is a greeting, "ad ơi lm cccd ở đâu" asks
MIN_REQUEST_WORDS = 5
#: the part alone must be at least this sure of its (non-social) intent to be mixed in
REQUEST_MIN_CONFIDENCE = 0.6
#: weight of the request part's ranking against the whole message's
REQUEST_WEIGHT = 0.6


#: a message naming a procedure is find_agent only with one of these (accent-folded phrases)
AGENT_CUES = folded(
        "gần", "gan nha", "gần nhất", "gần đây", "đại lý", "điểm tiếp nhận", "điểm hỗ trợ", "điểm phục vụ",
        "điểm dịch vụ", "bưu điện", "bưu cục", "chi nhánh", "vị trí", "chỉ đường", "địa chỉ", "tìm",
        "một cửa", "người hỗ trợ", "ai hỗ trợ", "ai giúp", "nhờ người",
)
#: ... and ask_online_payment only with one of these. A bank card is named as one ("bằng thẻ", "thẻ ngân
#: hàng"), never as bare "thẻ": folded it is the "thế" of every "thế nào" and the card of "thẻ bảo hiểm y tế"
PAYMENT_CUES = folded(
        "thanh toán", "trả phí", "trả tiền", "nộp phí", "nộp lệ phí", "nộp tiền", "chuyển khoản", "trừ tiền",
        "bị trừ", "hoàn tiền", "hoàn lại", "biên lai", "hóa đơn", "thẻ ngân hàng", "thẻ atm", "thẻ tín dụng",
        "thẻ ghi nợ", "thẻ visa", "thẻ napas", "quẹt thẻ", "bằng thẻ", "qua thẻ", "ví điện tử", "momo", "vnpay",
        "qr", "internet banking", "giao dịch", "mã thanh toán", "phí giao dịch",
)

#: ... and file_complaint only with one of these: "nghỉ việc rồi muốn rút bhxh" names a procedure and
#: complains of nothing. None may fold to an everyday word ("tệ" folds to the "tế" of "y tế", "vòi"
#: to "với")
COMPLAINT_CUES = folded(
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
#: ... but a wrong entry in one's own record that one wishes corrected ("ngày sinh trên căn cước bị sai, muốn
#: sửa lại") is a request for the correction procedure: these complaint cues do not count beside a wish
#: to correct (complaints about staff, delays, fees or the system keep their own cues)
DATA_ERROR_CUES = folded("sai", "ghi sai", "nhầm")
CORRECTION_CUES = folded(
        "điều chỉnh", "chỉnh sửa", "sửa", "sửa lại", "sửa đổi", "cải chính", "đính chính", "cập nhật lại", "cập nhật thông tin",
        "bổ sung thông tin",
        "thay đổi thông tin", "chỉnh lại",
)
#: ... and a paper of one's own damaged or lost ("căn cước bị gãy đôi", "làm rơi mất bằng lái") with a wish
#: for a new one is the reason for a re-issue procedure, not a complaint: these say the damage or loss
DAMAGE_CUES = folded(
        "gãy đôi", "gãy làm đôi", "bị gãy", "bị hỏng", "hỏng rồi", "bị hư", "hư rồi", "bị rách", "rách rồi",
        "rách nát", "bị nát", "bị mờ", "mờ hết", "bị bong", "bong tróc", "bị nứt", "bị vỡ", "bị cong",
        "bị ướt", "ngấm nước", "bị mục", "bạc màu", "bị lỗi chip", "lỗi chip", "hỏng chip", "bị mất",
        "đánh mất", "đánh rơi", "làm rơi", "rơi mất", "thất lạc", "bị trộm", "bị móc túi", "bị cháy",
)
#: ... the wish for a new one
RENEWAL_CUES = folded(
        "đổi", "đổi lại", "đổi mới", "làm lại", "làm mới", "cấp lại", "cấp mới", "cấp đổi", "xin lại",
        "thay", "thay mới", "làm cái mới", "cái mới", "cái khác",
)
#: ... and ask_online_submission only with one of these: the words of the online filing process itself
#: (the portal's pages, the account, files, signing, the dossier's status, sending originals, results by
#: post). The channel's name alone ("trên dịch vụ công", "qua cổng", "online") is no such word: "đổi bằng
#: lái trên dịch vụ công cần ảnh không" asks what the procedure needs; "cổng" and "dvc" also fold onto
#: the "công" of every "dịch vụ công"
SUBMISSION_CUES = folded(
        "cổng nào", "lên cổng", "vào cổng", "dichvucong", "trang nào", "web nào", "mục nào", "link", "đăng nhập",
        "tài khoản",
        "mật khẩu", "file", "tải lên", "tải file", "đính kèm", "scan", "ảnh chụp", "ký số", "chữ ký số",
        "tra cứu", "trạng thái", "đến đâu", "bước nào", "đã nộp", "vừa nộp", "bổ sung", "trả về", "trả lại",
        "bản gốc", "bản giấy", "bản chính", "gửi bưu điện", "qua bưu điện", "bưu chính", "kết quả gửi",
        "nhận kết quả", "kết quả về", "một phần", "toàn trình", "mã hồ sơ", "biên nhận", "hủy hồ sơ", "rút hồ sơ",
        "sửa hồ sơ", "lỗi", "máy tính", "điện thoại", "không biết", "không rành", "hướng dẫn nộp", "cách nộp",
        "các bước",
)


#: a message naming a procedure is about the VNeID account or app only with one of these (accent-folded);
#: without one, VNeID is the channel of the named procedure ("xin lý lịch tư pháp qua vneid được không",
#: "đăng ký kết hôn trên vneid"): a procedure question. None may fold onto an everyday word ("hiện" alone
#: is the "hiện" of "thực hiện", "cài" the "cái" of "cái thẻ")
VNEID_ACCOUNT_CUES = folded(
        "tài khoản", "mật khẩu", "đăng nhập", "kích hoạt", "định danh", "mức 1", "mức 2", "mức độ 2", "otp",
        "mã xác thực", "mã kích hoạt", "xác thực", "khuôn mặt", "khóa", "mở khóa", "bị khoá", "lỗi", "tích hợp",
        "ví giấy tờ", "không hiện", "chưa hiện", "hiện sai", "hiển thị", "cập nhật", "số điện thoại", "email",
        "đổi máy", "điện thoại mới", "thiết bị", "cài đặt", "cài app", "cài ứng dụng", "tải app", "tải ứng dụng",
        "nfc", "quét chip", "sai thông tin", "thông tin sai",
)
#: words naming the VNeID app itself ("thông tin trên vneid bị sai" is about what the app shows)
VNEID_NAMES = folded("vneid", "ứng dụng định danh", "app định danh")


def _address_end(tokens: list[str]) -> int:
    """How many leading tokens only address or greet."""
    n = 0
    for tok in tokens:
        if not _is_address_word(tok):
            break
        n += 1
    return n


def _is_address_word(token: str) -> bool:
    """A token that only addresses or greets: its own diacritics must match when it has any."""
    lowered = token.lower()
    if strip_accents(lowered) == lowered:
        return fold(token) in _ADDRESS_FOLDED
    return normalize(token) in _ADDRESS_WORDS


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


#: intents whose cue must be in the part that asks: paying told in a story ("đi khám bị mất thẻ nên phải trả
#: tiền, giờ muốn đề nghị bảo hiểm thanh toán lại") is what happened, not what is asked
ASKED_CUE_INTENTS = frozenset({"ask_online_payment"})


def procedure_without_cue(intent: str, text: str, title: str | None = None) -> bool:
    """True when ``intent`` (find_agent, ask_online_payment, file_complaint, ask_online_submission)
    lacks every cue of its kind in ``text``: a message that names a procedure is then a question
    about that procedure ("nghỉ việc rồi muốn rút bhxh 1 lần" is a request, not a complaint; "làm hộ
    chiếu nộp online có rẻ hơn không" asks about the passport, not about the portal). A cue that is a
    word of the named procedure's own ``title`` ("Thanh toán trực tiếp chi phí khám, chữa bệnh BHYT")
    names that procedure, not the intent; a payment cue counts only in the part that asks
    (:data:`ASKED_CUE_INTENTS`)."""
    cues = CUES_OF_INTENT.get(intent)
    if cues is None:
        return False
    if intent == "file_complaint" and (corrects_own_record(text) or replaces_own_paper(text)):
        # "ngày sinh bị sai, muốn sửa", "thẻ bị gãy, muốn đổi": a procedure
        return True
    if title:
        cues = tuple(c for c in cues if not _has(fold(title), (c,)))
    asked = _asking_part(text) if intent in ASKED_CUE_INTENTS else text
    return not _has(fold(asked), cues)


def _asking_part(text: str) -> str:
    """The clauses of ``text`` that ask (:func:`knowledge_base.answer_check.question_part`), else the whole."""
    try:
        from knowledge_base.answer_check import question_part
    except ImportError:  # the knowledge base is optional for the NLU
        return request_text(text) or text
    return question_part(text)


def corrects_own_record(text: str) -> bool:
    """True when ``text`` wishes a record corrected ("quê quán trên căn cước ghi sai, muốn sửa lại") and
    complains of nothing else (no cue of staff, delays, fees, the system): the correction procedure
    is asked for, not a complaint filed."""
    folded = fold(text)
    others = tuple(c for c in COMPLAINT_CUES if c not in DATA_ERROR_CUES)
    return _has(folded, CORRECTION_CUES) and not _has(folded, others)


def replaces_own_paper(text: str) -> bool:
    """True when ``text`` tells a paper of one's own damaged or lost and wishes a new one ("căn cước
    bị gãy đôi rồi, muốn đổi cái mới") and complains of nothing else (no cue of staff, delays, fees,
    the system): the re-issue procedure is asked for, not a complaint filed."""
    folded = fold(text)
    others = tuple(c for c in COMPLAINT_CUES if c not in ("lỗi", "loi"))  # "lỗi chip" is the damage
    return _has(folded, DAMAGE_CUES) and _has(folded, RENEWAL_CUES) and not _has(folded, others)


def is_record_correction(intent: str, text: str) -> bool:
    """True when a message the classifier took for a complaint, or for the VNeID account, asks to
    correct a wrong entry of one's own record ("năm sinh trong dữ liệu cư trú bị sai, muốn điều
    chỉnh"): the correction procedure answers it. The VNeID intent needs the error named too
    ("cập nhật thông tin bằng lái lên VNeID" integrates a paper, it corrects nothing)."""
    if intent == "file_complaint":  # ... or a damaged or lost paper to re-issue: a procedure as well
        return corrects_own_record(text) or replaces_own_paper(text)
    folded = fold(text)
    # "thông tin trên vneid hiện sai, sửa thế nào": the app is named, so what it shows is asked about
    return (intent == "ask_vneid" and corrects_own_record(text) and _has(folded, DATA_ERROR_CUES)
            and not _has(folded, VNEID_NAMES))


def vneid_is_the_channel(intent: str, text: str) -> bool:
    """True when a message the classifier took for the VNeID account names no account or app matter
    (:data:`VNEID_ACCOUNT_CUES`): when it names a procedure too, VNeID is only the channel it asks
    about ("xin phiếu lý lịch tư pháp qua vneid được không"), so it is a procedure question."""
    return intent == "ask_vneid" and not _has(fold(text), VNEID_ACCOUNT_CUES)


#: asking which ward an old ward or district now belongs to, after the 2025 merger (accent-folded)
NEW_WARD_CUES = folded(
        "sáp nhập", "sát nhập", "sắp xếp", "thuộc phường nào", "thuộc xã nào", "phường nào",
        "xã nào", "phường mới", "xã mới", "tên mới", "đổi tên", "giờ là", "bây giờ là", "nay là", "thuộc về đâu",
)
#: intents such a question is moved from: it names no procedure, so "sáp nhập" is the wards', not a company's
NEW_WARD_FROM = frozenset({"ask_procedure", "ask_contact", "ask_online_submission", "nlu_fallback", "out_of_scope",
                           "greet", "bot_challenge"})


def asks_new_ward(intent: str, text: str) -> bool:
    """True when a message that names a ward (old or new name) asks which ward it now is or where to
    go since the merger ("phường cũ của tôi sau sắp xếp thuộc phường nào"): a place question
    (find_agent answers with the new ward and its service points), not a merger procedure."""
    return intent in NEW_WARD_FROM and _has(fold(text), NEW_WARD_CUES)


#: intents a "where do I go" question naming a ward is moved from: the filing words ("nộp giấy tờ",
#: "làm thủ tục") pull it to a procedure question although it names none
WHERE_IN_PLACE_FROM = frozenset({"ask_procedure", "ask_online_submission", "nlu_fallback"})


#: the words a "where do I go" question about a place may hold besides the place (accent-folded): filing in
#: general, where, now, the levels and "old/new" of place names, address and politeness words. Any other
#: word ("đăng ký thường trú cho vợ") names what is to be done: a procedure question, not a place one
_WHERE_WORDS = frozenset(fold(w) for w in (
    "nộp làm giấy tờ hồ sơ thủ tục việc các ở đâu chỗ nào nơi bây giờ giờ nay hiện đi lên đến tới ra về thì "
    "thế vậy phải cần muốn xin của nhà tôi mình em cháu bác ông bà ạ à hả nhé nha ơi cũ mới trước đây "
    "phường xã quận huyện thị trấn tại trong sau khi sáp nhập sắp xếp được không cho hỏi"
).split()) | _ADDRESS_FOLDED


def asks_where_in_place(intent: str, aspect: str | None, rest: str = "") -> bool:
    """True when a message that names a ward (old or new name, with or without its old district) and
    no procedure asks where to go (``aspect`` "where": "xã X huyện Y bây giờ nộp giấy tờ ở đâu", "ở
    phường X thì làm thủ tục chỗ nào"): the ward's service points answer it (find_agent), not a
    procedure guessed from the filing words. ``rest``: the message without its place names; it may hold
    only general filing and where words (:data:`_WHERE_WORDS`). The caller checks the ward and that no
    procedure entity is named."""
    if intent not in WHERE_IN_PLACE_FROM or aspect != "where":
        return False
    return all(t in _WHERE_WORDS for t in fold(rest).split())


#: the words of a wish to ask that names nothing to ask about ("hỏi cái này với ạ", "e hỏi tí đc ko",
#: "bác muốn hỏi việc này", "tôi có mấy việc cần hỏi"), accent-folded, teencode expanded: asking,
#: addressing, politeness, amount
_ASK_WORDS = frozenset(fold(w) for w in (
    "hỏi xin cho muốn mún cần có việc chuyện cái này ni đây với tí ti chút xíu ít một vài mấy số nhiều "
    "được không nhé nha nhá ạ à thêm điều vấn đề thông tin giúp nhờ mình tôi tui tớ em về các những câu"
).split()) | _ADDRESS_FOLDED
#: general names of papers and errands that name no topic ("cho hỏi chút về giấy tờ", "mấy việc
#: thủ tục"): left out before the words are checked (folded phrases, longest first)
_GENERAL_ERRANDS = ("thu tuc hanh chinh", "giay to", "thu tuc", "ho so", "cong viec")
#: the wishes that make it an opening: to ask, or to be helped or advised ("giúp tôi với", "hỗ trợ
#: mình với", "cần tư vấn chút"), folded phrases
_WISHES = ("hoi", "giup", "jup", "giup do", "ho tro", "tu van", "huong dan", "nho")
#: a person named ("nhờ cán bộ giúp", "cần tổng đài viên hỗ trợ"): a wish to be helped by a person asks
#: for one (request_human), not where to start; folded
_PERSON = re.compile(r"\b(?:can bo|tong dai|nhan vien|chuyen vien|tu van vien|nguoi|ai)\b")
#: "ad", "admin": the page addressed (the bot), no person asked for, although "ad" expands to "tổng đài viên"
_PAGE_ADDRESS = re.compile(r"\b(?:ad|admin)\b")
#: such a message is short
ASK_TO_ASK_MAX_WORDS = 12


def asks_to_ask(text: str) -> bool:
    """True when the message only says that the citizen wants to ask something or be helped ("cho mình
    hỏi chút", "tôi có mấy việc cần hỏi", "cho hỏi chút về giấy tờ với", "giúp tôi với"): no topic (papers
    and procedures in general name none: :data:`_GENERAL_ERRANDS`), no procedure, no place, and for a wish
    to be helped no person (:data:`_PERSON`: that asks for a person). It is an opening, answered like a
    greeting with the topic buttons (the citizen is shown where to start), whatever topic the classifier
    guessed from the politeness words (a plea for help is no request for a human)."""
    folded = fold(text)
    if len(folded.split()) > ASK_TO_ASK_MAX_WORDS:
        return False
    rest = f" {folded} "
    wished = set()
    for phrase in sorted((*_GENERAL_ERRANDS, *_WISHES), key=len, reverse=True):
        if f" {phrase} " in rest:
            wished.add(phrase)
            rest = rest.replace(f" {phrase} ", " ")
            rest = rest.replace(f" {phrase} ", " ")  # twice: adjacent repeats share a space
    if not wished & set(_WISHES):
        return False
    if "hoi" not in wished and _PERSON.search(fold(_PAGE_ADDRESS.sub(" ", clean(text)))):
        return False
    return all(t in _ASK_WORDS for t in rest.split())


#: the intent of a message the classifier could not place (:data:`nlu.intents.FALLBACK_INTENT`)
FALLBACK = "nlu_fallback"
#: the VNeID account named (accent-folded): "tài khoản định danh", "định danh điện tử", "định danh mức 2",
#: "căn cước điện tử", "vneid"
_VNEID_ACCOUNT = re.compile(r"\b(?:vneid|tai khoan dinh danh|dinh danh dien tu|dinh danh muc|can cuoc dien tu)\b")
#: ... named only as the channel of another procedure ("khai tạm trú trên app vneid")
_VNEID_CHANNEL = re.compile(r"\b(?:tren|qua|bang|trong|vao|len) (?:app |ung dung )?vneid\b")


def asks_vneid_account(intent: str, text: str, ranked: tuple[str | None, str | None]) -> bool:
    """True when the message names the VNeID account itself ("trường bắt làm tài khoản định danh điện tử
    cho con, trẻ con đăng ký kiểu gì") and the classifier, unsure, ranks the VNeID topic among its first two
    (``ranked``): as runner-up to a procedure question, or in a message it could not place (``intent`` the
    fallback). The VNeID answers serve it, not a procedure the story's words (school, child, pension) look
    like. VNeID named only as a channel ("nộp qua vneid") does not count."""
    first, second = ranked
    if not ((intent == "ask_procedure" and second == "ask_vneid")
            or (intent == FALLBACK and "ask_vneid" in ranked)):
        return False
    return bool(_VNEID_ACCOUNT.search(_VNEID_CHANNEL.sub(" ", fold(text))))


#: the centre's hotline named in the citizen's own words, on the accent-stripped text before teencode is
#: expanded ("ad" becomes "tổng đài viên", a person, not the line): "tổng đài 1900 1009 có mất phí không"
_HOTLINE = re.compile(r"\b(?:tong dai|hotline|duong day nong|1022|1900\s?\d{4})\b(?!\s*vien)")
#: intents a hotline question is moved from when it names no procedure: the fee words ("có mất phí
#: không") make the classifier read a procedure's fee
HOTLINE_FROM = frozenset({"ask_procedure", "nlu_fallback"})


def asks_about_hotline(intent: str, text: str) -> bool:
    """True when a message the classifier took for a procedure question (or could not place) names the
    centre's hotline: its cost, hours or number is asked (the caller checks that no procedure is named)."""
    return intent in HOTLINE_FROM and bool(_HOTLINE.search(strip_accents(clean(text))))


#: intents a question about when someone answers is moved from ("tối có ai trả lời không", "chủ nhật có
#: người trực không"): the classifier reads "có ai trả lời" as asking whether the bot is a person
HOURS_FROM = frozenset({"bot_challenge"})
#: intents a short question about whether someone is there at those times is moved from as well
#: ("thứ bảy có người trực không", "đêm nhắn thì có ai trả lời không": not understood, or out of scope)
STAFFED_FROM = frozenset({"nlu_fallback", "out_of_scope"})
#: a request for a person moves only when it asks WHETHER someone is there ("gọi lúc tối có người nghe không
#: cháu"): a yes/no question, at most one addressing word after its "không"; "tối nay cho tôi gặp nhân viên"
#: stays a request (folded)
ASKED_IF_FROM = frozenset({"request_human"})
_YES_NO_END = re.compile(r"\b(?:khong|chua)(?:\s+\w+)?\s*$")
#: someone being there to answer, accent-folded ("có ai trả lời", "người trực", "cán bộ nghe", "làm việc")
_STAFFED = re.compile(r"\b(?:ai|nguoi|can bo|nhan vien|truc|tra loi|rep|nghe|lam viec|mo cua|ho tro|tu van)\b")
#: longer than this, an hours word is part of a story rather than the question
STAFFED_MAX_WORDS = 12


def asks_service_hours(intent: str, text: str) -> bool:
    """True when a message read as a question about the bot asks when the centre answers (the hours), or a
    short message not understood, or a request for a person put as a yes/no question, asks whether someone
    is there at a time (the evening, the weekend)."""
    from knowledge_base.contact import asks_hours

    if intent in STAFFED_FROM or (intent in ASKED_IF_FROM and _YES_NO_END.search(fold(text))):
        folded = strip_accents(clean(text))
        return (len(folded.split()) <= STAFFED_MAX_WORDS and bool(_STAFFED.search(folded))
                and asks_hours(text))
    return intent in HOURS_FROM and asks_hours(text)


#: a declared wish to complain or give feedback (accent-folded, teencode expanded): "tôi muốn phản ánh",
#: "e mún báo lỗi", "cần khiếu nại", "xin góp ý"; the words decide the intent whatever the topic is
#: ("hệ thống báo lỗi" tells what the screen says, it reports nothing: a wish verb comes first)
_COMPLAINT_WISH = re.compile(
    r"\b(?:muon|mun|can|xin|dinh) (?:duoc )?(?:gui )?(?:khieu nai|phan anh|gop y|to cao|kien nghi|phan nan|y kien"
    r"|(?:thong )?bao (?:loi|su co|hong))\b"
)
#: intents such a wish is moved from: a topic the complaint is about (the VNeID app, the portal, the
#: payment, the centre), not a procedure ("muốn khiếu nại quyết định thu hồi đất" may ask that procedure)
COMPLAINT_WISH_FROM = frozenset({"ask_contact", "ask_vneid", "ask_online_submission", "ask_online_payment",
                                 "find_agent", "nlu_fallback", "out_of_scope"})


def declares_complaint(intent: str, text: str) -> bool:
    """True when ``text`` declares a wish to complain or give feedback ("ứng dụng trừ tiền vô lý, tôi
    muốn phản ánh") and the classifier took it for the topic complained about; a question for the
    channel to complain through ("muốn góp ý thì gửi email nào") stays a contact question."""
    if intent not in COMPLAINT_WISH_FROM or not _COMPLAINT_WISH.search(fold(text)):
        return False
    return not (intent == "ask_contact" and names_channel(text))


#: topics a story can set for a question that names none ("con tôi lớp 3, trường đòi tài khoản định danh.
#: Trẻ con thì đăng ký kiểu gì"): the VNeID account, paying online, filing online
STORY_TOPIC_INTENTS = frozenset({"ask_vneid", "ask_online_payment", "ask_online_submission"})
#: the whole message must be at least this sure of the topic
STORY_TOPIC_MIN_CONFIDENCE = 0.9


def story_topic(whole: list[tuple[str, float]], combined: list[tuple[str, float]]) -> str | None:
    """The topic the whole message is sure of when its request part alone, read without the story,
    made it a procedure question; the caller checks that no procedure is named. None otherwise."""
    if not whole or not combined or combined[0][0] != "ask_procedure":
        return None
    topic, confidence = whole[0]
    return topic if topic in STORY_TOPIC_INTENTS and confidence >= STORY_TOPIC_MIN_CONFIDENCE else None


#: everyday errands a place or money question may be about (accent-folded phrases; none may fold onto a
#: word of public services: bare "quán" folds like "quận", "chợ" like "cho", "vay" like "vậy")
ERRAND_CUES = folded(
        "quán ăn", "quán cà phê", "quán cafe", "cafe", "cà phê", "quán nhậu", "quán nước", "quán bún", "quán phở",
        "nhà hàng", "khách sạn", "nhà nghỉ", "cây xăng", "trạm xăng", "atm", "siêu thị", "cửa hàng", "shop",
        "tiệm", "phòng gym", "bể bơi", "dạy bơi", "học bơi", "rửa xe", "sửa xe", "cắt tóc", "spa", "karaoke",
        "rạp phim", "rạp chiếu", "tiệm vàng", "lãi suất", "gửi tiết kiệm", "đổi tiền", "tỷ giá", "chứng khoán",
)
#: ... and the words of public services that keep a message a service question whatever errand it names
#: (not bare "giấy": the ward "Cầu Giấy")
SERVICE_CUES = folded(
        "hồ sơ", "thủ tục", "giấy tờ", "dịch vụ công", "đại lý", "bưu điện", "bưu cục", "một cửa",
        "ủy ban", "công an", "chi nhánh", "trung tâm", "nộp", "hành chính", "tiếp nhận", "lệ phí", "phí",
        "thanh toán", "biên lai", "căn cước", "hộ chiếu", "đăng ký", "giấy phép", "chứng thực", "công chứng",
)
#: intents an errand question is moved from: the place and money words pull it there
ERRAND_FROM = frozenset({"find_agent", "ask_online_payment"})


def asks_everyday_errand(intent: str, text: str) -> bool:
    """True when a message the classifier took for a service point or for paying online asks about an
    everyday errand ("quanh đây có cây xăng nào", "ngân hàng nào có lãi suất cao") and names no public
    service: out of scope (the caller checks that no procedure is named)."""
    folded = fold(text)
    return intent in ERRAND_FROM and _has(folded, ERRAND_CUES) and not _has(folded, SERVICE_CUES)


#: the short answers a consequence question or a correction is told from: its leading "không" makes
#: the classifier read a "no"
_ANSWER_INTENTS = frozenset({"deny", "affirm"})


def asks_consequence(intent: str, text: str) -> bool:
    """True when a message the classifier took for a yes or a no (``intent``) asks what follows from doing
    or not doing something (:func:`knowledge_base.aspects.asks_consequence`: "không báo thì có sao không"):
    a question about the procedure being talked about."""
    from knowledge_base.aspects import asks_consequence as consequence

    return intent in _ANSWER_INTENTS and consequence(text)


#: "ý tôi là …", "ý em muốn hỏi …", "tôi định hỏi …" (folded): the citizen restates what they meant
_CORRECTION = re.compile(r"\by (?:toi|em|minh|chau|bac|con|to|anh|chi|co|chu|ong|ba) (?:la|muon hoi|hoi|dinh hoi)\b"
                         r"|\b(?:toi|em|minh|chau|bac|con) (?:dinh|muon) hoi (?:la|ve)\b")

#: words after "ý tôi là" that restate nothing ("đúng rồi, ý tôi là thế đấy")
_RESTATED_NOTHING = frozenset(fold("thế vậy đó đấy như thế này ạ à nhé thôi").split())


def corrects_request(intent: str, text: str) -> bool:
    """True when a message the classifier took for a yes or a no restates the request ("à không, ý tôi là
    tạm trú thôi"): its "không" takes back the bot's reading, and the words after the cue are the new
    question (a word other than "thế", "vậy" must follow)."""
    if intent not in _ANSWER_INTENTS:
        return False
    folded = fold(text)
    match = _CORRECTION.search(folded)
    return match is not None and bool(set(re.findall(r"\w+", folded[match.end():])) - _RESTATED_NOTHING)


#: the words a "no" is made of: a message of only these ("không, cảm ơn", "thôi không cần đâu em") answers
#: the bot's yes/no question; any other word before a closing "không" is the thing asked about
_NO_WORDS = frozenset(fold(
    "không hông khg khong k ko hok thôi cần cảm ơn cám nữa đâu rồi vậy thế nhé nha ạ à ừ vâng dạ phải đúng "
    "có em anh chị bạn ad mình tôi cháu bác ơi luôn lắm nhiều được đc ok oke"
).split())
#: the particles that may follow the closing "không" ("cần khám sk ko ạ", "nhanh ko em")
_TAIL_PARTICLES = frozenset(fold("ạ à nhỉ nhé nha vậy thế hả em anh chị bạn ad cháu ơi").split())
_QUESTION_NO = frozenset({"khong", "hong", "khg"})


def asks_yes_no(intent: str, text: str) -> bool:
    """True when a message the classifier took for a yes or a no (``intent``) is itself a yes/no question
    about something: it closes with "không / ko / k" (and particles) after a word that is not part of a
    "no" ("cần bản vẽ không", "lâu ko", "phải chụp ảnh k ạ") — a question about the procedure being talked
    about. A "no" opens with it or says nothing else ("không, cảm ơn", "ko cần đâu", "thôi k cần nữa")."""
    if intent not in _ANSWER_INTENTS:
        return False
    words = re.findall(r"\w+", fold(text))
    while words and words[-1] in _TAIL_PARTICLES:
        words.pop()
    if len(words) < 2 or words[-1] not in _QUESTION_NO or words[0] in _QUESTION_NO:
        return False
    return any(w not in _NO_WORDS for w in words[:-1])
