"""Choosing between variants of one procedure without bothering the citizen.

The national catalogue has the same procedure several times, once per level that handles it
("Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)" / "(... cấp trung ương)"), and
by age ("... từ đủ 14 tuổi trở lên" / "... dưới 14 tuổi"). Asking "which one?" between them is
needless: a Hanoi citizen goes to the commune or the city, and the age in the message ("cho bé
5 tuổi", "người trên 80 tuổi") says which age variant is meant.
"""

from __future__ import annotations

import re
from typing import Any

from dvcbot.textnorm import fold
from knowledge_base.vocabulary import (
    asks_bundle,
    has_name_phrase,
    name_words,
    request_clauses,
    request_part,
    variant_phrases,
)

_LEVEL = re.compile(r"\s*\((?:thực hiện|thuc hien)\s+(?:tại|ở|tai|o)\s+cấp[^)]*\)\s*$", re.IGNORECASE)
#: which level a Hanoi citizen uses first; district level ("cấp huyện") no longer exists
LEVEL_ORDER = ("cấp xã", "cấp tỉnh", "cấp trung ương")
#: "14 tuổi", "14t" (chat shorthand)
_AGE = re.compile(r"\b(\d{1,3})\s*(?:tuoi|t)\b")
_CHILD = re.compile(r"\b(?:be|tre em|tre nho|con nho|em be|chau be|so sinh)\b")
_ADULT_AGE_CLAUSE = "từ đủ 14 tuổi trở lên"
_CHILD_AGE_CLAUSE = "dưới 14 tuổi"


#: the channel tail of a vehicle-registration-style name: "... thực hiện bằng dịch vụ công trực tuyến
#: toàn trình" / "... một phần hoặc trực tiếp thực hiện tại cấp trung ương, cấp tỉnh, cấp xã"
_CHANNEL = re.compile(r"\s*(?:thực hiện\s+)?bằng dịch vụ công\b.*$", re.IGNORECASE)


def base_name(name: str) -> str:
    """The name without its "(thực hiện tại cấp ...)" or "bằng dịch vụ công ..." tail."""
    return _CHANNEL.sub("", _LEVEL.sub("", name or "")).strip()


def channel_rank(name: str, text: str = "") -> int:
    """Of two channel variants, the one that also takes papers in person first (it serves every
    citizen; the whole-online one needs a level-2 VNeID account), unless ``text`` asks "toàn trình"."""
    in_person = "trực tiếp" in (name or "").lower() or not _CHANNEL.search(name or "")
    return int(in_person) if "toan trinh" in fold(text) else int(not in_person)


def level_of(name: str) -> str | None:
    m = _LEVEL.search(name or "")
    if not m:
        return None
    tail = m.group(0).lower()
    return next((lv for lv in (*LEVEL_ORDER, "cấp huyện") if lv in tail), None)


def level_rank(name: str) -> int:
    """Lower is better for Hanoi: commune, city, central; district level last (abolished)."""
    level = level_of(name)
    if level is None:
        return 1  # no level in the name: as good as the city level
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def age_in(text: str) -> int | None:
    """An age stated in the message ("bé 5 tuổi" → 5; "cho bé", "trẻ em" → 0), else None."""
    folded = fold(text)
    m = _AGE.search(folded)
    if m:
        return int(m.group(1))
    if _CHILD.search(folded):
        return 0
    return None


def age_fits(name: str, age: int | None) -> bool:
    if age is None:
        return True
    if _ADULT_AGE_CLAUSE in name:
        return age >= 14
    if _CHILD_AGE_CLAUSE in name:
        return age < 14
    return True


def age_sibling(name: str, age: int | None, names_to_codes: dict[str, str]) -> str | None:
    """The code of the same procedure for the stated age, when ``name`` is the other age variant."""
    if age is None or age_fits(name, age):
        return None
    swapped = (name.replace(_ADULT_AGE_CLAUSE, _CHILD_AGE_CLAUSE) if age < 14
               else name.replace(_CHILD_AGE_CLAUSE, _ADULT_AGE_CLAUSE))
    return names_to_codes.get(swapped)


