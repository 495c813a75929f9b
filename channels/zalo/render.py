"""Assistant replies rendered for Zalo: text split under the length limit, buttons as choices.

Zalo refuses text messages over its length limit, so a long answer is cut at sentence boundaries
(then at spaces), never inside a link. Buttons become Zalo's template buttons when the operator
enabled them, otherwise a numbered list the citizen answers with the number
(:func:`choice_for_number` maps it back to the button's payload).
"""

from __future__ import annotations

import re
from typing import Any

from gateway.schemas import BotMessage

_URL = re.compile(r"https?://\S+")
#: a sentence ends at . ! ? … or a line break, followed by white space
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\n+")


def _pieces(text: str) -> list[str]:
    """Sentences (each keeps its trailing punctuation); URLs are never split by the dots inside."""
    protected: list[str] = []

    def hide(match: re.Match) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    hidden = _URL.sub(hide, text)
    out = []
    for part in _SENTENCE_END.split(hidden):
        part = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], part).strip()
        if part:
            out.append(part)
    return out


def _hard_split(sentence: str, limit: int) -> list[str]:
    """A sentence longer than the limit: cut at spaces; a single word longer than it (a very long
    link) is kept whole in its own chunk rather than broken."""
    chunks: list[str] = []
    current = ""
    for word in sentence.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            chunks.append(current)
            current = word
    if current:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int) -> list[str]:
    """``text`` as messages of at most ``limit`` characters, cut between sentences."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    for sentence in _pieces(text):
        for piece in (_hard_split(sentence, limit) if len(sentence) > limit else [sentence]):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def numbered_choices(buttons: list[Any]) -> str:
    lines = ["Anh chị trả lời bằng số để chọn:"]
    lines += [f"{i}. {b.title}" for i, b in enumerate(buttons, 1)]
    return "\n".join(lines)


def render(messages: list[BotMessage], limit: int, template_buttons: bool = False) -> list[dict[str, Any]]:
    """The ``message`` objects to send, in order, for the replies of one turn."""
    out: list[dict[str, Any]] = []
    for msg in messages:
        text = msg.text or ""
        custom = msg.custom or {}
        if not text and isinstance(custom.get("text"), str):
            text = custom["text"]
        if isinstance(custom.get("map_url"), str) and custom["map_url"] not in text:
            text = f"{text}\nBản đồ: {custom['map_url']}".strip()
        buttons = msg.buttons or []
        if buttons and not template_buttons:
            text = f"{text}\n\n{numbered_choices(buttons)}".strip()
        parts = split_text(text, limit)
        for i, part in enumerate(parts):
            message: dict[str, Any] = {"text": part}
            if buttons and template_buttons and i == len(parts) - 1:
                message["attachment"] = {"type": "template", "payload": {"buttons": [
                    {"title": b.title[:100], "type": "oa.query.hide", "payload": b.payload} for b in buttons[:5]]}}
            out.append(message)
    return out


def choice_for_number(text: str, buttons: list[dict[str, Any]]) -> str | None:
    """The payload of button ``n`` when the citizen answered a numbered list with ``n``."""
    stripped = text.strip().rstrip(".)")
    if not stripped.isdigit():
        return None
    n = int(stripped)
    if 1 <= n <= len(buttons):
        return str(buttons[n - 1].get("payload") or buttons[n - 1].get("title") or "") or None
    return None
