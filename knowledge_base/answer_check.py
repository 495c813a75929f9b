"""Is this FAQ entry an answer to the message? (issue 9, misrouted answers)

The search always returns *something*: "vay tiền ngân hàng" finds the entry about paying fees
through banks, "đăng ký tạm trú trên VNeID" the one about creating a level-1 account. An entry is
given only when its own question, paraphrases and answer cover the message's content words; among
the first search hits that do, the one whose own question matches the message best wins
(:func:`best_entry`). Nothing covered well enough means the honest "I do not have this" with topic
buttons.

What citizens really write needs four more things, all decided here:

- a story before the question ("Tôi 70 tuổi, chân yếu …, nghe nói kết quả gửi về tận nhà, có đúng
  không"): the story's words are not the question's, so the *question part* (:func:`question_part`:
  the last asking clause, with the clauses before it until it names something) is checked as well;
- typos ("quyên passcode"): a word one letter away from an entry's word counts half when no
  compared entry's question uses the word (:func:`coverage`); split loanwords ("pass code") are
  joined (:data:`SPLIT_WORDS`);
- opposites: "muốn khóa tài khoản" is never answered with how to *unlock* it (:data:`OPPOSITES`);
- two dated rules on one topic (the 26.000-đồng postal support of 2024 and the 100 % support from
  1/1/2026) that answer the words equally: the newer is what applies now.

:func:`asks_question` and :func:`asks_rule` tell a question from a statement or a request ("có gửi
phản ánh qua iHanoi được không" asks *about* complaining; "tôi muốn phản ánh việc này" complains;
"có bắt buộc nộp ở chi nhánh quận mình không" asks a rule, not for a place).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from dvcbot.textnorm import clean, fold, normalize, one_edit_apart, strip_accents, tokens
from knowledge_base.vocabulary import is_loanword

#: a message's content words an entry must cover (share of them) to be given as the answer
MIN_COVERAGE = 0.75
#: words that carry no topic: question words, politeness, pronouns, generic verbs and modals ("tính"
#: as in "phí tính thế nào", "tính làm" — "máy tính" still keeps "máy"; "nhất thiết" like "phải"; the
#: classifier "cái"; "sau" as in "sau này", "sau khi")
_GENERIC_TEXT = (
        "tôi mình em anh chị cháu bác bà ông cô chú bạn ad admin tổng đài viên ạ ơi nhé nhỉ à ạ vậy thế thì "
        "là có không được cần gì những nào ở đâu bao nhiêu lâu sao như thế nào làm muốn hỏi cho xin giúp "
        "với và hay hoặc của đã đang sẽ rồi mà nếu khi để bị phải nên này đó kia các một hai nghe nói bảo "
        "đúng sai thật chưa vẫn còn nữa lại ra vào lên xuống đi đến tại trên qua từ về theo bây giờ nay "
        "hôm ngày mới cũ nhà mình ai gì đâu luôn cũng rất quá lắm thôi tính nhất thiết cái sau "
        "kiểu "  # "kiểu gì", "kiểu nào": how, as "thế nào"
        "bước ấy chẳng"  # "các bước nộp … thế nào": how, as "thế nào"; "tài khoản ấy": that
)
#: word by word as well: folding the whole text reads "không ..." runs as spoken numbers
GENERIC = frozenset(tokens(_GENERIC_TEXT)) | frozenset(strip_accents(w) for w in _GENERIC_TEXT.split())

#: loanwords citizens split in two (accent-folded raw words → the one word the FAQ uses); "pass" alone
#: is expanded to "mật khẩu" by the teencode table, which is wrong inside "pass code"
SPLIT_WORDS: dict[tuple[str, str], str] = {
    ("pass", "code"): "passcode",
    ("pass", "cot"): "passcode",
    ("pass", "word"): "password",
    ("v", "neid"): "vneid",
    ("vn", "eid"): "vneid",
    ("i", "hanoi"): "ihanoi",
    ("za", "lo"): "zalo",
}
#: a message word this long (folded) may be a typo of an entry word one edit away
MIN_TYPO_LENGTH = 4
#: weight of a word covered only through a one-letter typo
TYPO_WEIGHT = 0.5

#: opposite requests: (the action word, cues that mean its undoing or its state) on folded text.
#: "khóa tài khoản ngay" asks to LOCK; "mở khóa", "mở lại", "bị khóa", "đã khóa" ask to UNLOCK.
OPPOSITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("khoa", ("mo khoa", "mo lai", "bi khoa", "da khoa", "go khoa", "khoa roi", "huy khoa")),
)

#: a clause (folded) that asks or requests: question words, a final "không/chưa", or a request verb
_ASKING = re.compile(
    r"\?|\b(?:gi|nao|sao|dau|bao nhieu|bao lau|bao gio|the nao|nhu nao|ra sao|lam sao|the nay|co phai|"
    r"duoc khong|khong a|phai khong|dung khong|chua a|muon|can|xin|hoi|giup|huong dan|cach)\b"
)
#: the sentence-final particles after which "không"/"chưa" still ends a yes/no question
_TAIL_PARTICLES = frozenset("a ah nhi nhe ha vay the ne chau em ban ad".split())
#: a question part must name at least this many content words (else the clause before it is added)
MIN_PART_WORDS = 3
_CLAUSE = re.compile(r"(?<=[.!?;,:])\s+|\n+|\s+-\s+")


# --------------------------------------------------------------------------- words


def _raw_words(text: str) -> list[str]:
    return re.findall(r"\w+", strip_accents(clean(text)))


def join_split_words(text: str) -> str:
    """``text`` with split loanwords joined ("quên pass code" → "quên passcode")."""
    words = _raw_words(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = (words[i], words[i + 1]) if i + 1 < len(words) else None
        if pair in SPLIT_WORDS:
            out.append(SPLIT_WORDS[pair])
            i += 2
            continue
        out.append(words[i])
        i += 1
    joined = " ".join(out)
    return text if joined == " ".join(words) else joined


#: a noun that only points back at the story told before ("phản ánh việc này", "hỏi chuyện đó") when
#: one of these follows it (folded): it names no topic of its own
_POINTING_NOUNS = frozenset({"viec", "chuyen", "vu"})
_POINTERS = frozenset({"nay", "do", "ay", "kia", "tren"})


#: words with no topic that are dropped only when written with their diacritics (after teencode, so the "ca"
#: of "… thanh toán ca, vậy là sao" is "cả"): folded they are other words ("họ" / "hộ", "chúng" / "chứng",
#: "nó" / "nợ", "cả" / "cá nhân"), so they cannot join :data:`GENERIC`. Third-person pronouns ("sợ bọn nó
#: dùng tài khoản của tôi": the thieves are not the topic) and "cả" (at all)
_ACCENTED_GENERIC = re.compile(r"(?<!\w)(?:nó|bọn|họ|chúng|người ta|cả)(?!\w)")
#: "thủ tục nào cũng …", "ở đâu cũng …", "cái gì cũng …", "tất cả", "bất kỳ": every one (folded); a message
#: saying it is covered only by an entry saying it too (:data:`EVERY`)
_EVERY = re.compile(r"\b(?:(?:nao|dau|gi) cung|tat ca|bat ky|bat cu|toan bo)\b")
#: the word standing for "every one" in the words of a message and of an entry
EVERY = "__every__"


#: everyday words and the FAQ's words for the same thing, folded: "nộp online" is "nộp trực tuyến", "thành
#: phố" (asked of Hanoi's centre) is "Hà Nội"; both the message and the entries are read with the FAQ's word
_SAME_THING = ((re.compile(r"\b(?:online|onl|qua mang|tren mang)\b"), "truc tuyen"),
               (re.compile(r"\bthanh pho\b"), "ha noi"),
               # "nộp giấy tờ qua mạng": the file handed in ("mang giấy tờ gì" still asks for papers)
               (re.compile(r"\b(nop|gui|lam) giay to\b"), r"\1 ho so"),
               # "trả theo mức nào", "nộp mức bao nhiêu": the rate paid is the fee (folded, "mức" is "mục")
               (re.compile(r"\b(tra|nop|dong|thu|tinh)(?: tien)?(?: theo)? muc (?:nao|bao nhieu|the nao|gi)\b"),
                r"\1 phi"),
               # "chữ ký số" is one thing; folded, its "ký" is the "ký" of every "đăng ký"
               (re.compile(r"\bchu ky (?:so|dien tu)\b"), "chukyso"),
               # the account level is one word with its number ("mức 1", "mức độ 2", "level 2"): a bare
               # number is no content word, and "mức 1 làm được gì" is not asked of the level-2 entries
               (re.compile(r"\b(?:muc do|muc|level|lv)\s?([12])\b"), r"muc\1"))


def same_words(folded: str) -> list[str]:
    """The words of ``folded`` text, an everyday word read as the FAQ's word for it (:data:`_SAME_THING`)."""
    for rx, word in _SAME_THING:
        folded = rx.sub(word, folded)
    return folded.split()


