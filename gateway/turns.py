"""The one turn service: every channel (chat API, widget, Zalo, voice) hands each citizen message here.

A turn:

1. claims the message id in the turn store (a retried message is answered from the stored reply,
   never processed twice; a copy that is still being processed is waited for in this process);
2. runs the hooks that may answer instead of the dialogue (e.g. a conversation handed to a person);
3. waits for a place in the bounded queue (backpressure: when the queue is full the citizen is told
   at once that many people are asking and to try again shortly — nothing is half-processed);
4. keeps the turns of one conversation strictly in order;
5. checks that every part is warm, sends the message to Rasa's dvcbot channel and gets the replies
   with the intent;
6. stores the turn; when a part is down the citizen gets the apology with the hotline and the
   message id is released so that a retry is processed.

A turn the client stopped waiting for keeps running to the end and its reply is stored, so the
retry gets that reply instead of a second pass through the dialogue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from dvcbot.settings import Settings
from gateway.rasa_client import BackendDown, DialogueReply, RasaClient
from gateway.readiness import ReadinessMonitor
from gateway.replies import APOLOGY, BUSY, STILL_PROCESSING
from gateway.schemas import BotMessage, ChatResponse
from gateway.store import TurnStore

log = logging.getLogger("gateway.turns")


@dataclass
class TurnRequest:
    """One citizen message, as any channel hands it over (already validated by the channel)."""

    session_id: str
    text: str
    channel: str = "api"
    message_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def sender(self) -> str:
        """The conversation's id in Rasa: one per channel and session."""
        return f"{self.channel}:{self.session_id}"


def dialogue_text(text: str, metadata: dict[str, Any]) -> str:
    """What the dialogue is sent for a citizen message: a message that shares a location asks for the
    nearest service points whatever its words ("đây nhé", "vị trí của tôi", "ok"), so it is the
    find_agent payload the widget and Zalo send for a location (:data:`channels.replies.LOCATION_TURN_TEXT`;
    the coordinates stay in the metadata). A button payload is sent as it is."""
    from channels.replies import LOCATION_TURN_TEXT

    if metadata.get("location") and not text.lstrip().startswith("/"):
        return LOCATION_TURN_TEXT
    return text


#: a hook may answer a turn instead of the dialogue (returns the response) or let it pass (None)
TurnHook = Callable[[TurnRequest, str], Awaitable[ChatResponse | None]]


def to_messages(raw: list[dict[str, Any]]) -> list[BotMessage]:
    """Rasa's reply messages as the public API's messages (empty ones dropped)."""
    messages = []
    for m in raw:
        if not (m.get("text") or m.get("buttons") or m.get("custom")):
            continue
        messages.append(BotMessage(text=m.get("text") or "", buttons=m.get("buttons") or None,
                                   custom=m.get("custom")))
    return messages


class QueueFull(Exception):
    """No place left in the turn queue."""


class _Admission:
    """A bounded queue in front of the dialogue: ``limit`` turns at once, ``queue_size`` waiting."""

    def __init__(self, limit: int, queue_size: int) -> None:
        self._sem = asyncio.Semaphore(max(1, limit))
        self._waiting = 0
        self.queue_size = max(0, queue_size)
        self.in_flight = 0

    async def __aenter__(self) -> _Admission:
        if self._sem.locked() and self._waiting >= self.queue_size:
            raise QueueFull
        self._waiting += 1
        try:
            await self._sem.acquire()
        finally:
            self._waiting -= 1
        self.in_flight += 1
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.in_flight -= 1
        self._sem.release()

    def snapshot(self) -> dict[str, int]:
        return {"in_flight": self.in_flight, "waiting": self._waiting, "queue_size": self.queue_size}


