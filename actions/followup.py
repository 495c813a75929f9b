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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from actions.message import entity_values, is_payload, message_text
from dvcbot.textnorm import fold, strip_accents, tokens

#: a follow-up is short: longer messages tell a new story and go through the normal resolution
MAX_FOLLOWUP_TOKENS = 10
#: a longer follow-up is still one when (nearly) all its words are a follow-up's own ("bé có phải đi cùng không
#: hay bố mẹ đi làm hộ được", "thế nộp cho bên nào, công ty hay bảo hiểm quận"): the length alone tells no story
MAX_LONG_FOLLOWUP_TOKENS = 16
#: the offices and levels a citizen names as where to go ("làm ở công an phường được không", "hay phải lên
#: thành phố", "ra bưu điện"): follow-up words here, and no procedure's name beside a current one
#: (:data:`actions.procedure.ASPECT_PLACE_WORDS`)
OFFICE_WORDS_TEXT = "phường xã quận huyện tỉnh thành phố công an ủy ban ubnd bưu điện bộ phận một cửa"
#: words that may appear in a follow-up besides the question words (folded)
_FOLLOWUP_TEXT = (
        "thế thì còn vậy nữa vay z v ạ ơi nhé nhỉ à ah ừ uh ok dạ vâng bạn em anh chị cháu bà ông bác cô chú "
        "ad admin tổng đài viên xong lấy nhận có không ko k được dc mất tốn hết bao nhiêu lâu mấy ngày hôm "
        "tuần tháng tiền phí lệ giá rẻ đắt cần mang gì những nào ở đâu chỗ nơi nộp làm đi đến ra tại online "
        "mạng trực tuyến qua trên app điện thoại nhà hồ sơ giấy tờ gồm chuẩn bị kết quả khi bao giờ lúc "
        "thời gian hạn xử lý giải quyết bước cách như sao thế nào hả hở nhờ hỏi cho tôi mình luôn cũng "
        "một 1 trang bản lần người phải cùng có thể hay là của đó này thôi miễn phí free nhanh "
        "giấy phép sổ thẻ bằng chứng nhận giảm ưu đãi hơn "
        # how long a fee or reduction lasts ("giá đó áp dụng đến khi nào", "sang năm còn giá này không")
        "giá áp dụng sang năm nay sau tới vẫn hiệu lực hết nghìn đồng mức thu chính sách tăng cái đấy ấy "
        "cả hai đứa ai tự thay "  # who goes ("cả hai đứa có phải đi không", "người khác làm thay được không")
        # who goes, in a family's words ("bé có phải đi cùng không hay bố mẹ đi", "ai được đi đăng ký")
        "bé bố mẹ vợ chồng đăng ký "
        "bên "  # which side or office ("nộp cho bên nào")
        # going there or not ("phải lên tận nơi không"), how far online ("toàn trình": "toàn" folds to
        # "toán" of "thanh toán", so it stays the one word allowed), paying ("trả", "đóng", "thu")
        "lên xuống về tận trực tiếp trình xin trả đóng thu tính khai ứng dụng vneid "
        "cổng dịch vụ "  # the channel; the office or level asked about, or another one ("ở phường khác")
        f"{OFFICE_WORDS_TEXT} khác"
)
#: word by word as well: folding the whole text reads "không ..." runs as spoken numbers
FOLLOWUP_WORDS = frozenset(tokens(_FOLLOWUP_TEXT)) | frozenset(strip_accents(w) for w in _FOLLOWUP_TEXT.split())
#: messages that are about something else even when short ("quên mật khẩu", "số tổng đài")
_OTHER_TOPIC = re.compile(
    r"\b(?:vneid|dinh danh|mat khau|passcode|otp|tong dai|so dien thoai|hotline|zalo|bien lai"
    r"|ngan hang|vi dien tu|thanh toan|khieu nai|phan anh|can bo|nguoi that|cam on|tam biet|chao"
    r"|tra cuu|tien do|trang thai)\b"  # looking up a filed application ("nộp xong tra cứu hồ sơ ở đâu")
)


#: how a citizen addresses the bot in chat ("ad ơi"): not words of the question (folding would read
#: "ad" as "tổng đài viên", the hotline topic)
_ADDRESS = frozenset({"ad", "admin", "add", "shop"})


def unaddressed(text: str) -> str:
    """``text`` without the words that address the bot ("co mat phi k ad" -> "co mat phi k")."""
    return " ".join(w for w in text.split() if w.lower().strip(".,!?;:") not in _ADDRESS)


def followup_words(text: str) -> list[str]:
    """The folded words of a follow-up, without the bot's address (:func:`unaddressed`) and the provinces
    it names (:func:`routing.provinces.without_provinces`: "ở Nam Định làm được không" asks whether, the
    province is only where the citizen or a relative lives)."""
    from routing.provinces import without_provinces

    folded = _HEARSAY.sub(" ", " ".join(tokens(unaddressed(without_provinces(text)))))
    return _ON_BEHALF.sub(r"\1 thay", folded).split()


#: "hộ" after a verb is "on behalf" ("bố mẹ đi làm hộ", "nộp hộ được không"): the follow-up word "thay", not the
#: "hộ" of "hộ chiếu", "hộ khẩu", "hộ kinh doanh" (folded)
_ON_BEHALF = re.compile(r"\b(lam|di|nop|lay|ky|dang ky|xin|nhan) ho\b(?! (?:chieu|khau|kinh doanh|tich|ngheo))")


#: what the citizen heard, said before the question ("nghe nói nộp online rẻ hơn phải không", "người ta bảo
#: ..."): it tells where the claim came from, not what is asked (folded)
_HEARSAY = re.compile(r"\b(?:(?:nghe|thay|nguoi ta|co nguoi|hang xom|ban be?) (?:noi|bao|ke|dau)|nghe dau|hinh nhu)\b")


#: VNeID as the channel of the procedure asked about ("làm trên vneid được không"), not its own topic
_VNEID_CHANNEL = re.compile(r"\b(?:tren|qua|bang|trong|vao) (?:app |ung dung )?vneid\b")


#: HOW to pay (folded): "trả phí bằng cách nào", "lệ phí đóng kiểu gì", "cách nộp tiền", "chuyển khoản được
#: không" — the payment steps of the portal, not the fee of the procedure answered before ("mất phí không")
_PAY = r"(?:tra|dong|nop|thanh toan)"
_MONEY = r"(?:le phi|phi|tien)"
_HOW = r"(?:bang cach nao|cach nao|the nao|nhu nao|ntn|kieu gi|kieu nao|bang gi|qua gi|lam sao)"
_HOW_TO_PAY = re.compile(
    rf"\b{_PAY} {_MONEY}\b.*\b{_HOW}\b|\b{_MONEY} {_PAY}\b.*\b{_HOW}\b|\bcach {_PAY} {_MONEY}\b"
    rf"|\bthanh toan\b.*\b{_HOW}\b"
    r"|\bchuyen khoan\b|\bquet the\b|\bvi dien tu\b")


def asks_how_to_pay(text: str) -> bool:
    """The message asks how to pay (the portal's payment steps or means), not how much."""
    return bool(_HOW_TO_PAY.search(fold(unaddressed(text))))


def names_other_topic(text: str) -> bool:
    """The message names a topic of its own (password, hotline, bank, complaint, thanks, how to pay
    ...), not an aspect of the answer before; the words addressing the bot ("ad") and VNeID named as
    the channel ("khai qua app vneid được không") do not count."""
    return bool(_OTHER_TOPIC.search(_VNEID_CHANNEL.sub("online", fold(unaddressed(text))))) or asks_how_to_pay(text)


#: whether to bring a paper ("có cần mang cccd không", "phải mang theo sổ hộ khẩu à"): the papers
#: of the current procedure, although the paper's name may also name a procedure
_BRING = re.compile(r"\b(?:can|phai|co) mang(?: theo)?\b")


def asks_to_bring(message: dict[str, Any]) -> bool:
    """A short question whether to bring a paper ("có cần mang cccd không", "phải mang theo giấy khai
    sinh à"): about the papers of the current procedure, although the paper may name a procedure."""
    text = message_text(message)
    return (len(text.split()) <= MAX_FOLLOWUP_TOKENS and not names_other_topic(text)
            and bool(_BRING.search(fold(text))))


#: whether something is needed ("cần bản vẽ không", "có phải khám sk ko ạ", "phai co anh the k"), word by word
#: folded: a "cần / phải" question closing with "không" (and particles); the thing needed is between
_NEEDED = re.compile(r"^(?:\S+ ){0,5}?(?:co )?(?:can|phai)(?: co| nop| mang| lam| xin)? (?P<thing>(?:\S+ ){0,4}\S+) "
                     r"(?:khong|hong|khg)(?: (?:a|nhi|nhe|vay|the|ha|em|anh|chi|ban|chau|oi))*$")
