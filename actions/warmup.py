"""Warm the action server: load everything it serves and answer one real request of each kind.

"Ready" means warm: the server's ``/ready`` (see :mod:`actions.server`) says 503 ``warming`` until
:func:`warm_up` has run the real actions once on a procedure question, an FAQ question and a
nearest-agent question, so the first citizen of the day is not the one who waits for the catalogue,
the search index, the encoder and the routing data to load (or times out meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: one real question per kind of request the action server answers
WARM_QUESTIONS: dict[str, tuple[str, str]] = {
    "procedure": ("action_answer_procedure", "đăng ký tạm trú cần giấy tờ gì"),
    "faq": ("action_answer_faq", "quên mật khẩu vneid thì phải làm sao"),
    "routing": ("action_find_agent", "điểm làm thủ tục gần phường cầu giấy"),
}
_INTENTS = {"procedure": "ask_procedure", "faq": "ask_vneid", "routing": "find_agent"}
#: what the NLU service would have found in the warm-up questions (the action server has no NLU)
_ENTITIES = {"procedure": [{"entity": "procedure", "value": "1.004194", "start": 0, "end": 1}]}


@dataclass
class WarmState:
    """Where the warm-up is; read by ``/ready``."""

    status: str = "warming"  # warming | ready | failed
    since: float = field(default_factory=time.time)
    done: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "since": self.since, "done": list(self.done), "error": self.error,
                "seconds": self.seconds}


state = WarmState()


def _actions() -> dict[str, Any]:
    from actions.agents import ActionFindAgent
    from actions.faq import ActionAnswerFaq
    from actions.procedure import ActionAnswerProcedure

    return {a.name(): a for a in (ActionAnswerProcedure(), ActionAnswerFaq(), ActionFindAgent())}


def _ask(action: Any, intent: str, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities, "metadata": {}}
    events = [{"event": "user", "text": text, "parse_data": latest}]
    tracker = Tracker("warm-up", {}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


def warm_up() -> WarmState:
    """Run each kind of request once through the real actions; sets :data:`state`."""
    start = time.perf_counter()
    try:
        actions = _actions()
        for kind, (action_name, text) in WARM_QUESTIONS.items():
            messages = _ask(actions[action_name], _INTENTS[kind], text, _ENTITIES.get(kind, []))
            if not any(m.get("text") for m in messages):
                raise RuntimeError(f"the {kind} warm-up question got no answer")
            state.done.append(kind)
        state.status = "ready"
    except Exception as exc:  # reported by /ready; the server keeps answering honestly
        state.status, state.error = "failed", f"{type(exc).__name__}: {exc}"
        log.exception("warm-up failed")
    state.seconds = round(time.perf_counter() - start, 1)
    log.info("warm-up %s in %.1f s (%s)", state.status, state.seconds, ", ".join(state.done))
    return state


def start_background() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="dvcbot-warmup", daemon=True)
    thread.start()
    return thread