def pick(text: str, candidates: list[Any], name_of: Any, catalogue: dict[str, Any]) -> tuple[list[Any], Any | None]:
    """Narrow the clarification ``candidates`` (objects with ``code``, ordered best first).

    Returns ``(kept, chosen)``: ``chosen`` is the one to answer directly when the remaining
    candidates differ only by level (the Hanoi-preferred level wins) or when the age in ``text``
    leaves one; ``kept`` are the candidates still worth offering (distinct titles, none of the
    wrong age). ``name_of(candidate) -> str``.
    """
    age = age_in(text)
    names_to_codes = {getattr(p, "name", ""): code for code, p in catalogue.items()} if age is not None else {}
    kept: list[Any] = []
    seen: set[str] = set()
    for cand in candidates:
        name = name_of(cand)
        if not age_fits(name, age):
            sibling = age_sibling(name, age, names_to_codes)
            if sibling is None:
                continue
            cand = type(cand)(sibling, catalogue[sibling].name, getattr(cand, "score", 0.0))
            name = cand.name
        key = fold(name)
        if key in seen:
            continue
        seen.add(key)
        kept.append(cand)
    if not kept:
        return [], None
    if age is not None and age < 14:  # a child's card or passport: the "dưới 14 tuổi" variant when offered
        child = [c for c in kept if _CHILD_AGE_CLAUSE in name_of(c)]
        if child:
            kept = child
    bases = {fold(base_name(name_of(c))) for c in kept}
    if len(bases) == 1:
        return kept, min(kept, key=lambda c: (level_rank(name_of(c)), channel_rank(name_of(c), text)))
    named = named_in(text, kept, name_of)
    if named is not None:
        return kept, named
    if age is not None and len(kept) < len(candidates) and len(kept) == 1:
        return kept, kept[0]
    return kept, None


#: words of procedure names that do not tell procedures apart
_NAME_STOP = frozenset("thu tuc the cua cho va cac voi truong hop thuc hien tai cap o nguoi viet nam cong dan".split())
#: a candidate is "named" by the message when this share of its name's words are in it ...
NAME_COVERAGE = 0.75
#: ... and it leads the next candidate by this much
NAME_LEAD = 0.2


def name_coverage(text: str, name: str) -> float:
    """Share of the distinct words of ``name`` (without its level tail) that occur in ``text``."""
    words = set(fold(base_name(name)).split()) - _NAME_STOP
    return len(words & set(fold(text).split())) / len(words) if words else 0.0


def named_in(text: str, candidates: list[Any], name_of: Any) -> Any | None:
    """The candidate whose name the message spells out ("đăng ký thường trú" among "Đăng ký thường
    trú" / "Xóa đăng ký thường trú"), when one clearly does; else None."""
    scored = sorted(((name_coverage(text, name_of(c)), i, c) for i, c in enumerate(candidates)),
                    key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] < NAME_COVERAGE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < NAME_LEAD - 1e-9:
        return None
    return scored[0][2]


#: the most used candidate is taken when its popularity rank is at most this share of the next one's
POPULARITY_LEAD = 0.5


def _rank(code: str, catalogue: dict[str, Any]) -> float:
    rank = getattr(catalogue.get(code), "popularity_rank", None)
    return float(rank) if rank else float("inf")


