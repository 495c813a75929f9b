"""Which contact fact a question asks for (issue 9: "does 1022 answer on Sundays?" is the hours).

The facts themselves live in the ``contact.*`` entries of ``data/faq/faq.yml`` (numbers spelled as
:mod:`dvcbot.hotlines` says). A contact question usually asks one *aspect* of them — the hours, the
Zalo, the website, the address, where to complain — and the free search can miss it when the
citizen's words are not the entry's ("có trực chủ nhật không", "so dt de phan anh la so nao"). The
aspect words are few and sure, so :func:`contact_entry_id` maps them to the entry directly; a
question naming no aspect ("liên hệ trung tâm thế nào") is left to the search and the channel list.

:func:`asks_for_number` (asking for a number to call, not leaving one's own) is decided here too: the
NLU uses it to tell a contact question from a wish to talk to a person, the complaint form to tell a
question from the phone number it asked for.
"""

from __future__ import annotations

import re

from dvcbot.hotlines import HOTLINE, HOTLINE_SHORT, SWITCHBOARD, ZALO, digit_runs, digits
from dvcbot.textnorm import fold, folded

#: asking for the centre's number ("cho tôi xin số điện thoại", "gọi số nào"), accent-folded phrases
NUMBER_ASKED_CUES = folded(
    "xin số;xin sđt;xin sdt;số điện thoại;sđt;số nào;số gì;số mấy;số hotline;số tổng đài;số đường dây nóng;"
    "gọi đâu;gọi số")
#: ... but not leaving one's own number to be called back ("để lại số", "gọi lại cho tôi số 09…")
CALLBACK_CUES = folded("để lại;gọi lại;liên hệ lại;gọi cho tôi;số của tôi;số tôi")
_DIGITS = re.compile(r"\d{4,}")

#: (FAQ entry, the words that ask for it), the most specific first: "zalo có trực chủ nhật không"
#: asks the hours (whose answer names the Zalo too), "phản ánh qua iHanoi được không" the app, "số nào
#: để phản ánh" the complaint channel, "địa chỉ email" the e-mail, not the address
CONTACT_ASPECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contact.email", folded("email;e-mail;gmail;mail;thư điện tử;hộp thư")),
    ("contact.hours", folded(
        "mấy giờ;giờ nào;giờ làm việc;giờ mở cửa;làm việc đến;có trực;trực buổi;trực ban;người trực;trực đêm;trực cả;"
        "buổi tối;ban đêm;buổi đêm;đêm;khuya;"
        "chủ nhật;thứ bảy;thứ 7;cuối tuần;ngày nghỉ;ngày lễ;nghỉ lễ;tết;24/7;24 giờ;ngoài giờ;giờ hành chính;"
        "giờ nghỉ;nghỉ trưa")),
    ("contact.ihanoi", folded("ihanoi;i hanoi;i hà nội")),
    ("contact.zalo_viber", folded("zalo;viber;nhắn tin")),
    ("contact.feedback_1022", folded("phản ánh;kiến nghị;khiếu nại;góp ý;tố cáo")),
    ("contact.switchboard", ("1900",)),  # "tổng đài 1900 của trung tâm"; a whole number: NUMBER_ENTRIES
    ("contact.website", folded("website;trang web;web;trang thông tin;trang chủ;trang mạng")),
    ("contact.branch_network", folded("bao nhiêu chi nhánh;mấy chi nhánh;bao nhiêu điểm;mấy điểm")),
    ("contact.branch_addresses", folded("địa chỉ;trụ sở;ở đâu;chỗ nào;nằm ở")),
    ("contact.hotline", (*NUMBER_ASKED_CUES, *folded("hotline;đường dây nóng;tổng đài;1022"))),
)
#: the words that make a message about the centre's channels at all (outside an ask_contact parse:
#: "phản ánh xong bao lâu có kết quả" asks no contact fact)
CHANNEL_CUES = folded(
    "tổng đài;hotline;đường dây nóng;1022;1900;zalo;viber;email;e-mail;mail;thư điện tử;ihanoi;website;"
    "trang web;liên hệ") + NUMBER_ASKED_CUES


#: another body's support ("tổng đài hỗ trợ định danh", "hotline bảo hiểm xã hội"): not the centre's facts
OTHER_SERVICE_CUES = folded(
    "vneid;định danh;căn cước;công an;bảo hiểm;thuế;ngân hàng;bưu điện;dịch vụ công quốc gia;otp")


