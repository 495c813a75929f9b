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
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.message import Candidate, entity_values, message_text, procedure_candidates
from dvcbot.textnorm import tokens
from knowledge_base.aspects import ASPECT_LABELS, ASPECTS

log = logging.getLogger(__name__)

#: a candidate below this score (the knowledge base's fused scale) is never taken or offered
MIN_SCORE = 0.5
#: the top candidate is answered directly when it leads the next one by at least this much
CLEAR_MARGIN = 0.08
#: how many candidates the clarification question offers
CLARIFY_TOP = 3
#: aspects offered as follow-up buttons after an answer, in this order
FOLLOW_UP_ASPECTS = ("documents", "fee", "processing_time", "where", "online")
#: replies that ask "which procedure?": the next message keeps the aspect asked before them
ASKING_RESPONSES = frozenset({"utter_clarify_procedure", "utter_ask_which_procedure"})
#: folded words that never name a procedure: question words, aspects, politeness, generic verbs.
#: A candidate counts only when the message shares another word with its name, because the
#: search always returns *something* (with high scores for popular procedures) even for
#: "thế lệ phí bao nhiêu?", which names no procedure and is a follow-up.
NON_NAMING = frozenset(
    tokens(
        "thế thì còn vậy nữa với cho tôi mình em anh chị cháu bác ạ ơi nhé nhỉ à là có không được cần gì "
        "những nào ở đâu bao nhiêu lâu mất giờ khi mấy ngày tuần tháng tiền lệ phí thời gian hạn giải quyết "
        "nộp hồ sơ giấy tờ mang theo chuẩn bị trực tuyến online mạng qua trên tại làm thủ tục đăng ký cấp "
        "như sao các bước cách hướng dẫn kết quả nhận căn cứ pháp lý luật quy định xin hỏi muốn phải đi đến "
        "và hay hoặc của người nơi chỗ cơ quan nào việc đó này kia ra vào lên về bây nay rồi đã sẽ đang"
    )
)


def names_procedure(text: str, title: str) -> bool:
    """True when ``text`` shares a meaningful (non-generic) word with the procedure ``title``."""
    return bool((set(tokens(text)) - NON_NAMING) & (set(tokens(title)) - NON_NAMING))


@dataclass
class ProcedureChoice:
    """What to do with the message: ``answer`` a code, ``clarify`` between candidates, or ``ask``."""

    kind: str
    code: str | None = None
    aspect: str | None = None
    candidates: list[Candidate] = field(default_factory=list)


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


def choose_procedure(
    message: dict[str, Any], previous_code: str | None, known: Any, pending_aspect: str | None = None
) -> ProcedureChoice:
    """Decide which procedure ``message`` is about. ``known`` is the catalogue (``code -> Procedure``).

    ``pending_aspect``: the aspect of a question the bot has just asked "which procedure?" about;
    the reply naming the procedure ("tạm trú") gets the answer to that question.
    """
    own_aspect = _aspect(message)
    aspect = own_aspect or pending_aspect
    for code in entity_values(message, "procedure"):
        if code in known:
            return ProcedureChoice("answer", code, aspect)
    text = message_text(message)
    named = [
        c
        for c in procedure_candidates(message)
        if c.code in known
        and c.score >= MIN_SCORE
        and names_procedure(text, c.name or getattr(known[c.code], "name", ""))
    ]
    if not named:
        if own_aspect and previous_code in known:  # "thế lệ phí bao nhiêu?": same procedure, new aspect
            return ProcedureChoice("answer", previous_code, own_aspect)
        return ProcedureChoice("ask", aspect=aspect)
    second = named[1].score if len(named) > 1 else 0.0
    if named[0].score - second >= CLEAR_MARGIN:
        return ProcedureChoice("answer", named[0].code, aspect)
    return ProcedureChoice("clarify", aspect=aspect, candidates=named[:CLARIFY_TOP])


def ask_payload(code: str, aspect: str | None = None) -> str:
    """Rasa intent payload that asks about ``code`` (and ``aspect``) without going through the NLU."""
    entities: dict[str, str] = {"procedure": code}
    if aspect:
        entities["procedure_aspect"] = aspect
    return "/ask_procedure" + json.dumps(entities, ensure_ascii=False)


def aspect_buttons(code: str, asked: str | None) -> list[dict[str, str]]:
    """Up to three buttons for the aspects the citizen did not ask yet."""
    aspects = [a for a in FOLLOW_UP_ASPECTS if a != asked][:3]
    return [{"title": ASPECT_LABELS[a].capitalize(), "payload": ask_payload(code, a)} for a in aspects]


def _name(candidate: Candidate, catalogue: dict[str, Any]) -> str:
    proc = catalogue.get(candidate.code)
    return candidate.name or getattr(proc, "name", "") or candidate.code


class ActionAnswerProcedure(Action):
    def name(self) -> str:
        return "action_answer_procedure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        catalogue = kb.catalogue()
        if not catalogue:
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        asked = last_bot_response(tracker.events) in ASKING_RESPONSES
        pending = tracker.get_slot("procedure_aspect") if asked else None
        decision = choose_procedure(
            tracker.latest_message or {},
            tracker.get_slot("procedure"),
            catalogue,
            pending if pending in ASPECTS else None,
        )
        if decision.kind == "ask":
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
            return [SlotSet("procedure_aspect", decision.aspect)]
        proc = catalogue[decision.code]
        text = kb.procedure_text(proc, decision.aspect)
        if text is None:
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        log.info("procedure answer: code=%s aspect=%s", decision.code, decision.aspect)
        dispatcher.utter_message(text=text, buttons=aspect_buttons(proc.code, decision.aspect))
        return [
            SlotSet("procedure", proc.code),
            SlotSet("procedure_aspect", decision.aspect),
            SlotSet("fallback_count", 0.0),
        ]