def most_common(text: str, candidates: list[Any], name_of: Any, catalogue: dict[str, Any],
                ignore: frozenset[str] = frozenset(), long: bool = False) -> Any | None:
    """The candidate to answer when the message does not say which of close procedures it means.

    1. the one whose name holds the most of the message's naming words ("cấp lại sổ bảo hiểm xã
       hội bị mất": "Cấp lại, đổi, ... sổ BHXH" over "Đăng ký, điều chỉnh đóng BHXH ..."), when it
       alone does;
    2. else, among those tied, the most used one (``popularity_rank``, 1 = the most used online
       service of the portal) when it is clearly more used than the next (rank at most
       :data:`POPULARITY_LEAD` of it, an unranked one counts as never used): "làm căn cước" is
       mostly "Cấp đổi thẻ căn cước", "lý lịch tư pháp" the citizen's own certificate,
       "đăng ký tạm trú" rather than its cancellation;
    3. else the plain form of the others (:func:`plain_one`);
    4. else, when none of them has any use data, the one whose name adds the fewest words the
       message lacks (:func:`least_unasked`).

    ``ignore``: folded words that never name a procedure; ``long``: the message tells a story, step 1
    is skipped. None when nothing clearly stands out.
    """
    if len(candidates) < 2:
        return None
    asked = {w for w in fold(text).split() if w not in ignore}
    if not asked:
        return None

    def covered(c: Any) -> int:
        return len(asked & (set(fold(base_name(name_of(c))).split()) - ignore))

    best = max(covered(c) for c in candidates)
    if best == 0:
        return None
    # in a long message, story words match names by chance ("công ty yêu cầu nộp phiếu ..." is not
    # "theo yêu cầu của cơ quan ..."): there only the use counts
    tied = [c for c in candidates if (covered(c) > 0 if long else covered(c) == best)]
    if len(tied) == 1:
        return popular_rival(tied[0], candidates, covered, catalogue) or tied[0]
    # a bundle the message names one part of is not "the usual case" of that part
    tied = [c for c in tied if asks_bundle(name_of(c), text)] or tied
    if len(tied) == 1:
        return tied[0]
    ranked = sorted(tied, key=lambda c: _rank(c.code, catalogue))
    if clearly_more_used(ranked[0], ranked[1], catalogue):
        return ranked[0]
    said = asked_part(text) if long else text
    plain = plain_one(said, tied, name_of, ignore)
    if plain is not None or any(_rank(c.code, catalogue) != float("inf") for c in tied):
        return plain  # use data that does not decide ("cổ phần" or "TNHH"?): the citizen is asked
    return least_unasked(said, tied, name_of)


def asked_part(text: str) -> str:
    """What a long message asks in its own words: its request clauses ("tôi muốn làm thủ tục nhận
    con thì làm thế nào"), else its request part; the story before them ("giấy khai sinh để trống
    tên bố") names papers it has, not the procedure it wants."""
    clauses = request_clauses(text)
    return " ".join(clauses) if clauses else request_part(text)


def clearly_more_used(a: Any, b: Any, catalogue: dict[str, Any]) -> bool:
    """Whether ``a`` is used clearly more than ``b`` (rank at most :data:`POPULARITY_LEAD` of b's; an
    unranked procedure counts as never used)."""
    first, second = _rank(a.code, catalogue), _rank(b.code, catalogue)
    return first != float("inf") and first <= POPULARITY_LEAD * second


def popular_rival(winner: Any, candidates: list[Any], covered: Any, catalogue: dict[str, Any]) -> Any | None:
    """A popular procedure to answer instead of a rare ``winner`` (in no ranking of the portal's used
    services) that holds just one naming word more ("hộ chiếu bị rách, làm lại được không": "lại"
    names "Cấp lại tem AB ... hộ chiếu bị mất, hư hỏng" more than "Cấp hộ chiếu phổ thông"): among
    the candidates that name the message at most one word less, the most used one. A ranked winner
    keeps its word ("xóa đăng ký tạm trú" is not "Đăng ký tạm trú", however used that is)."""
    if _rank(winner.code, catalogue) != float("inf"):
        return None
    rivals = [c for c in candidates
              if c is not winner and covered(c) > 0 and covered(c) >= covered(winner) - 1
              and clearly_more_used(c, winner, catalogue)]
    return min(rivals, key=lambda c: _rank(c.code, catalogue)) if rivals else None


def plain_one(text: str, candidates: list[Any], name_of: Any, ignore: frozenset[str] = frozenset()) -> Any | None:
    """The candidate whose name is the plain form of all the others' ("Đăng ký khai tử" among "...
    lưu động", "... có yếu tố nước ngoài", "Đăng ký lại khai tử"): its naming words are a strict
    subset of each other name's, and the words the others add are not in ``text``. Else None."""
    asked = set(fold(text).split())

    def words(c: Any) -> set[str]:
        return set(fold(base_name(name_of(c))).split()) - ignore

    plain = [c for c in candidates
             if all(words(c) < words(o) and not (words(o) - words(c)) & asked for o in candidates if o is not c)]
    return plain[0] if len(plain) == 1 else None


