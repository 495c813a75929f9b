"""The gateway's own Rasa input channel: one request per turn, the replies and the intent in one answer.

``POST /webhooks/dvcbot/webhook`` with ``{"sender", "message", "metadata"}`` answers
``{"messages": [...], "intent": "...", "confidence": 0.93}``. Compared with Rasa's REST channel it

- returns the intent and confidence of the message, so the gateway no longer asks for the tracker
  after every turn (one HTTP round trip and a tracker serialisation less per turn);
- parses the message *before* it touches the conversation: when the NLU service fails, Rasa would
  log the message with an empty intent and answer "chưa hiểu"; here nothing is logged on the tracker
  and the gateway gets ``503 {"error": "nlu_unavailable"}``, so the citizen gets the apology and a
  retry of the same message is processed normally;
- never writes the citizen's text into Rasa's log (the REST channel does on every failure);
- answers a retry of a message it already processed (``metadata.retry``, sent by the gateway when it
  takes over a turn that failed or was abandoned) from the conversation, never a second time; when
  the first pass reached the conversation but gave no answer (a part died mid-turn), it is undone
  with Rasa's ``UserUtteranceReverted`` before the retry, so the message counts once;
- checks a shared token (``DVCBOT_RASA_TOKEN``, header ``Authorization: Bearer …``) when one is set.

Only public Rasa 3.6 API is used: ``processor.parse_message``, ``UserMessage(parse_data=…)`` and
``agent.handle_message`` (which takes the conversation's lock).
"""

from __future__ import annotations

import hmac
import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

import rasa_speedups  # bot/, on Rasa's path like this module
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUtteranceReverted, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

rasa_speedups.install()  # Rasa loads this channel before any message: every worker gets it

logger = logging.getLogger(__name__)


#: bot message metadata an action sets when it answered the message for another intent than the
#: NLU's (a short follow-up of a VNeID answer labelled ``ask_procedure``): the intent reported to
#: the gateway (``actions/followup.py`` ``ANSWER_INTENT_KEY``)
ANSWER_INTENT_KEY = "dvcbot_intent"


class AnswerCollector(CollectingOutputChannel):
    """Collects the replies, and the intent an action said it answered (:data:`ANSWER_INTENT_KEY`)."""

    def __init__(self) -> None:
        super().__init__()
        self.answered_intent: str | None = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get(ANSWER_INTENT_KEY):
            self.answered_intent = str(message[ANSWER_INTENT_KEY])
        await super().send_response(recipient_id, message)


def _error(status: int, key: str, detail: str) -> HTTPResponse:
    return response.json({"error": key, "detail": detail}, status=status)


def replay_of(events: list[Any], message_id: str) -> dict[str, Any] | None:
    """The answer already given to the user message ``message_id``, or None if it never reached the
    conversation. Used for a retry the gateway could not see the end of (it was restarted, or gave
    up): the message was processed once, so its replies are answered again instead of a second pass.
    """
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if not isinstance(event, UserUttered) or (event.metadata or {}).get("message_id") != message_id:
            continue
        messages = []
        intent = event.intent.get("name")
        for later in events[i + 1:]:
            if isinstance(later, UserUttered):
                break
            if isinstance(later, BotUttered):
                intent = (later.metadata or {}).get(ANSWER_INTENT_KEY) or intent
                message = {"text": later.text or ""}
                for key in ("buttons", "custom", "image", "attachment"):
                    if (later.data or {}).get(key):
                        message[key] = later.data[key]
                messages.append(message)
        if not messages:  # the first pass gave no answer (e.g. the action server was down): answer now
            return None
        return {"messages": messages, "intent": intent,
                "confidence": event.intent.get("confidence"), "replayed": True}
    return None


def unanswered_last(events: list[Any], message_id: str) -> bool:
    """True when the conversation's last user message is ``message_id`` and nothing answered it: the
    first pass died mid-turn, and its trace (the message, any slots an action set) is to be undone
    before the retry processes the message again."""
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if isinstance(event, UserUttered):
            if (event.metadata or {}).get("message_id") != message_id:
                return False
            return not any(isinstance(later, BotUttered) for later in events[i + 1:])
        if isinstance(event, UserUtteranceReverted):
            return False  # already undone
    return False


class DvcbotInput(InputChannel):
    """Rasa input channel used by dvcbot's gateway (``credentials.yml``: ``dvcbot_channel.DvcbotInput``)."""

    @classmethod
    def name(cls) -> str:
        return "dvcbot"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.token = os.environ.get("DVCBOT_RASA_TOKEN", "")

    def _authorised(self, request: Request) -> bool:
        if not self.token:
            return True
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("dvcbot_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return _error(401, "unauthorized", "missing or wrong token")
            body = request.json if isinstance(request.json, dict) else None
            if body is None or not isinstance(body.get("sender"), str) or not isinstance(body.get("message"), str):
                return _error(400, "bad_request", 'send {"sender": str, "message": str, "metadata": {}}')
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            agent = request.app.ctx.agent
            if agent is None or not agent.is_ready():
                return _error(503, "not_ready", "no model loaded")
            sender, text = body["sender"], body["message"]
            if metadata.get("retry") and metadata.get("message_id"):
                async with agent.lock_store.lock(sender):  # an earlier pass still running ends first
                    tracker = await agent.tracker_store.retrieve(sender)
                    events = list(tracker.events) if tracker else []
                    answered = replay_of(events, metadata["message_id"])
                    if answered is None and tracker is not None and unanswered_last(events, metadata["message_id"]):
                        # undone, listening again: the state the retry's message arrives in
                        tracker.update(UserUtteranceReverted())
                        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                        await agent.tracker_store.save(tracker)
                if answered is not None:
                    return response.json(answered)
            collector = AnswerCollector()
            probe = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            try:
                parse_data = await agent.processor.parse_message(probe)
            except CancelledError:
                raise
            except Exception as exc:  # the text is never logged: it may hold personal data
                logger.error("dvcbot channel: parse failed for %s: %s", sender, type(exc).__name__)
                return _error(503, "nlu_unavailable", "the NLU service did not answer")
            intent = parse_data.get("intent") or {}
            if not intent.get("name"):
                return _error(503, "nlu_unavailable", "the NLU service did not answer")
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata,
                                  parse_data=parse_data)
            try:
                await on_new_message(message)
            except CancelledError:
                raise
            except Exception as exc:
                logger.error("dvcbot channel: dialogue failed for %s: %s", sender, type(exc).__name__)
                return _error(500, "dialogue_failed", "the dialogue failed on this message")
            return response.json({"messages": collector.messages,
                                  "intent": collector.answered_intent or intent.get("name"),
                                  "confidence": intent.get("confidence")})

        return bp
