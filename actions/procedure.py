"""``action_answer_procedure``: answer a question about one administrative procedure.

Which procedure? In this order:

1. a ``procedure`` entity (the NLU service's confident match, or a clarification button's payload
   ``/ask_procedure{"procedure": "1.004194"}``);
2. a follow-up: the message names only an aspect ("thế lệ phí bao nhiêu?") and no confident
   candidate, so the procedure of the previous turn (slot ``procedure``) is reused;
3. the NLU's ``procedure_candidates`` that share a real word with the message: a clear winner is
   answered, close ones are offered as buttons (top 3); none asks which procedure.

The answer text itself comes from :func:`knowledge_base.answers.procedure_answer`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.bundle_followup import bundle_with
from actions.correction import takes_back
from actions.followup import (
    GENERAL_NOTE,
    OFFICE_WORDS_TEXT,
    asked_papers_note,
    asks_to_bring,
    bare_name,
    faq_marks,
    followup_aspect,
    previous_procedure,
    switch_subject,
    try_followup,
)
from actions.message import Candidate, entity_values, is_payload, message_text, procedure_candidates
from actions.variants import age_in, most_common, on_topic, topic_sibling
from actions.variants import pick as pick_variant
from actions.variants import siblings as variant_siblings
from actions.where_to_turn import answer_turn_to
from dvcbot.textnorm import fold, strip_accents, tokens
from knowledge_base.aspects import ASPECT_LABELS, ASPECTS, asks_deadline, asks_fee
from knowledge_base.hanoi import names_free
from knowledge_base.vocabulary import (
    asked_subject,
    by_situation,
    implied_words,
    is_long,
    kinds_in,
    request_part,
    ruled_out,
)

log = logging.getLogger(__name__)

#: a candidate below this score (the knowledge base's fused scale) is never taken or offered
MIN_SCORE = 0.5
#: a long message (a story before the question) dilutes the search scores: a lower floor, the
#: candidate must still share a real word with the message (:func:`names_procedure`)
MIN_SCORE_LONG = 0.38
#: a message of at least this many words that is not yet a long story ("nhà tôi muốn sửa lại mặt tiền
#: có cần xin phép xây dựng không") carries a clause of situation that already lowers the scores
MEDIUM_MESSAGE_WORDS = 12
#: ... and gets this floor between the plain and the long one; it must still share a naming word
MIN_SCORE_MEDIUM = 0.42
#: a message of at least this many words and no diacritic was typed without them ("khai sinh" alone
#: may be Vietnamese that has none)
UNACCENTED_MIN_WORDS = 6
#: the top candidate is answered directly when it leads the next one by at least this much
CLEAR_MARGIN = 0.08
#: how many candidates the clarification question offers
CLARIFY_TOP = 3
#: aspects offered as follow-up buttons after an answer, in this order
FOLLOW_UP_ASPECTS = ("documents", "fee", "processing_time", "where", "online")
#: how many aspect buttons an answer offers
ASPECT_BUTTONS = 4
#: replies that ask "which procedure?": the next message keeps the aspect asked before them
ASKING_RESPONSES = frozenset({"utter_clarify_procedure", "utter_ask_which_procedure"})
#: folded words that never name a procedure: question words, aspects, politeness, generic verbs.
#: A candidate counts only when the message shares another word with its name, because the
#: search always returns *something* (with high scores for popular procedures) even for
#: "thế lệ phí bao nhiêu?", which names no procedure and is a follow-up.
NON_NAMING = frozenset(
    tokens(
        "thế thì còn vậy nữa với cho tôi mình em anh chị cháu bác ạ ơi nhé nhỉ à hả là có không được cần gì "
        "những nào ở đâu bao nhiêu lâu mất giờ khi mấy ngày tuần tháng tiền lệ phí thời gian hạn giải quyết "
        "nộp hồ sơ giấy tờ mang theo chuẩn bị trực tuyến online mạng qua trên tại làm thủ tục đăng ký cấp "
        "như sao các bước cách hướng dẫn kết quả nhận căn cứ pháp lý luật quy định xin hỏi muốn phải đi đến "
        "và hay hoặc của người nơi chỗ cơ quan nào việc đó này kia ra vào lên về bây nay rồi đã sẽ đang"
        # glue and reply words of a message that names nothing ("ok để thử lại", "vâng để mai xem"):
        # "để lại", "thử nghiệm", "xem hàng" of rare names would otherwise count as named ("lại" stays:
        # it tells "cấp lại" from "cấp đổi")
        " để thử xem ok oke vâng ừ dạ thôi nhé luôn"
    )
)


def naming_sequence(text: str) -> list[str]:
    """The folded words of ``text`` that could name a procedure (no generic word, no number), in order."""
    return [w for w in tokens(text) if w not in NON_NAMING and not w.isdigit()]


def naming_words(text: str) -> set[str]:
    """:func:`naming_sequence` as a set."""
    return set(naming_sequence(text))


def names_procedure(text: str, title: str) -> bool:
    """True when ``text`` shares a meaningful (non-generic, non-numeric) word with the procedure
    ``title``: "bao nhiêu 1 trang" names no "... một lần". The kind of a paper it names counts as
    named ("giấy khai sinh ghi sai": "... thông tin hộ tịch")."""
    return bool((naming_words(text) | naming_words(" ".join(kinds_in(text)))) & naming_words(title))


#: a short follow-up that asks a price ("bn 1 trang", "bao nhiêu một bản") without a fee word
_PRICE = re.compile(r"\bbao nhieu\b(?!.*\b(?:lau|ngay|tuan|thang|gio)\b)")
#: a follow-up about the current procedure is at most this long (tokens)
MAX_RECORD_FOLLOWUP_TOKENS = 12


def record_text(proc: Any) -> str:
    """What the record says of ``proc`` besides its name: papers, fees, result, where; its naming
    words (:func:`naming_words`) in order."""
    parts = [getattr(proc, "result", "") or ""]
    parts += [getattr(d, "name", "") for d in getattr(proc, "documents", ()) or ()]
    for mode in getattr(proc, "submission_modes", ()) or ():
        parts.append(getattr(mode, "fee_text", "") or "")
        parts += [getattr(f, "description", "") or "" for f in getattr(mode, "fees", ()) or ()]
    where = getattr(proc, "where", "")
    parts.append(where if isinstance(where, str) else " ".join(map(str, where or ())))
    return " ".join(naming_sequence(" ".join(str(p) for p in parts)))


def about_current(text: str, proc: Any, candidate_names: list[str]) -> bool:
    """True when a short message asks about an item of the current procedure's own record ("phí
    công bố nội dung đăng ký bao nhiêu" after "thành lập doanh nghiệp": the fee line "Phí công bố
    nội dung đăng ký doanh nghiệp"): its naming words, in order, are a phrase of the
    record, and no candidate's name holds them all (that would be another procedure named). The
    caller checks that the message asks an aspect."""
    if len(tokens(text)) > MAX_RECORD_FOLLOWUP_TOKENS:
        return False
    seq = naming_sequence(text)
    if not seq or f" {' '.join(seq)} " not in f" {record_text(proc)} ":
        return False
    # one lone word ("bn 1 trang": the fee is per page) names no procedure: names take two or more,
    # except as the subject of a topic switch ("còn hộ chiếu thì làm ở đâu": the glue word "hộ" left out)
    lone = len(set(seq)) < 2 and not switch_subject(text)
    return lone or not any(set(seq) <= naming_words(name) for name in candidate_names)


@dataclass
class ProcedureChoice:
    """What to do with the message: ``answer`` a code, ``clarify`` between candidates, or ``ask``."""

    kind: str
    code: str | None = None
    aspect: str | None = None
    candidates: list[Candidate] = field(default_factory=list)
    #: with ``answer``: the close procedures not taken (the answer names them, buttons offer them)
    alternatives: list[Candidate] = field(default_factory=list)
    #: with ``answer``: a follow-up of the current procedure that asks no aspect of its record (its main
    #: facts, said as such)
    general: bool = False


def _aspect(message: dict[str, Any]) -> str | None:
    for value in entity_values(message, "procedure_aspect"):
        if value in ASPECTS:
            return value
    return None


def last_bot_response(events: list[dict[str, Any]]) -> str | None:
    """Name of the domain response the bot said last (``utter_...``), None for action-written text."""
    for event in reversed(events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def spelled_right(text: str) -> str:
    """``text`` with its misspelt procedure words corrected (:func:`knowledge_base.vocabulary.
    correct_spelling`: non-syllables, slips into another syllable, sound-alike phrases); payloads as typed."""
    if not text or is_payload(text):
        return text
    try:
        from knowledge_base.vocabulary import correct_spelling

        return correct_spelling(text)
    except Exception as exc:  # the vocabulary is optional: the text as typed
        log.warning("spelling correction unavailable: %s", exc)
        return text


def choose_procedure(
    message: dict[str, Any], previous_code: str | None, known: Any, pending_aspect: str | None = None
) -> ProcedureChoice:
    """Decide which procedure ``message`` is about. ``known`` is the catalogue (``code -> Procedure``).

    ``pending_aspect``: the aspect of a question the bot has just asked "which procedure?" about;
    the reply naming the procedure ("tạm trú") gets the answer to that question.
    """
    own_aspect = _aspect(message)
    aspect = own_aspect or pending_aspect
    if previous_code in known and asks_to_bring(message):  # "phải mang giấy khai sinh không": a paper
        return ProcedureChoice("answer", previous_code, "documents")
    if (bundle := bundle_with(previous_code, message_text(message), known)) is not None:
        return ProcedureChoice("answer", bundle, aspect)  # "làm luôn thẻ BHYT cho cháu" after khai sinh: the bundle
    # read as meant: "kết hôm", "thường chú" are slips of the procedure's words (the NLU searched the same)
    text = spelled_right(message_text(message))
    for code, extractor in procedure_entities(message):
        if code in known:
            if extractor in WORDING_EXTRACTORS:  # named in words, not picked by a button
                code = situation_variant(text, code, known)
                if extractor == "dvcbot_kb" and ruled_out(text, getattr(known[code], "name", "")):
                    continue  # the search's pick a situation excludes (a copy when the register is lost)
            return ProcedureChoice("answer", code, aspect)
    if previous_code in known and (follow := followup_aspect(message, previous_code, known)):
        # "bao lâu có giấy phép?": the same one. When the message alone picks that same procedure
        # among close ones, the answer still names the others.
        alone = choose_procedure(message, None, known, pending_aspect)
        alternatives = alone.alternatives if alone.kind == "answer" and alone.code == previous_code else []
        return ProcedureChoice("answer", previous_code, follow, alternatives=alternatives)
    # the words the message implies count as its own ("thuê trọ ... công an phường": "tạm trú")
    naming_text = " ".join([text, *implied_words(text)])
    low = [
        c
        for c in procedure_candidates(message)
        if c.code in known
        and c.score >= MIN_SCORE_LONG
        and names_procedure(naming_text, c.name or getattr(known[c.code], "name", ""))
        and not weak_and_rare(naming_text, c, known[c.code])
    ]
    named = [c for c in low if c.score >= score_floor(text)]
    follow_up = previous_code in known and not is_long(text)
    # beside a current procedure, a look-alike sharing only place or aspect words, or a rare one sharing
    # a few title words, is no new topic: "làm ở phường được không" stays on the procedure answered
    weak = {c.code for c in low if weak_beside_topic(naming_text, c, known[c.code])} if follow_up else set()
    beside = [c for c in named if c.code not in weak]
    only_weak = bool(named) and not beside
    named = beside
    asked_aspect = own_aspect or _price_aspect(text)
    if asked_aspect and previous_code in known and about_current(
            text, known[previous_code], [c.name or getattr(known[c.code], "name", "") for c in named]):
        alone = choose_procedure(message, None, known, pending_aspect)
        if alone.kind == "answer" and alone.code == previous_code:  # the message alone picks it: as alone
            return alone
        return ProcedureChoice("answer", previous_code, asked_aspect)
    siblings = [c for c in low if c.code not in weak]
    if not named and follow_up and (sibling := topic_sibling(text, siblings, known[previous_code].name,
                                                           lambda c: c.name or known[c.code].name)):
        return ProcedureChoice("answer", sibling.code, aspect)  # "còn sửa chữa thì sao": the current one's variant
    if not named:
        if previous_code in known and asked_aspect:
            # "thế lệ phí bao nhiêu?", "bn 1 trang": same procedure, new aspect
            return ProcedureChoice("answer", previous_code, asked_aspect)
        if only_weak:  # "còn mã số thuế thì sao": about the current one, on a point its record may not state
            return ProcedureChoice("answer", previous_code, aspect, general=True)
        return ProcedureChoice("ask", aspect=aspect)
    def name_of(c: Candidate) -> str:
        return c.name or getattr(known[c.code], "name", "")

    named, story_only = named_by_request(text, named, name_of)
    # "lần đầu", "bị mất", "hết hạn", "chồng người Hàn Quốc": the situation leaves the variant it is about
    named = situation_pick(text, named, siblings, name_of,  # not the weak ones beside the topic
                           siblings=lambda c, phrases: variant_siblings(c, phrases, name_of, known))
    if story_only:  # only the story's words match them: offer them rather than answer one confidently
        return ProcedureChoice("clarify", aspect=aspect, candidates=named[:CLARIFY_TOP])
    if follow_up and (kept := on_topic(text, named, known[previous_code].name, name_of)):
        # "tạm ngừng kinh doanh" after a household business: the household's, the others named
        return ProcedureChoice("answer", kept.code, aspect,
                               alternatives=[c for c in named[:CLARIFY_TOP] if c.code != kept.code])
    if long_and_unsure(text, named[0], known[named[0].code]):  # a guess from a story: ask rather than answer
        return ProcedureChoice("clarify", aspect=aspect, candidates=named[:CLARIFY_TOP])
    second = named[1].score if len(named) > 1 else 0.0
    if named[0].score - second >= CLEAR_MARGIN and age_in(text) is None:
        return ProcedureChoice("answer", named[0].code, aspect)
    kept, chosen = pick_variant(text, named[: CLARIFY_TOP + 2], lambda c: c.name or getattr(known[c.code], "name", ""),
                                known)
    if chosen is not None:
        return ProcedureChoice("answer", chosen.code, aspect)
    if not kept:
        return ProcedureChoice("ask", aspect=aspect)
    if len(kept) == 1:
        return ProcedureChoice("answer", kept[0].code, aspect)
    offered = kept[:CLARIFY_TOP]
    common = most_common(text, offered, lambda c: c.name or getattr(known[c.code], "name", ""), known,
                         ignore=NON_NAMING, long=is_long(text))
    if common is not None and below_plain_floor(text, [common]):  # a guess under the plain floor: ask instead
        common = None
    if common is not None:  # answer the usual case and name the others rather than ask
        return ProcedureChoice("answer", common.code, aspect,
                               alternatives=[c for c in offered if c.code != common.code])
    return ProcedureChoice("clarify", aspect=aspect, candidates=offered)


#: extractors of a procedure entity the NLU read in the message's words (a button's payload is none)
WORDING_EXTRACTORS = frozenset({"dvcbot_kb", "dvcbot_vocabulary", "dvcbot_vocabulary_bundle"})


def procedure_entities(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, extractor) of the message's procedure entities, in the NLU's order."""
    return [(str(e["value"]).strip(), str(e.get("extractor") or ""))
            for e in message.get("entities") or []
            if isinstance(e, dict) and e.get("entity") == "procedure" and str(e.get("value") or "").strip()]