#: the follow-up words as written, with their accents ("vẽ" is no "về", "ảnh" no "anh")
_FOLLOWUP_ACCENTED = frozenset(_FOLLOWUP_TEXT.lower().split())
#: what is done, not brought, after "có phải": "có phải thi lại không", "có phải chờ lâu không"
_NOT_A_PAPER = frozenset(fold("thi học chờ đợi").split())


def _follow_up_word(raw: str) -> bool:
    """``raw`` (one lower-case word as written) is a follow-up word: compared with its accents when it has any."""
    return raw in _FOLLOWUP_ACCENTED if strip_accents(raw) != raw else fold(raw) in FOLLOWUP_WORDS


def needed_thing(message: dict[str, Any]) -> str | None:
    """The thing a short question asks whether it is needed ("bản vẽ" of "cần bản vẽ không", "khám sk" of
    "cần khám sk ko ạ"), as written; None for any other message and when the thing is only follow-up words
    ("có phải lên tận nơi không", "có phải đóng phí không" ask where and what it costs) or is done, not
    brought ("có phải thi lại không")."""
    text = message_text(message)
    if len(text.split()) > MAX_FOLLOWUP_TOKENS or names_other_topic(text):
        return None
    raw = _RAW_WORD.findall(unaddressed(text).lower())
    folded = [fold(w).replace(" ", "_") or w for w in raw]
    match = _NEEDED.search(" ".join(folded))
    if match is None or match.group("thing").split()[0] in _NOT_A_PAPER:
        return None
    first = match.string[:match.start("thing")].count(" ")
    thing = raw[first:first + len(match.group("thing").split())]
    return " ".join(thing) if any(not _follow_up_word(w) for w in thing) else None


#: the words of a paper or of what makes one (folded): a thing needed with one of these is a paper
_PAPER = re.compile(r"\b(?:giay|ban (?:ve|sao|goc|chinh)|kham|sk|to khai|chung nhan|xac nhan|hop dong|hinh|anh the"
                    r"|chup anh|so (?:ho|do|hong|hu)|van bang|bang (?:lai|tot nghiep)|don)\b")


def asks_for_paper(message: dict[str, Any], proc: Any) -> bool:
    """A short question whether a paper is needed (:func:`needed_thing`): the thing is a paper by its words
    (:data:`_PAPER`: "giấy khám sức khỏe", "khám sk") or by the record's papers ("bản vẽ"); what must be
    done first ("có phải làm giấy báo tử trước không") is a prerequisite, not a paper."""
    from knowledge_base.aspect_writers import papers_naming

    thing = needed_thing(message)
    if thing is None or asks_prerequisite(message_text(message)):
        return False
    return bool(_PAPER.search(fold(thing))) or bool(papers_naming(proc, thing))


_RAW_WORD = re.compile(r"\w+", re.UNICODE)


def name_phrase_words(text: str, name: str) -> set[str]:
    """The words of ``text`` (accent-free) that belong to a two-word phrase of the procedure ``name``
    ("cập nhật", "sang tên", "đổi thẻ"): the message refers to that procedure. Compared with
    diacritics when the message has them ("cải chính" is not the "điều chỉnh" of a name); one shared
    word alone may be chance and does not count."""
    raw = _RAW_WORD.findall(text.lower())
    accented = any(strip_accents(w) != w for w in raw)

    def key(w: str) -> str:
        return w if accented else strip_accents(w)

    name_words = [key(w) for w in _RAW_WORD.findall(name.lower())]
    pairs = set(zip(name_words, name_words[1:], strict=False))
    out: set[str] = set()
    for a, b in zip(raw, raw[1:], strict=False):
        if (key(a), key(b)) in pairs:
            out |= {strip_accents(a), strip_accents(b)}
    return out


_REDUCTION = re.compile(r"\b(?:giam|uu dai|mien giam|re hon|dat hon)\b")


#: words that open a topic switch ("thế còn ...", "vậy còn ..."), folded
_SWITCH_LEAD = frozenset({"the", "vay", "ok", "da", "a", "u"})
#: words that end the subject of "còn X thì ..." (the question starts), folded
_SWITCH_END = frozenset({"thi", "sao", "the", "lam", "xin", "o", "can", "mat", "nop", "co", "bao", "may", "phai",
                         "duoc", "khong", "ko", "k", "dang", "di", "ra", "la", "nhu", "gom", "het", "ton"})


#: words after "con" that make it a child ("con gái", "con tôi"), not "còn" typed without diacritics
_CHILD_WORDS = frozenset({"toi", "em", "minh", "gai", "trai", "be", "chau", "nho", "lon", "ut", "ca", "dau", "re"})


def switch_subject(text: str) -> list[str]:
    """The words of X in a topic switch "còn X thì ..." / "thế còn X làm ở đâu" (folded), else []:
    one new naming word there is another topic (a bare paper "hộ chiếu" after a criminal record),
    where a plain follow-up may carry one stray word."""
    words = followup_words(text)
    i = 0
    while i < len(words) and words[i] in _SWITCH_LEAD:
        i += 1
    if i >= len(words) or words[i] != "con" or not re.match(r"\W*(?:thế\s+|vậy\s+)?c[oò]n\b", text.strip().lower()):
        return []
    subject: list[str] = []
    for w in words[i + 1:]:
        if w in _SWITCH_END:
            break
        subject.append(w)
    else:
        return []  # no question after it: not the frame
    if not subject or subject[0] in _CHILD_WORDS or any(w.isdigit() for w in subject):
        return []  # "con 5 tuổi thì sao", "con gái tôi thì sao": a child (con), not "còn"
    return subject


#: an office, level or the post office named as the place to go ("làm ở phường được không", "ra bưu điện
#: làm được không", "lên công an thành phố", "ở phường khác"), folded: in a follow-up, where it is done
_PLACE_ASKED = re.compile(
    r"\b(?:lam|nop|ra|len|ve|den|toi|o|tai)(?: o| tai| tan)? (?:phuong|xa|quan|huyen|tinh|thanh pho|cong an"
    r"|uy ban|ubnd|buu dien|mot cua)\b|\b(?:phuong|xa|tinh) khac\b"
    # which office, asked as "which side" ("thế nộp cho bên nào, công ty hay bảo hiểm", "gửi cơ quan nào")
    r"|\b(?:cho|o|tai|den|toi|ve|gui) (?:ben|co quan|don vi|noi) nao\b")


def asks_place(text: str) -> bool:
    """A follow-up names an office or level as where to go ("làm ở phường được không", "ra bưu điện
    làm được không", "phải lên thành phố à"): it asks where the current procedure is done. Read only
    in a short follow-up: in a first question the place is often the citizen's own ("tôi ở phường ...")."""
    return bool(_PLACE_ASKED.search(fold(unaddressed(text))))


def cases_after_place(text: str, extra: list[str]) -> bool:
    """The words ``extra`` all come after the place ``text`` asks ("nộp cho bên nào, công ty hay bảo hiểm": whose
    office), none before it (there they name what is asked about: another subject)."""
    folded = fold(unaddressed(text))
    match = _PLACE_ASKED.search(folded)
    return match is not None and not set(folded[:match.start()].split()) & set(extra)


#: the aspects a question names by a specific word (not "thế nào", "kết quả": the general answer covers them)
_GENERAL_ASPECTS = frozenset({"steps", "result"})


def specific_aspect(text: str) -> str | None:
    """The specific aspect ``text`` asks (the fee first, else :func:`knowledge_base.aspects.detect_aspect`,
    or "where" for an office named as the place: :func:`asks_place`), None when it asks none or only how /
    what result."""
    from knowledge_base.aspects import asks_fee, detect_aspect

    if asks_fee(text):  # "nộp trực tiếp ở công an thì lệ phí bao nhiêu": the place is the case, the fee the question
        return "fee"
    aspect = detect_aspect(text)
    if aspect in _GENERAL_ASPECTS or aspect is None:
        return "where" if asks_place(text) else None
    return aspect


#: the words besides a follow-up's own a place question may carry to say whose office ("nhà trai hay nhà gái",
#: "bên vợ hay bên chồng", "chỗ bố hay chỗ mẹ"): still where the current procedure is done
MAX_PLACE_CASE_WORDS = 4


