"""Reading what the NLU service put into the latest user message (``tracker.latest_message``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Rasa's "intent payload" prefix: ``/ask_procedure{"procedure": "1.004194"}`` bypasses free text
PAYLOAD_PREFIX = "/"


@dataclass(frozen=True)
class Candidate:
    """One procedure the NLU service thinks the message may be about."""

    code: str
    name: str
    score: float


def intent_name(message: dict[str, Any] | None) -> str:
    return str(((message or {}).get("intent") or {}).get("name") or "")


def message_text(message: dict[str, Any] | None) -> str:
    return str((message or {}).get("text") or "")


def is_payload(text: str) -> bool:
    """True for button payloads and other Rasa intent-syntax messages (no real user wording)."""
    return text.strip().startswith(PAYLOAD_PREFIX)


def entity_values(message: dict[str, Any] | None, entity: str) -> list[str]:
    """Values of ``entity`` in the order the NLU service gave them, without empty ones."""
    values: list[str] = []
    for ent in (message or {}).get("entities") or []:
        if isinstance(ent, dict) and ent.get("entity") == entity:
            value = ent.get("value")
            if value is not None and str(value).strip():
                values.append(str(value).strip())
    return values


def first_entity(message: dict[str, Any] | None, entity: str) -> str | None:
    values = entity_values(message, entity)
    return values[0] if values else None


def procedure_candidates(message: dict[str, Any] | None) -> list[Candidate]:
    """``procedure_candidates`` of the NLU parse, best first; malformed items are skipped."""
    out: list[Candidate] = []
    for item in (message or {}).get("procedure_candidates") or []:
        if not isinstance(item, dict) or not item.get("code"):
            continue
        try:
            score = float(item.get("score") or 0.0)
        except (TypeError, ValueError):
            score = 0.0
        out.append(Candidate(str(item["code"]), str(item.get("name") or ""), score))
    return sorted(out, key=lambda c: c.score, reverse=True)


def location(message: dict[str, Any] | None) -> tuple[float, float] | None:
    """A location the channel shared with the message (gateway metadata ``{"lat": .., "lon": ..}``)."""
    meta = (message or {}).get("metadata") or {}
    loc = meta.get("location") if isinstance(meta.get("location"), dict) else meta
    try:
        lat, lon = float(loc["lat"]), float(loc["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
        return lat, lon
    return None