#: two-word verbs that ask only "what do I do" (folded): "… vẫn gắn số cũ thì xử lý sao" asks how, like "làm sao";
#: their halves alone are other words ("lý lịch"), so they are dropped as pairs, not joined to :data:`GENERIC`
GENERIC_PAIRS = frozenset({("xu", "ly")})


def _generic_pair_positions(words: list[str]) -> set[int]:
    return {j for i in range(len(words) - 1) if (words[i], words[i + 1]) in GENERIC_PAIRS for j in (i, i + 1)}


def content_words(text: str) -> set[str]:
    """The topic words of ``text``: no generic word or pair (:data:`GENERIC_PAIRS`), no number, no noun pointing
    back ("việc này"), no third-person pronoun (:data:`_PRONOUNS`); "nào cũng" reads as "tất cả" (:data:`_EVERY`)."""
    text = _ACCENTED_GENERIC.sub(" ", normalize(join_split_words(text)))
    words = same_words(" ".join(tokens(text)))
    pointing = {i for i, w in enumerate(words[:-1]) if w in _POINTING_NOUNS and words[i + 1] in _POINTERS}
    pointing |= _generic_pair_positions(words)
    every = {EVERY} if _EVERY.search(" ".join(words)) else set()
    return {w for i, w in enumerate(words) if i not in pointing and w not in GENERIC and not w.isdigit()} | every