def situation_variant(text: str, code: str, known: Any) -> str:
    """The variant of the named procedure ``code`` the situation in ``text`` means: "khai tử cho bố
    quốc tịch Mỹ" names "khai tử" but means its foreign-element variant. Only variants of the same
    procedure (:func:`actions.variants.siblings`); ``code`` when the situation leaves it or there is none."""
    def name_of(c: Candidate) -> str:
        return c.name or getattr(known[c.code], "name", "")

    first = Candidate(code, getattr(known[code], "name", ""), 1.0)
    kept = by_situation(text, [first], name_of,
                        siblings=lambda c, phrases: variant_siblings(c, phrases, name_of, known))
    return kept[0].code if kept else code


def situation_pick(text: str, named: list[Any], low: list[Any], name_of: Any, siblings: Any = None) -> list[Any]:
    """:func:`by_situation` of the ``named`` candidates, or of the ``low`` ones (those the long-message
    floor keeps) when the situation puts one of the latter first: the search ranks "Đăng ký kết hôn
    có yếu tố nước ngoài" under the plain floor for "cưới chồng người Hàn Quốc", the situation knows
    it is the one meant."""
    kept = by_situation(text, named, name_of, siblings=siblings)
    if len(low) > len(named):
        promoted = by_situation(text, low, name_of, siblings=siblings)
        if promoted and promoted[0] not in named:
            return promoted
    return kept


