"""Reading Rasa NLU training files (``bot/data/nlu.yml`` and the held-out split).

The Rasa YAML format is the single source of training data: ``nlu: [{intent, examples: "- ..."}]``.
Entity annotations (``[text](entity)`` or ``[text]{"entity": ...}``) are stripped to their text:
entities are found by rules, not learned.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dvcbot.settings import get_settings

_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")

@dataclass(frozen=True)
class Example:
    text: str
    intent: str


def training_file() -> Path:
    return get_settings().rasa_project_dir / "data" / "nlu.yml"


def heldout_file() -> Path:
    return get_settings().data_dir / "eval" / "nlu_heldout.yml"


def strip_annotations(text: str) -> str:
    return _ANNOTATION.sub(r"\1", text)


def load_examples(path: Path) -> list[Example]:
    """All intent examples of a Rasa NLU YAML file, in file order."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[Example] = []
    for block in doc.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue  # synonyms, lookup tables, regexes: not used here
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = strip_annotations(line[2:].strip())
                if text:
                    out.append(Example(text, intent))
    return out


def file_hash(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()
