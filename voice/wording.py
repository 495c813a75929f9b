"""Turn the assistant's written replies into short sentences a phone caller can follow.

Chat replies carry links, digits, fees and buttons; read aloud as they are they sound like noise.
Here: phone numbers are read digit by digit in groups ("không hai bốn, một không hai hai"), amounts
and other numbers as Vietnamese numerals ("hai trăm nghìn đồng"), dates as "ngày mười lăm tháng
một năm hai nghìn không trăm hai mươi sáu", URLs are never read (the caller is offered the link by
SMS or Zalo instead), procedure codes are dropped unless the caller asked for them, and buttons
become "nói … hoặc bấm phím …".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gateway.schemas import Button

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

#: the keypad digits offered for a reply's buttons, in order
BUTTON_KEYS = "123456789"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: phone numbers as the knowledge base writes them: 024.1022, 024 3219 1319, 0768.221.221, 19001009
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)\d{1,3}(?:[ .]\d{2,4}){1,3}(?!\d|[.,]\d)|(?<![\d.,])(?:1900|1800)[ .]?\d{4}(?!\d)"
                    r"|(?<![\d.,])0\d{9,10}(?!\d)")
_DATE = re.compile(r"\b(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b")
#: a procedure code ("mã thủ tục 1.004194", "(1.004194)") — dropped unless asked for
_PROC_CODE = re.compile(r"\s*\(?(?:mã(?: thủ tục)?:?\s*)?\b\d\.\d{6}\b\)?", re.IGNORECASE)
_CODE_ONLY = re.compile(r"\b(\d)\.(\d{6})\b")
_MONEY = re.compile(r"\b(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(đồng|đ|vnđ|vnd)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w])")
_PERCENT = re.compile(r"(\d+(?:,\d+)?)\s*%")
_SPACES = re.compile(r"\s+")


def read_digits(digits: str) -> str:
    """Each digit as a word: "1022" → "một không hai hai"."""
    return " ".join(_DIGITS[int(d)] for d in digits if d.isdigit())


def _below_thousand(n: int, full: bool) -> str:
    """0 < n < 1000; ``full`` when a higher group came before (so "không trăm", "linh")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("linh")
            words.append(_DIGITS[units])
        return " ".join(words)
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 5:
        words.append("lăm")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return " ".join(words)


