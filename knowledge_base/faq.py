"""Frequently asked questions (VNeID, online payment, online submission, contacts), validity-aware.

The entries live in ``data/faq/faq.yml`` (hand-written, sources in ``data/faq/PROVENANCE.md``).
Some answers describe policies with a start or end date (for example Hanoi's 0-đồng online fees,
which ended on 31/12/2025). :func:`faq_answer` therefore never returns an answer outside its
validity window: after ``valid_until`` it returns ``expired_answer`` (or a generic "has ended"
text), before ``valid_from`` it says the rule is not in force yet.

Contract used by the other parts::

    from knowledge_base.faq import load_faqs, get_faq, faq_answer, is_current, Faq
    faqs = load_faqs()                       # list[Faq], validated, cached per path
    faq_answer(get_faq("payment.zero_fee_hanoi"))   # respects settings.current_date()

``paraphrases`` feed search only; they must never be copied into an evaluation set.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from dvcbot.hotlines import CALL_HOTLINE
from dvcbot.settings import get_settings

__all__ = [
    "CATEGORIES",
    "Faq",
    "FaqError",
    "faq_answer",
    "faq_path",
    "get_faq",
    "is_current",
    "load_faqs",
    "validity",
]

CATEGORIES: tuple[str, ...] = ("vneid", "payment", "submission", "contact")


_REQUIRED = ("id", "category", "question", "paraphrases", "answer", "source_url")
_OPTIONAL = ("valid_from", "valid_until", "expired_answer", "related_procedures")
_ID_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_CODE_RE = re.compile(r"^\d+\.\d+$")
_URL_RE = re.compile(r"^https?://\S+$")

Validity = Literal["current", "expired", "upcoming"]


class FaqError(ValueError):
    """The FAQ file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Faq:
    """One FAQ entry. ``answer`` is the text while the entry is valid."""

    id: str
    category: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    source_url: tuple[str, ...]
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    expired_answer: str | None = None
    related_procedures: tuple[str, ...] = ()

    @property
    def has_dates(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    @property
    def search_texts(self) -> tuple[str, ...]:
        """The question and its paraphrases: what the search index embeds and matches."""
        return (self.question, *self.paraphrases)


def faq_path() -> Path:
    return get_settings().data_dir / "faq" / "faq.yml"


# --------------------------------------------------------------------------- loading


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FaqError(f"{where}: '{key}' must be a non-empty text")
    return " ".join(value.split())


def _texts(where: str, key: str, value: Any, *, allow_single: bool = False) -> tuple[str, ...]:
    if allow_single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FaqError(f"{where}: '{key}' must be a list")
    return tuple(_text(where, f"{key}[{i}]", v) for i, v in enumerate(value))


def _date(where: str, key: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FaqError(f"{where}: '{key}' must be an ISO date like 2025-12-31, got {value!r}")


def _codes(where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FaqError(f"{where}: 'related_procedures' must be a list")
    codes = []
    for v in value:
        if not isinstance(v, str):
            # an unquoted 3.000228 is read by YAML as the number 3.000228
            raise FaqError(f"{where}: procedure code {v!r} must be quoted text, e.g. \"3.000228\"")
        if not _CODE_RE.match(v.strip()):
            raise FaqError(f"{where}: {v!r} is not a procedure code like 3.000228")
        codes.append(v.strip())
    return tuple(codes)


def _entry(raw: Any, index: int, source: str) -> Faq:
    where = f"{source}: entry {index}"
    if not isinstance(raw, dict):
        raise FaqError(f"{where}: must be a mapping of fields")
    if isinstance(raw.get("id"), str):
        where += f" (id '{raw['id']}')"
    missing = [k for k in _REQUIRED if k not in raw or raw[k] in (None, "", [])]
    if missing:
        raise FaqError(f"{where}: missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise FaqError(f"{where}: unknown field(s): {', '.join(unknown)}")

    faq_id = _text(where, "id", raw["id"])
    if not _ID_RE.match(faq_id):
        raise FaqError(f"{where}: id must look like 'category.topic' (lower case, dots), got {faq_id!r}")
    category = _text(where, "category", raw["category"])
    if category not in CATEGORIES:
        raise FaqError(f"{where}: unknown category {category!r}; known: {', '.join(CATEGORIES)}")
    urls = _texts(where, "source_url", raw["source_url"], allow_single=True)
    for url in urls:
        if not _URL_RE.match(url):
            raise FaqError(f"{where}: source_url {url!r} is not an http(s) URL")
    valid_from = _date(where, "valid_from", raw.get("valid_from"))
    valid_until = _date(where, "valid_until", raw.get("valid_until"))
    if valid_from and valid_until and valid_from > valid_until:
        raise FaqError(f"{where}: valid_from {valid_from} is after valid_until {valid_until}")
    expired = raw.get("expired_answer")
    if expired is not None:
        expired = _text(where, "expired_answer", expired)
        if valid_until is None:
            raise FaqError(f"{where}: expired_answer needs a valid_until date")
    return Faq(
        id=faq_id,
        category=category,
        question=_text(where, "question", raw["question"]),
        paraphrases=_texts(where, "paraphrases", raw["paraphrases"]),
        answer=_text(where, "answer", raw["answer"]),
        source_url=urls,
        valid_from=valid_from,
        valid_until=valid_until,
        expired_answer=expired,
        related_procedures=_codes(where, raw.get("related_procedures")),
    )


def parse_faqs(data: Any, source: str = "<faq>") -> list[Faq]:
    """Validate already-parsed YAML (``{"faqs": [...]}`` or a bare list) into ``Faq`` objects."""
    entries = data.get("faqs") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise FaqError(f"{source}: expected a non-empty list under 'faqs'")
    faqs: list[Faq] = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(entries, start=1):
        faq = _entry(raw, index, source)
        if faq.id in first_seen:
            raise FaqError(
                f"{source}: entry {index} (id '{faq.id}'): duplicate id, first used by entry "
                f"{first_seen[faq.id]}"
            )
        first_seen[faq.id] = index
        faqs.append(faq)
    return faqs


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> tuple[Faq, ...]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FaqError(f"{path}: not valid YAML: {exc}") from exc
    return tuple(parse_faqs(data, source=path))


def load_faqs(path: str | Path | None = None) -> list[Faq]:
    """All FAQ entries of ``path`` (default ``data/faq/faq.yml``), validated.

    Raises :class:`FaqError` naming the file and entry on any problem (duplicate id, missing
    field, unknown category, unparsable date). Cached until the file changes.
    """
    p = Path(path) if path is not None else faq_path()
    if not p.is_file():
        raise FaqError(f"{p}: FAQ file not found")
    return list(_load_cached(str(p.resolve()), p.stat().st_mtime_ns))


def get_faq(faq_id: str, path: str | Path | None = None) -> Faq | None:
    """The entry with this id, or ``None`` when there is none."""
    return next((f for f in load_faqs(path) if f.id == faq_id), None)


# --------------------------------------------------------------------------- validity


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else get_settings().current_date()


def validity(faq: Faq, today: dt.date | None = None) -> Validity:
    """``"upcoming"`` before ``valid_from``, ``"expired"`` after ``valid_until``, else ``"current"``."""
    day = _today(today)
    if faq.valid_from is not None and day < faq.valid_from:
        return "upcoming"
    if faq.valid_until is not None and day > faq.valid_until:
        return "expired"
    return "current"


def is_current(faq: Faq, today: dt.date | None = None) -> bool:
    return validity(faq, today) == "current"


def _vn_date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def faq_answer(faq: Faq, today: dt.date | None = None, *, with_url: bool = True) -> str:
    """The Vietnamese answer valid on ``today`` (default: settings' current date).

    An expired policy is never presented as current: ``expired_answer`` is used, or a generic
    text saying it has ended. A rule that has not started yet is announced with its start date.
    ``with_url`` appends the first source URL (text channels); voice channels pass False.
    """
    state = validity(faq, today)
    if state == "current":
        text = faq.answer
    elif state == "expired":
        assert faq.valid_until is not None
        text = faq.expired_answer or (
            f"Dạ, nội dung này chỉ áp dụng đến ngày {_vn_date(faq.valid_until)} và đã hết hiệu lực. "
            f"Để biết quy định hiện hành, xin gọi {CALL_HOTLINE}."
        )
    else:
        assert faq.valid_from is not None
        text = (
            f"Dạ, quy định này áp dụng từ ngày {_vn_date(faq.valid_from)}, hiện chưa có hiệu lực. "
            f"Để biết quy định đang áp dụng, xin gọi {CALL_HOTLINE}."
        )
    if with_url:
        text = f"{text} Xem thêm: {faq.source_url[0]}"
    return text


# --------------------------------------------------------------------------- CLI helper