def followup_aspect(message: dict[str, Any], previous_code: str | None, known: Any,
                    own_name: bool = True) -> str | None:
    """The aspect ``message`` asks about the current procedure ``previous_code``, or None when the
    message is not such a follow-up (no current procedure, another procedure named, a longer or
    other-topic message, or no aspect asked). ``own_name``: a phrase of the procedure's own name
    counts as a follow-up word (:func:`name_phrase_words`)."""
    from knowledge_base.aspects import asks_fee_validity, detect_aspect

    if not previous_code or previous_code not in known:
        return None
    text = message_text(message)
    if not text.strip() or is_payload(text):
        return None
    if asks_to_bring(message):  # before the procedures it names: "giấy khai sinh" is a paper here
        return "documents"
    if asks_for_paper(message, known[previous_code]) and not any(
            code != previous_code for code in entity_values(message, "procedure")):
        return "documents"  # "cần bản vẽ không", "cần khám sk ko ạ": whether a paper is among the documents
    if any(code != previous_code for code in entity_values(message, "procedure")):
        return None
    words = followup_words(text)
    if not words or len(words) > MAX_LONG_FOLLOWUP_TOKENS or names_other_topic(text):
        return None
    # a phrase of the current procedure's own name is no other topic ("mấy ngày thì cập nhật xong" after
    # "Tích hợp, cập nhật ... thẻ căn cước", "sang tên mất mấy ngày" after "... sang tên xe")
    own = name_phrase_words(text, getattr(known[previous_code], "name", "") or "") if own_name else set()
    extra = [w for w in words if w not in FOLLOWUP_WORDS and w not in own and not w.isdigit()]  # "115 nghìn"
    # an office asked with whose it is ("làm ở phường nhà trai hay nhà gái", "xã bên vợ hay bên chồng"): where
    place_case = len(extra) > 1 and len(extra) <= MAX_PLACE_CASE_WORDS and asks_place(text)
    if len(extra) > 1 and not place_case:
        return None
    if len(words) > MAX_FOLLOWUP_TOKENS and extra and not (place_case and cases_after_place(text, extra)):
        # longer, with words of its own: a new story, read the usual way ("giấy xác nhận tình trạng hôn nhân
        # cấp ở xã nào" names its paper before the place), unless they only say whose office, after it
        return None
    if any(w not in FOLLOWUP_WORDS and w not in own and not w.isdigit() for w in switch_subject(text)):
        return None  # "còn hộ chiếu thì làm ở đâu": the topic switches to the paper named
    if place_case:
        return "where"
    if _REDUCTION.search(fold(text)) or asks_fee_validity(text):  # "đến bao giờ thì hết giảm?": the fee
        return "fee"
    return detect_aspect(text) or ("where" if asks_place(text) else None)


def answer_followup(dispatcher: Any, tracker: Any, aspect: str, code: str | None = None,
                    guessed: bool | None = None) -> list[dict[str, Any]] | None:
    """Answer ``aspect`` of the conversation's current procedure; None when it cannot be answered."""
    from actions import kb
    from actions.procedure import answer_with, asks_deadline_of

    proc = kb.procedure(code or tracker.get_slot("procedure"))
    if proc is None:
        return None
    if guessed is None:
        guessed = bool(tracker.get_slot("procedure_guessed"))
    message = tracker.latest_message or {}
    return answer_with(dispatcher, proc, aspect, guessed=guessed, deadline=asks_deadline_of(message),
                       note=asked_papers_note(message, proc) if aspect == "documents" else None)


#: intents that say the NLU did not place the message: a follow-up answered about the procedure is reported as
#: the procedure question it was ("ok vậy tôi làm online" after a procedure: its online filing, not a fallback)
UNPLACED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def answered_intent(message: dict[str, Any]) -> str | None:
    """The intent a follow-up answer about the current procedure is reported for: ``ask_procedure`` when the
    NLU left the message unplaced (:data:`UNPLACED_INTENTS`), else None (the NLU's own intent stands)."""
    name = (message.get("intent") or {}).get("name") if isinstance(message.get("intent"), dict) else None
    return PROCEDURE_INTENT if name in UNPLACED_INTENTS else None


def asked_papers_note(message: dict[str, Any], proc: Any) -> str | None:
    """The sentence naming the record's papers a "is X needed" question asks about ("cần bản vẽ không":
    "Bản vẽ thiết kế ..."), said before the papers answer; None when it asks none or the record names none."""
    from knowledge_base.aspect_writers import papers_naming

    thing = needed_thing(message)
    papers = papers_naming(proc, thing) if thing else []
    return f"Dạ, hồ sơ có: {'; '.join(papers)}." if papers else None


def faq_marks(text: str) -> dict[str, str]:
    """The metadata of a reply that is an FAQ answer: the entry and its topic's intent (so that a
    procedure question the FAQ answered, "hồ sơ bị yêu cầu bổ sung thì làm sao", is reported as the
    submission question it was). Empty for any other text."""
    from actions import kb

    faq_id = faq_of_reply(text)
    entry = kb.faq_entry(faq_id) if faq_id else None
    return entry_marks(entry) if entry is not None else {}


def entry_marks(entry: Any) -> dict[str, str]:
    """The metadata of the FAQ ``entry``'s answer: its id (the next follow-up's topic) and its intent."""
    return {ANSWER_FAQ_KEY: entry.id, ANSWER_INTENT_KEY: CATEGORY_INTENTS.get(entry.category, "")}


def answer_faq_followup(dispatcher: Any, entry: Any) -> list[dict[str, Any]] | None:
    """Say the FAQ ``entry`` as the answer of a follow-up, marked with its topic's intent."""
    from rasa_sdk.events import SlotSet

    from actions import kb

    text = kb.faq_text(entry)
    if not text:
        return None
    dispatcher.utter_message(text=text, **entry_marks(entry))
    return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]


def try_followup(dispatcher: Any, tracker: Any, domain: dict[str, Any] | None = None,
                 procedures: bool = True, ask: bool = True) -> list[dict[str, Any]] | None:
    """The events of a follow-up answer when the latest message is one, else None (do the usual).

    The follow-up is read in the topic the bot answered last (:func:`conversation_topic`): after an
    FAQ answer, a short message is answered within that FAQ topic (:func:`faq_followup`), or, when
    nothing there answers it and it names no procedure, the citizen is asked which topic (buttons);
    after a citizen-term answer, an aspect question gets that answer again; after a procedure, an
    aspect question gets that aspect of it (``procedures=False``: left to the caller, except a
    question no aspect covers, answered with the procedure's main facts). ``ask=False``: never ask
    back, only answer (a greeting that may carry a follow-up)."""
    from actions import kb
    from knowledge_base.aspects import detect_aspect

    message = tracker.latest_message or {}
    events = list(getattr(tracker, "events", None) or [])
    topic = conversation_topic(events)
    from actions.channel_followup import answer_channel_followup

    if (back := answer_channel_followup(dispatcher, tracker)) is not None:  # "nộp trực tiếp thì bao nhiêu" after an aside
        return back
    from actions.clarify_answer import answer_clarification

    if (picked := answer_clarification(dispatcher, tracker)) is not None:
        return picked  # "làm lần đầu, tôi 30 tuổi" typed as the answer to the list: the record it picks
    if topic is not None and topic.kind == "faq" and is_short_followup(message):
        from actions.where_to_turn import answer_turn_to

        if ask and (turned := answer_turn_to(dispatcher, message, anywhere_only=True)) is not None:
            return turned  # "nộp ở đâu cũng được à" after any entry: the any-branch rule
        entry = faq_followup(message_text(message), topic.faq_id,
                             names_procedure=names_a_procedure_in_faq_topic(message, faq_topic_category(topic)),
                             asked_category=_category_of(message), topic_category=topic.category)
        if entry is not None:
            return answer_faq_followup(dispatcher, entry)
        if ask and (turned := answer_turn_to(dispatcher, message)) is not None:
            return turned  # "hỏi thêm thì liên hệ đâu" after any entry: the hotline, not "which topic?"
        if ask and _aspect_only(message):  # "lệ phí bao nhiêu" after the hotline: which topic? never a random one
            return ask_topic(dispatcher)
        return None
    if topic is not None and topic.kind == "term" and topic.answer and _aspect_only(message):
        from rasa_sdk.events import SlotSet  # "nộp hồ sơ ở đâu" after "bảo hiểm thất nghiệp"

        dispatcher.utter_message(text=topic.answer, **{ANSWER_INTENT_KEY: "ask_procedure"})
        return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]
    if not ask:
        return None
    code, guessed = previous_procedure(tracker)
    if (events := answer_district_question(dispatcher, message, code, guessed)) is not None:
        return events  # "thế quận không làm nữa à": no districts since 1/7/2025, and where it is done now
    if code is not None and (events := answer_free_online_question(dispatcher, message)) is not None:
        return events  # "nộp online năm nay vẫn miễn phí chứ" after a procedure: the 0-đồng policy by its dates
    from actions.topic_terms import switched_variant

    if (other := switched_variant(message, code, kb.catalogue())) is not None:
        from actions.procedure import answer_with  # "còn nghỉ hẳn thì sao" after a shop's pause: its closing

        # another procedure asked: a procedure question, whatever the NLU read in the few words
        return answer_with(dispatcher, kb.procedure(other), specific_aspect(message_text(message)), guessed=False)
    if consequence_followup(message, code, kb.catalogue()):  # "chưa đăng ký thì có sao không" after tạm trú
        from actions.procedure import answer_with

        proc = kb.procedure(code)
        return answer_with(dispatcher, proc, None, guessed=guessed, note=GENERAL_NOTE.format(name=bare_name(proc.name)))
    from actions.clarify_answer import answer_situation

    if (events := answer_situation(dispatcher, message, code, guessed)) is not None:
        return events  # "bi mat the roi" after the card's first issue: its re-issue
    aspect = followup_aspect(message, code, kb.catalogue())
    if aspect is not None and followup_aspect(message, code, kb.catalogue(), own_name=False) is None:
        # worded with the procedure's own name ("mở khóa ở đâu"): an FAQ entry about it (related to it)
        # written for that very aspect answers it; any other entry is less precise than the record
        entry = _related_entry(message, code)
        if (entry is not None and code in getattr(entry, "related_procedures", ())
                and detect_aspect(entry.question) == aspect):
            return answer_faq_followup(dispatcher, entry)
    if aspect is None:
        # "mở khóa ở chỗ nào thế" after the unlock procedure: the FAQ entries about that procedure answer it
        entry = _related_entry(message, code)
        if entry is not None:
            return answer_faq_followup(dispatcher, entry)
        if general_followup(message, code, kb.catalogue()):  # "hai người có phải cùng đến không"
            from actions.procedure import answer_with

            proc = kb.procedure(code)
            if proc is not None and (asked := specific_aspect(message_text(message))) is not None:
                # longer than a plain follow-up, yet it asks one thing ("làm ở phường được không hay phải lên ...")
                return answer_with(dispatcher, proc, asked, guessed=guessed)
            if proc is not None:
                return answer_with(dispatcher, proc, None, guessed=guessed,
                                   note=GENERAL_NOTE.format(name=bare_name(proc.name)))
        return None
    if not procedures:
        return None
    return answer_followup(dispatcher, tracker, aspect, code=code, guessed=guessed)


