"""A follow-up naming a filing channel stays on the procedure talked about, even after an FAQ aside.

After a procedure answer the citizen often asks about a rule in passing ("nghe nói nộp online miễn phí
mà"); the bot answers it with an FAQ entry, and the next message goes back to the procedure by its
channel: "vậy nộp trực tiếp thì bao nhiêu", "nop online thi mat may ngay", "qua bưu điện thì mang gì".
The FAQ topic has no fee, time or papers of a channel; the procedure has. :func:`channel_followup_code`
is the deciding function: the procedure answered before the aside, when the message names a channel,
asks one aspect of a procedure and names no other procedure or topic.
"""

from __future__ import annotations

import re
from typing import Any

from actions.message import entity_values, is_payload, message_text
from dvcbot.textnorm import fold

#: the ways a procedure is filed, as a citizen names them (folded): in person, online, by post
_CHANNEL = re.compile(r"\b(?:truc tiep|online|onl|truc tuyen|qua mang|tren mang|qua app|qua buu dien|buu chinh"
                      r"|tai (?:cho|quay|bo phan mot cua))\b")
#: a follow-up is short: a longer message is a question of its own
MAX_WORDS = 14
#: the aspects a channel changes (what it costs, how long it takes, what to bring, where to go)
CHANNEL_ASPECTS = frozenset({"fee", "processing_time", "documents", "where"})


#: an amount asked with no other word ("trực tiếp thì bao nhiêu"): beside a channel, what it costs (folded)
_AMOUNT = re.compile(r"\b(?:bao nhieu|may tien|may nghin|het bao|mat bao)\b(?! (?:lau|ngay|hom|tuan|thang|gio|lan|trang|nguoi))")


def channel_aspect(text: str) -> str | None:
    """The aspect a message naming a channel asks besides the channel itself: its fee ("trực tiếp thì bao
    nhiêu"), time, papers or place, None for another or none (the channel alone is not what is asked)."""
    from actions.followup import specific_aspect

    rest = _CHANNEL.sub(" ", fold(text))
    if _AMOUNT.search(rest):
        return "fee"
    aspect = specific_aspect(rest)
    return aspect if aspect in CHANNEL_ASPECTS else None


def names_filing_channel(text: str) -> bool:
    """The message names a way of filing (in person, online, by post)."""
    return bool(_CHANNEL.search(fold(text)))


def procedure_before_aside(events: list[dict[str, Any]]) -> str | None:
    """The procedure the bot answered last within reach (:data:`actions.followup.SLOT_LOOKBACK_TURNS`), read
    past FAQ answers given in between; None when there is none or it was only guessed."""
    from actions.followup import SLOT_LOOKBACK_TURNS, _recent_bot_indices, topic_of_reply

    for i in _recent_bot_indices(events, SLOT_LOOKBACK_TURNS):
        topic = topic_of_reply(events, i)
        if topic is not None and topic.kind == "procedure":
            return None if topic.guessed else topic.code
    return None


def channel_followup_code(message: dict[str, Any], events: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(the procedure, the aspect) a short message naming a channel asks about, after an FAQ aside within a
    procedure's conversation ("vậy nộp trực tiếp thì bao nhiêu" after the 0-đồng policy answer), or None."""
    from actions.followup import conversation_topic, followup_words, names_other_topic

    text = message_text(message)
    if not text.strip() or is_payload(text) or not names_filing_channel(text) or names_other_topic(text):
        return None
    if len(followup_words(text)) > MAX_WORDS:
        return None
    topic = conversation_topic(events)
    if topic is None or topic.kind != "faq":
        return None
    aspect = channel_aspect(text)
    if aspect is None:
        return None
    code = procedure_before_aside(events)
    if code is None or any(named != code for named in entity_values(message, "procedure")):
        return None
    return code, aspect


def answer_channel_followup(dispatcher: Any, tracker: Any) -> list[dict[str, Any]] | None:
    """Answer the aspect of the procedure a channel follow-up goes back to (:func:`channel_followup_code`),
    or None when the latest message is none."""
    from actions import kb
    from actions.procedure import answer_with

    back = channel_followup_code(tracker.latest_message or {}, list(getattr(tracker, "events", None) or []))
    proc = kb.procedure(back[0]) if back is not None else None
    return answer_with(dispatcher, proc, back[1], guessed=False) if proc is not None and back is not None else None