def _has(folded: str, cues: tuple[str, ...]) -> bool:
    padded = f" {folded} "
    return any(f" {c} " in padded for c in cues)


def asks_for_number(text: str) -> bool:
    """True when ``text`` asks for a phone number to call (the hotline answers it), not for a person to
    call back or to take over the chat, and gives no number of its own."""
    folded = fold(text)
    return (_has(folded, NUMBER_ASKED_CUES) and not _has(folded, CALLBACK_CUES)
            and not _DIGITS.search(text.replace(" ", "")))


#: the words that ask which number, a question even without a question mark ("sdt tổng đài số mấy")
WHICH_NUMBER_CUES = folded("số nào;số gì;số mấy;xin số;xin sđt;xin sdt;cho xin số")


def asks_which_number(text: str) -> bool:
    """True when ``text`` asks which number to call ("số mấy", "cho xin số"): a question, whatever the
    rest of the message ("mấy" folds like "máy", so the general question test cannot tell it)."""
    return _has(fold(text), WHICH_NUMBER_CUES) and asks_for_number(text)


def names_channel(text: str) -> bool:
    """True when ``text`` names one of the centre's channels or asks for a number to call."""
    return _has(fold(text), CHANNEL_CUES) or asks_for_number(text)


#: the evening written with its diacritics ("tối có ai trả lời không"): folded it is "tôi" (I), so it is not
#: among the folded hours words; "tối qua", "tối hôm qua" tell when something happened (a story), not the
#: hours, and "tối thiểu", "tối đa" are no evening
_EVENING = re.compile(r"(?<!\w)tối(?!\w)(?!\s+(?:qua|hôm qua|hôm trước|trước|thiểu|đa|ưu|cao|mật|giản|tăm|om)(?!\w))", re.IGNORECASE)


#: the entry that says whose a number is, by its digits (:func:`dvcbot.hotlines.digit_runs`): a message naming
#: a number asks about that number ("tong dai 19001009 la cua co quan nao", "19000368 là số gì"), whatever
#: other contact word it uses ("tổng đài" alone is the hotline)
NUMBER_ENTRIES: dict[str, str] = {
    digits(SWITCHBOARD): "contact.switchboard",
    digits(HOTLINE): "contact.hotline",
    HOTLINE_SHORT: "contact.hotline",
    digits(ZALO): "contact.zalo_viber",
    "19000368": "vneid.hotline",  # the Ministry of Public Security's VNeID support line (its FAQ entry's number)
}


def number_entry_id(text: str) -> str | None:
    """The entry about the first known number ``text`` names (:data:`NUMBER_ENTRIES`), or None."""
    return next((NUMBER_ENTRIES[d] for d in digit_runs(text) if d in NUMBER_ENTRIES), None)


#: the aspects asked of a number rather than about it ("1022 có trực chủ nhật không" asks the hours; "gọi
#: 1022 để phản ánh" the complaint channel): they come before the number's own entry
_BEFORE_NUMBER = frozenset({"contact.email", "contact.hours", "contact.ihanoi", "contact.zalo_viber",
                            "contact.feedback_1022"})


def _aspect_of(folded: str, text: str) -> str | None:
    number = number_entry_id(text)
    for entry, cues in CONTACT_ASPECTS:
        if entry not in _BEFORE_NUMBER and number is not None:
            return number
        if _has(folded, cues) or (entry == "contact.hours" and _EVENING.search(text)):
            return entry
    return None


def contact_entry_id(text: str) -> str | None:
    """The id of the ``contact.*`` FAQ entry answering the aspect ``text`` asks (hours, e-mail, Zalo,
    complaint channel, website, address, number), or None when it names none of them or names another
    body's support (VNeID, the police, social insurance …)."""
    folded = fold(text)
    if _has(folded, OTHER_SERVICE_CUES):
        return None  # "số tổng đài hỗ trợ định danh": the VNeID entries answer it
    return _aspect_of(folded, text or "")


def asks_hours(text: str) -> bool:
    """True when ``text`` asks when the centre's channels are staffed (evening, night, weekend, hours:
    ``contact.hours``), not whether the bot is a person."""
    return contact_entry_id(text) == "contact.hours"