class TurnService:
    """Owns the path of a turn from any channel to the dialogue and back (see the module docstring)."""

    def __init__(self, settings: Settings, store: TurnStore, rasa: RasaClient, readiness: ReadinessMonitor,
                 hooks: list[TurnHook] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.rasa = rasa
        self.readiness = readiness
        self.hooks: list[TurnHook] = list(hooks or [])
        self._admission = _Admission(settings.turn_concurrency, settings.turn_queue_size)
        self._session_locks: dict[str, asyncio.Lock] = {}
        self._session_users: dict[str, int] = {}
        #: turns being processed in this process: (session, message id) -> the future of their reply
        self._running: dict[tuple[str, str], asyncio.Future[ChatResponse]] = {}

    def load(self) -> dict[str, int]:
        """How busy the queue is (for ``/readyz`` details and logs)."""
        return self._admission.snapshot()

    # --- the turn -------------------------------------------------------------------------------
    async def handle(self, req: TurnRequest) -> ChatResponse:
        claim = await run_in_threadpool(self.store.claim, req.session_id, req.message_id, req.channel, req.text)
        key = (req.sender, claim.message_id)
        if not claim.fresh:
            return await self._replay(req, claim)
        future: asyncio.Future[ChatResponse] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        # the turn runs in its own task: a client that disconnects does not cancel it, and its reply
        # is stored for the retry
        task = asyncio.create_task(self._process(req, claim.message_id, claim.retry))
        task.add_done_callback(lambda t: self._settle(key, future, t))
        return await asyncio.shield(future)

    def _settle(self, key: tuple[str, str], future: asyncio.Future[ChatResponse], task: asyncio.Task) -> None:
        self._running.pop(key, None)
        if future.done():
            return
        if task.cancelled():
            future.cancel()
        elif task.exception() is not None:
            future.set_exception(task.exception())  # type: ignore[arg-type]
        else:
            future.set_result(task.result())

    async def _replay(self, req: TurnRequest, claim: Any) -> ChatResponse:
        running = self._running.get((req.sender, claim.message_id))
        if claim.response is None and running is not None:  # the first copy is being processed here
            try:
                response = await asyncio.wait_for(asyncio.shield(running), self.settings.turn_timeout)
                return response.model_copy(update={"replayed": True})
            except (TimeoutError, asyncio.CancelledError):
                pass
        if claim.response is None:
            return ChatResponse(session_id=req.session_id, message_id=claim.message_id,
                                messages=[BotMessage(text=STILL_PROCESSING)], replayed=True)
        return ChatResponse(**{**claim.response, "replayed": True})

    async def _process(self, req: TurnRequest, message_id: str, retry: bool = False) -> ChatResponse:
        start = time.perf_counter()
        ok = True
        try:
            response = await self._answer(req, message_id, retry)
        except QueueFull:
            response, ok = self._busy(req, message_id), False
        except BackendDown as exc:
            log.warning("session %s: back end down (%s)", req.session_id, exc)
            response, ok = self._apology(req, message_id), False
        except Exception:  # never a 500 for the citizen: the apology, and the retry is processed
            log.exception("session %s: the turn failed", req.session_id)
            response, ok = self._apology(req, message_id), False
        await run_in_threadpool(self.store.finish, req.session_id, message_id,
                                response.model_dump(exclude_none=True), response.intent, response.confidence, ok,
                                req.channel)
        log.info("turn %s/%s channel=%s intent=%s confidence=%s took_ms=%.0f%s", req.session_id, message_id,
                 req.channel, response.intent, response.confidence, (time.perf_counter() - start) * 1000,
                 "" if ok else " (not answered: " + ("busy" if response.busy else "degraded") + ")")
        return response

    async def _answer(self, req: TurnRequest, message_id: str, retry: bool = False) -> ChatResponse:
        for hook in self.hooks:
            answered = await hook(req, message_id)
            if answered is not None:
                return answered
        async with self._session_lock(req.sender), self._admission:
            await self._ensure_ready()
            metadata = {**req.metadata, "channel": req.channel, "message_id": message_id}
            if retry:  # Rasa answers from the conversation if it processed this message already
                metadata["retry"] = True
            reply: DialogueReply = await self.rasa.send(req.sender, dialogue_text(req.text, req.metadata), metadata)
        if not reply.messages and not (await self.readiness.get(fresh=True)).ready:
            raise BackendDown("a part went down during the turn")
        return ChatResponse(session_id=req.session_id, message_id=message_id, messages=to_messages(reply.messages),
                            intent=reply.intent, confidence=reply.confidence)

    async def _ensure_ready(self) -> None:
        readiness = await self.readiness.get()
        if not readiness.ready and not (readiness := await self.readiness.get(fresh=True)).ready:
            waiting = ", ".join(f"{name} ({c.state})" for name, c in readiness.components.items() if not c.ok)
            raise BackendDown(f"not ready: {waiting}")

    def _session_lock(self, sender: str) -> _SessionLock:
        return _SessionLock(self, sender)

    # --- fixed replies ----------------------------------------------------------------------------
    @staticmethod
    def _apology(req: TurnRequest, message_id: str) -> ChatResponse:
        return ChatResponse(session_id=req.session_id, message_id=message_id,
                            messages=[BotMessage(text=APOLOGY)], degraded=True)

    @staticmethod
    def _busy(req: TurnRequest, message_id: str) -> ChatResponse:
        return ChatResponse(session_id=req.session_id, message_id=message_id,
                            messages=[BotMessage(text=BUSY)], busy=True)


class _SessionLock:
    """The turns of one conversation one after the other; the lock is dropped when nobody needs it."""

    def __init__(self, service: TurnService, sender: str) -> None:
        self.service, self.sender = service, sender

    async def __aenter__(self) -> None:
        s = self.service
        lock = s._session_locks.setdefault(self.sender, asyncio.Lock())
        s._session_users[self.sender] = s._session_users.get(self.sender, 0) + 1
        await lock.acquire()

    async def __aexit__(self, *_exc: object) -> None:
        s = self.service
        s._session_locks[self.sender].release()
        s._session_users[self.sender] -= 1
        if not s._session_users[self.sender]:
            del s._session_users[self.sender]
            del s._session_locks[self.sender]