def _with_every(words: list[str]) -> set[str]:
    """``words`` (folded) as a set, with :data:`EVERY` when they say "every one"."""
    return set(words) | ({EVERY} if _EVERY.search(" ".join(words)) else set())


#: the folded words of each entry's texts, by entry id and texts (an entry is folded once, not at each choice)
_WORDS_CACHE: dict[tuple[Any, ...], frozenset[str]] = {}


def _folded_words(entry: Any, with_answer: bool) -> frozenset[str]:
    texts: tuple[str, ...] = (getattr(entry, "question", ""), *getattr(entry, "paraphrases", ()))
    if with_answer:
        texts += (getattr(entry, "answer", ""), getattr(entry, "expired_answer", "") or "")
    key = (str(getattr(entry, "id", "")), with_answer, texts)
    if (words := _WORDS_CACHE.get(key)) is None:
        words = _WORDS_CACHE[key] = frozenset(_with_every(same_words(fold(" ".join(texts)))))
    return words


def entry_words(entry: Any) -> frozenset[str]:
    """The words of the entry's question, paraphrases and answers (folded, everyday words read as the FAQ's)."""
    return _folded_words(entry, True)


def _question_words(entry: Any) -> frozenset[str]:
    return _folded_words(entry, False)


def distinctive_match(message: str, entry: Any, entries: Sequence[Any]) -> float:
    """How distinctively the entry's own question and paraphrases name the message's content words: each
    shared word counts 1 / (number of ``entries`` whose own questions name it). Between entries covering
    the same share of the words, the one asked with the message's rare term wins: "mua chữ ký số …, thành
    phố có bù tiền không" is the digital-signature entry, not the postage one that shares "tiền" with it."""
    words = content_words(message) & _question_words(entry)
    return sum(1.0 / max(1, sum(w in _question_words(e) for e in entries)) for w in words)


def _covered(words: set[str], vocabulary: set[str], typo_targets: set[str], known: set[str]) -> float:
    """How many of ``words`` the vocabulary holds: 1 each, and :data:`TYPO_WEIGHT` for a word nobody's
    question uses (not in ``known``) that is one edit from a word of ``typo_targets`` the message does
    not contain itself ("quyên" → "quên"; "khoa" is never read as "khoản" next to "tài khoản"); a
    loanword ("link", "shop") is no typo."""
    score = 0.0
    for w in words:
        if w in vocabulary:
            score += 1.0
        elif len(w) >= MIN_TYPO_LENGTH and w not in known and not is_loanword(w) and any(
                len(v) >= MIN_TYPO_LENGTH and v not in words and one_edit_apart(w, v) for v in typo_targets):
            score += TYPO_WEIGHT
    return score