#: an amount asked ("hết bao nhiêu tiền, vẫn 0 đồng à"): the procedure's fee answers it, with its dates
_ASKS_AMOUNT = re.compile(r"\b(?:bao nhieu|may tien|may nghin|may tram|gia bao|muc phi|muc thu)\b")


def answer_free_online_question(dispatcher: Any, message: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A yes/no question whether filing online is still free (:func:`knowledge_base.hanoi.asks_free_online`),
    asked in passing after a procedure: Hanoi's 0-đồng policy FAQ, which says by today's date what
    ended when. None when the message asks something else, names a procedure or asks an amount (that
    procedure's fee, with its dates, answers those)."""
    from knowledge_base.hanoi import asks_free_online, layer

    text = message_text(message)
    if is_payload(text) or not asks_free_online(text) or entity_values(message, "procedure") or _ASKS_AMOUNT.search(
            fold(text)):
        return None  # "đăng ký tạm trú online vẫn free à", "hết bao nhiêu, vẫn 0 đồng à": that procedure's fee
    from actions import kb

    entry = kb.faq_entry(layer().get("zero_fee_faq", ""))
    return answer_faq_followup(dispatcher, entry) if entry is not None else None


def answer_district_question(dispatcher: Any, message: dict[str, Any], code: str | None,
                             guessed: bool = False) -> list[dict[str, Any]] | None:
    """A question whether the district level still does the work (:func:`knowledge_base.hanoi.asks_about_districts`):
    the Hanoi note (no districts since 1/7/2025) before where the current procedure ``code`` is done
    now, or the note alone when there is none. None when the message asks something else."""
    from knowledge_base.hanoi import asks_about_districts, district_note

    text = message_text(message)
    if is_payload(text) or not asks_about_districts(text):
        return None
    if any(named != code for named in entity_values(message, "procedure")):
        return None  # another procedure named: its own answer says where it is done
    from actions import kb

    note = district_note(text)
    proc = kb.procedure(code) if code else None
    if proc is not None:
        from actions.procedure import answer_with

        return answer_with(dispatcher, proc, "where", guessed=guessed, note=note)
    from rasa_sdk.events import SlotSet

    dispatcher.utter_message(text=note)
    return [SlotSet("fallback_count", 0.0)]


def faq_topic_category(topic: Any) -> str | None:
    """The category of an FAQ topic of the conversation: its entry's, else the one the topic holds."""
    from actions import kb

    entry = kb.faq_entry(topic.faq_id) if topic.faq_id else None
    return getattr(entry, "category", None) if entry is not None else topic.category


def own_topic_followup(message: dict[str, Any], events: list[dict[str, Any]]) -> Any | None:
    """The entry of the previous FAQ answer's own topic that answers the short follow-up ``message`` and is
    asked with every word naming what the message asks, or None. Read before the shortcut of another
    intent's topic: "dùng số điện thoại của ai" after the children's VNeID answer is that entry's
    question (the NLU reads a contact question), "gọi tổng đài số mấy" the VNeID hotline's; but
    "gọi hỏi trực tiếp thì số nào" after a filing answer is no filing entry's question (the hotline's); "bấm
    phím mấy" after an answer naming a number's key is that answer (:func:`asks_key_of`)."""
    from actions import kb

    topic = conversation_topic(events)
    if topic is None or topic.kind != "faq" or not is_short_followup(message):
        return None
    category = faq_topic_category(topic)
    text = message_text(message)
    previous = kb.faq_entry(topic.faq_id) if topic.faq_id else None
    if previous is not None and asks_key_of(text, previous.answer):  # "bấm phím mấy": the key it named
        return previous
    entry = faq_followup(text, topic.faq_id, names_procedure=names_a_procedure(message),
                         asked_category=_category_of(message), topic_category=topic.category)
    if entry is None or entry.category != category:
        return None
    asked = _faq_index(kb.today())["info"][entry.id]["asked"]
    return entry if _distinct_words(text) <= asked else None


def _related_entry(message: dict[str, Any], code: str | None) -> Any | None:
    """The FAQ entry about the procedure ``code`` that answers the short follow-up, or None."""
    related = related_faq(code)
    if related is None or not is_short_followup(message):
        return None
    return faq_followup(message_text(message), related, names_procedure=names_a_procedure(message),
                        asked_category=_category_of(message))


def unplaced_in_faq_topic(message: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """True when a short message the NLU could not place comes right after an FAQ answer and names
    no procedure the NLU recognised (only look-alike candidates): nothing in the topic answered it
    (:func:`try_followup` ran first), and a procedure that merely shares a word ("hỗ trợ đó áp dụng từ
    khi nào" after the postage support answer) must not be answered instead."""
    topic = conversation_topic(events)
    return (topic is not None and topic.kind == "faq" and is_short_followup(message)
            and not entity_values(message, "procedure"))


def _category_of(message: dict[str, Any]) -> str | None:
    """The FAQ category of the NLU's intent for the message, if it is an FAQ intent."""
    from actions.message import intent_name

    return category_of_intent(intent_name(message))


def category_of_intent(intent: str | None) -> str | None:
    """The FAQ category an intent asks about (``ask_vneid`` -> ``vneid``), None for other intents."""
    return next((c for c, i in CATEGORY_INTENTS.items() if i == intent), None)


#: said before the main facts of the current procedure when a follow-up asks something its record
#: has no field for ("hai người có phải cùng đến không")
GENERAL_NOTE = ("Hồ sơ thủ tục không ghi riêng điều anh chị hỏi; dưới đây là thông tin chính của thủ tục {name}. "
                "Chỗ nào chưa rõ, xin gọi tổng đài 1022, số 024 1022, nhánh 7 hoặc nhánh 8.")


#: fewer words than this are an acknowledgement, not a question
MIN_GENERAL_WORDS = 3


def bare_name(name: str) -> str:
    """A procedure name without its own leading "Thủ tục" (the note says "thủ tục ..." already)."""
    return name[len("thủ tục "):] if name.lower().startswith("thủ tục ") else name


#: words a question of what follows carries besides a follow-up's own ("nếu quên chưa báo thì sẽ bị phạt không")
_CONSEQUENCE_WORDS = frozenset(tokens("nếu lỡ quên chưa sẽ bị phạt xử lý ảnh hưởng vấn đề gì sao muộn trễ quá hạn"))


def consequence_followup(message: dict[str, Any], previous_code: str | None, known: Any) -> bool:
    """True when ``message`` asks what follows from doing or not doing the current procedure
    (:func:`knowledge_base.aspects.asks_consequence`) in a short message whose other words are the
    procedure's own ("chưa đăng ký thì có sao không" after "Đăng ký tạm trú"), no other one: it stays
    on that procedure, whatever look-alike the words "đăng ký ... thi" meet in the catalogue."""
    from knowledge_base.aspects import asks_consequence

    if not previous_code or previous_code not in known or not is_short_followup(message):
        return False
    text = message_text(message)
    if not asks_consequence(text) or names_other_topic(text):
        return False
    words = followup_words(text)
    own = set(tokens(getattr(known[previous_code], "name", "") or ""))
    extra = [w for w in words if w not in FOLLOWUP_WORDS and w not in _CONSEQUENCE_WORDS and w not in own]
    return len(words) <= MAX_FOLLOWUP_TOKENS and not extra


def general_followup(message: dict[str, Any], previous_code: str | None, known: Any) -> bool:
    """True when ``message`` is a short follow-up of the procedure ``previous_code`` that asks no
    aspect: it names no other procedure or topic and has at most one word a follow-up does not use
    ("hai người có phải cùng đến không"). It stays on that procedure rather than jump topic."""
    if not previous_code or previous_code not in known:
        return False
    words = _plain_followup_words(message, previous_code, known)  # a question, not an acknowledgement ("ok")
    if words is None:
        words = everyday_followup_words(message, previous_code, known)
    return words is not None and len(words) >= MIN_GENERAL_WORDS


def everyday_followup_words(message: dict[str, Any], current: str | None = None, known: Any = None
                            ) -> list[str] | None:
    """The words of a longer message (:data:`MAX_LONG_FOLLOWUP_TOKENS`) made only of a follow-up's own words,
    naming no procedure and no other topic ("bé có phải đi cùng không hay bố mẹ đi làm hộ được"); else None."""
    text = message_text(message)
    if not text.strip() or is_payload(text) or names_other_topic(text) or names_a_procedure(message, current, known):
        return None
    words = followup_words(text)
    if not words or len(words) > MAX_LONG_FOLLOWUP_TOKENS:
        return None
    return words if all(w in FOLLOWUP_WORDS or w.isdigit() for w in words) else None


def related_faq(code: str | None) -> str | None:
    """The first FAQ entry about the procedure ``code`` (its ``related_procedures``), or None."""
    if not code:
        return None
    try:
        from knowledge_base.faq import load_faqs

        return next((e.id for e in load_faqs() if code in e.related_procedures), None)
    except Exception:  # no FAQ file
        return None


def _aspect_only(message: dict[str, Any]) -> bool:
    """A short question about an aspect that names nothing else ("nộp ở đâu", "lệ phí bao nhiêu")."""
    from knowledge_base.aspects import detect_aspect

    return _plain_followup_words(message) is not None and detect_aspect(message_text(message)) is not None


def _plain_followup_words(message: dict[str, Any], current: str | None = None, known: Any = None
                          ) -> list[str] | None:
    """The words of a short message that names no procedure and no other topic and has at most one
    word a follow-up does not use; None for any other message. ``current``: the procedure answered
    before (:func:`names_a_procedure`)."""
    text = message_text(message)
    if not is_short_followup(message) or names_a_procedure(message, current, known) or names_other_topic(text):
        return None
    words = followup_words(text)
    return words if len([w for w in words if w not in FOLLOWUP_WORDS]) <= 1 else None


#: the question back for a follow-up no answer of its topic covers
ASK_TOPIC_TEXT = ("Dạ, tôi chưa rõ anh chị hỏi điều đó về việc gì. Anh chị nói rõ tên thủ tục hoặc việc cần hỏi, "
                  "hoặc chọn một chủ đề bên dưới ạ.")


def ask_topic(dispatcher: Any) -> list[dict[str, Any]]:
    """Ask which topic a follow-up is about, with the topic buttons (never guess a procedure)."""
    from actions.faq import topic_buttons

    dispatcher.utter_message(text=ASK_TOPIC_TEXT, buttons=topic_buttons())
    return []


# ---------------------------------------------------------------------------------------------
# The conversation's topic: what the bot answered last (an FAQ entry, a procedure, a citizen term)
# ---------------------------------------------------------------------------------------------
#
# The ``procedure`` slot holds the procedure an action last answered or guessed, which may be older
# than an FAQ entry or a citizen term answered since (and a clarification list only guesses one).
# What the citizen follows up on is what the bot *said* last, so the topic is read from the bot's
# replies before the latest message.

#: how many turns back the topic of a follow-up is looked for
TOPIC_LOOKBACK_TURNS = 3
#: the intent each FAQ category answers (reported to the gateway for a follow-up answered in it)
CATEGORY_INTENTS: dict[str, str] = {"vneid": "ask_vneid", "payment": "ask_online_payment",
                                    "submission": "ask_online_submission", "contact": "ask_contact"}
#: bot message metadata: the intent the answer was given for, when not the NLU's (read by the dvcbot
#: Rasa channel, ``bot/dvcbot_channel.py``, which reports it to the gateway)
ANSWER_INTENT_KEY = "dvcbot_intent"
#: the intent a procedure record's answer is reported for
PROCEDURE_INTENT = "ask_procedure"
#: bot message metadata: the FAQ entry an answer is (the topic of the next follow-up)
ANSWER_FAQ_KEY = "dvcbot_faq"
#: how a procedure answer cites its procedure ("(mã 1.004194)")
_CITED_CODE = re.compile(r"\(mã (\d+\.\d+)\)")
#: the reply that lists candidate procedures: its most likely one is the (guessed) topic
_CLARIFY_RESPONSE = "utter_clarify_procedure"
#: the honest "no answer for this" of an FAQ question: its topic (category) is still the topic
_NOT_FOUND_RESPONSE = "utter_faq_not_found"
#: how much of an answer identifies it within a reply (answers may be preceded by a note)
_ANSWER_PREFIX = 120


@dataclass(frozen=True)
class Topic:
    """What the bot answered last: ``kind`` is ``faq`` (``faq_id``), ``procedure`` (``code``;
    ``guessed`` when it is only the first candidate of a clarification list) or ``term`` (a citizen
    word the catalogue has no procedure for; ``answer`` is what was said). An FAQ question the
    bot had no entry for leaves its ``category`` as the topic (``faq_id`` None)."""

    kind: str
    faq_id: str | None = None
    category: str | None = None
    code: str | None = None
    guessed: bool = False
    answer: str | None = None


def _latest_user_index(events: list[dict[str, Any]]) -> int:
    return next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), len(events))


def slot_before(events: list[dict[str, Any]], name: str, current: Any = None) -> Any:
    """The slot ``name`` as it was before the latest user message (what this turn set excluded).

    ``current`` (the tracker's value) is returned when the events never set it at all (a tracker
    built by hand)."""
    latest = _latest_user_index(events)
    for event in reversed(events[:latest]):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    if any(e.get("event") == "slot" and e.get("name") == name for e in events[latest:]):
        return None  # only this turn set it: not a previous topic
    return current


@lru_cache(maxsize=4)
def _faq_prefixes(day: Any) -> tuple[tuple[str, str], ...]:
    from actions import kb
    from knowledge_base.faq import load_faqs

    out = []
    for entry in load_faqs():
        text = kb.faq_text(entry)
        if text:
            out.append((entry.id, " ".join(text.split())[:_ANSWER_PREFIX]))
    return tuple(out)


def faq_of_reply(text: str) -> str | None:
    """The id of the FAQ entry whose answer (as given today) ``text`` is, or None."""
    from actions import kb

    flat = " ".join((text or "").split())
    if not flat:
        return None
    try:
        prefixes = _faq_prefixes(kb.today())
    except Exception:  # no FAQ file: no FAQ topic
        return None
    return next((faq_id for faq_id, prefix in prefixes if prefix and prefix in flat), None)


def _term_answer_of_reply(text: str) -> str | None:
    try:
        from knowledge_base.vocabulary import terms

        flat = " ".join((text or "").split())
        return next((t.answer for t in terms() if t.answer and " ".join(t.answer.split())[:_ANSWER_PREFIX] in flat),
                    None)
    except Exception:  # the vocabulary is optional
        return None


def _slot_at(events: list[dict[str, Any]], index: int, name: str) -> Any:
    for event in reversed(events[:index]):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def topic_of_reply(events: list[dict[str, Any]], index: int) -> Topic | None:
    """The topic the bot message ``events[index]`` answered, or None (a greeting, a question back,
    an agent list ...)."""
    event = events[index]
    text = str(event.get("text") or "")
    meta = event.get("metadata") or {}
    if meta.get(ANSWER_FAQ_KEY):
        return Topic("faq", faq_id=str(meta[ANSWER_FAQ_KEY]))
    if meta.get("utter_action") == _NOT_FOUND_RESPONSE:  # "no entry for that" still leaves the topic
        asked = next((e for e in reversed(events[:index]) if e.get("event") == "user"), {})
        category = category_of_intent(((asked.get("parse_data") or {}).get("intent") or {}).get("name"))
        return Topic("faq", category=category) if category else None
    if meta.get("utter_action") == _CLARIFY_RESPONSE:
        code = _slot_at(events, index + 1, "procedure") or slot_after(events, index, "procedure")
        return Topic("procedure", code=code, guessed=True) if code else None
    if (faq_id := faq_of_reply(text)) is not None:
        return Topic("faq", faq_id=faq_id)
    codes = _CITED_CODE.findall(text)
    if codes:
        slot = slot_after(events, index, "procedure")
        return Topic("procedure", code=slot if slot in codes else codes[0])
    if (answer := _term_answer_of_reply(text)) is not None:
        return Topic("term", answer=answer)
    return None


def slot_after(events: list[dict[str, Any]], index: int, name: str) -> Any:
    """The slot ``name`` as the action that said ``events[index]`` left it (before the next message)."""
    end = next((i for i in range(index + 1, len(events)) if events[i].get("event") == "user"), len(events))
    value = None
    for event in events[:end]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
    return value


def previous_faq_id(tracker: Any) -> str | None:
    """The FAQ entry the bot answered last (:func:`conversation_topic`), or None after anything else."""
    topic = conversation_topic(list(getattr(tracker, "events", None) or []))
    return topic.faq_id if topic is not None and topic.kind == "faq" else None


def conversation_topic(events: list[dict[str, Any]]) -> Topic | None:
    """What the bot answered last before the latest user message (up to
    :data:`TOPIC_LOOKBACK_TURNS` turns back), or None."""
    for i in _recent_bot_indices(events, TOPIC_LOOKBACK_TURNS):
        if (topic := topic_of_reply(events, i)) is not None:
            return topic
    return None


#: how many turns back a procedure answer keeps the procedure slot as the topic of a follow-up
SLOT_LOOKBACK_TURNS = 8


def _recent_bot_indices(events: list[dict[str, Any]], turns: int) -> list[int]:
    """The indices of the bot messages of the last ``turns`` user turns before the latest message."""
    latest = _latest_user_index(events)
    out: list[int] = []
    seen = 0
    for i in range(latest - 1, -1, -1):
        kind = events[i].get("event")
        if kind == "user":
            seen += 1
            if seen >= turns:
                break
        elif kind == "bot":
            out.append(i)
    return out


def _never_answered_a_procedure(events: list[dict[str, Any]], turns: int = SLOT_LOOKBACK_TURNS) -> bool:
    """The bot has replied within the last ``turns`` turns but none of those replies answered a procedure
    (a procedure answered longer ago is no topic any more)."""
    bots = _recent_bot_indices(events, turns)
    return bool(bots) and not any(
        (topic := topic_of_reply(events, i)) is not None and topic.kind == "procedure" for i in bots)


#: a question whether a step must come first (folded): "có cần về quê cắt khẩu trước không", "phải xóa tạm trú cũ
#: trước à", "co phai lam giay xac nhan truoc ko"
_FIRST_ASKED = re.compile(r"\b(?:can|phai)\b.*\btruoc\b(?! (?:day|kia|nay|khi))")


def asks_prerequisite(text: str) -> bool:
    """The message asks whether a step must be done before the need it follows ("... trước không"), not about
    an earlier time ("trước đây", "trước kia") or what to do before something ("trước khi")."""
    return bool(_FIRST_ASKED.search(fold(unaddressed(text))))


def main_before_prerequisite(events: list[dict[str, Any]], side: str) -> tuple[str, bool] | None:
    """The procedure the conversation is about when the last procedure answer (``side``) answered a question
    whether a step must come first (:func:`asks_prerequisite`): the procedure answered before that question,
    within :data:`TOPIC_LOOKBACK_TURNS` turns. The step is a condition of that need, so a bare follow-up ("phí
    bao nhiêu") still asks about the need; a message naming the step again names it. None otherwise."""
    answers = ((i, t) for i in _recent_bot_indices(events, TOPIC_LOOKBACK_TURNS)  # newest first, each read once
               if (t := topic_of_reply(events, i)) is not None and t.kind == "procedure")
    side_at, _side_topic = next(answers, (None, None))
    if side_at is None:
        return None
    asked = next((e for e in reversed(events[:side_at]) if e.get("event") == "user"), None)
    if asked is None or not asks_prerequisite(str(asked.get("text") or "")):
        return None
    return next(((t.code, t.guessed) for _i, t in answers if t.code != side), None)


def previous_procedure(tracker: Any) -> tuple[str | None, bool]:
    """The procedure a follow-up is about, and whether it was only guessed (the first candidate of a
    clarification list): the procedure the bot answered last, None when an FAQ or a citizen term
    was answered after it. Without an answer within reach, the slot (a tracker built by hand, or an
    answer further back), unless the bot has spoken and never answered a procedure: the slot then holds
    only a guess from a message answered otherwise ("giúp tôi với" got the greeting and buttons, yet its
    words look like "trợ giúp pháp lý")."""
    events = list(getattr(tracker, "events", None) or [])
    topic = conversation_topic(events)
    if topic is not None and topic.kind == "procedure" and (main := main_before_prerequisite(events, topic.code)):
        return main  # "phí bao nhiêu" after "có cần về quê cắt khẩu trước không": the need the step comes before
    if topic is not None:
        return (topic.code, topic.guessed) if topic.kind == "procedure" else (None, False)
    if _never_answered_a_procedure(events):
        return None, False
    code = slot_before(events, "procedure", tracker.get_slot("procedure"))
    guessed = slot_before(events, "procedure_guessed", tracker.get_slot("procedure_guessed"))
    return code, bool(guessed) and code is not None


# ---------------------------------------------------------------------------------------------
# A short follow-up of an FAQ answer: answered within the same FAQ topic
# ---------------------------------------------------------------------------------------------

#: words that carry nothing about what is asked (pronouns, particles), with their diacritics: "còn"
#: (still) is filler, "con" (child) is not, and folding would merge them
_FILLER_TEXT = ("tôi mình em anh chị cháu bác bà ông cô chú bạn ạ ơi nhé nha nhỉ à ừ ok dạ vâng vậy thế thì còn "
                "nữa hả hở nhờ với cho xin hỏi muốn là có không ko k hông được dc đc nào gì cái đó này kia sau v z "
                "đang đã sẽ rồi mà nếu khi để bị nên các một hai nghe nói bảo chưa vẫn lại vào lên về theo "
                "bây nay hôm mới ai luôn cũng rất quá lắm thôi bên"
                # "vô" is "vào" in the South, "đấy" / "ấy" point back like "đó"
                " vô đấy ấy")
_FILLER_RAW = frozenset(_FILLER_TEXT.split())
_FILLER = frozenset(tokens(_FILLER_TEXT)) - {"con"}
#: words that fold onto a filler but, written with their diacritics, say what is asked: the evening
#: ("tối", not "tôi"), a house ("nhà", not "nha"), Sunday ("chủ nhật", not "chú")
_NOT_FILLER = frozenset({"tối", "nhà", "chủ"})
#: question words of the aspects (fee, time, where, papers, how): enough to pick an entry within
#: the topic, never enough to leave it for another topic
_ASPECT_TEXT = ("bao nhiêu tiền phí lệ mất tốn hết lâu ngày mấy hôm tuần giờ khi nào ở đâu nơi chỗ đến ra đi tới "
                "cần mang gì giấy tờ chuẩn bị làm sao thế nào như cách bước online trực tuyến qua mạng được không "
                "phải có nộp trả đóng thu miễn tính áp dụng hiệu lực bắt đầu từ kiểu "  # "kiểu gì": how
                "những")  # "mang những gì": what
_ASPECT_WORDS = frozenset(tokens(_ASPECT_TEXT))
#: who goes or does it ("bố mẹ mang những gì đi" after the children's answer): the asker's side, not what is asked
_WHO_WORDS = frozenset(tokens("bố mẹ cha phụ huynh"))
#: a message of more words than this is a question of its own, not a follow-up
MAX_FAQ_FOLLOWUP_WORDS = 12
#: the weight of a question word of an aspect ("mấy", "ở đâu"): the aspect is matched on its own
ASPECT_WORD_WEIGHT = 0.5
#: the weight of a message word found only in an entry's answer (not in its question or paraphrases)
ANSWER_WORD_WEIGHT = 0.5
#: score of an entry of the same topic (FAQ category), plus this much times its closeness to the
#: previous entry: a follow-up stays in its topic unless its own words name another one
SAME_TOPIC_BONUS = 0.3
#: score of an entry of the topic the NLU read in the message alone (``asked_category``): less than the
#: conversation's topic, as the NLU sees one short message ("dùng số của ai" read as a contact question
#: after the children's VNeID answer)
ASKED_TOPIC_BONUS = 0.15
CLOSENESS_WEIGHT = 0.6
#: score of an entry that answers the aspect asked ("ở đâu": an entry asked with "ở đâu")
ASPECT_BONUS = 0.5
#: weight of the share of the message's word pairs found as pairs in an entry's questions
PHRASE_WEIGHT = 0.5
#: weight of the best share of one of an entry's questions' naming words that the message says
#: (:func:`asked_cover`), within the topic: an entry asked about a narrower case the message never names (children: "dang ky
#: muc 2 cho con nho") loses to the entry asked just as the message ("dang ky vneid muc 2 o dau")
ASKED_COVER_WEIGHT = 0.2
#: an answer needs at least this share of the message's words (idf-weighted) in the entry
MIN_OWN_SHARE = 0.4
#: and this share of the words that name what the message is about ("đăng ký tạm trú" is not in a
#: VNeID entry although "đăng ký" is)
MIN_NAMING_SHARE = 0.6


#: words that only refer back to a rule ("hỗ trợ đó", "ưu đãi này", "chính sách ấy") or ask when it ends
#: ("hết hạn", "kết thúc", "dừng"), folded
_RULE_WORDS = frozenset(tokens("hỗ trợ ưu đãi chính sách quy định khoản mức miễn giảm việc "
                               "hạn hết kết thúc dừng ngừng chấm dứt ấy đấy vụ"))


def _asks_dates_of(text: str, prev: dict[str, Any] | None) -> bool:
    """The message asks when the dated rule answered before (``prev``, an entry of the FAQ index)
    starts, ends or still applies, and names nothing that entry does not hold: its answer, which
    states its dates, answers it ("hỗ trợ đó áp dụng từ khi nào", "còn hiệu lực không")."""
    from knowledge_base.aspects import asks_when_in_force

    if prev is None or not prev["entry"].has_dates or not asks_when_in_force(text):
        return False
    return _distinct_words(text) - _RULE_WORDS <= prev["asked"] | prev["answer"]


#: asking which key or extension to press on a call ("bấm phím mấy", "nhánh nào", "bấm số mấy"), folded
_KEY_ASKED = re.compile(r"\b(?:phim|nhanh|nut) (?:so )?(?:may|nao|gi)\b|\bbam (?:so )?(?:may|nao|gi)\b")
#: an answer naming the key of a number ("bấm phím 4", "nhánh 7"), folded
_KEY_NAMED = re.compile(r"\b(?:phim|nhanh) \d\b")


def asks_key_of(text: str, answer: str) -> bool:
    """The message asks which key to press ("gọi tổng đài thì bấm phím mấy") and the answer before names the
    key of the number it gave ("1900 0368 rồi bấm phím 4"): that answer is the one to give again."""
    return bool(_KEY_ASKED.search(fold(text))) and bool(_KEY_NAMED.search(fold(answer)))


#: the citizen cannot do it alone or it keeps failing (folded): "làm mãi không được", "không tự làm được",
#: "không biết dùng", "vẫn lỗi"
_CANNOT = re.compile(r"\b(?:khong|chua) (?:\w+ ){0,3}(?:duoc|noi)\b|\bkhong biet (?:lam|dung|cach)\b"
                     r"|\bkhong ranh\b|\bvan (?:bi )?loi\b")
#: ... and asks where or to whom to turn ("thì đi đâu", "nhờ ai", "ai giúp", "thì sao")
_TURN_TO = re.compile(r"\b(?:di|ra|den|toi|len|hoi) (?:o )?dau\b|\bo dau\b|\b(?:nho|hoi|goi) ai\b"
                      r"|\bai (?:giup|ho tro|huong dan|lam ho|lam giup|chi)\b|\b(?:lam|thi) sao\b|\bthe nao\b")
#: an answer that says where to get help when it does not work ("xin đến Công an cấp xã", "gọi tổng đài 1022",
#: "đến điểm tiếp nhận gần nhất để được hỗ trợ")
_HELP_IN_ANSWER = re.compile(r"\b(?:xin den|xin goi|goi tong dai|tong dai \d|diem tiep nhan|de duoc ho tro"
                             r"|de duoc huong dan)\b")
#: words of such a request for help, naming nothing of its own
_HELP_WORDS = frozenset(tokens("mãi hoài tự làm hộ giúp nhờ hỏi ai đi ra đâu biết dùng rành thử lỗi sao hướng dẫn "
                               "hỗ trợ được nổi lần nhiều"))


def _asks_help(text: str, prev: dict[str, Any] | None) -> bool:
    """The message says the citizen cannot do what the previous entry (``prev``) explained and asks where
    or to whom to turn ("làm mãi không được thì đi đâu", "không tự làm được thì nhờ ai"), naming nothing
    that entry does not hold."""
    if prev is None:
        return False
    folded = fold(unaddressed(text))
    if not (_CANNOT.search(folded) and _TURN_TO.search(folded)):
        return False
    return _distinct_words(text) - _HELP_WORDS <= prev["asked"] | prev["answer"]


def _gives_help(entry: Any) -> bool:
    """The entry's answer says where to get help when it does not work (:data:`_HELP_IN_ANSWER`)."""
    return bool(_HELP_IN_ANSWER.search(fold(getattr(entry, "answer", ""))))


def _asks_help_after(text: str, prev: dict[str, Any] | None) -> bool:
    """:func:`_asks_help` after an answer that ends with where to get help: that answer answers it."""
    return _asks_help(text, prev) and _gives_help(prev["entry"])


#: the entry that says where to get help, for a request for help after an answer that says none
HELP_ENTRY = "contact.hotline"


def help_entry(prev: dict[str, Any], info: dict[str, Any]) -> Any | None:
    """The entry answering "cannot do it, who helps" after ``prev``, whose answer says no help ("không tự
    nộp được thì sao" after what a full online procedure is): the way into the topic
    (:data:`actions.faq.TOPIC_ENTRIES`) when its answer says where to get help, else the topic's own hotline
    entry, else the centre's."""
    from actions.faq import TOPIC_ENTRIES

    way_in = next((info[i]["entry"] for intent, i in TOPIC_ENTRIES.items()
                   if i in info and CATEGORY_INTENTS.get(prev["entry"].category) == intent), None)
    if way_in is not None and _gives_help(way_in):
        return way_in
    own = f"{prev['entry'].category}.hotline"  # the topic's own number (VNeID), else the centre's
    return next((info[i]["entry"] for i in (own, HELP_ENTRY) if i in info), None)


def _question_words(text: str) -> list[str]:
    """The message's folded words without filler and forms of address; a word of
    :data:`_NOT_FILLER` written with its diacritics keeps its folded form ("tối" is not "tôi")."""
    kept = [w for w in text.split() if w.lower().strip(".,!?;:") not in _FILLER_RAW | _ADDRESS]
    written = {strip_accents(w) for w in (k.lower().strip(".,!?;:") for k in kept) if w in _NOT_FILLER}
    return [w for w in tokens(" ".join(kept)) if w not in _FILLER or w in written]


def _distinct_words(text: str) -> set[str]:
    """The message's words that name *what* it is about (no aspect or question words): "zalo",
    "mở khóa", "đăng nhập"."""
    return {w for w in _question_words(text) if w not in _ASPECT_WORDS and w not in _WHO_WORDS and not w.isdigit()}


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


#: a question of an entry names a case with this many naming words at least (one word alone, "hồ sơ", tells none)
MIN_CASE_WORDS = 2


def asked_cover(words: set[str], cases: list[frozenset[str]]) -> float:
    """The best share of the naming words of one of an entry's questions (``cases``, of :data:`MIN_CASE_WORDS`
    words or more) found in the message's ``words``: 1.0 when one question names nothing the message does not."""
    return max((len(c & words) / len(c) for c in cases if len(c) >= MIN_CASE_WORDS), default=0.0)


@lru_cache(maxsize=2)
def _faq_index(day: Any) -> dict[str, Any]:
    """Per entry: its asked words (question and paraphrases), answer words, topic words, aspects;
    and the idf of the asked words over all entries."""
    import math

    from knowledge_base.aspects import detect_aspect
    from knowledge_base.faq import load_faqs

    entries = load_faqs()
    info = {}
    df: dict[str, int] = {}
    for e in entries:
        asked_texts = [e.question, *e.paraphrases]
        asked = set(tokens(" ".join(asked_texts)))
        for w in asked:
            df[w] = df.get(w, 0) + 1
        pairs = {p for t in asked_texts for p in _pairs(tokens(t))}
        info[e.id] = {"entry": e, "asked": asked, "answer": set(tokens(e.answer)), "pairs": pairs,
                      "topic": _distinct_words(" ".join(asked_texts)),
                      "cases": [frozenset(_distinct_words(t)) for t in asked_texts],
                      "aspects": {a for t in asked_texts if (a := detect_aspect(t))}}
    n = len(entries)
    idf = {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}
    return {"info": info, "idf": idf, "default_idf": math.log(n + 1)}


#: words saying the step before is done ("đăng nhập xong thì nộp thế nào"), folded: when the request comes
_DONE_WORDS = frozenset(tokens("xong"))
#: the aspects a question of how to do a topic's main thing asks ("nộp hồ sơ làm sao", "nộp online kiểu gì")
WAY_IN_ASPECTS = frozenset({"steps", "online"})


def way_in_followup(text: str, prev: dict[str, Any] | None, asked_category: str | None,
                    info: dict[str, Any]) -> Any | None:
    """The way into another FAQ topic (:data:`actions.faq.TOPIC_ENTRIES`: how to file online, how to pay) when
    the follow-up ``text`` of the answer ``prev`` names that topic's own request and asks only how: the NLU
    reads the topic (``asked_category``, not ``prev``'s), the message shares a word or a word pair with the
    way-in entry's questions ("nộp hồ sơ") and names nothing that entry or the answer before is not asked
    with ("vào được rồi thì nộp hồ sơ làm sao" after how to log in with VNeID). The topic before no longer
    holds: the previous topic's entries that merely share a word ("số" / "sơ") do not answer it. None else."""
    from actions.faq import TOPIC_ENTRIES
    from knowledge_base.aspects import detect_aspect

    if prev is None or asked_category is None or asked_category == prev["entry"].category:
        return None
    way_in = info.get(TOPIC_ENTRIES.get(CATEGORY_INTENTS.get(asked_category, ""), ""))
    if way_in is None or detect_aspect(text) not in WAY_IN_ASPECTS:
        return None
    distinct = _distinct_words(text) - _DONE_WORDS  # "đăng nhập xong thì ...": when, not what
    if not distinct <= prev["asked"] | way_in["asked"]:
        return None
    names_it = distinct & way_in["asked"] or _pairs(tokens(unaddressed(text))) & way_in["pairs"]
    return way_in["entry"] if names_it else None


def _pay_way_in(info: dict[str, Any]) -> Any | None:
    """The index item of the payment topic's way-in entry (how to pay), None when the FAQ has none."""
    from actions.faq import TOPIC_ENTRIES

    return info.get(TOPIC_ENTRIES.get("ask_online_payment", ""))


def asks_beyond(distinct: set[str], info: dict[str, Any]) -> bool:
    """The follow-up names a word the entry answered before only mentions in its answer, not in its questions
    ("thủ tục một phần thì bản gốc gửi kiểu gì" after the full / partial answer, which says originals go by
    post): the citizen asks more about what that answer said, so being that answer earns no closeness."""
    return bool(distinct - info["asked"]) and bool((distinct - info["asked"]) & info["answer"])


def faq_followup(text: str, previous_faq: str | None, names_procedure: bool = False,
                 asked_category: str | None = None, topic_category: str | None = None) -> Any | None:
    """The FAQ entry that answers the follow-up ``text`` of the answer ``previous_faq``, or None.

    Every entry is scored by the share of the message's words it is asked with (idf-weighted; words
    only in its answer count half), plus :data:`ASPECT_BONUS` when it is asked with the aspect the
    message asks, plus — for entries of the previous entry's topic, or of ``asked_category`` (the
    topic the NLU read in the message) — :data:`SAME_TOPIC_BONUS`, and for the previous entry's
    topic its closeness to the previous entry (the less the message names itself, the more).
    Without a previous entry (the bot had none for the question before), ``topic_category`` is the
    topic. So "mở khóa ở đâu" after "VNeID bị khóa" is the
    unlock entry, "mấy giờ thì gọi được" after the hotline the hours entry, and "thế còn qua zalo"
    the Zalo entry; an entry of another topic wins only through a word that names it ("zalo",
    "biên lai"), never through an aspect word alone. The best entry must hold the message's naming
    words and :data:`MIN_OWN_SHARE` of its words, else None (ask rather than guess).
    """
    from actions import kb
    from knowledge_base.aspects import detect_aspect

    index = _faq_index(kb.today())
    info, idf, default = index["info"], index["idf"], index["default_idf"]
    prev = info.get(previous_faq or "")
    topic_category = prev["entry"].category if prev is not None else topic_category
    words = set(_question_words(text))
    # pairs over all the words ("ngân hàng nào": which bank), filler included
    pairs = _pairs(tokens(unaddressed(text)))
    if _asks_help_after(text, prev):
        return prev["entry"]
    if _asks_help(text, prev):  # the answer before says no help: where help is
        return help_entry(prev, info)
    if topic_category is None or not words:
        return None
    if (way_in := way_in_followup(text, prev, asked_category, info)) is not None:
        return way_in  # another topic's own request, asked how: that topic's way in
    if _asks_dates_of(text, prev):
        return prev["entry"]
    distinct = _distinct_words(text)
    if prev is not None and not distinct and asks_how_to_pay(text) and (pay := _pay_way_in(info)) is not prev:
        return pay["entry"]  # "vậy giờ trả phí online thế nào" after the 0-đồng policy: how to pay, not the policy
    asked_aspect = detect_aspect(text)
    if prev is not None and not distinct and asked_aspect is None and words <= prev["asked"] | prev["answer"]:
        return prev["entry"]  # names nothing, asks no aspect, all in the answer before: a question about it
    weight = {w: idf.get(w, default) * (ASPECT_WORD_WEIGHT if w in _ASPECT_WORDS else 1.0) for w in words}
    total = sum(weight.values())
    best: tuple[float, Any] | None = None
    for faq_id, e in info.items():
        own = sum(weight[w] * (1.0 if w in e["asked"] else ANSWER_WORD_WEIGHT if w in e["answer"] else 0.0)
                  for w in words) / total
        same = e["entry"].category == topic_category
        # an aspect alone ("có phải trả tiền không") is answered by the topic's entry asked with that
        # aspect, whatever other aspect words it is asked with ("mất tiền")
        aspect_of_topic = not distinct and same and asked_aspect is not None and asked_aspect in e["aspects"]
        if own < MIN_OWN_SHARE and not aspect_of_topic:
            continue
        if pairs:  # "chuyển khoản" as a phrase, not two words met apart
            own += PHRASE_WEIGHT * len(pairs & e["pairs"]) / len(pairs)
        if distinct and (len(distinct & (e["asked"] | e["answer"])) < MIN_NAMING_SHARE * len(distinct)
                         or (names_procedure and not distinct <= e["asked"])):
            continue  # the entry does not hold what the message names
        if not same and (names_procedure or not (distinct & e["asked"] and distinct <= e["asked"] | e["answer"])):
            continue  # another topic only when the message names it (and names no procedure)
        if not distinct and not (asked_aspect and asked_aspect in e["aspects"]):
            continue  # "ở đâu" alone: an entry asked with "ở đâu"
        score = own + (ASPECT_BONUS if asked_aspect and asked_aspect in e["aspects"] else 0.0)
        if same:  # within the topic, the entry asked just as the message before one asked about a narrower case
            score += ASKED_COVER_WEIGHT * asked_cover(words, e["cases"])
            closeness = len(prev["topic"] & e["topic"]) / len(prev["topic"]) if prev and prev["topic"] else 0.0
            if faq_id == previous_faq:
                closeness = 0.0 if asks_beyond(distinct, e) else 1.0
            score += SAME_TOPIC_BONUS + CLOSENESS_WEIGHT * closeness / (1 + len(distinct))
        elif asked_category and e["entry"].category == asked_category:
            score += SAME_TOPIC_BONUS if prev is None else ASKED_TOPIC_BONUS
        if best is None or score > best[0] + 1e-9:
            best = (score, e["entry"])
    return best[1] if best else None


def is_short_followup(message: dict[str, Any]) -> bool:
    """A message that may only be read with the previous answer: real words (no button), short."""
    text = message_text(message)
    return bool(text.strip()) and not is_payload(text) and len(text.split()) <= MAX_FAQ_FOLLOWUP_WORDS


def names_a_procedure(message: dict[str, Any], current: str | None = None, known: Any = None) -> bool:
    """The NLU recognised a procedure in the message, or one of its candidates shares a naming word.
    With a ``current`` procedure (``known``: the catalogue), a candidate too weak to leave it
    (:func:`actions.procedure.weak_beside_topic`: "có phải thi lại không") does not count."""
    if entity_values(message, "procedure"):
        return True
    from actions.message import procedure_candidates
    from actions.procedure import MIN_SCORE, names_procedure, weak_beside_topic

    text = message_text(message)
    beside = current is not None and known is not None and current in known
    return any(c.score >= MIN_SCORE and names_procedure(text, c.name)
               and not (beside and c.code in known and weak_beside_topic(text, c, known[c.code]))
               for c in procedure_candidates(message))


#: words that count times ("1 lần", "mỗi lần", "mấy lượt"): within an FAQ topic they ask how much per time,
#: never name a procedure ("mức hỗ trợ cước bn 1 lần" after the postage answer is not "... một lần" of
#: social insurance); folded
COUNT_WORDS = frozenset({"lan", "luot"})


def names_a_procedure_in_faq_topic(message: dict[str, Any], category: str | None) -> bool:
    """:func:`names_a_procedure` after an FAQ answer of ``category``: a candidate sharing with the message only
    words the topic's own entries are asked with names no procedure ("cước trả kết quả bao nhiêu" after the
    postage answer shares "cước" with "căn cước", nor only a count, :data:`COUNT_WORDS`; "đăng ký tạm trú" after
    a VNeID answer still names one)."""
    if entity_values(message, "procedure") or category is None:
        return names_a_procedure(message)
    from actions import kb
    from actions.message import procedure_candidates
    from actions.procedure import MIN_SCORE, naming_words

    info = _faq_index(kb.today())["info"].values()
    topic_words = set().union(*(e["asked"] for e in info if e["entry"].category == category))
    text = message_text(message)
    own = naming_words(text) - topic_words - COUNT_WORDS
    return any(c.score >= MIN_SCORE and own & naming_words(c.name) for c in procedure_candidates(message))
