"""One phone call as a Pipecat pipeline.

    Twilio WebSocket ─ transport.input (TwilioFrameSerializer: μ-law 8 kHz → PCM, DTMF)
      → VADProcessor (Silero)            caller started / stopped speaking (voice_vad_stop_secs)
      → RecognizerSTTService             one transcript per VAD segment (vietasr or Vosk), on the
                                         call's lane of the shared recognition pool
      → CallDialogue                     turn service, keypad, silence, barge-in, transfer
      → CachedTTSService                 espeak-ng / Piper through the prompt cache, 8 kHz, sentence
                                         by sentence
      → transport.output (serializer: PCM → μ-law ``media``, interruption → ``clear``)
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import WebSocket
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams
from pipecat.frames.frames import TTSSpeakFrame
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.serializers.twilio import TwilioFrameSerializer
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport
from pipecat.workers.runner import WorkerRunner

from dvcbot.settings import Settings
from gateway.schemas import BotMessage
from voice import menu
from voice.calls import CallRecord, CallStore, safe_call_id, stream_token
from voice.dialogue import CallDialogue, SilencePolicy, TurnSender
from voice.stt import Recognizer, make_recognizer
from voice.stt.domain import DomainCorrector, default_corrector
from voice.stt.lanes import RecognitionPool
from voice.stt.service import RecognizerSTTService
from voice.tts import PHONE_RATE, make_synthesizer
from voice.tts.cache import PromptCache
from voice.tts.service import CachedTTSService, sentences
from voice.wording import reply_to_speech, speak

log = logging.getLogger("voice.pipeline")

#: seconds a new stream may take to send its ``start`` message
START_TIMEOUT = 10.0


class MalformedStream(Exception):
    """The stream did not open as Twilio's Media Streams protocol says; ``code`` is the close code."""

    def __init__(self, reason: str, code: int = 1008) -> None:
        super().__init__(reason)
        self.code = code


@dataclass
class StreamStart:
    stream_sid: str
    call_id: str
    caller: str
    parameters: dict[str, str]


@dataclass
class VoiceRuntime:
    """What the calls of one process share: the loaded recogniser, its thread pool, the prompt
    cache, the call store."""

    settings: Settings
    calls: CallStore
    silence: SilencePolicy = field(default_factory=SilencePolicy)
    vad: VADParams = field(default_factory=lambda: VADParams(stop_secs=0.5))
    #: the workers of the calls in progress, by call id (for :class:`VoiceDelivery`)
    live: dict[str, PipelineWorker] = field(default_factory=dict)
    _recognizer: Recognizer | None = None
    _prompts: PromptCache | None = None
    _pool: RecognitionPool | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> VoiceRuntime:
        return cls(settings=settings, calls=CallStore(settings.db_url),
                   silence=SilencePolicy(timeout=settings.voice_silence_seconds),
                   vad=VADParams(stop_secs=settings.voice_vad_stop_secs))

    @property
    def pool(self) -> RecognitionPool:
        if self._pool is None:
            self._pool = RecognitionPool(self.settings.voice_asr_threads)
        return self._pool

    @property
    def corrector(self) -> DomainCorrector | None:
        return default_corrector() if self.settings.voice_domain_correction else None

    @property
    def recognizer(self) -> Recognizer:
        if self._recognizer is None:
            self._recognizer = make_recognizer(self.settings)
        return self._recognizer

    @property
    def prompts(self) -> PromptCache:
        if self._prompts is None:
            self._prompts = PromptCache(make_synthesizer(self.settings),
                                        self.settings.var_dir / "voice" / "prompts")
        return self._prompts

    def warm_up(self) -> None:
        """Load the models and synthesise the fixed prompts before the first call (blocking)."""
        _ = self.recognizer
        _ = self.pool
        _ = self.corrector
        from gateway.replies import APOLOGY

        # the apology is what every caller hears while the conversation core is down
        for prompt in (*menu.FIXED_PROMPTS, speak(APOLOGY)):
            for sentence in sentences(prompt):
                self.prompts.get(sentence)


class TolerantTwilioSerializer(TwilioFrameSerializer):
    """Pipecat's Twilio serializer, except that one malformed message is dropped and logged.

    Pipecat's input transport stops reading the WebSocket (and so ends the call) when
    ``deserialize`` raises, e.g. on a JSON array or a media payload that is not base64; a phone call
    must survive one bad message.
    """

    dropped = 0

    async def deserialize(self, data: str | bytes):
        try:
            return await super().deserialize(data)
        except Exception as exc:
            self.dropped += 1
            log.warning("voice stream %s: dropped a malformed message (%s)", self._stream_sid, exc.__class__.__name__)
            return None


class VoiceDelivery:
    """``gateway.outbound`` delivery for channel ``voice``: speaks staff messages into a live call."""

    def __init__(self, runtime: VoiceRuntime) -> None:
        self.runtime = runtime

    async def deliver(self, session_id: str, messages: list[BotMessage]) -> bool:
        worker = self.runtime.live.get(session_id)
        if worker is None:
            return False  # the call has ended: the message stays in the conversation's store
        texts = [t for m in messages if (t := reply_to_speech(m.text, m.buttons))]
        record = self.runtime.calls.get(session_id)
        for text in texts:
            if record is not None:
                record.add("bot", text=text, source="outbound")
        # queued at the pipeline's source: it passes the dialogue and is spoken after what is queued
        await worker.queue_frames([TTSSpeakFrame(t) for t in texts])
        return True