def named_by_request(text: str, candidates: list[Any], name_of: Any) -> tuple[list[Any], bool]:
    """For a long message, the ``candidates`` its request part names (:func:`request_part` with the
    words it implies): a name that shares words only with the story ("chủ nhà", "ở quê", "chồng mất")
    matched by chance. Returns ``(kept, story_only)``: ``story_only`` when the request part names
    none of them (all are kept then, to be offered, not answered). Short messages: unchanged."""
    if not is_long(text) or not candidates:
        return candidates, False
    asked = asked_text(text)
    kept = [c for c in candidates if names_procedure(asked, name_of(c))]
    return (kept, False) if kept else (candidates, True)


def asked_text(text: str) -> str:
    """What a long message asks: its asked subject (:func:`asked_subject`) and the words its request part
    (:func:`request_part`) implies."""
    return " ".join([asked_subject(text), *implied_words(text, request_part(text))])


def diluted(text: str) -> bool:
    """Whether the search scores of ``text`` run low although it may name a procedure: a story before
    the question, or a message typed without diacritics ("can cuoc het han doi the moi het bao nhieu"),
    which the encoder reads less surely. Such a message gets the lower floor; a candidate must still
    share a naming word with it (:func:`names_procedure`)."""
    return is_long(text) or (strip_accents(text) == text and len(fold(text).split()) >= UNACCENTED_MIN_WORDS)