def number_words(n: int) -> str:
    """A whole number in Vietnamese words: 200000 → "hai trăm nghìn", 2026 → "hai nghìn không trăm hai mươi sáu"."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_words(-n)
    scales = ["", "nghìn", "triệu", "tỷ"]
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    if len(groups) > len(scales):
        return read_digits(str(n))
    words: list[str] = []
    started = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words.append(_below_thousand(g, full=started))
        if scales[i]:
            words.append(scales[i])
        started = True
    return " ".join(words)


def phone_words(phone: str) -> str:
    """A phone number read in its written groups: "024.1022" → "không hai bốn, một không hai hai"."""
    phone = phone.strip()
    if phone.startswith("+84"):
        phone = "0" + phone[3:].lstrip(" .")
    groups = [g for g in re.split(r"[ .\-]", phone) if g]
    if len(groups) == 1:
        d = groups[0]
        if len(d) == 11 and d.startswith("02"):
            groups = [d[:3], d[3:7], d[7:]]
        elif len(d) == 10 and d.startswith("0"):
            groups = [d[:4], d[4:7], d[7:]]
        elif len(d) == 8 and d.startswith(("1900", "1800")):
            groups = [d[:4], d[4:]]
    return ", ".join(read_digits(g) for g in groups)


def _amount(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


#: a sentence: up to . ! ? followed by a space, or a line
_SENTENCE = re.compile(r"[^\n]*?(?:[.!?](?=\s)|\n|$)")
#: a short hotline after "tổng đài" is read digit by digit ("tổng đài một không hai hai")
_HOTLINE = re.compile(r"(?<=tổng đài )(\d{3,5})\b", re.IGNORECASE)
#: letters and digits glued together in addresses ("D3", "7.2ha")
_GLUED = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
#: an English-style decimal point in an address or area ("7.2 ha"); not thousands ("1.000")
_DOT_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d{1,2})(?![\d.])")


def _drop_url_sentences(text: str) -> str:
    """Remove each URL; a sentence that was little more than its URL ("Xem bản đồ tại <url>")
    goes with it, so no dangling "Xem bản đồ tại." is read aloud."""
    out = []
    for sentence in _SENTENCE.findall(text):
        if _URL.search(sentence):
            rest = _URL.sub("", sentence)
            if len(re.findall(r"\w+", rest)) <= 6:
                out.append("\n" if sentence.endswith("\n") else "")
                continue
            sentence = rest
        out.append(sentence)
    return "".join(out)


def speak(text: str, *, keep_codes: bool = False) -> str:
    """The spoken form of one written reply (no URLs, numbers as words, short whitespace)."""
    had_url = bool(_URL.search(text))
    text = _drop_url_sentences(text)
    text = _URL.sub("", text)
    text = re.sub(r"\(\s*\)|:\s*(?=[.,]|$)", "", text)
    if keep_codes:
        text = _CODE_ONLY.sub(lambda m: read_digits(m.group(1)) + " chấm " + read_digits(m.group(2)), text)
    else:
        text = _PROC_CODE.sub("", text)
    text = text.replace("\n", ". ")
    text = _PHONE.sub(lambda m: phone_words(m.group(0)), text)
    text = _HOTLINE.sub(lambda m: read_digits(m.group(1)), text)
    text = _DATE.sub(lambda m: f"ngày {number_words(int(m.group(1)))} tháng {number_words(int(m.group(2)))} "
                               f"năm {number_words(int(m.group(3)))}", text)
    text = _MONEY.sub(lambda m: f"{number_words(_amount(m.group(1)))} đồng", text)
    text = _PERCENT.sub(lambda m: f"{_decimal(m.group(1))} phần trăm", text)
    text = _GLUED.sub(" ", text)
    text = _DOT_DECIMAL.sub(lambda m: f"{number_words(int(m.group(1)))} phẩy {read_digits(m.group(2))}", text)
    text = _NUMBER.sub(lambda m: _decimal(m.group(1) + ("," + m.group(2) if m.group(2) else "")), text)
    text = re.sub(r"[*_#•>]+", " ", text)
    text = re.sub(r"\s+([.,;:?!])", r"\1", text)
    text = re.sub(r"([.,;:])\1+", r"\1", text)
    text = _SPACES.sub(" ", text).strip(" ,;:")
    if had_url:
        text = (text + " " if text else "") + LINK_OFFER
    return text


def _decimal(token: str) -> str:
    whole, _, frac = token.partition(",")
    words = number_words(_amount(whole))
    if frac:
        words += " phẩy " + number_words(int(frac))
    return words


#: said instead of a URL (the link itself goes out through :class:`voice.links.LinkSender`)
LINK_OFFER = "Tôi có thể gửi đường dẫn qua tin nhắn hoặc Zalo cho anh chị."


def button_choices(buttons: Sequence[Button]) -> str:
    """"Anh chị nói Lệ phí hoặc bấm phím 1; nói Thời gian hoặc bấm phím 2." for up to nine buttons."""
    parts = [f"nói {b.title} hoặc bấm phím {key}" for b, key in zip(buttons, BUTTON_KEYS, strict=False)]
    if not parts:
        return ""
    return "Anh chị " + "; ".join(parts) + "."


def listed_in_order(text: str, buttons: Sequence[Button]) -> bool:
    """True when the text already names every button, in the buttons' order (a numbered list such as
    the complaint categories): reading the choices again would double a long prompt."""
    low, at = text.lower(), -1
    for b in buttons:
        at = low.find(b.title.lower(), at + 1)
        if at < 0:
            return False
    return len(buttons) > 1


def reply_to_speech(text: str, buttons: Sequence[Button] | None = None, *, keep_codes: bool = False) -> str:
    """One bot message (text + buttons) as what the callbot says."""
    spoken = speak(text, keep_codes=keep_codes)
    buttons = list(buttons or [])[:len(BUTTON_KEYS)]
    if listed_in_order(text, buttons):
        choices = f"Anh chị nói một ý ở trên, hoặc bấm phím từ 1 đến {len(buttons)}."
    else:
        choices = button_choices(buttons)
    return f"{spoken} {choices}".strip()