def _parse(message: dict[str, Any]) -> dict[str, Any]:
    if message.get("type") == "websocket.disconnect":
        raise MalformedStream("closed before start", 1000)
    if message.get("text") is None:
        raise MalformedStream("binary message before start", 1003)
    message = message["text"]
    try:
        data = json.loads(message)
    except json.JSONDecodeError as exc:
        raise MalformedStream("a message is not JSON", 1007) from exc
    if not isinstance(data, dict):
        raise MalformedStream("a message is not a JSON object", 1007)
    return data


async def read_stream_start(websocket: WebSocket, auth_token: str) -> StreamStart:
    """Read ``connected`` and ``start``; check the media format and the call's stream token."""
    async def _read() -> StreamStart:
        while True:
            data = _parse(await websocket.receive())
            event = data.get("event")
            if event == "connected":
                continue
            if event != "start":
                raise MalformedStream(f"expected start, got {str(event)[:20]!r}")
            start = data.get("start")
            if not isinstance(start, dict):
                raise MalformedStream("start without its start object")
            fmt = start.get("mediaFormat") or {}
            if fmt.get("encoding") != "audio/x-mulaw" or int(fmt.get("sampleRate") or 0) != PHONE_RATE:
                raise MalformedStream("unsupported audio encoding", 1003)
            params = start.get("customParameters") or {}
            if not isinstance(params, dict):
                raise MalformedStream("customParameters is not an object")
            call_id = str(params.get("call_id") or start.get("callSid") or "")
            stream_sid = str(start.get("streamSid") or data.get("streamSid") or "")
            if not safe_call_id(call_id) or not stream_sid:
                raise MalformedStream("start without a valid call id or stream sid")
            if not auth_token or params.get("token") != stream_token(call_id, auth_token):
                raise MalformedStream("stream token does not match the call")
            return StreamStart(stream_sid, call_id, str(params.get("caller") or ""),
                               {str(k): str(v) for k, v in params.items() if k != "token"})

    try:
        return await asyncio.wait_for(_read(), START_TIMEOUT)
    except TimeoutError as exc:
        raise MalformedStream("no start message in time") from exc


def build_worker(websocket: WebSocket, start: StreamStart, runtime: VoiceRuntime, record: CallRecord,
                 send_turn: TurnSender) -> PipelineWorker:
    serializer = TolerantTwilioSerializer(
        stream_sid=start.stream_sid, call_sid=start.call_id,
        # the stream ends by closing the WebSocket, so Twilio follows <Connect action> (transfer);
        # hanging up through Twilio's REST API would skip it
        params=TwilioFrameSerializer.InputParams(auto_hang_up=False),
    )
    transport = FastAPIWebsocketTransport(websocket, FastAPIWebsocketParams(
        audio_in_enabled=True, audio_out_enabled=True, add_wav_header=False, serializer=serializer,
        allowed_origins=[],
    ))
    dialogue = CallDialogue(record=record, send_turn=send_turn, settings=runtime.settings,
                            silence=runtime.silence)
    pipeline = Pipeline([
        transport.input(),
        VADProcessor(vad_analyzer=SileroVADAnalyzer(sample_rate=PHONE_RATE, params=runtime.vad)),
        RecognizerSTTService(runtime.recognizer, pool=runtime.pool, corrector=runtime.corrector),
        dialogue,
        CachedTTSService(runtime.prompts),
        transport.output(),
    ])
    worker = PipelineWorker(
        pipeline,
        params=PipelineParams(audio_in_sample_rate=PHONE_RATE, audio_out_sample_rate=PHONE_RATE),
        enable_rtvi=False,
        idle_timeout_secs=None,  # silence is handled by the dialogue; a hang-up ends the call
        conversation_id=start.call_id,
    )

    @transport.event_handler("on_client_disconnected")
    async def _hung_up(_transport, _ws) -> None:
        if not record.hangup_reason and record.transfer is None:
            record.hangup_reason = "caller hung up"
        record.add("hang_up")
        await worker.cancel(reason="caller hung up")

    return worker


async def run_call(websocket: WebSocket, runtime: VoiceRuntime, send_turn_for: Any) -> CallRecord | None:
    """Serve one Twilio Media Stream until the call or the stream ends. Never raises for bad input."""
    try:
        start = await read_stream_start(websocket, runtime.settings.twilio_auth_token)
    except MalformedStream as exc:
        log.warning("voice stream refused: %s", exc)
        if exc.code != 1000:
            await websocket.close(code=exc.code, reason=str(exc)[:100])
        return None
    except Exception as exc:  # disconnects and undecodable frames before start
        log.warning("voice stream closed before start: %s", exc.__class__.__name__)
        return None
    record = runtime.calls.open(start.call_id, start.caller)
    log.info("call %s: stream %s started (caller %s)", start.call_id, start.stream_sid, start.caller)
    try:
        worker = build_worker(websocket, start, runtime, record, send_turn_for(start.call_id))
        runtime.live[start.call_id] = worker
        runner = WorkerRunner(handle_sigint=False)
        await runner.add_workers(worker)
        await runner.run()
    except Exception:
        log.exception("call %s: pipeline failed", start.call_id)
        record.hangup_reason = record.hangup_reason or "error"
    finally:
        runtime.live.pop(start.call_id, None)
        try:
            await asyncio.to_thread(runtime.calls.finish, record)
        except Exception:  # the call is over either way; the record is lost, not the process
            log.exception("call %s: could not store the call record", start.call_id)
        log.info("call %s: ended (%s)", start.call_id,
                 f"transfer to {record.transfer.kind}" if record.transfer else record.hangup_reason or "done")
    return record