def least_unasked(text: str, candidates: list[Any], name_of: Any) -> Any | None:
    """The candidate whose name adds the fewest words ``text`` does not have, when it alone does:
    "công nhận hộ cận nghèo" is "Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm" rather than "... hộ thoát nghèo, hộ thoát cận nghèo định kỳ
    hằng năm", which adds "thoát" and "định kỳ". Only among those that name the most words of
    ``text``; else None."""
    asked = set(fold(text).split())

    def words(c: Any) -> set[str]:
        return set(fold(base_name(name_of(c))).split()) - _NAME_STOP

    best_named = max(len(words(c) & asked) for c in candidates)
    named = [c for c in candidates if len(words(c) & asked) == best_named]
    extra = sorted((len(words(c) - asked), i) for i, c in enumerate(named))
    if len(extra) < 2 or extra[0][0] == extra[1][0]:
        return None
    return named[extra[0][1]]


#: a follow-up's candidate this close to the best one may be taken for keeping the current topic's subject
TOPIC_WINDOW = 0.1
#: a candidate is a variant of the current procedure when its name has this share of the latter's naming words
SIBLING_SHARE = 0.6


def _words(text: str) -> set[str]:
    """The folded words of ``text`` that may tell procedures apart (all but :data:`_NAME_STOP`): "hộ"
    of "hộ kinh doanh" counts here."""
    return set(fold(text).split()) - _NAME_STOP


def on_topic(text: str, candidates: list[Any], previous_name: str, name_of: Any) -> Any | None:
    """For a short follow-up, the candidate that keeps the current procedure's subject: "tạm ngừng
    kinh doanh" after "Đăng ký thành lập hộ kinh doanh" is the household's pause, not the company's,
    though the search puts that one first. Among the candidates within :data:`TOPIC_WINDOW` of the
    best (not the current procedure itself), those sharing the most of the current name's words the
    message does not repeat ("hộ"), and of them the one naming most of the message's words (at least
    as many as the best); None when none stands out."""
    if len(candidates) < 2 or not previous_name:
        return None
    asked = _words(text)
    topic = _words(previous_name) - asked
    best = candidates[0]

    def covers(c: Any) -> int:
        return len(asked & _words(name_of(c)))

    def shared(c: Any) -> int:
        return len(topic & _words(name_of(c)))

    close = [c for c in candidates if best.score - c.score < TOPIC_WINDOW and fold(name_of(c)) != fold(previous_name)]
    if len(close) < 2 or (top := max(shared(c) for c in close)) == 0:
        return None
    kept = sorted((c for c in close if shared(c) == top), key=covers, reverse=True)
    if len(kept) > 1 and covers(kept[0]) == covers(kept[1]):
        return None
    return kept[0] if covers(kept[0]) >= covers(best) else None


def topic_sibling(text: str, candidates: list[Any], previous_name: str, name_of: Any) -> Any | None:
    """For a short follow-up that names no procedure surely: the first of ``candidates`` that is a
    variant of the current procedure (its name has :data:`SIBLING_SHARE` of the current name's words)
    and that the message names by a word of its own ("còn sửa chữa, cải tạo thì sao" after "Cấp giấy
    phép xây dựng mới ...": "... sửa chữa, cải tạo ..."). None when there is none."""
    asked = _words(text)
    current = _words(previous_name)
    if not current:
        return None
    for c in candidates:
        own = _words(name_of(c))
        if (fold(name_of(c)) != fold(previous_name) and len(own & current) >= SIBLING_SHARE * len(current)
                and (asked & own) - current):
            return c
    return None


# --- variants the search did not bring -----------------------------------------------------------
#: words a name starts with that say nothing of the subject ("Thủ tục đăng ký ...", "Cấp thẻ ...")
_LEADING = ("thủ tục ", "cấp ")


