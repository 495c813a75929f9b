"""Citizen vocabulary: everyday and old names of procedures ("tách khẩu", "giấy chứng tử",
"sang tên sổ đỏ") → the procedure, and the request inside a long message.

Data: ``data/vocabulary/citizen_terms.yml`` and ``everyday_<area>.yml`` (each term with its source; provenance in
``data/vocabulary/PROVENANCE.md``). Terms match whole words, accent- and teencode-insensitively
(:func:`dvcbot.textnorm.fold`), longest first. Used by the NLU service (a procedure entity and the
search query) and by the procedure action (a term without a catalogue procedure gets its own
honest answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import yaml

from dvcbot.settings import get_settings
from dvcbot.textnorm import clean, fold, normalize, one_edit_apart, strip_accents, tone_key
from knowledge_base.emphasis import without_emphasis

#: a message longer than this (words) tells a story; the request is looked for in its sentences
LONG_MESSAGE_WORDS = 22
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+|,\s+(?=(?:em|cho|xin|vậy|thì|giờ|bây giờ|nhờ|hỏi|muốn)\b)", re.I)
_QUESTION = re.compile(
    r"\b(?:gi|nao|sao|dau|bao nhieu|bao lau|khong|chua|the nao|nhu nao|ra sao|lam sao|can|muon|hoi|"
    r"huong dan|thu tuc|lam|dang ky|cap|xin|nop)\b"
)


@dataclass(frozen=True)
class Term:
    term: str
    code: str | None = None
    answer: str | None = None
    note: str | None = None
    source: str = ""
    #: the term counts only when the message also has one of these (folded phrases): "nhập khẩu" is
    #: moving one's residence "cho con", "về nhà", and the import of goods otherwise
    with_any: tuple[str, ...] = ()
    #: ... and none of these ("nhập khẩu hàng hóa", "xuất nhập khẩu")
    not_with: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return fold(self.term)

    def fits(self, folded_text: str) -> bool:
        """Whether the context words of ``folded_text`` (padded with spaces) allow this term."""
        if self.with_any and not any(f" {w} " in folded_text for w in self.with_any):
            return False
        return not any(f" {w} " in folded_text for w in self.not_with)


def _phrases(values: Any) -> tuple[str, ...]:
    return tuple(fold(str(v)) for v in (values or ()) if fold(str(v)))


@lru_cache(maxsize=1)
def _vocabulary_file() -> dict[str, Any]:
    """``citizen_terms.yml`` as read once (terms, words, spellings, situations)."""
    path = get_settings().data_dir / "vocabulary" / "citizen_terms.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


#: more term files beside citizen_terms.yml, one per area (``everyday_<area>.yml``, a ``terms:`` list each)
EVERYDAY_FILES = "everyday_*.yml"


def term_entries() -> list[dict[str, Any]]:
    """Every term entry as written: citizen_terms.yml's, then each ``everyday_<area>.yml``'s."""
    folder = get_settings().data_dir / "vocabulary"
    entries = list(_vocabulary_file().get("terms", []) or [])
    for path in sorted(folder.glob(EVERYDAY_FILES)):
        entries += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms", []) or []
    return entries


def _joined_term(same: list[Term]) -> Term:
    """One term from its entries of the same meaning in several files: the first written, ruled out
    by any entry's ``not_with``, and needing context only if every entry does. (One word with two
    meanings, "tạm ngừng kinh doanh" of a shop or of a company, is two terms told apart by context.)"""
    first = same[0]
    if len(same) == 1:
        return first
    with_any = () if any(not t.with_any for t in same) else tuple(dict.fromkeys(w for t in same for w in t.with_any))
    not_with = tuple(dict.fromkeys(w for t in same for w in t.not_with))
    note = next((t.note for t in same if t.note), None)
    return replace(first, note=note, with_any=with_any, not_with=not_with)


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    by_key: dict[tuple[str, str | None, str | None], list[Term]] = {}
    for t in term_entries():
        term = Term(str(t["term"]), str(t["code"]) if t.get("code") else None,
                    " ".join(str(t["answer"]).split()) if t.get("answer") else None,
                    t.get("note"), str(t.get("source", "")), _phrases(t.get("with_any")), _phrases(t.get("not_with")))
        by_key.setdefault((term.key, term.code, term.answer), []).append(term)
    joined = [_joined_term(same) for same in by_key.values()]
    return tuple(sorted(joined, key=lambda t: len(t.key), reverse=True))


@dataclass(frozen=True)
class Word:
    """An everyday word for a catalogue word ("photo" → "bản sao"), not a procedure."""

    word: str
    means: str
    source: str = ""


@lru_cache(maxsize=1)
def words() -> tuple[Word, ...]:
    data = _vocabulary_file()
    return tuple(Word(str(w["word"]), str(w["means"]), str(w.get("source", ""))) for w in data.get("words", []) or [])


def catalogue_words(text: str) -> list[str]:
    """The catalogue wording of each everyday word in ``text`` (whole words, accent-insensitive)."""
    folded = f" {fold(text)} "
    return list(dict.fromkeys(w.means for w in words() if f" {fold(w.word)} " in folded))


#: a cue that sets aside what follows it in its clause ("hộ gia đình thôi chứ không lập công ty",
#: "không phải là doanh nghiệp"), folded: the citizen names what the request is NOT
_NEGATED = re.compile(r"\b(?:chu khong(?: phai)?(?: la)?|chu chang(?: phai)?|khong phai la|khong (?:thanh )?lap|"
                      r"khong mo|khong phai(?= (?:cong ty|doanh nghiep|hop tac xa|chi nhanh)\b))\b")
#: words that end a set-aside phrase ("không phải công ty mà là hộ kinh doanh")
_NEGATION_END = frozenset({"ma", "thi", "nhung", "con"})
#: at most this many words after a cue are set aside
MAX_NEGATED_WORDS = 4


def without_negated(text: str) -> str:
    """``fold(text)`` with the words a negation sets aside blanked ("#" each letter, same word
    count and lengths): "chứ không lập công ty" names no company. ``text`` as corrected."""
    folded = fold(text)
    words_out: list[str] = []
    for clause in _CLAUSE_SPLIT.split(normalize(text)):
        words_c = fold(clause).split()
        joined = " ".join(words_c)
        blank: set[int] = set()
        for m in _NEGATED.finditer(joined):
            first = joined[:m.end()].count(" ") + 1
            for i in range(first, min(first + MAX_NEGATED_WORDS, len(words_c))):
                if words_c[i] in _NEGATION_END:
                    break
                blank.add(i)
        words_out += ["#" * len(w) if i in blank else w for i, w in enumerate(words_c)]
    if len(words_out) != len(folded.split()):  # clauses folded apart differ from the whole: keep it
        return folded
    return " ".join(words_out)


def find_terms(text: str) -> list[Term]:
    """Terms occurring in ``text`` as whole words, longest first, without overlaps. A word typed
    with diacritics must have the term's ("công ty bảo tự nộp" has no "báo tử"). Words a negation
    sets aside (:func:`without_negated`) name nothing."""
    corrected = correct_spelling(text)
    folded = f" {without_negated(corrected)} "
    context = folded
    typed = _WORD_RE.findall(normalize(corrected))
    found: list[Term] = []
    for t in terms():
        pos = folded.find(f" {t.key} ")
        if pos < 0 or not t.fits(context):
            continue
        start = folded[:pos + 1].count(" ") - 1  # index of the term's first word in the message
        if not same_words(typed[start:start + len(t.key.split())], _WORD_RE.findall(normalize(t.term))):
            continue
        folded = folded[:pos] + " " + re.sub(r"\S", "#", t.key) + " " + folded[pos + len(t.key) + 2:]  # same words
        found.append(t)
    return found


def same_words(typed: list[str], term: list[str]) -> bool:
    """Whether the words ``typed`` in a message can be the ``term``'s words: one typed without
    diacritics may be any of them, one typed with diacritics must be the term's ("bảo tự" is no
    "báo tử", "khai tu" may be "khai tử"). Unequal lengths (a word expanded) are not compared."""
    if len(typed) != len(term):
        return True
    for said, meant in zip(typed, term, strict=True):
        if strip_accents(said) == said.lower() or strip_accents(meant) == meant.lower():
            continue
        if tone_key(said) != tone_key(meant):
            return False
    return True


def find_term(text: str) -> Term | None:
    """The term ``text`` asks about: the first of :func:`find_terms`, but in a story-first message
    the first one of its asking part (:func:`request_part`): "đã làm hợp đồng tặng cho ở công chứng
    rồi, giờ sang tên sổ đỏ thì làm gì" asks the transfer, the contract is what was done before.
    The terms' context words are read in the whole message."""
    found = asked_terms(text)
    if len(found) > 1 and is_long(text):
        if (asked := _asked_in_question(text, found)) is not None:
            return asked
        done = " ".join(f" {fold(correct_spelling(c))} " for c in done_clauses(text))
        return next((t for t in found if f" {t.key} " not in done), found[0])
    return found[0] if found else None