#: a candidate in no popularity ranking needs this search score ... or this many shared naming words
RARE_SURE_SCORE = 0.6
RARE_MIN_SHARED = 2


def rare(proc: Any) -> bool:
    """Whether ``proc`` is in no ranking of the portal's used services (``popularity_rank``)."""
    return not getattr(proc, "popularity_rank", None)


def rare_and_unsure(candidate: Any, proc: Any) -> bool:
    """``candidate`` is a procedure in no ranking of the portal's used services (``popularity_rank``) found
    with a search score under :data:`RARE_SURE_SCORE`: a few shared words are then likely chance."""
    return rare(proc) and candidate.score < RARE_SURE_SCORE


def long_and_unsure(text: str, candidate: Any, proc: Any) -> bool:
    """Whether answering ``candidate`` for the long story ``text`` would be a guess: a rare procedure
    (:func:`rare_and_unsure`) found under the plain floor (:data:`MIN_SCORE`), kept only by the long
    floor, sharing with what the story asks (:func:`asked_text`: its request part and the words its
    situation implies) only a few words of its title (:data:`RARE_TOPIC_MIN_SHARED`,
    :data:`RARE_TITLE_SHARE`; folded, "đặt" is "đất"). A story dilutes the scores, and its words meet
    obscure titles by chance ("ly hôn ... sổ đỏ ghi tên cả hai" is no naming of a national road): the
    citizen is asked which one is meant."""
    if not is_long(text) or candidate.score >= MIN_SCORE or not rare_and_unsure(candidate, proc):
        return False
    title = naming_words(candidate.name or getattr(proc, "name", ""))
    shared = naming_words(asked_text(text)) & title
    return len(shared) < RARE_TOPIC_MIN_SHARED and len(shared) <= RARE_TITLE_SHARE * len(title)