#: the words of complaining ("phản ánh việc này", "khiếu nại", "kiến nghị") ...
COMPLAINT_WORDS = folded("phản ánh;kiến nghị;khiếu nại;góp ý;tố cáo")
#: ... and of asking where, to whom or how it is sent ("gửi ở đâu", "gửi cho ai", "liên hệ đâu", "làm thế nào")
WHERE_CUES = folded("ở đâu;đâu;chỗ nào;nơi nào;cho ai;với ai;gặp ai;ai nhận;kênh nào;cách nào;thế nào;như nào;làm sao;"
                     "liên hệ;số nào;gọi đâu")


def where_to_complain_clause(text: str) -> str | None:
    """The clause that asks (the last one: "…, gọi lên phường thì không ai nghe máy. Tôi muốn phản ánh việc
    này thì gửi ở đâu?") when it names complaining and asks where, to whom or how: the complaint channel
    (``contact.feedback_1022``) answers it, whatever the story before it. None otherwise."""
    from knowledge_base.answer_check import clauses

    parts = clauses(text)
    folded = fold(parts[-1]) if parts else ""
    return parts[-1] if _has(folded, COMPLAINT_WORDS) and _has(folded, WHERE_CUES) else None


#: what the centre is sent while complaining: the complaint words and an opinion or the channel itself
#: ("gửi ý kiến", "có kênh nào", "thư góp ý")
FEEDBACK_CUES = (*COMPLAINT_WORDS, *folded("ý kiến;kênh;thư góp ý;đơn thư"))
#: sending it without going or calling: online, in an app ("góp ý online", "gửi qua mạng", "trên app")
ONLINE_CUES = folded("online;onl;trực tuyến;qua mạng;trên mạng;ứng dụng;app;điện thoại thông minh")
#: sending something (a bare "ở đâu" while complaining asks where the complaint goes, "địa chỉ" the address)
_SENDING_CUES = (*FEEDBACK_CUES, *folded("gửi;đơn;gọi điện"))
#: asking for a channel ("có kênh nào", "qua đâu") and naming the centre's address ("địa chỉ", "trụ sở")
_CHANNEL_ASKED = folded("kênh nào;có kênh;qua đâu;cách nào")
_ADDRESS_WORDS = folded("địa chỉ;trụ sở;nằm ở")
#: a dossier sent online or somewhere is filing, not feedback ("gửi hồ sơ qua mạng", "nộp hồ sơ ở đâu")
_FILE_WORDS = folded("hồ sơ;thủ tục;giấy tờ")
#: aspects that stay what they are while complaining ("gửi qua zalo", "1022 có trực chủ nhật không")
_OWN_ASPECTS = frozenset({"contact.email", "contact.hours", "contact.ihanoi", "contact.zalo_viber",
                          "contact.website", "contact.switchboard"})


def feedback_entry_id(text: str) -> str | None:
    """The contact entry answering ``text`` asked while complaining (in or right after the complaint
    form): a number, a place to send or a channel asked there is the complaint channel
    (``contact.feedback_1022``: "gọi số nào", "gửi ở đâu"), sending it online is the iHanoi app
    ("có kênh nào góp ý online không"); a named channel or the hours stay themselves. None when the
    message asks no channel (another question typed into the form)."""
    aspect = contact_entry_id(text)
    if aspect in _OWN_ASPECTS:
        return aspect
    folded = fold(text)
    if _has(folded, _FILE_WORDS):
        return None
    if _has(folded, ONLINE_CUES) and _has(folded, _SENDING_CUES):
        return "contact.ihanoi"
    if not (aspect == "contact.hotline" or _has(folded, WHERE_CUES) or _has(folded, _CHANNEL_ASKED)):
        return None  # "lần nào cũng bảo một kiểu, tôi muốn khiếu nại" names complaining, asks no channel
    if aspect == "contact.branch_addresses":
        return None if _has(folded, _ADDRESS_WORDS) else "contact.feedback_1022"
    if aspect in ("contact.hotline", "contact.feedback_1022") or _has(folded, _SENDING_CUES):
        return "contact.feedback_1022"
    return None


def asks_where_to_complain(text: str) -> bool:
    """True when the asking clause names complaining and asks where (:func:`where_to_complain_clause`)."""
    return where_to_complain_clause(text) is not None


__all__ = ["CONTACT_ASPECTS", "asks_for_number", "asks_where_to_complain", "asks_which_number", "contact_entry_id",
           "feedback_entry_id", "names_channel", "where_to_complain_clause"]
