"""The callbot's one processor of our own between recognition and synthesis.

It takes each final transcript and each key press, sends them through the gateway's turn service
(channel ``voice``, the call id as session), and speaks the replies in voice wording. It also:

- barge-in: the caller starting to speak (or pressing a key) while the bot talks interrupts it
  (Pipecat's ``InterruptionFrame``; the Twilio serializer turns it into ``clear``);
- silence: after the bot has finished speaking, a caller who says nothing is reprompted once, then
  offered the keypad menu, then told goodbye and the call ends;
- transfer: when the conversation asks for a person (asked for, second fallback in a row, a
  complaint) or the caller chooses to call the agent just named, it records the transfer target in
  the call record, says so, and ends the stream so Twilio follows ``<Connect action>`` to
  ``/voice/twilio/after``, which dials;
- every event goes into the call record (:class:`voice.calls.CallRecord`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pipecat.frames.frames import (
    BotStartedSpeakingFrame,
    BotStoppedSpeakingFrame,
    CancelFrame,
    EndFrame,
    EndWorkerFrame,
    Frame,
    InputDTMFFrame,
    InterimTranscriptionFrame,
    StartFrame,
    TranscriptionFrame,
    TTSSpeakFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from dvcbot.settings import Settings
from gateway.schemas import Button, ChatResponse
from voice import menu
from voice.calls import CallRecord, Transfer
from voice.links import LinkSender, LoggingLinkSender, links_in
from voice.wardpad import WardKeypad
from voice.wording import BUTTON_KEYS, reply_to_speech, speak

log = logging.getLogger("voice.dialogue")

#: sends one caller turn to the gateway's turn service (a ``TurnService.handle`` adapter)
TurnSender = Callable[[str, str], Awaitable[ChatResponse]]

#: intents after which the call goes to a person
TRANSFER_INTENTS = {"request_human", "file_complaint"}
FALLBACK_INTENTS = {"nlu_fallback"}
_AGENT_PHONE = re.compile(r"điện thoại\s+((?:\+84|0)[\d .]{8,14}\d)")


@dataclass
class SilencePolicy:
    """Seconds of caller silence after the bot stops speaking before each step."""

    timeout: float = 7.0


def agent_phone(text: str) -> str | None:
    """The first agent phone number in a reply ("điện thoại 024 3219 1319" → "02432191319")."""
    m = _AGENT_PHONE.search(text)
    if not m:
        return None
    digits = re.sub(r"\D", "", m.group(1))
    return "0" + digits[2:] if digits.startswith("84") else digits


def to_e164(number: str) -> str:
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("+"):
        return digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return digits


class CallDialogue(FrameProcessor):
    def __init__(self, *, record: CallRecord, send_turn: TurnSender, settings: Settings,
                 silence: SilencePolicy | None = None, greeting: str = menu.GREETING,
                 links: LinkSender | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._links = links or LoggingLinkSender()
        self.record = record
        self._send_turn = send_turn
        self._settings = settings
        self._silence = silence or SilencePolicy()
        self._greeting = greeting
        self._bot_speaking = False
        self._silent_rounds = 0
        self._silence_task: asyncio.Task | None = None
        self._turn_lock = asyncio.Lock()
        self._turn_count = 0
        self._fallbacks_in_row = 0
        self._buttons: list[Button] = []
        self._agent_number: str | None = None
        self._ending = False
        self._caller_stopped_at: float | None = None
        self._caller_speaking = False
        #: the keypad ward choice offered after option 4 (voice.wardpad), while it lasts
        self._wardpad: WardKeypad | None = None

    # --- frames -----------------------------------------------------------------------------------
    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)

        if isinstance(frame, StartFrame):
            await self.push_frame(frame, direction)
            self.record.add("call_started")
            await self._say(self._greeting)
        elif isinstance(frame, (EndFrame, CancelFrame)):
            await self._stop_silence_timer()
            await self.push_frame(frame, direction)
        elif isinstance(frame, TranscriptionFrame):
            # consumed here: a transcript must never reach the TTS service (it would be read back)
            await self._on_transcript(frame)
        elif isinstance(frame, InterimTranscriptionFrame):
            pass
        elif isinstance(frame, InputDTMFFrame):
            await self._on_key(frame.button.value)
        elif isinstance(frame, VADUserStartedSpeakingFrame):
            await self._on_caller_speaking()
            await self.push_frame(frame, direction)
        elif isinstance(frame, VADUserStoppedSpeakingFrame):
            self._caller_speaking = False
            self._caller_stopped_at = time.monotonic()
            if not self._bot_speaking and not self._ending:
                # noise or words the recogniser could not make out produce no transcript: the
                # silence steps still run, so the call never hangs
                await self._start_silence_timer()
            await self.push_frame(frame, direction)
        elif isinstance(frame, BotStartedSpeakingFrame):
            if direction == FrameDirection.UPSTREAM:
                self._bot_speaking = True
                await self._stop_silence_timer()
            await self.push_frame(frame, direction)
        elif isinstance(frame, BotStoppedSpeakingFrame):
            if direction == FrameDirection.UPSTREAM:
                await self._on_bot_stopped()
            await self.push_frame(frame, direction)
        else:
            await self.push_frame(frame, direction)

    # --- caller -----------------------------------------------------------------------------------
    async def _on_caller_speaking(self) -> None:
        self._caller_speaking = True
        await self._stop_silence_timer()
        self._silent_rounds = 0
        if self._bot_speaking and not self._ending:
            self.record.add("barge_in")
            await self._interrupt()

    async def _interrupt(self) -> None:
        self._bot_speaking = False
        await self.broadcast_interruption()

    async def _on_transcript(self, frame: TranscriptionFrame) -> None:
        if self._ending:
            return
        result = frame.result if isinstance(frame.result, dict) else {}
        self.record.add("caller", text=frame.text, raw=result.get("raw", ""),
                        audio_seconds=result.get("audio_seconds"), final_seconds=result.get("final_seconds"))
        self._silent_rounds = 0
        self._wardpad = None  # the caller said it instead
        if self._agent_number and any(p in frame.text for p in menu.CALL_AGENT_PHRASES):
            await self._transfer(Transfer("agent", to_e164(self._agent_number), "caller asked"))
            return
        self.create_task(self._turn(frame.text))

    async def _on_key(self, key: str) -> None:
        self.record.add("dtmf", digit=key)
        await self._stop_silence_timer()
        self._silent_rounds = 0
        if self._ending:
            return
        if self._bot_speaking:
            await self._interrupt()
        if key == menu.MENU_KEY:
            self._wardpad = None
            await self._say(menu.MENU)
            return
        if self._wardpad is not None and key != menu.PERSON_KEY:
            said, payload = self._wardpad.press(key)
            await self._say(said)
            if payload:
                self._wardpad = None
                self.record.add("ward_chosen", payload=payload)
                self.create_task(self._turn(payload))
            return
        self._wardpad = None
        if key == menu.CALL_AGENT_KEY and self._agent_number:
            await self._transfer(Transfer("agent", to_e164(self._agent_number), "key 9"))
            return
        if self._buttons and key in BUTTON_KEYS[:len(self._buttons)]:
            button = self._buttons[BUTTON_KEYS.index(key)]
            self.create_task(self._turn(button.payload))
            return
        option = menu.KEYPAD_BY_KEY.get(key)
        if option is None:
            await self._say(menu.NOT_UNDERSTOOD_KEY + " " + menu.MENU)
            return
        if key == menu.PERSON_KEY:
            # a person, whatever the conversation core says (it may be down): the turn still goes
            # through the turn service so the conversation records the request
            self.create_task(self._turn(option.payload, force_transfer=True))
            return
        self.create_task(self._turn(option.payload, ward_keypad=key == menu.AGENT_KEY))

    # --- the turn ---------------------------------------------------------------------------------
    async def _turn(self, text: str, force_transfer: bool = False, ward_keypad: bool = False) -> None:
        """One turn through the turn service; ``ward_keypad``: then offer the keypad ward choice
        (option 4: the conversation asks for the ward, the keypad is the other way to give it)."""
        async with self._turn_lock:
            if self._ending:
                return
            self._turn_count += 1
            started = time.monotonic()
            try:
                response = await self._send_turn(text, f"{self.record.call_id}-{self._turn_count}")
            except Exception:  # the turn service never raises by contract; be safe on a phone line
                log.exception("call %s: turn failed", self.record.call_id)
                if force_transfer:
                    await self._transfer_to_care("key 0")
                else:
                    await self._say(menu.TURN_FAILED + " " + menu.DEGRADED_OPTIONS)
                return
            self.record.add("turn", intent=response.intent, confidence=response.confidence,
                            degraded=response.degraded, seconds=round(time.monotonic() - started, 3))
            if force_transfer:
                await self._transfer_to_care("key 0")
                return
            await self._answer(response)
            if ward_keypad and not self._ending and not self._agent_number:
                self._wardpad = WardKeypad()
                await self._say(self._wardpad.prompt())

    async def _answer(self, response: ChatResponse) -> None:
        intent = response.intent or ""
        if response.degraded:
            text = " ".join(speak(m.text) for m in response.messages if m.text)
            await self._say(f"{text} {menu.DEGRADED_OPTIONS}".strip())
            return
        self._fallbacks_in_row = self._fallbacks_in_row + 1 if intent in FALLBACK_INTENTS else 0
        if intent in TRANSFER_INTENTS or self._fallbacks_in_row >= 2:
            reason = intent if intent in TRANSFER_INTENTS else "second fallback"
            await self._transfer_to_care(reason)
            return
        self._buttons = []
        self._agent_number = None
        links = [u for m in response.messages for u in links_in(m.text)]
        if links:
            self.record.add("links_offered", links=links)
            self.create_task(self._links.send(self.record.call_id, self.record.caller, links))
        for message in response.messages:
            if message.buttons:
                self._buttons = list(message.buttons)[:len(BUTTON_KEYS)]
            phone = agent_phone(message.text)
            if phone and not self._agent_number:
                self._agent_number = phone
            spoken = reply_to_speech(message.text, self._buttons if message.buttons else None)
            if spoken:
                await self._say(spoken)
        if self._agent_number:
            await self._say(menu.OFFER_AGENT_CALL)

    async def _transfer_to_care(self, reason: str) -> None:
        if not self._settings.care_centre_number:
            await self._say(menu.NO_CARE_NUMBER)
            return
        if not menu.within_working_hours(self._settings):
            self.record.add("transfer_refused", reason="out of hours")
            await self._say(menu.out_of_hours_message(self._settings) + " " + menu.MENU)
            return
        await self._transfer(Transfer("care_centre", self._settings.care_centre_number, reason))

    async def _transfer(self, transfer: Transfer) -> None:
        self.record.transfer = transfer
        self.record.add("transfer", kind=transfer.kind, reason=transfer.reason)
        await self._say(menu.TRANSFER_AGENT if transfer.kind == "agent" else menu.TRANSFER_CARE)
        await self._end_after_speech()

    # --- speaking and ending ----------------------------------------------------------------------
    async def _say(self, text: str) -> None:
        if not text:
            return
        self.record.add("bot", text=text)
        await self._stop_silence_timer()
        await self.push_frame(TTSSpeakFrame(text))

    async def _end_after_speech(self) -> None:
        """End the stream once what is queued has been played (``/after`` then takes the call).

        The pipeline's ``EndFrame`` travels behind the speech already queued, and the output
        transport plays its queued audio before it stops, so the last sentence is heard whole.
        """
        self._ending = True
        await self._stop_silence_timer()
        self.record.add("stream_ending")
        await self.push_frame(EndWorkerFrame(reason="call finished"))

    async def _on_bot_stopped(self) -> None:
        self._bot_speaking = False
        if not self._ending:
            await self._start_silence_timer()

    # --- silence ----------------------------------------------------------------------------------
    async def _start_silence_timer(self) -> None:
        await self._stop_silence_timer()
        self._silence_task = self.create_task(self._silence_wait())

    async def _stop_silence_timer(self) -> None:
        task, self._silence_task = self._silence_task, None
        if task is not None and task is not asyncio.current_task():
            await self.cancel_task(task)

    async def _silence_wait(self) -> None:
        await asyncio.sleep(self._silence.timeout)
        self._silence_task = None
        if self._turn_lock.locked() or self._ending or self._caller_speaking or self._bot_speaking:
            return  # the caller is talking or waiting for an answer, not silent
        self._silent_rounds += 1
        self.record.add("silence", round=self._silent_rounds)
        if self._silent_rounds == 1:
            await self._say(menu.REPROMPT)
        elif self._silent_rounds == 2:
            await self._say(menu.MENU)
        else:
            self.record.hangup_reason = "silence"
            await self._say(menu.GOODBYE)
            await self._end_after_speech()