def weak_and_rare(text: str, candidate: Any, proc: Any) -> bool:
    """Whether ``candidate`` is a weak match of a short message to a rare procedure: in no ranking of
    the portal's used services (``popularity_rank``), under :data:`RARE_SURE_SCORE`, sharing one
    naming word only ("thôi để mai thử" shares "mai" with "ngân hàng thương mại"). Citizens rarely ask
    such procedures, and when they do they name them with more words; the popularity is the prior
    that such a lone word is chance. A long story is judged by its request clauses instead."""
    if is_long(text) or not rare_and_unsure(candidate, proc):
        return False
    title = candidate.name or getattr(proc, "name", "")
    return len(naming_words(text) & naming_words(title)) < RARE_MIN_SHARED


#: words that say where, how or whether again, not which procedure: the office or level ("công an
#: phường", "lên thành phố", "ra bưu điện"), the channel ("online", "qua mạng"), a repeat ("thi lại",
#: "ở phường khác"). Folded, they also meet title words by chance ("phường"/"phương tiện",
#: "phố"/"phổ thông"). A follow-up sharing only such words with a procedure's title does not name it.
ASPECT_PLACE_WORDS = frozenset(tokens(
    f"{OFFICE_WORDS_TEXT} bưu chính sở khác lại nhanh online mạng trực tuyến thi trả riêng chung"
))
#: words that count how often or how many at once ("khai cả danh sách một lần", "nộp một lượt"): they tell how
#: the citizen does the current procedure, and name no other one although some titles carry them ("... một lần")
COUNT_WORDS = frozenset(tokens("lần lượt"))
#: beside a current procedure, a candidate at or above this search score names another one, whatever words it shares
TOPIC_SURE_SCORE = 0.75
#: ... a rare one (no popularity rank) under :data:`RARE_SURE_SCORE` must share more than this share of
#: its title's naming words, or this many words
RARE_TITLE_SHARE = 0.5
RARE_TOPIC_MIN_SHARED = 4


@lru_cache(maxsize=256)
def without_any_place(text: str) -> str:
    """``text`` without the places it names: Hanoi's wards and districts (the gazetteer) and the provinces
    (:func:`routing.provinces.without_provinces`: "người yêu em ở Nam Định") and the citizen's residence
    ("nơi tôi thường trú"), folded. A place says where, never
    which procedure, though its words may meet a title by chance ("người Việt Nam định cư")."""
    from actions.agents import without_hanoi_places
    from routing.provinces import without_provinces

    return _RESIDENCE.sub(" ", fold(without_provinces(without_hanoi_places(text))))


#: the citizen's own residence named as a place ("ở phường nơi tôi thường trú", "chỗ em đang tạm trú",
#: "nơi cư trú"), folded: where to go, not the residence procedures
_RESIDENCE = re.compile(
    r"\b(?:noi|cho|o)(?: (?:toi|em|minh|chau|bac|anh|chi|nha toi))?(?: (?:dang|da))?"
    r" (?:thuong tru|tam tru|cu tru|dang ky thuong tru|dang ky tam tru)\b")


def weak_beside_topic(text: str, candidate: Any, proc: Any) -> bool:
    """Whether ``candidate`` is too weak a match of the short follow-up ``text`` to leave the current
    procedure for it: under :data:`TOPIC_SURE_SCORE`, and sharing with its title only aspect or place
    words (:data:`ASPECT_PLACE_WORDS`: "làm ở công an phường được không hay phải lên thành phố", "có
    phải thi lại không", "ra bưu điện làm được không"), count words (:data:`COUNT_WORDS`: "khai cả
    danh sách một lần được không" is no one-off social insurance payment) or place names (:func:`without_any_place`: "người
    yêu em ở Nam Định thì đăng ký ở đâu" is no visa for Vietnamese living abroad), or, for a rare procedure (no popularity rank)
    under :data:`RARE_SURE_SCORE`, only a few words of a longer title ("còn mã số thuế thì sao" is
    no tax code for foreign contractors). A message that names another procedure says its everyday
    name (a popular one, or a high score) or most of its title. A long story: never weak here."""
    if is_long(text) or candidate.score >= TOPIC_SURE_SCORE:
        return False
    title = naming_words(candidate.name or getattr(proc, "name", ""))
    shared = (naming_words(without_any_place(text)) & title) - ASPECT_PLACE_WORDS - COUNT_WORDS
    if not shared:
        return True
    if rare(proc) and len(shared) < RARE_MIN_SHARED:  # "bao lâu có bằng mới": one word of an obscure title
        return True
    if not rare_and_unsure(candidate, proc):
        return False
    return len(shared) < RARE_TOPIC_MIN_SHARED and len(shared) <= RARE_TITLE_SHARE * len(title)


def score_floor(text: str) -> float:
    """The lowest search score a candidate of ``text`` may have to be taken or offered: the long floor
    for a diluted message (:func:`diluted`), the medium one for a message of
    :data:`MEDIUM_MESSAGE_WORDS` words or more (a situation told in a clause before or after the
    request), the plain one for a short question."""
    if diluted(text):
        return MIN_SCORE_LONG
    return MIN_SCORE_MEDIUM if len(text.split()) >= MEDIUM_MESSAGE_WORDS else MIN_SCORE