def core_name(name: str) -> str:
    """The subject of a procedure name without its variant words (:func:`variant_phrases`), level
    tail and leading "Thủ tục"/"Cấp": "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)" and "Cấp đổi
    thẻ căn cước" are both "thẻ căn cước"; "Thủ tục đăng ký kết hôn có yếu tố nước ngoài" is
    "đăng ký kết hôn"."""
    text = name_words(base_name(name))
    for phrase in variant_phrases():
        text = text.replace(f" {phrase} ", " ")
    text = " ".join(text.split())
    for lead in _LEADING:
        if text.startswith(lead):
            text = text[len(lead):]
    return text


#: (id of the catalogue, key function) → (catalogue size, key → codes): each name index computed once
_NAME_INDEXES: dict[tuple[int, Any], tuple[int, dict[Any, list[str]]]] = {}


def _name_index(catalogue: dict[str, Any], key: Any) -> dict[Any, list[str]]:
    """``key(name)`` → codes of the catalogue, the most used first (computed once per catalogue and key)."""
    cached = _NAME_INDEXES.get((id(catalogue), key))
    if cached is not None and cached[0] == len(catalogue):
        return cached[1]
    index: dict[Any, list[str]] = {}
    for code, proc in sorted(catalogue.items(), key=lambda kv: (_rank(kv[0], catalogue), kv[0])):
        index.setdefault(key(getattr(proc, "name", "")), []).append(code)
    _NAME_INDEXES[(id(catalogue), key)] = (len(catalogue), index)
    return index


def _cores(catalogue: dict[str, Any]) -> dict[str, list[str]]:
    """:func:`core_name` → codes of the catalogue, the most used first."""
    return _name_index(catalogue, core_name)


def siblings(candidate: Any, phrases: tuple[str, ...], name_of: Any, catalogue: dict[str, Any]) -> list[Any]:
    """The catalogue's variants of ``candidate``'s procedure whose name has one of ``phrases``
    (the variant a situation prefers), the most used first, as candidates of the same type and score."""
    name = name_of(candidate)
    core = core_name(name)
    out = []
    # a name made only of variant words ("Gia hạn tạm trú") says nothing of its subject: no core siblings
    for code in _cores(catalogue).get(core, []) if core else []:
        other = getattr(catalogue[code], "name", "")
        if code != candidate.code and has_name_phrase(other, phrases):
            out.append(type(candidate)(code, other, getattr(candidate, "score", 0.0)))
    if not out:  # "Thủ tục đăng ký lại khai sinh" is "Thủ tục đăng ký khai sinh" with the "lại" of "đăng ký lại"
        for code in _with_phrase_words(name, phrases, catalogue):
            if code != candidate.code:
                out.append(type(candidate)(code, getattr(catalogue[code], "name", ""), getattr(candidate, "score", 0.0)))
    return out


def _name_key(name: str) -> tuple[str, ...]:
    """The words of a procedure name without its level tail and a leading "Thủ tục" (the search's titles
    and the catalogue's names differ there: "Đăng ký khai sinh", "Thủ tục đăng ký khai sinh")."""
    words = tuple(name_words(base_name(name)).split())
    return words[2:] if words[:2] == ("thủ", "tục") else words


def _word_lists(catalogue: dict[str, Any]) -> dict[tuple[str, ...], list[str]]:
    """The catalogue's names as word tuples (:func:`_name_key`) → codes, the most used first."""
    return _name_index(catalogue, _name_key)


def _with_phrase_words(name: str, phrases: tuple[str, ...], catalogue: dict[str, Any]) -> list[str]:
    """Codes of the procedures named ``name`` with the words of a preferred phrase it lacks inserted (the
    variant the core names miss when the plain name is itself a preferred phrase: "đăng ký khai sinh")."""
    own = _name_key(name)
    out: list[str] = []
    for phrase in phrases:
        extra = {w for w in phrase.split() if w not in own}
        if not extra:
            continue
        for words, codes in _word_lists(catalogue).items():
            if len(words) == len(own) + len(extra) and f" {phrase} " in f" {' '.join(words)} " and tuple(
                    w for w in words if w not in extra) == own:
                out += codes
    return out
