"""The Zalo channel at run time: stored events answered by background workers, and the outbound
delivery of staff replies.

Events of one citizen are answered in order (each citizen maps to one of a few worker queues);
different citizens are answered concurrently.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from channels.replies import LOCATION_TURN_TEXT, TEXT_ONLY, TOO_LONG, WELCOME
from channels.zalo.client import ZaloClient, ZaloError
from channels.zalo.inbox import Inbox, InboxRow, event_user
from channels.zalo.render import choice_for_number, render
from dvcbot.settings import Settings
from gateway.replies import STILL_PROCESSING
from gateway.schemas import MAX_TEXT_CHARS, BotMessage
from gateway.turns import TurnRequest

log = logging.getLogger("channels.zalo")

CHANNEL = "zalo"
#: events answered with "please type your question"
NON_TEXT_EVENTS = frozenset({
    "user_send_image", "user_send_sticker", "user_send_gif", "user_send_audio", "user_send_video",
    "user_send_file", "user_send_link", "user_send_business_card",
})
#: events that get an answer; everything else is recorded and ignored
ANSWERED_EVENTS = frozenset({"user_send_text", "user_send_location", "follow"}) | NON_TEXT_EVENTS


class TurnHandler(Protocol):
    async def handle(self, request: Any) -> Any: ...


def session_for(user_id: str) -> str:
    return f"zalo-{user_id}"


def user_for(session_id: str) -> str | None:
    return session_id.removeprefix("zalo-") if session_id.startswith("zalo-") else None


def settings_missing(settings: Settings) -> list[str]:
    needed = {"zalo_app_id": settings.zalo_app_id, "zalo_oa_secret_key": settings.zalo_oa_secret_key,
              "zalo_access_token": settings.zalo_access_token}
    return [f"DVCBOT_{name.upper()}" for name, value in needed.items() if not value]


def location_of(event: dict[str, Any]) -> dict[str, float] | None:
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    for att in message.get("attachments") or []:
        if not isinstance(att, dict) or att.get("type") != "location":
            continue
        coords = (att.get("payload") or {}).get("coordinates") or {}
        try:
            lat, lon = float(coords["latitude"]), float(coords["longitude"])
        except (KeyError, TypeError, ValueError):
            return None
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return {"lat": lat, "lon": lon}
    return None


class InboxWriter:
    """Stores webhook events in batches on one thread of its own: a burst costs one transaction per
    batch, and the acknowledgements never wait behind other database work of the gateway."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self._pending: list[tuple[dict[str, Any], bytes, bool, asyncio.Future]] = []
        self._wake = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zalo-inbox")
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="zalo-inbox-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def store(self, event: dict[str, Any], raw: bytes, ignored: bool) -> tuple[int | None, bool]:
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending.append((event, raw, ignored, future))
        self._wake.set()
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                results = await loop.run_in_executor(self._executor, self.inbox.store_many,
                                                     [(e, r, i) for e, r, i, _f in batch])
            except Exception as exc:  # the webhook answers 503 and Zalo sends the events again
                for *_rest, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (*_rest, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


class ZaloChannel:
    def __init__(self, settings: Settings, engine: Engine, turns: TurnHandler, client: ZaloClient | None = None,
                 shards: int | None = None, template_buttons: bool = False) -> None:
        self.settings = settings
        self.inbox = Inbox(engine)
        self.turns = turns
        self.client = client or ZaloClient(settings, engine)
        self.template_buttons = template_buttons
        self.writer = InboxWriter(self.inbox)
        # as many citizens answered at once as the turn service lets into the dialogue
        shards = shards or max(4, settings.turn_concurrency)
        self._queues: list[asyncio.Queue[int | None]] = [asyncio.Queue() for _ in range(shards)]
        self._workers: list[asyncio.Task] = []
        self.answered = 0

    # --- life cycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        self.writer.start()
        self._workers = [asyncio.create_task(self._work(q), name=f"zalo-worker-{i}")
                         for i, q in enumerate(self._queues)]
        resumed = await asyncio.to_thread(self.inbox.unfinished)
        for row_id, user_id in resumed:
            self.enqueue(row_id, user_id)
        log.info("zalo channel enabled: %d unfinished event(s) resumed", len(resumed))

    async def stop(self) -> None:
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        await self.writer.stop()
        await self.client.close()

    def enqueue(self, row_id: int, user_id: str | None) -> None:
        shard = zlib.crc32((user_id or "").encode()) % len(self._queues)
        self._queues[shard].put_nowait(row_id)

    async def accept(self, event: dict[str, Any], raw: bytes) -> bool:
        """Store a verified event and queue it; False when it was a duplicate."""
        name = str(event.get("event_name") or "")
        row_id, new = await self.writer.store(event, raw, name not in ANSWERED_EVENTS)
        if new and name in ANSWERED_EVENTS:
            self.enqueue(row_id, event_user(event))
        elif new:
            log.info("zalo: event %s recorded and ignored", name[:64])
        return new

    def status(self) -> dict[str, Any]:
        return {"enabled": True, "queued": sum(q.qsize() for q in self._queues), **self.client.status.as_dict()}

    # --- processing -------------------------------------------------------------------------------
    async def _work(self, queue: asyncio.Queue[int | None]) -> None:
        while True:
            row_id = await queue.get()
            if row_id is None:
                return
            try:
                await self.process(row_id)
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in one event must not stop the worker; the row stays unfinished
                log.exception("zalo: event %s could not be processed", row_id)

    async def process(self, row_id: int) -> None:
        row = await asyncio.to_thread(self.inbox.take, row_id)
        if row is None:
            return
        if row.status != "replying" or row.reply is None:
            messages = await self._answer(row)
            rendered = render(messages, self.settings.zalo_max_text_chars, self.template_buttons)
            last_buttons = next((m.buttons for m in reversed(messages) if m.buttons), None) or []
            reply = {"messages": rendered, "buttons": [b.model_dump() for b in last_buttons], "sent": 0}
            await asyncio.to_thread(self.inbox.set_reply, row.id, reply)
        else:
            reply = row.reply
        try:
            await self._send_all(row, reply)
        except ZaloError as exc:
            await asyncio.to_thread(self.inbox.finish, row.id, "failed", str(exc))
            log.warning("zalo: reply to event %s not delivered: %s", row.id, exc)
            return
        await asyncio.to_thread(self.inbox.finish, row.id, "done")
        self.answered += 1

    async def _send_all(self, row: InboxRow, reply: dict[str, Any]) -> None:
        messages = reply["messages"]
        for i in range(int(reply.get("sent") or 0), len(messages)):
            await self.client.send(row.user_id or "", messages[i])
            reply["sent"] = i + 1
            if i + 1 < len(messages):  # a restart resumes after the parts already sent
                await asyncio.to_thread(self.inbox.set_reply, row.id, reply)

    async def _answer(self, row: InboxRow) -> list[BotMessage]:
        event = row.event
        if row.event_name == "follow":
            return [BotMessage(text=WELCOME)]
        if row.event_name in NON_TEXT_EVENTS:
            return [BotMessage(text=TEXT_ONLY)]
        message = event.get("message") if isinstance(event.get("message"), dict) else {}
        metadata: dict[str, Any] = {}
        if row.event_name == "user_send_location":
            location = location_of(event)
            if location is None:
                return [BotMessage(text=TEXT_ONLY)]
            text, metadata = LOCATION_TURN_TEXT, {"location": location}
        else:
            text = str(message.get("text") or "").strip()
            if not text:
                return [BotMessage(text=TEXT_ONLY)]
            if len(text) > MAX_TEXT_CHARS:
                return [BotMessage(text=TOO_LONG)]
            buttons = await asyncio.to_thread(self.inbox.last_buttons, row.user_id or "", row.id)
            text = choice_for_number(text, buttons) or text
        msg_id = str(message.get("msg_id") or f"inbox-{row.id}")[:120]
        request = TurnRequest(session_id=session_for(row.user_id or "unknown"), text=text, channel=CHANNEL,
                              message_id=msg_id, metadata=metadata)
        response = await self.turns.handle(request)
        if row.attempts > 1 and response.replayed and [m.text for m in response.messages] == [STILL_PROCESSING]:
            # resumed after a restart, and the stopped process left the turn unfinished in the turn
            # store: only a new turn id gets the citizen an answer
            log.warning("zalo: event %s: turn %s was left unfinished by a stopped process; asking again",
                        row.id, msg_id)
            response = await self.turns.handle(dataclasses.replace(request, message_id=f"{msg_id}.r{row.attempts}"))
        return list(response.messages)

    # --- outbound (staff replies, satisfaction question) ------------------------------------------
    async def deliver(self, session_id: str, messages: list[BotMessage]) -> bool:
        user_id = user_for(session_id)
        if not user_id:
            return False
        for message in render(messages, self.settings.zalo_max_text_chars, self.template_buttons):
            await self.client.send(user_id, message)
        return True