def below_plain_floor(text: str, candidates: list[Any]) -> bool:
    """Whether one of ``candidates`` of a medium message (not diluted) was kept only by the medium
    floor (:func:`score_floor`): such a weak match may be answered when it alone stands out, but as
    the most common of several close ones it is a guess on too little ("cho thuê phòng trọ ... khai
    thuế" is not the environment tax of a close candidate): the citizen chooses. A most common one
    above the plain floor is still answered."""
    return not diluted(text) and any(c.score < MIN_SCORE for c in candidates)


def names_nothing(text: str) -> bool:
    """Whether ``text`` has only question, aspect and filler words ("có mất phí không ạ", "mất bao
    lâu"): with no topic before it, no FAQ entry answers it (any would be matched on the aspect
    alone, e.g. a VNeID fee for a child's căn cước); the citizen is asked which procedure."""
    from actions.followup import _distinct_words

    return not _distinct_words(text)


def _price_aspect(text: str) -> str | None:
    """"fee" for a short "bao nhiêu ..." that asks no duration; else None."""
    folded = fold(text)
    return "fee" if len(tokens(text)) <= MAX_RECORD_FOLLOWUP_TOKENS and _PRICE.search(folded) else None


def ask_payload(code: str, aspect: str | None = None) -> str:
    """Rasa intent payload that asks about ``code`` (and ``aspect``) without going through the NLU."""
    entities: dict[str, str] = {"procedure": code}
    if aspect:
        entities["procedure_aspect"] = aspect
    return "/ask_procedure" + json.dumps(entities, ensure_ascii=False)


def aspect_buttons(code: str, asked: str | None) -> list[dict[str, str]]:
    """Up to four buttons for the aspects the citizen did not ask yet: papers, fee, time, where to
    submit (in Hanoi today), online; titles are the aspect labels, all distinct."""
    aspects = [a for a in FOLLOW_UP_ASPECTS if a != asked][:ASPECT_BUTTONS]
    return [{"title": ASPECT_LABELS[a].capitalize(), "payload": ask_payload(code, a)} for a in aspects]


def citizen_term(message: dict[str, Any]) -> Any | None:
    """The citizen-vocabulary term of the message ("tách khẩu"), None for payloads or none."""
    text = message_text(message)
    if not text or is_payload(text):
        return None
    try:
        from knowledge_base.vocabulary import find_term

        return find_term(text)
    except Exception as exc:  # the vocabulary is optional: answer without it
        log.warning("citizen vocabulary unavailable: %s", exc)
        return None


def alternatives_note(proc: Any, names: list[str]) -> str:
    """The line that names the usual case answered and the close procedures not taken."""
    others = "; ".join(names)
    return (f"Tôi trả lời theo trường hợp thường gặp nhất: {proc.name}. "
            f"Nếu anh chị cần thủ tục khác ({others}), xin chọn ở nút bên dưới.")


def with_alternatives(text: str, proc: Any, aspect: str | None,
                      alternatives: list[tuple[str, str]] | None) -> tuple[str, list[dict[str, str]]]:
    """The answer ``text`` with the usual-case note and buttons for the ``alternatives`` ((code,
    name) of close procedures not taken) before the aspect buttons."""
    buttons = aspect_buttons(proc.code, aspect)
    if not alternatives:
        return text, buttons
    alt_buttons = [{"title": n, "payload": ask_payload(c, aspect)} for c, n in alternatives]
    return f"{alternatives_note(proc, [n for _, n in alternatives])}\n{text}", alt_buttons + buttons


def alternatives_of(decision: ProcedureChoice, catalogue: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c.code, _name(c, catalogue)) for c in decision.alternatives]


#: where an answer's source link starts (the fee sentence asked besides goes before it)
_SOURCE_LINK = "Xem chi tiết tại"


def with_fee(text: str, proc: Any, today: Any) -> str:
    """``text`` (an answer about another aspect) with the fee sentence, dated, before its source link:
    "đổi ở đâu và mất bao nhiêu tiền" asks both."""
    from knowledge_base.aspect_writers import fee_text

    fee = fee_text(proc, today)
    body, sep, link = text.rpartition(_SOURCE_LINK)
    if not sep:
        return f"{text.rstrip()} {fee}"
    return f"{body.rstrip()} {fee}\n{sep}{link}"


def with_deadline(text: str, proc: Any) -> str:
    """``text`` (the processing-time answer) after the citizen's legal deadline the record states
    ("Trong thời hạn 15 ngày kể từ ngày có người chết ..."): "trong bao lâu phải đi khai" asks it.
    Unchanged when the record states none."""
    from knowledge_base.aspect_writers import citizen_deadline

    deadline = citizen_deadline(proc)
    return f"Theo quy định: {deadline}.\n{text}" if deadline else text


#: the age under which the record's child papers are read out
MINOR_AGE = 14


def for_minor(message: dict[str, Any]) -> bool:
    """True when the message's words say the papers are for a child under 14 ("làm hộ chiếu cho bé 3
    tuổi"): the answer adds the papers the record asks only for a child."""
    text = message_text(message)
    age = age_in(text) if text and not is_payload(text) else None
    return age is not None and age < MINOR_AGE