#: words that make a sentence a question (folded): "thì làm thế nào", "ở đâu", "có được không"
_INTERROGATIVE = re.compile(r"\b(?:the nao|lam sao|ra sao|o dau|gi|bao nhieu|bao lau|khong|chua|nao|dau)\b")


def question_sentence(text: str) -> str | None:
    """The last sentence of a story ``text`` that asks a question (a question mark or a question word),
    or None: "Bác tôi mất đã lâu... Nay làm thủ tục chia thừa kế... Bây giờ khai tử muộn thì làm thế nào?"
    asks in its last sentence; the sentences before tell the story."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    asking = [s for s in sentences if s.endswith("?") or _INTERROGATIVE.search(fold(s))]
    return asking[-1] if asking else None


def _asked_in_question(text: str, found: list[Term]) -> Term | None:
    """The first of the terms ``found`` that the question sentence of ``text`` names, when it names
    one and the message has other sentences (the request clause outweighs the story's nouns)."""
    question = question_sentence(text)
    if question is None or fold(question) == fold(text):
        return None
    folded = f" {fold(correct_spelling(question))} "
    return next((t for t in found if f" {t.key} " in folded), None)


def asked_terms(text: str) -> list[Term]:
    """:func:`find_terms` without those of the reasons the message gives (:func:`reason_clauses`): "đổi
    căn cước cho tôi vì chuyển hộ khẩu sang quận khác" asks the card, the move is why. A term only in a
    reason is kept when the rest of the message names nothing of its own ("vì chuyển hộ khẩu thì sao")."""
    found = find_terms(text)
    aside = _aside_reasons(text, found)
    return [t for t in found if not any(f" {t.key} " in f" {fold(correct_spelling(r))} " for r in aside)]


def without_aside_reasons(text: str) -> str:
    """``text`` (normalized) without the reasons whose terms :func:`asked_terms` sets aside: the search
    looks for what is asked, not for the procedure the reason names; ``text`` itself when there is none."""
    aside = _aside_reasons(text, find_terms(text))
    if not aside:
        return text
    rest = normalize(text)
    for reason in aside:
        rest = rest.replace(reason, " ")
    return " ".join(_REASON_WORD.sub(" ", rest).split())


def _aside_reasons(text: str, found: list[Term]) -> list[str]:
    """The reasons of ``text`` that hold one of the terms ``found``, when the rest names something of its own."""
    reasons = [r for r in reason_clauses(text)
               if any(f" {t.key} " in f" {fold(correct_spelling(r))} " for t in found)]
    if not reasons:
        return []
    rest = normalize(text)
    for reason in reasons:
        rest = rest.replace(reason, " ")
    own = set(fold(_REASON_WORD.sub(" ", rest)).split()) - _ASKING_WORDS - _VAGUE_WORDS
    return reasons if own else []


#: a clause that gives the reason of the request ("đổi căn cước cho tôi vì chuyển hộ khẩu sang quận khác",
#: "làm lại căn cước do đã chuyển thường trú"): from its reason word to the end of the clause or to the
#: "nên"/"thì" that goes on to the request. "tự do", "lý do", "vì sao", "vì vậy", "do đó" are no reason given
_REASON = re.compile(r"(?<!\w)(?<!tự )(?<!lý )(?<!lí )(?:vì|bởi|tại vì|do)\s+(?!(?:sao|thế|vậy|đó|dự)(?!\w))"
                     r"(.+?)(?=[.,;!?]|(?<!\w)(?:nên|thì)(?!\w)|$)", re.I)
#: ... typed without diacritics, "vi" is "vì" unless it is a word's half ("vi phạm", "hành vi", "vi bằng")
_REASON_BARE = re.compile(
    r"(?<!\w)(?<!hanh )(?<!lap )(?<!tu )(?<!ly )(?<!li )(?:vi|boi|tai vi|do)\s+"
    r"(?!(?:pham|bang|tinh|khuan|mo|deo|sao|the|vay|do|du)\b)"
    r"(.+?)(?=[.,;!?]|(?<!\w)(?:nen|thi)(?!\w)|$)", re.I)
#: the reason words themselves, left with the rest of the message
_REASON_WORD = re.compile(r"(?<!\w)(?:vì|bởi|tại|do|vi|boi|tai)(?!\w)", re.I)


def reason_clauses(text: str) -> list[str]:
    """The reasons ``text`` gives for its request (see :data:`_REASON`), the reason words left out,
    as they stand in ``normalize(text)``."""
    said = normalize(text)
    typed = clean(text)
    pattern = _REASON_BARE if strip_accents(typed) == typed else _REASON
    return [m.group(1).strip() for m in pattern.finditer(said)]


#: a clause that tells something already done ("đã làm hợp đồng tặng cho ở công chứng rồi", "công
#: chứng xong"): a story's step, not the request; "chưa" negates it ("rồi mà chưa làm khai sinh")
_DONE = re.compile(r"(?<!\w)(?:đã|rồi|xong|xong xuôi)(?!\w)", re.I)
_NOT_DONE = re.compile(r"(?<!\w)chưa(?!\w)", re.I)
_CLAUSE_SPLIT = re.compile(r"[.,;!?]+|\n+")


def done_clauses(text: str) -> list[str]:
    """The clauses of a story ``text`` that tell what was already done (see :data:`_DONE`)."""
    return [c for c in _CLAUSE_SPLIT.split(normalize(text)) if _DONE.search(c) and not _NOT_DONE.search(c)]


def is_long(text: str) -> bool:
    """A message that tells a story before its question."""
    return len(fold(text).split()) > LONG_MESSAGE_WORDS


#: a sentence that points back at a paper or a procedure named before it ("xin giấy này ở đâu",
#: "làm cái đó thế nào", "thủ tục trên"), folded
_BACK_REFERENCE = re.compile(
    r"\b(?:giay|to|so|the|thu tuc|viec|cai|loai|no)(?: (?:gi|to|do|nay))? (?:nay|do|ay|kia|tren|vua roi|noi tren)\b")


#: ... or names a procedure's verb and points back right before its question ("thủ tục đăng ký đó thế
#: nào", "thủ tục kê khai đó làm ra sao", "làm việc chứng thực ấy ở đâu"), folded
_BACK_REFERENCE_ASKED = re.compile(
    r"\b(?:thu tuc|viec|cai|giay|loai)(?: \w+){1,3} (?:nay|do|ay|kia|tren) (?:thi |la |co phai )?"
    r"(?:the nao|lam the nao|nhu the nao|lam sao|ra sao|o dau|can gi|can nhung gi|mat bao lau|bao lau|"
    r"bao nhieu|gom nhung gi|gom gi)\b")


def refers_back(sentence: str) -> bool:
    """True when ``sentence`` names its paper or procedure only by pointing back ("giấy này",
    "thủ tục đăng ký đó thế nào")."""
    folded = fold(sentence)
    return bool(_BACK_REFERENCE.search(folded) or _BACK_REFERENCE_ASKED.search(folded))


#: words of an asking sentence that name no paper or procedure besides :data:`_ASKING_WORDS` (folded):
#: "chưa làm bao giờ nên không biết làm ở đâu, làm online được không"
_VAGUE_WORDS = frozenset("chua bao gio nen biet online truc tuyen qua mang ha oi nua vay day do cach ra".split())


def names_nothing(sentence: str) -> bool:
    """True when an asking ``sentence`` names nothing of its own ("Làm ở đâu hả cô?", "em chưa làm
    bao giờ, làm online được không"): what it asks about is in the sentence before it."""
    return len(set(fold(sentence).split()) - _ASKING_WORDS - _VAGUE_WORDS) < MIN_CLAUSE_NAMING


def request_part(text: str) -> str:
    """The part of a long message that asks something: the sentences with a request or a question
    word, the last ones first; short messages are returned unchanged. An asking sentence that
    points back ("Cô xin giấy này ở đâu?") or names nothing ("Làm ở đâu hả cô?") keeps the sentence
    before it, which names the paper."""
    if not is_long(text):
        return text
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    asking = [i for i, s in enumerate(sentences) if _QUESTION.search(fold(s))]
    if not asking:
        return text
    chosen = set(asking[-2:])
    pieces = {i: sentences[i] for i in chosen}
    for i in sorted(chosen):
        if i > 0 and i - 1 not in chosen:
            if refers_back(sentences[i]):
                pieces[i - 1] = sentences[i - 1]
            elif names_nothing(sentences[i]):
                pieces[i - 1] = required_part(sentences[i - 1])
    part = " ".join(pieces[i] for i in sorted(pieces))
    return part if len(fold(part).split()) >= 3 else text


#: a clause that says what someone requires ("người ta bảo phải chứng thực chữ ký", "trường yêu cầu
#: phải có phiếu lý lịch tư pháp"), folded
_REQUIRED = re.compile(r"\b(?:phai|yeu cau|bat buoc|doi hoi)\b")


def required_part(sentence: str) -> str:
    """The part of a story ``sentence`` a question that names nothing ("Làm ở đâu?") is about: from
    its clause that says what is required ("..., người ta bảo phải chứng thực chữ ký"), or all of it
    when none does (what the citizen did before, "viết giấy ủy quyền", is not what is asked)."""
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
    for n, clause in enumerate(clauses):
        if _REQUIRED.search(fold(clause)) and not names_nothing(clause):
            return " ".join(clauses[n:])
    return sentence


#: a clause of a long message that asks for a procedure (accent-folded, teencode expanded)
_REQUEST_CUE = re.compile(
    r"\b(?:can gi|can nhung|can giay to|giay to gi|mang theo|mang gi|lam the nao|lam sao|nhu the nao|o dau|thu tuc|"
    r"xin|huong dan|muon (?:lam|dang ky|cap|doi|xin|nop|chuyen|tach))\b"
)
_CLAUSE = re.compile(r"(?<=[.!?;,])\s+|\n+")
#: a request clause shorter than this (folded words) names nothing to search for
MIN_CLAUSE_WORDS = 3
#: ... and so does one with fewer words than this besides the asking ones ("mình muốn làm lại")
MIN_CLAUSE_NAMING = 2
#: the words that only ask, address, refer or name an aspect (folded): "mất bao nhiêu tiền"
_ASKING_WORDS = frozenset(
    "toi minh em anh chi ban co chu bac ong ba chau ad muon lam lai the nao sao can gi thu tuc xin huong dan o dau "
    "cho hoi duoc khong a nhe thi ma va roi gio vay phai nhu bao nhieu lau nhung mang theo di den nop to "
    "mat tien le phi ngay thoi gian ket qua".split()
)


def request_clauses(text: str) -> list[str]:
    """The clauses of a long message that carry a request cue ("cần gì", "làm thế nào", "ở đâu",
    "thủ tục", "xin", "muốn làm/đăng ký/cấp/đổi") and name their own subject (no "giấy này"), in
    order; [] for a short message."""
    if not is_long(text):
        return []
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    out: list[str] = []
    for sentence in sentences:
        for clause in _joined_lists([c.strip(" ,.;:!?-") for c in _CLAUSE.split(sentence)]):
            folded = fold(clause)
            # "thủ tục này làm thế nào" names nothing of its own: searched alone, it finds anything
            # a clause that names only a paper the citizen has ("không có giấy gì ngoài giấy khai sinh") asks nothing
            naming = set(fold(without_possessed(clause)).split()) - _ASKING_WORDS
            if (len(folded.split()) >= MIN_CLAUSE_WORDS and _REQUEST_CUE.search(folded) and not refers_back(clause)
                    and len(naming) >= MIN_CLAUSE_NAMING):
                out.append(clause)
    return out


#: a request clause agrees with the whole message when their first this many procedures share one
SUPPORT_TOP = 3


#: a clause that goes on with the list its predecessor starts ("muốn làm khai sinh, nhập khẩu và thẻ
#: bảo hiểm y tế cho bé"): it has a list word and no request cue of its own
_LIST_WORD = re.compile(r"\b(?:va|voi|hoac|cung|ca)\b")


def _joined_lists(clauses: list[str]) -> list[str]:
    """``clauses`` with each one that continues a list joined to the one before it: the request is
    the whole list, not its first item."""
    out: list[str] = []
    for clause in clauses:
        folded = fold(clause)
        if out and _LIST_WORD.search(folded) and not _REQUEST_CUE.search(folded):
            out[-1] = f"{out[-1]}, {clause}"
        else:
            out.append(clause)
    return out


def best_supported(clause_tops: list[list[str]], whole: list[str], k: int = 5) -> str | None:
    """The procedure a long message asks about, or None (then the usual search stands).

    ``clause_tops``: for each request clause, its search ranking (codes, best first); ``whole``: the
    ranking of the whole message. A code counts when it is first in a request clause AND the whole
    message agrees on the subject: the code is among its top ``k``, or the clause's first
    :data:`SUPPORT_TOP` and the whole's share a procedure (a clause alone can match something the
    story is not about; the story's words can push the variant asked about out of the whole's list:
    "chưa đăng ký kết hôn ... muốn làm thủ tục nhận con"). Among those, the one first in the most
    clauses wins, then the one ranked higher for the whole."""
    top_k = whole[:k]
    votes: dict[str, int] = {}
    for ranking in clause_tops:
        if ranking and (ranking[0] in top_k or set(ranking[:SUPPORT_TOP]) & set(whole[:SUPPORT_TOP])):
            votes[ranking[0]] = votes.get(ranking[0], 0) + 1
    if not votes:
        return None
    return min(votes, key=lambda code: (-votes[code], top_k.index(code) if code in top_k else len(top_k)))


# --- what a long message's request asks for -----------------------------------------------------
#: a paper the citizen says they have, not the one asked for ("em không có giấy tờ gì ngoài giấy khai
#: sinh", "chỉ có sổ hộ khẩu cũ"): folded, up to the end of its clause
_POSSESSED = re.compile(r"\b(?:ngoai|chi co|co moi|moi co|chi mang|chi con)(?: (?:cai|mot|to|quyen|ban))?"
                        r" (?:giay|so|the|ban|hoc ba|bang)\b[^,.;!?]*")
#: the head nouns a request may use alone for a paper the story named in full ("chưa có thẻ căn
#: cước ... làm thẻ lần đầu ở đâu"): folded
_HEAD_NOUNS = ("the", "so", "bang")
#: words that end the full name of a paper in the story (folded)
_NAME_END = frozenset(
    "vi de va thi ma nen nhung o tai cua cho tu den roi da la khi nay do lan dau gi nao bi duoc khong co moi cu "
    "em toi minh anh chi a".split())
#: how many words after the head noun the story's full name may have
MAX_COMPLETION_WORDS = 3


def without_possessed(text: str) -> str:
    """``text`` without the papers the citizen says they have ("ngoài giấy khai sinh"): the procedure
    of such a paper is not the one asked for. Unchanged when it names none."""
    bare = strip_accents(text.lower())
    if len(bare) != len(text):  # folding changed the length: leave the text as it is
        return text
    spans = [m.span() for m in _POSSESSED.finditer(bare)]
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def story_completions(text: str, part: str) -> list[str]:
    """The full names a long message's story gives the head nouns its request ``part`` uses alone:
    "chưa có thẻ căn cước vì đi học xa ... làm thẻ lần đầu ở đâu" → ["thẻ căn cước"]. A head noun
    the part itself names in full ("làm thẻ căn cước") needs none."""
    asked = fold(part).split()
    story = fold(text).split()
    out: list[str] = []
    for noun in _HEAD_NOUNS:
        alone = [i for i, w in enumerate(asked) if w == noun and (i + 1 >= len(asked) or asked[i + 1] in _NAME_END)]
        if not alone:
            continue
        for i, w in enumerate(story):
            if w != noun:
                continue
            name = []
            for nxt in story[i + 1: i + 1 + MAX_COMPLETION_WORDS]:
                if nxt in _NAME_END:
                    break
                name.append(nxt)
            if name:
                out.append(_as_written(text, " ".join([noun, *name])))
                break
    return out


#: a request verb done to a paper ("đi đổi ở đâu", "làm lại mất bao lâu", "gia hạn thế nào"), lower case as
#: typed: "đổi" with diacritics is not "đợi" (wait) or "đời", which fold alike
_PAPER_ACTION = re.compile(r"(?<!\w)(?:đổi|doi|cấp lại|cap lai|làm lại|lam lai|gia hạn|gia han)(?!\w)")


def story_paper(text: str, part: str) -> list[str]:
    """The paper a long message's story names when its request ``part`` asks to act on a paper without
    naming any ("đang dùng bằng lái ô tô hạng B2 ... có phải thi lại không hay chỉ cần đi đổi, và đổi
    ở đâu?" → ["bằng lái ô tô"]): the first head noun of the story with its name. [] when the part
    names a paper itself (a head noun, a kind, an everyday paper word) or acts on none."""
    asked = fold(part).split()
    if (any(noun in asked for noun in _HEAD_NOUNS) or kinds_in(part) or catalogue_words(part)
            or not _PAPER_ACTION.search(part.lower())):
        return []
    story = fold(text).split()
    for i, w in enumerate(story):
        if w not in _HEAD_NOUNS:
            continue
        name = []
        for nxt in story[i + 1: i + 1 + MAX_COMPLETION_WORDS]:
            if nxt in _NAME_END or nxt.isdigit():
                break
            name.append(nxt)
        if name:
            return [_as_written(text, " ".join([w, *name]))]
    return []


def _as_written(text: str, folded_phrase: str) -> str:
    """``folded_phrase`` as ``text`` writes it (with its diacritics), or itself when not found so."""
    bare = strip_accents(text.lower())
    m = re.search(rf"\b{re.escape(folded_phrase)}\b", bare)
    return text[m.start():m.end()] if m and len(bare) == len(text) else folded_phrase


def asked_subject(text: str) -> str:
    """What a long message asks for, for the search and for naming: its request part without the
    papers the citizen has, with the full names its story gives the head nouns it uses alone (or the
    paper its story names when the part acts on one it does not name: :func:`story_paper`). A short
    message is returned unchanged."""
    part = request_part(text)
    if not is_long(text):
        return part
    return " ".join([without_possessed(part), *story_completions(text, part), *story_paper(text, part)])


def expand_query(text: str, names: dict[str, str]) -> str:
    """The search query: the request part (misspellings corrected) plus the official name of each
    term it contains, the catalogue wording of its everyday words ("photo" → "bản sao") and the
    words of the situation it describes ("sổ hộ tịch cũng không còn" → "đăng ký lại")."""
    text = without_aside_reasons(correct_spelling(text))
    part = asked_subject(text)
    extra = [names[t.code] for t in find_terms(text) if t.code and t.code in names]
    extra += implied_words(text, part, searched=True)
    return " ".join([part, *extra]) if extra else part


def implied_words(text: str, part: str | None = None, searched: bool = False) -> list[str]:
    """The catalogue wording ``text`` implies without writing it: of its everyday words ("cà vẹt" →
    "chứng nhận đăng ký xe"; only those of ``part``, its request part, when given) and of the
    situation it describes ("thuê trọ ... công an phường" → "đăng ký tạm trú"; "ghi sai tên" names
    "cải chính" procedures). ``searched``: only the words added to the search query (a situation's
    ``adds``, not its ``implies``)."""
    words_of = catalogue_words(text if part is None else part)
    found = situations_in(text)
    return [*words_of, *(s.adds for s in found if s.adds), *([] if searched else (s.implies for s in found if s.implies))]


# --- misspellings ---------------------------------------------------------------------------------
# Citizens drop or double a letter ("thườg trú", "đăngg ký") and, in the North, mix up ch/tr, s/x,
# d/gi/r ("tạm chú", "khai xinh"). A dropped letter usually leaves a token that is no Vietnamese
# syllable at all: such a token is replaced by the catalogue word one edit away (the most used one).
# Sound-alike misspellings are real syllables, so they are listed in citizen_terms.yml (`spellings:`).

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_SYLLABLE = re.compile(rf"^{_ONSET}[aeiouy]{{1,3}}(?:ch|ng|nh|[cmnpt])?$")
#: a doubled letter ("khẩuu", "đăngg") makes no syllable ("oo" of "xoong", "boong" aside)
_DOUBLED = re.compile(r"([a-np-z])\1")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
#: a token shorter than this is left alone (too many words are one edit away from it)
MIN_TYPO_CHARS = 4
#: a correction must be a catalogue word used at least this often (in procedure names)
MIN_WORD_USES = 2


def is_syllable(word: str) -> bool:
    """Whether ``word`` could be one Vietnamese syllable (onset, vowels, final; tones ignored)."""
    bare = strip_accents(word.lower())
    return bool(_SYLLABLE.match(bare)) and not _DOUBLED.search(bare)


@lru_cache(maxsize=1)
def _name_texts() -> tuple[str, ...]:
    """The procedure names and the citizen terms: the texts the spelling corrector learns words from."""
    try:
        from knowledge_base.catalogue import load_catalogue

        names = [p.name for p in load_catalogue().values()]
    except Exception:  # the catalogue is optional here: no correction then
        names = []
    return (*names, *(t.term for t in terms()))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Words of the procedure names (lower case, with diacritics) → how many names use them."""
    counts: dict[str, int] = {}
    names = _name_texts()
    for name in names:
        for w in set(_WORD_RE.findall(clean(name))):
            if not w.isdigit():
                counts[w] = counts.get(w, 0) + 1
    return counts


#: letters of no Vietnamese word: a token with one is a loanword or chat word, never a misspelling
_FOREIGN_LETTERS = re.compile(r"[fjwz]")


@lru_cache(maxsize=1)
def loanwords() -> frozenset[str]:
    """Loanwords citizens type ("link", "app", "shop"): never corrected (``loanwords:`` of the file)."""
    return frozenset(str(w["word"]).lower() for w in _vocabulary_file().get("loanwords", []) or [])


def is_loanword(word: str) -> bool:
    """Whether ``word`` is a loanword or chat word rather than a misspelt Vietnamese word."""
    low = word.lower()
    return low in loanwords() or bool(_FOREIGN_LETTERS.search(strip_accents(low)))


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The catalogue word ``word`` misspells, or ``word`` itself (see the section comment)."""
    from dvcbot.textnorm import ABBREVIATIONS

    low = word.lower()
    if (len(low) < MIN_TYPO_CHARS or not low.isalpha() or is_syllable(low)
            or strip_accents(low) in ABBREVIATIONS or low in ABBREVIATIONS or is_loanword(low)):
        return word
    lex = lexicon()
    if low in lex:
        return word
    near = [w for w, n in lex.items() if n >= MIN_WORD_USES and one_edit_apart(low, w, swaps=False)]
    if not near:  # typed without (or with wrong) diacritics: compare accent-free
        bare = strip_accents(low)
        near = [w for w, n in lex.items() if n >= MIN_WORD_USES and one_edit_apart(bare, strip_accents(w), swaps=False)]
    if not near:
        return word
    # a dropped or doubled letter is the usual slip: a word of another length first, then the most used
    best = max(near, key=lambda w: (len(w) != len(low), lex[w], w))
    return strip_accents(best) if strip_accents(low) == low else best  # keep the message's own style


@dataclass(frozen=True)
class Spelling:
    """A sound-alike misspelling of catalogue words ("tạm chú" → "tạm trú")."""

    wrong: str
    right: str
    source: str = ""


@lru_cache(maxsize=1)
def spellings() -> tuple[Spelling, ...]:
    data = _vocabulary_file()
    return tuple(Spelling(str(s["wrong"]), str(s["right"]), str(s.get("source", "")))
                 for s in data.get("spellings", []) or [])


# --- slips into another real syllable ("kết hôm", "thường chú") ------------------------------------
# A slip that gives a real syllable passes :func:`correct_word`. It shows in its neighbour: "kết hôm"
# is no phrase of any procedure name while "kết hôn" is a frequent one. The second (or first) word of
# a pair the names never use is replaced by a word one alike final or onset away that makes a frequent
# pair of the names with the word before it, when the typed word is itself rarer in the names than
# that pair. Only the second word of a pair is corrected: the first is the anchor.

#: a corrected pair must occur in at least this many procedure names (or citizen terms)
MIN_PAIR_USES = 3
#: ... and a word whose tone mark was left out, in at least this many: "hộ chiếu" (22 names) corrects "hộ
#: chiêu", while "con dấu" (5) leaves the everyday "con dâu" and "qua đấu" the "qua đâu" alone
MIN_TONE_PAIR_USES = 10
#: onsets merged in speech and so in typing (Northern ch/tr, s/x); d/gi/r and l/n are left out: they
#: turn everyday words into others ("nào"/"lào", "giờ"/"dờ")
_ONSET_ALIKE = (("ch", "tr"), ("s", "x"))


def _onset_alike(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ only by a sound-alike onset ("chú"/"trú", "xinh"/"sinh")."""
    for x, y in _ONSET_ALIKE:
        for p, q in ((x, y), (y, x)):
            if a.startswith(p) and b.startswith(q) and a[len(p):] == b[len(q):] and a[len(p):]:
                return True
    return False


#: finals that sound alike or sit side by side on the keyboard ("hôm"/"hôn", "hông"/"hôn", "cướt"/"cước");
#: nh and ch are left out ("nhanh"/"nhan", "ánh"/"án" are both words)
_FINAL_ALIKE = (frozenset({"m", "n", "ng"}), frozenset({"c", "t"}))
_FINAL = re.compile(r"(ng|nh|ch|[mnct])$")


def _final_alike(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` (same tone) differ only by an alike final consonant or its absence."""
    fa, fb = _FINAL.search(a), _FINAL.search(b)
    sa, sb = a[:fa.start()] if fa else a, b[:fb.start()] if fb else b
    if sa != sb or not sa:
        return False
    ea, eb = fa.group() if fa else "", fb.group() if fb else ""
    return ea != eb and any(ea in g and eb in g for g in _FINAL_ALIKE)


#: diphthongs before a final glide that chat and speech shorten to their first vowel ("hộ chíu" for
#: "hộ chiếu", "mười" typed "mưi"): the long form → the short one (with and without vowel marks)
_DIPHTHONG_SHORT = (("iêu", "iu"), ("yêu", "yu"), ("ieu", "iu"), ("uôi", "ui"), ("ươi", "ưi"), ("uoi", "ui"))


def _diphthong_shortened(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with its diphthong shortened ("chiu"/"chiêu", "ngui"/"nguoi")."""
    return any(long in b and b.replace(long, short, 1) == a for long, short in _DIPHTHONG_SHORT)


def _slip(typed: str, word: str) -> bool:
    """Whether ``typed`` is a speech-like slip of ``word``, same tone: an alike final consonant, a
    sound-alike onset or a shortened diphthong. Another vowel or tone is never one: "tôi"/"tài",
    "bạn"/"bán", "bao"/"bảo" are both everyday words, which no pair statistics can tell apart."""
    (tb, tt), (wb, wt) = tone_key(typed), tone_key(word)
    return tb != wb and tt == wt and (_final_alike(tb, wb) or _onset_alike(tb, wb) or _diphthong_shortened(tb, wb))


#: the vowel marks a hurried typist leaves out (circumflex, breve, horn) → the bare vowel
_VOWEL_MARKS = str.maketrans("âăêôơư", "aaeoou")


def _mark_dropped(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with a vowel mark left out, its tone typed ("lao đọng" for "lao
    động", "hộ chiéu" for "hộ chiếu"): the same tone, the letters equal once the word's circumflex,
    breve and horn are taken off. Only a word typed with some diacritic counts (see :func:`_tone_dropped`)."""
    (tb, tt), (wb, wt) = tone_key(typed), tone_key(word)
    return (tb != wb and tt == wt and tb.translate(_VOWEL_MARKS) == tb and wb.translate(_VOWEL_MARKS) == tb
            and strip_accents(typed) != typed)


def _tone_dropped(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with its tone mark left out ("hộ chiêu" for "hộ chiếu", "cấp lai" for
    "cấp lại"): the same letters and vowel marks, no tone typed where the word has one. Only a word
    typed with its vowel marks counts ("chiêu", not "chieu": a word with none may be a message typed
    without diacritics, which the accent-free search already reads)."""
    (tb, tt), (wb, wt) = tone_key(typed), tone_key(word)
    return tb == wb and not tt and bool(wt) and strip_accents(typed) != typed


@lru_cache(maxsize=1)
def _pairs() -> dict[tuple[str, str], int]:
    """Adjacent word pairs of the procedure names and citizen terms (lower case, with diacritics, and
    accent-free) → how many names use them."""
    counts: dict[tuple[str, str], int] = {}
    names = _name_texts()
    for name in names:
        ws = [w for w in _WORD_RE.findall(clean(name).lower()) if not w.isdigit()]
        seen = {(a, b) for a, b in zip(ws, ws[1:], strict=False)}
        seen |= {(strip_accents(a), strip_accents(b)) for a, b in seen}
        for pair in seen:
            counts[pair] = counts.get(pair, 0) + 1
    return counts


def _pair_words(first: str) -> dict[str, int]:
    """The words that follow ``first`` in the names → how often (cached by :func:`_followers`)."""
    return _followers().get(first, {})


@lru_cache(maxsize=1)
def _followers() -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (a, b), n in _pairs().items():
        out.setdefault(a, {})[b] = n
    return out


@lru_cache(maxsize=1)
def _accent_free_uses() -> dict[str, int]:
    """:func:`lexicon` by accent-free word: the uses of every word written that way."""
    out: dict[str, int] = {}
    for w, n in lexicon().items():
        out[strip_accents(w)] = out.get(strip_accents(w), 0) + n
    return out


def _word_uses(word: str) -> int:
    lex = lexicon()
    if strip_accents(word) == word and word not in lex:  # typed without accents: every way of writing it
        return _accent_free_uses().get(word, 0)
    return lex.get(word, 0)


def _pair_fix(typed: str, options: dict[str, int]) -> str | None:
    """The word of ``options`` (words that pair with the neighbour → uses) that ``typed`` slips from."""
    if len(typed) < 2 or typed in options or not typed.isalpha():
        return None
    near = [(n, w) for w, n in options.items()
            if (n >= MIN_PAIR_USES and _slip(typed, w)) or (n >= MIN_TONE_PAIR_USES and (_tone_dropped(typed, w) or _mark_dropped(typed, w)))]
    if not near:
        return None
    uses, best = max(near)
    return best if _word_uses(typed) < uses else None


def correct_pairs(text: str) -> str:
    """``text`` with a word that slipped into another real syllable replaced, judged by its neighbour
    (see the section comment): "đăng kí kết hôm" → "đăng kí kết hôn"."""
    from dvcbot.textnorm import ABBREVIATIONS

    matches = list(_WORD_RE.finditer(text))
    words = [m.group().lower() for m in matches]
    fixed = list(words)
    pairs = _pairs()
    for i in range(len(words) - 1):
        a, b = fixed[i], words[i + 1]
        if (a, b) in pairs or b in ABBREVIATIONS or a in ABBREVIATIONS or is_loanword(b) or is_loanword(a):
            continue
        if (new := _pair_fix(b, _pair_words(a))) is not None:
            fixed[i + 1] = new
    if fixed == words:
        return text
    out, last = [], 0
    for m, old, new in zip(matches, words, fixed, strict=True):
        out.append(text[last:m.start()])
        out.append(m.group() if new == old else new)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def correct_spelling(text: str) -> str:
    """``text`` with misspelt words replaced: tokens that are no Vietnamese syllable by the catalogue
    word one edit away, a real syllable that makes no phrase with its neighbour by the one that makes
    a frequent one (:func:`correct_pairs`), sound-alike phrases of ``spellings:`` by their right form;
    the emphasis "hẳn" inside a phrase is left out (:func:`knowledge_base.emphasis.without_emphasis`)."""
    out = correct_pairs(_WORD_RE.sub(lambda m: correct_word(m.group()), without_emphasis(text)))
    for s in spellings():
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in s.wrong.split()) + r"(?!\w)"
        out = re.sub(pattern, s.right, out, flags=re.IGNORECASE)
        bare = strip_accents(s.wrong)
        if bare != s.wrong:  # typed without diacritics
            out = re.sub(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in bare.split()) + r"(?!\w)", s.right, out,
                         flags=re.IGNORECASE)
    return out


# --- situations -----------------------------------------------------------------------------------
# "lần đầu", "bị mất", "hết hạn", "sổ hộ tịch cũng không còn": the situation picks the variant of a
# procedure (first issue / re-issue / exchange / re-registration). Data: `situations:` of
# citizen_terms.yml, each with its legal source.


@dataclass(frozen=True)
class Situation:
    name: str
    #: the situation holds when the message has a phrase of each group (folded phrases)
    cues: tuple[tuple[str, ...], ...]
    #: words added to the search query ("đăng ký lại")
    adds: str = ""
    #: a candidate whose name has one of these is the one meant ...
    prefer: tuple[str, ...] = ()
    #: ... and one whose name has one of these is not
    avoid: tuple[str, ...] = ()
    source: str = ""
    #: phrases that contain a cue but are something else (folded): "Mỹ Đình" is a Hanoi ward, not "Mỹ"
    unless: tuple[str, ...] = ()
    #: when the situation does NOT hold, a candidate whose name has one of these is not meant: no
    #: foreign nationality named, so not the "có yếu tố nước ngoài" variant
    otherwise_avoid: tuple[str, ...] = ()
    #: the situation does not hold with one of these (folded): a birth with "thai sản" is about the
    #: mother's benefit, not the baby's papers
    not_with: tuple[str, ...] = ()

    #: words the message means without them being searched: "ghi sai tên" is about a "cải chính"
    implies: str = ""

    def holds(self, folded_text: str) -> bool:
        if any(f" {w} " in folded_text for w in self.not_with):
            return False
        for phrase in self.unless:
            folded_text = folded_text.replace(f" {phrase} ", " # ")
        return all(any(f" {c} " in folded_text for c in group) for group in self.cues)


def _joined(groups: Any) -> tuple[str, ...]:
    """``cues_joined``: a phrase of the first group right before one of the second ("người" +
    "hàn quốc" → "người hàn quốc"), folded."""
    if not groups:
        return ()
    first, second = (_phrases(g) for g in groups)
    return tuple(f"{a} {b}" for a in first for b in second)


@lru_cache(maxsize=1)
def situations() -> tuple[Situation, ...]:
    data = _vocabulary_file()
    out = []
    for s in data.get("situations", []) or []:
        if s.get("cues_all"):
            groups = tuple(_phrases(g) for g in s["cues_all"])
        else:
            groups = (_phrases(s.get("cues")) + _joined(s.get("cues_joined")),)
        out.append(Situation(str(s["name"]), groups, str(s.get("adds", "")),
                             _name_phrases(s.get("prefer")), _name_phrases(s.get("avoid")), str(s.get("source", "")),
                             _phrases(s.get("unless")), _name_phrases(s.get("otherwise_avoid")),
                             _phrases(s.get("not_with")), str(s.get("implies", ""))))
    return tuple(out)


#: "mất" of a time or a cost, folded ("làm mất mấy ngày", "mất bao lâu", "mất phí không", "mất 2 tuần"): no loss
_COST_MAT = re.compile(r"\bmat (?=(?:may|bao|phi|le phi|tien|thoi gian|nhieu|it|khoang|tam|chung|cong"
                       r"|\d+ ?(?:ngay|tuan|thang|nam|gio|nghin|ngan|trieu|k|d|dong))\b)")


def situations_in(text: str) -> list[Situation]:
    """The situations ``text`` describes, in the file's order (the more specific first); a "mất" of time or
    money (:data:`_COST_MAT`) tells no loss."""
    folded = f" {_COST_MAT.sub('### ', without_negated(correct_spelling(text)))} "
    return [s for s in situations() if s.holds(folded)]


@lru_cache(maxsize=1)
def kinds() -> tuple[tuple[str, str], ...]:
    """(folded paper word, the kind of paper it is) of ``kinds:`` in the vocabulary file."""
    return tuple((fold(str(k["word"])), str(k["kind"])) for k in _vocabulary_file().get("kinds", []) or [])


def kinds_in(text: str) -> list[str]:
    """The kinds of the papers ``text`` names ("giấy khai sinh" → "hộ tịch"), once each."""
    folded = f" {fold(text)} "
    return list(dict.fromkeys(kind for word, kind in kinds() if f" {word} " in folded))


def variant_phrases() -> tuple[str, ...]:
    """The name phrases that tell variants of one procedure apart ("cấp lại", "có yếu tố nước
    ngoài"): every situation's prefer, avoid and otherwise_avoid phrases, longest first."""
    phrases = {p for s in situations() for p in (*s.prefer, *s.avoid, *s.otherwise_avoid)}
    return tuple(sorted(phrases, key=len, reverse=True))


#: words that tell variants apart or say nothing of the subject, with diacritics (folded, "từ"
#: (from) and "tử" (death) are one word): :func:`_missing_subject` compares with diacritics
_VARIANT_WORDS_EXACT = frozenset(
    "cấp lại đổi mới đăng ký thủ tục cho của và thẻ người từ tại thực hiện ở bảo trình mất bản sao gia hạn "
    "điều chỉnh lần đầu trên dưới tuổi đủ 14 trường hợp với có không được là này khi nào gì đâu thì mà đã "
    "sẽ đang rồi muốn cần làm như sao đến về đi trở lên".split()
)
#: ... folded, without "trở lên" but with the pronouns ("mình" is no "thông minh")
_VARIANT_WORDS = frozenset(fold(w) for w in _VARIANT_WORDS_EXACT - {"trở", "lên"}) | frozenset(
    "minh toi em anh chi con".split())


def _name_phrases(values: Any) -> tuple[str, ...]:
    """Phrases matched against procedure names, which always have diacritics: kept with them, so
    "đổi" (exchange) never matches "đối với" (for)."""
    return tuple(" ".join(_WORD_RE.findall(clean(str(v)))) for v in (values or ()) if clean(str(v)))


def name_words(name: str) -> str:
    """A procedure name as its lower-case words with diacritics, padded with spaces."""
    return f" {' '.join(_WORD_RE.findall(clean(name)))} "


def ruled_out(text: str, name: str) -> bool:
    """True when a situation ``text`` describes avoids the procedure ``name`` (and does not prefer it):
    with the register lost, "Cấp bản sao Trích lục hộ tịch" cannot be what is meant, whatever word
    of the message named it."""
    return any(has_name_phrase(name, s.avoid) and not has_name_phrase(name, s.prefer) for s in situations_in(text))


def has_name_phrase(name: str, phrases: tuple[str, ...]) -> bool:
    """Whether the procedure ``name`` has one of ``phrases`` (see :func:`_name_phrases`) as whole words."""
    words = name_words(name)
    return any(f" {p} " in words for p in phrases)


def by_situation(text: str, candidates: list[Any], name_of: Any,
                 siblings: Callable[[Any, tuple[str, ...]], list[Any]] | None = None) -> list[Any]:
    """The ``candidates`` (best first) the situation of ``text`` leaves: those of a name it avoids
    are dropped (unless none would remain); when a situation prefers a variant, only the candidates
    of that variant, each other candidate replaced by its preferred variants (``siblings(candidate,
    phrases)``: the catalogue's procedures of the candidate's name with one of the phrases instead
    of its own variant words), so "thẻ căn cước bị rách" finds "Cấp đổi" when the search only
    brought "Cấp lại". Variants of a situation that does not hold are dropped too
    (``otherwise_avoid``). Unchanged when nothing applies."""
    found = situations_in(text)
    absent = [s for s in situations() if s.otherwise_avoid and s not in found]
    if not (found or absent) or not candidates:
        return candidates
    kept = list(candidates)
    said = " ".join([text, *implied_words(text)]) if found else text  # the message with the words it implies
    if found:
        # the situation picks a variant, never another subject: only the candidates that share a subject
        # word with the message ("hộ chiếu hết hạn" keeps passports, not "Đổi giấy phép lái xe")
        # (the words the situation implies and the kinds of papers named count as the message's: "thuê
        # trọ" is about "tạm trú", "giấy khai sinh" about "hộ tịch")
        asked = set(fold(" ".join([said, *kinds_in(text)])).split()) - _VARIANT_WORDS
        on_subject = [c for c in kept if asked & _subject_words(name_of(c))]
        kept = on_subject or kept
    for s in found:
        # a name with a phrase the situation prefers as well covers that variant too: "Cấp lại Giấy
        # chứng nhận ..., Cấp đổi sang ..." is not avoided as "cấp đổi" when the paper is lost
        rest = [c for c in kept if not has_name_phrase(name_of(c), s.avoid) or has_name_phrase(name_of(c), s.prefer)]
        if rest:
            kept = rest
    for s in absent:
        rest = [c for c in kept if not has_name_phrase(name_of(c), s.otherwise_avoid)]
        if rest:
            kept = rest
    for s in found:
        if not s.prefer:
            continue
        preferred = _unique([sib for c in kept for sib in _preferred(c, s.prefer, name_of, siblings)])
        if not preferred:
            continue
        # of the variants it prefers, none lacking more subject words of the message than the best
        # ranked one: "đăng ký lại khai sinh" and "đăng ký lại khai tử" are both re-registrations,
        # one is of a birth (the ranking stands: a name the message happens to cover is not promoted)
        missing = {id(c): _missing_subject(name_of(c), text, said) for c in preferred}
        preferred = [c for c in preferred if missing[id(c)] <= missing[id(preferred[0])]]
        if [c.code for c in preferred] != [c.code for c in kept]:
            return preferred
    return kept


def _preferred(candidate: Any, prefer: tuple[str, ...], name_of: Any,
               siblings: Callable[[Any, tuple[str, ...]], list[Any]] | None) -> list[Any]:
    """``[candidate]`` when its name has a ``prefer`` phrase, else its variants that do (in its place)."""
    if has_name_phrase(name_of(candidate), prefer):
        return [candidate]
    return siblings(candidate, prefer) if siblings is not None else []


def _unique(candidates: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.code not in seen:
            seen.add(c.code)
            out.append(c)
    return out


def _subject_words(name: str) -> set[str]:
    """The folded words of a procedure name that say what it is about (no variant or filler word)."""
    return set(fold(name).split()) - _VARIANT_WORDS


def _missing_subject(name: str, text: str, full: str) -> int:
    """How many subject words of the procedure ``name`` ``full`` (``text`` with the words it implies)
    lacks; compared with diacritics when the message has them."""
    if strip_accents(clean(text).lower()) == clean(text).lower():  # typed without diacritics
        return len(_subject_words(name) - set(fold(full).split()))
    said = set(_WORD_RE.findall(clean(full).lower()))
    return len(set(_WORD_RE.findall(clean(name).lower())) - _VARIANT_WORDS_EXACT - said)


# --- bundles --------------------------------------------------------------------------------------
#: words of a bundle's name that say nothing of what it bundles
_BUNDLE_STOP = frozenset(
    "lien thong cac thu tuc hanh chinh ve va cho doi voi thuc hien tai cap nguoi tre em duoi tren tuoi".split()
)
#: a bundle is meant when the message also names this many of the other words of its name
MIN_BUNDLE_WORDS = 3


#: a bundle ("Liên thông ...") is asked for when the message has this many words of its name
MIN_BUNDLE_ASKED = 5


def asks_bundle(name: str, text: str) -> bool:
    """False for a bundle of procedures ("Liên thông ... đăng ký khai sinh, đăng ký thường trú, cấp
    thẻ bảo hiểm y tế") that ``text`` names only one part of ("làm khai sinh cho cháu"): however
    used it is, the plain procedure is what was asked. True for any other name."""
    folded = fold(name)
    if not folded.startswith("lien thong"):
        return True
    return len((set(folded.split()) - _BUNDLE_STOP) & set(fold(text).split())) >= MIN_BUNDLE_ASKED


def bundle_over(term_name: str, candidates: list[tuple[str, str]], text: str, top: int = 3) -> str | None:
    """The code of a candidate procedure that bundles the term's procedure with others the message
    asks for too: "khai sinh, nhập hộ khẩu và thẻ bảo hiểm y tế cho bé" names "nhập hộ khẩu"
    (Đăng ký thường trú) but means "Liên thông ... đăng ký khai sinh, đăng ký thường trú, cấp thẻ
    bảo hiểm y tế ...". ``candidates``: (code, name) best first; only the first ``top`` count."""
    own = fold(term_name)
    own_words = set(own.split())
    asked = set(fold(text).split())
    for code, name in candidates[:top]:
        folded = fold(name)
        # only an interconnected bundle ("Liên thông ..."): a longer name holding the term's one is
        # usually a narrower variant ("Đổi giấy phép lái xe ... của người nước ngoài"), not a bundle
        if own not in folded or folded == own or not folded.startswith("lien thong"):
            continue
        extra = set(folded.split()) - own_words - _BUNDLE_STOP
        if len(extra & asked) >= MIN_BUNDLE_WORDS:
            return code
    return None
