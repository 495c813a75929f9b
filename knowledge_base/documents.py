"""What text of each procedure and FAQ gets indexed.

Every searchable *item* (a procedure or an FAQ entry) gets several short *passages*; both
retrievers score passages and an item takes the best score of its passages. Short passages match
short citizen questions far better than one long concatenation:

- procedure: its official name, the name without boilerplate ("Thủ tục ...", "(thực hiện tại cấp
  tỉnh)"), each alias citizens use, and the short name with its field ("Hộ tịch: đăng ký khai sinh");
- FAQ: its question and each paraphrase.

Two more passages feed only the lexical retriever: the field + short name (on the dev set it added
nothing to the dense retriever and cost 40 % of the encoding time of a build) and the result
("Hộ chiếu phổ thông", "Giấy phép lái xe": citizens often name the paper they want, not the
procedure).

Bump :data:`DOCUMENTS_VERSION` whenever this module changes what is indexed: it is part of the
index content hash, so the next ``dvcbot kb build`` rebuilds the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dvcbot.textnorm import fold

__all__ = ["DOCUMENTS_VERSION", "Item", "Passage", "short_name", "build_corpus"]

DOCUMENTS_VERSION = "3"

#: passage sources that are not embedded (lexical only)
LEXICAL_ONLY_SOURCES = frozenset({"field_name", "result"})

#: longest passage kept (characters); official names can run to several hundred characters
MAX_PASSAGE_CHARS = 300

_PREFIX = re.compile(r"^\s*(thủ tục|tthc)\s*[:\-]?\s*", re.IGNORECASE)
_LEVEL = re.compile(r"\s*\((?:thực hiện |thực hiện ở |thực hiện tại )?(?:ở )?cấp [^)]*\)\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Item:
    """One searchable thing: a procedure (``id`` = code) or an FAQ entry (``id`` = FAQ id)."""

    kind: str  # "procedure" | "faq"
    id: str
    title: str
    essential: bool = False
    source_url: str = ""
    popularity_rank: int | None = None


@dataclass(frozen=True)
class Passage:
    item: int  # index into the item list
    text: str
    source: str  # name | short_name | alias | field_name | result | question | paraphrase

    @property
    def dense(self) -> bool:
        """Whether the passage is embedded for the dense retriever."""
        return self.source not in LEXICAL_ONLY_SOURCES


def short_name(name: str) -> str:
    """The name without "Thủ tục" and "(thực hiện tại cấp ...)" boilerplate, one line."""
    text = _SPACES.sub(" ", name or "").strip()
    text = _PREFIX.sub("", text)
    text = _LEVEL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" .;")
    return text[:1].upper() + text[1:] if text else (name or "").strip()


def _cut(text: str) -> str:
    text = _SPACES.sub(" ", text or "").strip()
    if len(text) <= MAX_PASSAGE_CHARS:
        return text
    cut = text[:MAX_PASSAGE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _first_url(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and value:
        return str(value[0])
    return ""


def procedure_passages(proc: Any) -> list[tuple[str, str]]:
    """(text, source) passages of one procedure."""
    out: list[tuple[str, str]] = [(proc.name, "name")]
    short = short_name(proc.name)
    out.append((short, "short_name"))
    out.extend((a, "alias") for a in getattr(proc, "aliases", ()) or ())
    if getattr(proc, "field", ""):
        out.append((f"{proc.field}: {short}", "field_name"))
    if getattr(proc, "result", ""):
        out.append((proc.result, "result"))
    return out


def faq_passages(faq: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [(faq.question, "question")]
    out.extend((p, "paraphrase") for p in getattr(faq, "paraphrases", ()) or ())
    return out


def build_corpus(procedures: Mapping[str, Any], faqs: Iterable[Any]) -> tuple[list[Item], list[Passage]]:
    """Items and their passages, deduplicated per item on the folded text, in a stable order."""
    items: list[Item] = []
    passages: list[Passage] = []

    def add(item: Item, texts: list[tuple[str, str]]) -> None:
        idx = len(items)
        items.append(item)
        seen: set[str] = set()
        for text, source in texts:
            text = _cut(text)
            key = fold(text)
            if not key or key in seen:
                continue
            seen.add(key)
            passages.append(Passage(idx, text, source))

    for code in sorted(procedures):
        p = procedures[code]
        add(
            Item(
                "procedure",
                p.code,
                short_name(p.name),
                bool(getattr(p, "essential", False)),
                getattr(p, "source_url", "") or "",
                getattr(p, "popularity_rank", None),
            ),
            procedure_passages(p),
        )
    for f in sorted(faqs, key=lambda f: f.id):
        add(Item("faq", f.id, f.question, False, _first_url(getattr(f, "source_url", ""))), faq_passages(f))
    return items, passages