def with_minor_papers(text: str, proc: Any) -> str:
    """``text`` (the papers answer) with the papers the record asks only for a child under 14, before
    its source link; unchanged when it names none."""
    from knowledge_base.aspect_writers import minor_papers

    papers = minor_papers(proc)
    if not papers:
        return text
    sentence = f"Với trẻ dưới 14 tuổi: {'; '.join(papers)}."
    # before the source link, or before "Và 2 giấy tờ khác, xem chi tiết tại ..." of a long list
    links = list(re.finditer(r"(?:Và \d+ giấy tờ khác, )?[Xx]em chi tiết tại", text))
    if not links:
        return f"{text.rstrip()} {sentence}"
    cut = links[0].start()
    return f"{text[:cut].rstrip()} {sentence} {text[cut:]}"


def asks_deadline_of(message: dict[str, Any]) -> bool:
    """True when the message (typed words, not a button) asks how soon the citizen must file."""
    text = message_text(message)
    return bool(text) and not is_payload(text) and asks_deadline(text)


def also_asks_fee(message: dict[str, Any], aspect: str | None) -> bool:
    """True when the message asks the fee besides the aspect answered (a where, time or papers
    answer; the overview already says the fee)."""
    text = message_text(message)
    return aspect not in (None, "fee") and bool(text) and not is_payload(text) and asks_fee(text)


#: a fee question about online filing with no procedure named ("làm trên mạng có mất lệ phí không",
#: "nộp online ở Hà Nội được miễn phí à"): Hanoi's online-fee policy, answered by its dates
ONLINE_FEE_POLICY_FAQ = "payment.zero_fee_hanoi"
_ONLINE_OR_FREE = re.compile(r"\b(?:online|truc tuyen|qua mang|tren mang|mien (?:le )?phi|0 dong|khong dong"
                             r"|khong mat (?:le phi|phi|tien|dong)|khong ton)\b")


#: other costs of filing online, with their own FAQ entries (postage, digital signature, bank fees)
_OTHER_COST = re.compile(r"\b(?:buu dien|buu chinh|gui ket qua|tien gui|phi gui|cuoc|chu ky so|ngan hang"
                         r"|chuyen khoan|phi giao dich|the atm|vi dien tu)\b")


def online_fee_policy_answer(message: dict[str, Any], free_named: bool = False) -> str | None:
    """The dated answer about Hanoi's 0-đồng online-fee policy for a fee question about online filing
    that names no procedure (and no other cost: postage, signature, bank fee), else None. ``free_named``:
    only when the message names filing for nothing (:func:`knowledge_base.hanoi.names_free`: "miễn phí",
    "free", "0 đồng"); "thanh toán lệ phí online thế nào"
    asks how to pay."""
    text = message_text(message)
    folded = fold(text)
    asked = asks_fee(text) or (free_named and names_free(text))  # "còn free ko": filing for nothing asked
    if (not text or is_payload(text) or not asked or not _ONLINE_OR_FREE.search(folded)
            or _OTHER_COST.search(folded) or (free_named and not names_free(text))):
        return None
    entry = kb.faq_entry(ONLINE_FEE_POLICY_FAQ)
    return kb.faq_text(entry) if entry is not None else None


def answer_with(dispatcher: CollectingDispatcher, proc: Any, aspect: str | None, guessed: bool = False,
                note: str | None = None, alternatives: list[tuple[str, str]] | None = None,
                also_fee: bool = False, deadline: bool = False, minor: bool = False) -> list[dict[str, Any]]:
    """Say the answer about ``aspect`` of ``proc``; the slot events. ``guessed``: the citizen did not
    pick from the last clarification list, so the answer says which procedure it is about.
    ``alternatives``: (code, name) of close procedures not taken, named and offered as buttons.
    ``also_fee``: the message asked the fee as well; its sentence is added. ``deadline``: the message
    asked how soon the citizen must file; the record's deadline goes first. ``minor``: the papers are
    for a child under 14; a papers answer adds those the record asks only for a child. The answer is reported
    as a procedure question (:data:`PROCEDURE_INTENT`), whatever the NLU read in a follow-up's few words ("có
    phải nộp lệ phí không cháu" is no question about the payment portal)."""
    text = kb.procedure_text(proc, aspect)
    if text is None:
        dispatcher.utter_message(response="utter_kb_unavailable")
        return []
    if deadline:
        text = with_deadline(text, proc)
    if minor and aspect == "documents":
        text = with_minor_papers(text, proc)
    if also_fee:
        text = with_fee(text, proc, kb.today())
    if note:  # an old or everyday name: say what it is called now
        text = f"{note}\n{text}"
    if guessed:
        text = (f"Anh chị chưa chọn thủ tục, nên tôi trả lời theo thủ tục có khả năng nhất: {proc.name}. "
                f"Nếu anh chị hỏi thủ tục khác, xin chọn ở danh sách trên.\n{text}")
    text, buttons = with_alternatives(text, proc, aspect, alternatives)
    log.info("procedure answer: code=%s aspect=%s guessed=%s alternatives=%d", proc.code, aspect, guessed,
             len(alternatives or ()))
    from actions.followup import ANSWER_INTENT_KEY, PROCEDURE_INTENT

    dispatcher.utter_message(text=text, buttons=buttons, **{ANSWER_INTENT_KEY: PROCEDURE_INTENT})
    return [
        SlotSet("procedure", proc.code),
        SlotSet("procedure_aspect", aspect),
        SlotSet("procedure_guessed", False),
        SlotSet("fallback_count", 0.0),
    ]