def coverage(message: str, entry: Any, known: set[str] | None = None) -> float:
    """Share of the message's content words found in the entry's question, paraphrases or answer.
    ``known``: the words the compared entries' questions use (a word among them is no typo)."""
    words = content_words(message)
    if not words:
        return 1.0  # nothing to check ("thế thì sao"): the search order decides
    own = _question_words(entry)
    return _covered(words, entry_words(entry), own, own if known is None else known) / len(words)


def question_coverage(message: str, entry: Any, known: set[str] | None = None) -> float:
    """Share of the message's content words found in the entry's own question and paraphrases
    (not its answer): how well the entry's question matches what was asked."""
    words = content_words(message)
    if not words:
        return 1.0
    own = _question_words(entry)
    return _covered(words, own, own, own if known is None else known) / len(words)


# --------------------------------------------------------------------------- the question in a message


def _is_asking(clause: str) -> bool:
    folded = fold(clause)
    if "?" in clause or _ASKING.search(folded):
        return True
    words = [w for w in folded.split() if w not in _TAIL_PARTICLES]
    return bool(words) and words[-1] in ("khong", "chua")


#: the end of a clause telling what is already done, with no comma after it ("nộp online xong rồi | có phải
#: lên lấy kết quả không", "nop tren mang roi thi | ket qua nhan o dau"): "xong" (rồi) (thì), or "rồi thì"
_DONE_CLAUSE_END = re.compile(r"(?<!\w)(xong(?:\s+(?:rồi|roi))?(?:\s+(?:thì|thi))?|(?:rồi|roi)\s+(?:thì|thi))(?!\s+(?:rồi|roi|thì|thi)(?!\w))(?=\s+\w)",
                              re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The clauses of ``text`` (split at sentence ends, commas, line breaks and the end of a clause telling
    what is already done, :data:`_DONE_CLAUSE_END`), in order."""
    text = _DONE_CLAUSE_END.sub(r"\1,", text or "")
    return [c.strip(" ,.;:!-") for c in _CLAUSE.split(text) if c and c.strip(" ,.;:!-")]


#: a tail that tells why, not what: a purpose "để …" ("làm tài khoản mức 2 để con cháu cài cho xem lương
#: hưu"; not "để quên" left behind, "để lại", "để ý", "để dành") or a reason "vì …" ("khóa căn cước điện tử vì
#: đánh rơi điện thoại")
_WHY_TAIL = re.compile(r"\s+(?:để(?!\s+(?:quên|lại|ý|dành|yên|mà)\b)|bởi vì|tại vì|vì)\s+", re.IGNORECASE)
#: question words: before "để" they make it the goal asked about ("giấy tờ gì để làm VNeID", "làm thế nào
#: để khóa tài khoản"), not a purpose to leave out (folded)
_QUESTION_WORD = re.compile(r"\b(?:gi|nao|sao|dau|bao nhieu|bao lau|bao gio|the nao|nhu nao|lam sao|ra sao|ntn)\b")


def without_purpose(clause: str) -> str:
    """``clause`` without its purpose or reason tail ("… định danh mức 2 để con cháu xem lương hưu" →
    "… định danh mức 2"): why the citizen wants the thing is not what is asked. Kept whole when the
    part before names fewer than two content words or asks itself ("giấy tờ gì để làm VNeID": the
    goal is asked)."""
    m = _WHY_TAIL.search(clause)
    head = clause[:m.start()] if m is not None else ""
    if m is None or len(content_words(head)) < 2 or _QUESTION_WORD.search(fold(head)):
        return clause
    return head


def question_part(text: str, cut: bool = False) -> str:
    """The part of a message that asks: its last asking clause, with the clauses before it added until
    it names :data:`MIN_PART_WORDS` content words ("có đúng không" alone names nothing); ``cut``: each
    clause's why-tail left out (:func:`without_purpose`). The whole message when it is one clause or no
    clause asks."""
    parts = clauses(text)
    if len(parts) < 2:
        return text
    last = next((i for i in range(len(parts) - 1, -1, -1) if _is_asking(parts[i])), None)
    if last is None:
        return text
    if cut:
        parts = [without_purpose(c) for c in parts]
    start = last
    while start > 0 and len(content_words(" ".join(parts[start:last + 1]))) < MIN_PART_WORDS:
        start -= 1
    return ", ".join(parts[start:last + 1])


def asks_question(text: str) -> bool:
    """True when the message (its last clause that asks, or the whole) is a question, not a statement
    or a bare request: "có gửi phản ánh qua iHanoi được không", "gọi số nào để phản ánh"."""
    if "?" in (text or ""):
        return True
    folded = fold(text)
    if re.search(r"\b(?:gi|nao|sao|dau|bao nhieu|bao lau|bao gio|the nao|nhu nao|ra sao|lam sao|co phai|"
                 r"duoc khong|duoc chu|phai khong|dung khong|co bat buoc)\b", folded):
        return True
    words = [w for w in folded.split() if w not in _TAIL_PARTICLES]
    return bool(words) and words[-1] in ("khong", "chua")


#: a question about a rule (must I, may I, does any … do), not a request for a place
_RULE = re.compile(r"\b(?:bat buoc|buoc phai|nhat thiet|co phai|phai .*khong|co duoc|duoc khong|duoc chu|nao cung|bat ky|"
                   r"khong phu thuoc|dung tuyen|trai tuyen|phi dia gioi|co can)\b")
#: words that ask for a place, an address or a way there
_PLACE = re.compile(r"\b(?:gan nhat|gan day|o dau|cho nao(?! cung)|dia chi|chi duong|(?<!tien )duong di|tim|ban do|vi tri|"
                    r"bao xa|diem nao(?! cung))\b")
#: "gần" asks for a place too, unless the question asks whether one may go there ("có được nộp ở chi nhánh
#: gần công ty không" asks the rule; "gần nhà có chỗ nộp không" asks for a place)
_NEAR = re.compile(r"\bgan\b")
_PERMISSION = re.compile(r"\b(?:co duoc|duoc khong|duoc ko|duoc chu|co the)\b")


def asks_rule(text: str) -> bool:
    """True when ``text`` asks whether something is required or allowed ("tôi ở quận X có bắt buộc nộp ở
    chi nhánh quận X không", "có được nộp ở chi nhánh gần chỗ làm không") and asks for no place ("… gần
    nhất ở đâu"): an FAQ answers it, not a list of service points. The place is looked for in the part that
    asks (:func:`question_part`), not in the story before it ("tôi ở Gia Lâm nhưng tiện đường đi làm qua Cầu
    Giấy, nộp ở chi nhánh bên đó có được không": the way to work is no request for directions)."""
    folded, asking = fold(text), fold(question_part(text))
    near = bool(_NEAR.search(asking)) and not _PERMISSION.search(folded)
    return bool(_RULE.search(folded)) and not _PLACE.search(asking) and not near and asks_question(text)


# --------------------------------------------------------------------------- opposites


def polarity(text: str) -> dict[str, bool]:
    """For each action word of :data:`OPPOSITES` the text mentions: True when it asks the undoing
    ("mở khóa"), False when it asks the action itself ("khóa tài khoản")."""
    padded = f" {fold(text)} "
    out: dict[str, bool] = {}
    for word, undo in OPPOSITES:
        if f" {word} " not in padded and not any(f" {u} " in padded for u in undo):
            continue
        out[word] = any(f" {u} " in padded for u in undo)
    return out


def opposite(message: str, entry: Any) -> bool:
    """True when the entry's own question does not ask what the message asks to do or undo: the
    opposite (lock versus unlock), or nothing of it ("khóa tài khoản ngân hàng" is not answered by
    the entry about paying by bank transfer, whose words it otherwise shares)."""
    asked = polarity(message)
    if not asked:
        return False
    own = polarity(getattr(entry, "question", ""))
    return any(own.get(word) != undo for word, undo in asked.items())


# --------------------------------------------------------------------------- money


#: an entry's own question asks about money (a fee, a charge, postage, a cost: folded, so "căn cước" is no
#: "cước"); "miễn phí" alone is no such question ("trường hợp nào không được trả kết quả miễn phí": which cases)
_ASKS_MONEY = re.compile(r"\b(?:mat phi|le phi|chi phi|(?<!can )cuoc|tien|0 dong)\b")
#: a message names money when it says any of these (folded; broad on purpose: a message naming money is
#: never kept from a money entry)
_NAMES_MONEY = re.compile(
    r"\b(?:phi|tien|(?<!can )cuoc|mien|dong|free|thanh toan|chuyen khoan|ngan hang|vi dien tu|bien lai|hoa don|ho tro|"
    r"ton|bao nhieu|ai tra|phai tra|tra tien|ship|bu|thu phi|thu tien|mat phi|gia|mat gi|tra gi|dong gi|chi tra)\b")


def asks_money(entry: Any) -> bool:
    """True when the entry's own question asks about money (the VNeID fee, postage, the 0-đồng fee)."""
    return bool(_ASKS_MONEY.search(fold(getattr(entry, "question", ""))))


def money_unasked(message: str, entry: Any, context: str | None = None) -> bool:
    """True when the entry asks about money (:func:`asks_money`) and neither the message nor the question
    before it names any: an entry is not chosen for a word it shares with the message ("tài khoản bị khóa,
    giờ mở thế nào" is not the fee of unlocking; "kết quả gửi về nhà hay phải lên lấy" is not who pays the
    postage)."""
    return asks_money(entry) and not _NAMES_MONEY.search(fold(f"{context or ''} {message}"))


# --------------------------------------------------------------------------- choice


#: the last asking clause is compared on its own when it names at least this many content words ("giờ tôi
#: khóa tài khoản ngay thế nào được" after a story of a lost phone)
MIN_CLAUSE_WORDS = 2


def last_asking_clause(text: str) -> str | None:
    """The message's last asking clause (its only one for a one-clause message) without its purpose or
    reason tail, when it names :data:`MIN_CLAUSE_WORDS` content words itself, else None."""
    parts = clauses(text)
    last = next((p for p in reversed(parts) if _is_asking(p)), None)
    if last is None:
        return None
    last = without_purpose(last)
    return last if len(content_words(last)) >= MIN_CLAUSE_WORDS else None


def _texts(message: str, reduced: bool) -> list[tuple[str, float]]:
    """The texts an entry may cover, each with the coverage it needs: the message and its question part
    :data:`MIN_COVERAGE`; with ``reduced``, also the question part without why-tails and the last asking
    clause, all of their words, since a few words alone are easily matched in part."""
    out = {fold(message): (message, MIN_COVERAGE)}
    part = question_part(message)
    out.setdefault(fold(part), (part, MIN_COVERAGE))
    if reduced:
        for text in (question_part(message, cut=True), last_asking_clause(message)):
            if text is not None:
                out.setdefault(fold(text), (text, FULL_COVERAGE))
    return list(out.values())


#: the coverage a reduced text (:func:`last_asking_clause`) needs
FULL_COVERAGE = 1.0


#: words that ask nothing on their own: acknowledgements, particles, a rating (folded)
_NOTHING_ASKED = frozenset("ok oke okay u uh um vang da a a nhe nha nhi roi duoc dc thoi sao hi hj".split())


def asks_nothing(message: str) -> bool:
    """True when ``message`` is only acknowledgements, particles or a short number ("ok", "3 sao", "ừ")."""
    words = fold(message).split()
    return all(w in _NOTHING_ASKED or (w.isdigit() and len(w) <= 2) for w in words)


def best_entry(message: str, entries: Iterable[Any], context: str | None = None,
               topic: str | None = None, similarity: Any = None) -> Any | None:
    """Among the entries covering at least :data:`MIN_COVERAGE` of ``message`` or of its question part
    (question, paraphrases and answer) and not asking its opposite: one asking the same way (unlock for
    "mở lại") first; then the one whose own question matches best; then the best covered; then, for a
    short follow-up, the one closest to the ``context`` (the question answered before); then, between
    dated rules only, the newer; then the one asked with the message's aspect (:func:`asks_same_aspect`);
    then the one whose own question covers most (:func:`headline_coverage`); then the one whose own
    questions name the message's rarest words (:func:`distinctive_match`); then, when the words tie, the
    meaning (``similarity(message, entry)``, e5, when given: "vào được rồi thì nộp hồ sơ làm sao" shares its
    three words with every filing entry); then the search order. None
    when no entry covers enough. When none covers the whole, an entry of ``topic`` (the FAQ category the
    NLU read) may cover the request core alone, fully (:func:`_texts`): a story's words do not count
    against it, within the topic asked.

    Several close entries often pass the coverage check because their answers mention each other's
    words ("miễn lệ phí" in the online-submission answers); the entry's own question is what tells
    "Hà Nội nhận hết thủ tục qua mạng?" (all online) from "nộp online có miễn phí?" (zero fee)."""
    entries = list(entries)
    whole = _texts(message, False)
    texts = {False: whole, True: _texts(message, True)[len(whole):]}  # the reduced texts only
    if not context and asks_nothing(message):
        return None  # "ok", "2 sao" with no topic before: nothing asked, so no entry answers it
    known = set().union(*(_question_words(e) for e in entries)) if entries else set()
    scored = _scored(message, entries, lambda _e: texts[False], context, known)
    if not scored and topic is not None:  # nothing covers the whole: the request core, within the topic
        scored = _scored(message, entries, lambda e: texts[True] if getattr(e, "category", None) == topic else [],
                         context, known)
    if not scored:
        return None
    top = max(key for key, _i, _e in scored)
    tied = [(i, e) for key, i, e in scored if key == top]
    if len(tied) > 1 and all(_since(e) is not None for _i, e in tied):
        # two dated rules that answer the words equally (26.000 đồng per delivery since 2024, 100 % of the
        # postage since 1/1/2026): the one in force most recently is what applies today; rules of the same
        # day (two entries of the 1/7/2025 reform) are told apart by what they are asked, below
        newest = max(_since(e) for _i, e in tied)
        tied = [(i, e) for i, e in tied if _since(e) == newest]
    def meaning(entry: Any) -> float:
        return round(float(similarity(message, entry)), 6) if similarity is not None and len(tied) > 1 else 0.0

    rivals = [e for _i, e in tied]
    return max(tied, key=lambda t: (asks_same_aspect(message, t[1]), round(headline_coverage(message, t[1]), 6),
                                    round(distinctive_match(message, t[1], rivals), 6), meaning(t[1]), t[0]))[1]


def _scored(message: str, entries: list[Any], texts_of: Any, context: str | None,
            known: set[str]) -> list[tuple[tuple[Any, ...], int, Any]]:
    """``(key, -position, entry)`` of each entry that covers enough of one of its texts (``texts_of(entry)``:
    ``(text, coverage needed)`` pairs) and does not ask the message's opposite."""
    asked = polarity(message)
    scored = []
    for i, entry in enumerate(entries):
        if opposite(message, entry) or money_unasked(message, entry, context):
            continue
        fits = [(round(question_coverage(t, entry, known), 6), round(full, 6))
                for t, needed in texts_of(entry) if (full := coverage(t, entry, known)) >= needed - 1e-9]
        if not fits:
            continue
        near = coverage(context, entry, known) if context else 0.0
        same_way = bool(asked) and polarity(getattr(entry, "question", "")) == asked  # "mở lại": the unlock entry
        # between entries that fit the asking part equally, the one that also covers the story's conditions
        # ("vẫn dùng chứng minh thư 9 số, …, có đăng ký định danh mức 2 được không": the no-chip-card entry)
        whole = (round(question_coverage(message, entry, known), 6), round(coverage(message, entry, known), 6))
        scored.append(((same_way, *max(fits), *whole, round(near, 6)), -i, entry))
    return scored


#: aspects asked in the generic way almost every FAQ question is asked ("thế nào", "làm sao"), or named by
#: the FAQ's own topic ("qua mạng", "trực tuyến": every filing and paying entry): sharing one tells no entry
#: apart ("nộp hồ sơ làm sao" is not the supplement entry for its "phải làm sao"; "chữ ký số … qua mạng, có bù
#: tiền không" is not the postage entry for its "nộp hồ sơ trực tuyến")
GENERIC_ASPECTS = frozenset({"steps", "result", "online"})


def asks_same_aspect(message: str, entry: Any) -> bool:
    """The message asks an aspect (how long, how much, where ...) the entry is asked with ("định danh mức 2
    bao lâu thì kích hoạt" is the how-long entry, although the activation entry shares its words)."""
    from knowledge_base.aspects import detect_aspect

    asked = detect_aspect(message)
    return asked is not None and asked not in GENERIC_ASPECTS and any(detect_aspect(t) == asked
                                     for t in (getattr(entry, "question", ""), *getattr(entry, "paraphrases", ())))


def headline_coverage(message: str, entry: Any) -> float:
    """Share of the message's content words in the entry's own question (not its paraphrases): between
    entries that cover a message equally, the one whose headline asks it ("chuyển khoản qua ngân hàng
    được không" is the bank-transfer question, although the paid-but-unpaid entry names banks too)."""
    words = content_words(message)
    return len(words & set(tokens(getattr(entry, "question", "")))) / len(words) if words else 0.0


def _since(entry: Any) -> dt.date | None:
    """The day the entry's rule took effect (None for an undated entry)."""
    start = getattr(entry, "valid_from", None)
    return start if isinstance(start, dt.date) else None


# --------------------------------------------------------------------------- the search's clear lead


#: how far the first FAQ hit's hybrid score must lead the second for the search to overrule the words
SEARCH_LEAD = 0.15
#: the share of the message's (or its question part's) content words the leading entry must still cover
LEAD_MIN_COVERAGE = 0.5
#: how much lower the leading entry's meaning similarity may be than the word-chosen entry's
SIMILARITY_SLACK = 0.0
#: the lead enough when the word check chose nothing and the first hit is of the topic the NLU read
#: (two signals agree on the topic: the alternative is "no information", not another entry)
TOPIC_LEAD = 0.05


def search_lead_entry(message: str, chosen: Any | None, hits: Sequence[tuple[Any, float]],
                      similarity: Any, topic: str | None = None) -> Any | None:
    """The first search hit instead of the word-chosen ``chosen`` (which may be None) when the search is
    sure and the meaning agrees; else ``chosen``.

    Citizens word FAQ questions in ways no paraphrase foresaw ("không nhân được mã otp … dù đã bấm gửi lai
    nhiều lần", "gửi bản gốc bằng cách nào"): the word check (:func:`best_entry`) then finds too few of the
    message's words in the right entry and answers nothing, or an entry whose answer happens to name more of
    them (forgot passcode). The hybrid search (embeddings and BM25) had the right entry first, far ahead. So
    the first hit ``hits[0]`` (``(entry, score)`` pairs in search order) is given when:

    - it leads the second hit by :data:`SEARCH_LEAD` (a clear first, not a near tie);
    - it still covers :data:`LEAD_MIN_COVERAGE` of the message or its question part and does not ask the
      opposite (:func:`opposite`): the words stay a guard against a misroute;
    - the embedding similarity of the message to its question and paraphrases (``similarity(message,
      entry)``, e5) is not below that of ``chosen`` (by more than :data:`SIMILARITY_SLACK`): when the words
      chose another entry, the meaning must agree with the search ("bắt buộc nộp ở chi nhánh Gia Lâm" keeps
      the branch-rule entry although the all-online entry leads the search).

    When the words chose nothing and the first hit is of ``topic`` (the FAQ category the NLU read), a lead
    of :data:`TOPIC_LEAD` is enough if the meaning agrees: its similarity is the best of ``hits`` (a story
    around the question, "cô giáo bảo làm định danh cho con …", covers few of the entry's words).
    """
    if len(hits) < 2:
        return chosen
    (lead, score), (_second, next_score) = hits[0], hits[1]
    if lead is None or (chosen is not None and getattr(chosen, "id", chosen) == getattr(lead, "id", lead)):
        return chosen
    in_topic = chosen is None and topic is not None and getattr(lead, "category", None) == topic
    if score - next_score < (TOPIC_LEAD if in_topic else SEARCH_LEAD) - 1e-9 or opposite(message, lead) or \
            money_unasked(message, lead):
        return chosen
    if score - next_score < SEARCH_LEAD - 1e-9 and any(
            similarity(message, rival) > similarity(message, lead) + 1e-9 for rival, _ in hits[1:] if rival is not None):
        return chosen
    part = question_part(message)
    if max(coverage(message, lead), coverage(part, lead)) < LEAD_MIN_COVERAGE - 1e-9:
        return chosen
    if chosen is not None and similarity(message, lead) < similarity(message, chosen) - SIMILARITY_SLACK - 1e-9:
        return chosen
    if chosen is not None and asks_request_better(part, chosen, lead):
        return chosen  # the chosen entry's own question asks the request; the lead's only resembles it
    return lead


def asks_request_better(part: str, entry: Any, other: Any) -> bool:
    """``entry``'s own question and paraphrases name every content word of the request ``part`` (a few words
    at least, :data:`MIN_CLAUSE_WORDS`) and ``other``'s do not: "nộp hồ sơ qua mạng thì vào trang web nào" is
    asked by the portal entry ("… trên trang web nào?"), whatever a close paraphrase of the how-to-file entry
    makes the search prefer. Only a whole match: a partial one is what the search lead exists to overrule."""
    if len(content_words(part)) < MIN_CLAUSE_WORDS:
        return False
    return question_coverage(part, entry) >= FULL_COVERAGE - 1e-9 > question_coverage(part, other)