def _name(candidate: Candidate, catalogue: dict[str, Any]) -> str:
    proc = catalogue.get(candidate.code)
    return candidate.name or getattr(proc, "name", "") or candidate.code


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    @staticmethod
    def _faq_instead(message: dict[str, Any]) -> str | None:
        text = message_text(message)
        if len(tokens(text)) < 3 or is_payload(text) or names_nothing(text):
            return None
        from actions.faq import best_faq_answer

        return best_faq_answer(text)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        catalogue = kb.catalogue()
        if not catalogue:
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        message = tracker.latest_message or {}
        from actions.ward_office import answer_ward_office

        if (events := answer_ward_office(dispatcher, tracker)) is not None:
            return events  # "ubnd xã ở đâu" after the points near that commune: its office, no look-alike procedure
        from actions.agent_hours import answer_agent_hours

        if (events := answer_agent_hours(dispatcher, tracker)) is not None:
            return events  # "ở đấy có làm thứ bảy không" after the nearest places: their hours, not "which procedure?"
        from actions.online_support import answer_online_support

        if not entity_values(message, "procedure") and (events := answer_online_support(dispatcher, tracker)):
            return events  # "giờ làm online được hỗ trợ gì": today's support, not a procedure sharing a word
        # a short follow-up of an FAQ or citizen-term answer stays on that topic ("lm o dau v")
        if (events := try_followup(dispatcher, tracker, domain, procedures=False)) is not None:
            return events
        # the procedure answered last
        previous, previous_guessed = previous_procedure(tracker)
        if takes_back(message_text(message)):  # "à không, ý tôi là nhập hộ khẩu cho mẹ": a new question
            previous, previous_guessed = None, False
        term = citizen_term(message)
        if term is not None and term.answer and not entity_values(message, "procedure"):
            dispatcher.utter_message(text=term.answer)  # a citizen term the catalogue has no procedure for
            return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]
        asked = last_bot_response(tracker.events) in ASKING_RESPONSES
        pending = tracker.get_slot("procedure_aspect") if asked else None
        decision = choose_procedure(
            tracker.latest_message or {},
            previous,
            catalogue,
            pending if pending in ASPECTS else None,
        )
        guessed = (previous_guessed and decision.code == previous
                   and not entity_values(tracker.latest_message or {}, "procedure"))
        if decision.kind == "ask":
            policy = online_fee_policy_answer(message)  # "làm trên mạng có mất lệ phí không": by its dates
            if policy:  # marked as the FAQ answer it is: its topic (payment) is the next follow-up's
                dispatcher.utter_message(text=policy, **faq_marks(policy))
                return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]
            if (events := answer_turn_to(dispatcher, message)) is not None:
                return events  # "hỏi thêm ở đâu": the hotline, not "which procedure?"
            faq = self._faq_instead(message)  # "cước bưu điện trả kết quả bao nhiêu": an FAQ covers it
            if faq:
                dispatcher.utter_message(text=faq, **faq_marks(faq))
                return [SlotSet("procedure_aspect", None), SlotSet("fallback_count", 0.0)]
            dispatcher.utter_message(response="utter_ask_which_procedure")
            return [SlotSet("procedure_aspect", decision.aspect)]  # None forgets an older question
        if decision.kind == "clarify":
            names = [_name(c, catalogue) for c in decision.candidates]
            buttons = [
                {"title": n, "payload": ask_payload(c.code, decision.aspect)}
                for c, n in zip(decision.candidates, names, strict=True)
            ]
            options = "; ".join(names[:-1]) + ("; hoặc " if len(names) > 1 else "") + names[-1]
            dispatcher.utter_message(response="utter_clarify_procedure", buttons=buttons, options=options)
            # a follow-up that does not pick ("lệ phí bao nhiêu?") gets the most likely one, said so
            return [SlotSet("procedure_aspect", decision.aspect),
                    SlotSet("procedure", decision.candidates[0].code), SlotSet("procedure_guessed", True)]
        note = term.note if term is not None and term.code == decision.code else None
        if decision.general:  # a follow-up on a point the record has no field for: its main facts, said so
            note = GENERAL_NOTE.format(name=bare_name(catalogue[decision.code].name))
        if note is None and decision.aspect == "documents":  # "cần bản vẽ không": the papers asked, named first
            note = asked_papers_note(message, catalogue[decision.code])
        events = answer_with(dispatcher, catalogue[decision.code], decision.aspect, guessed=guessed, note=note,
                             alternatives=alternatives_of(decision, catalogue),
                             also_fee=also_asks_fee(message, decision.aspect), deadline=asks_deadline_of(message),
                             minor=for_minor(message))
        if decision.aspect == "where":  # "khai sinh ở Hàng Bạc Hoàn Kiếm nộp ở đâu": that ward's office today
            from actions.ward_office import ward_office_note

            if office := ward_office_note(message, kb.procedure_text(catalogue[decision.code], "where") or ""):
                dispatcher.utter_message(text=office)
        return events
