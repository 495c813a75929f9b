"""A local stand-in for Twilio's side of a phone call (Twilio is a third party on the internet).

It does what Twilio does with our webhooks, over loopback:

- signs each webhook with ``X-Twilio-Signature`` exactly as Twilio does (the ``twilio`` library's
  signature of the public URL + form fields, with the account's auth token);
- reads the ``<Connect><Stream>`` TwiML, opens the stream WebSocket (the public ``wss://`` URL is
  mapped to the local server, as a reverse proxy would), sends ``connected`` and ``start`` with the
  custom parameters, then ``media`` frames of 20 ms μ-law 8 kHz audio (from WAV files via sox, or
  silence), ``dtmf``, ``mark`` and ``stop``;
- records every message the bot sends (``media`` audio, ``clear``, ``mark``) with its arrival time;
- follows ``<Connect action>`` when the stream ends, and a ``<Dial action>`` with a dial status.
"""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import websockets
from twilio.request_validator import RequestValidator

FRAME_BYTES = 160  # 20 ms of 8 kHz μ-law
ULAW_SILENCE = b"\xff"


def wav_to_ulaw(path: Path) -> bytes:
    """Any WAV → raw μ-law 8 kHz mono (sox)."""
    return subprocess.run(["sox", str(path), "-r", "8000", "-c", "1", "-e", "mu-law", "-t", "raw", "-"],
                          check=True, capture_output=True).stdout


def espeak_wav(text: str, path: Path, voice: str = "vi") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path)], input=text.encode(), check=True)
    return path


@dataclass
class Received:
    t: float
    event: str
    audio: bytes = b""
    raw: dict = field(default_factory=dict)


@dataclass
class Twiml:
    xml: str
    root: ET.Element

    @classmethod
    def parse(cls, text: str) -> Twiml:
        return cls(text, ET.fromstring(text))

    def find(self, tag: str) -> ET.Element | None:
        return self.root.find(f".//{tag}")

    @property
    def connect_action(self) -> str | None:
        el = self.find("Connect")
        return el.get("action") if el is not None else None

    @property
    def stream_url(self) -> str | None:
        el = self.find("Stream")
        return el.get("url") if el is not None else None

    @property
    def parameters(self) -> dict[str, str]:
        return {p.get("name"): p.get("value") for p in self.root.iter("Parameter")}

    @property
    def dial_number(self) -> str | None:
        el = self.find("Dial/Number")
        return el.text if el is not None else None

    @property
    def says(self) -> list[str]:
        return [el.text or "" for el in self.root.iter("Say")]


class TwilioSimulator:
    def __init__(self, local_base: str, public_base: str, auth_token: str, account_sid: str = "AC" + "0" * 32):
        self.local_base = local_base.rstrip("/")
        self.public_base = public_base.rstrip("/")
        self.token = auth_token
        self.account_sid = account_sid

    async def aclose(self) -> None:
        """Nothing to release: each webhook uses its own HTTP client (tests run many event loops)."""

    def _local(self, public_url: str) -> str:
        parts = urlsplit(public_url)
        local = urlsplit(self.local_base)
        scheme = {"https": "http", "wss": "ws"}.get(parts.scheme, parts.scheme)
        return f"{scheme}://{local.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    async def webhook(self, public_url: str, params: dict[str, str], *, sign: bool = True,
                      signature: str | None = None) -> httpx.Response:
        headers = {}
        if sign:
            headers["X-Twilio-Signature"] = signature or RequestValidator(self.token).compute_signature(
                public_url, params)
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(self._local(public_url), data=params, headers=headers)

    async def incoming(self, call_sid: str, caller: str = "+84912345678", **kw) -> httpx.Response:
        params = {"CallSid": call_sid, "AccountSid": self.account_sid, "From": caller, "To": "+842241022",
                  "CallStatus": "ringing", "Direction": "inbound"}
        return await self.webhook(f"{self.public_base}/voice/twilio/incoming", params, **kw)

    async def follow_action(self, action_url: str, call_sid: str, **extra: str) -> Twiml:
        params = {"CallSid": call_sid, "AccountSid": self.account_sid, "CallStatus": "in-progress", **extra}
        r = await self.webhook(action_url, params)
        r.raise_for_status()
        return Twiml.parse(r.text)

    def call(self, twiml: Twiml, call_sid: str) -> SimulatedCall:
        assert twiml.stream_url, twiml.xml
        return SimulatedCall(self._local(twiml.stream_url), call_sid, twiml.parameters, self.account_sid)


class SimulatedCall:
    """One open Media Stream: send audio/DTMF/marks, record what the bot sends."""

    def __init__(self, ws_url: str, call_sid: str, parameters: dict[str, str], account_sid: str):
        self.ws_url = ws_url
        self.call_sid = call_sid
        self.parameters = parameters
        self.account_sid = account_sid
        self.stream_sid = "MZ" + call_sid[2:]
        self.received: list[Received] = []
        self.closed = asyncio.Event()
        self.close_code: int | None = None
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._seq = 0
        self._chunk = 0
        self.sent_audio_until = 0.0  # time the last caller audio frame left
        self.speech_ended_at = 0.0  # time the last frame of the last WAV's speech left (before its tail)

    async def __aenter__(self) -> SimulatedCall:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.hang_up()

    async def connect(self, start: dict | None = None, encoding: str = "audio/x-mulaw") -> None:
        self._ws = await websockets.connect(self.ws_url, max_size=None)
        self._reader = asyncio.create_task(self._read())
        await self.send({"event": "connected", "protocol": "Call", "version": "1.0.0"})
        await self.send(start or {
            "event": "start", "sequenceNumber": str(self._next_seq()), "streamSid": self.stream_sid,
            "start": {"accountSid": self.account_sid, "streamSid": self.stream_sid, "callSid": self.call_sid,
                      "tracks": ["inbound"], "customParameters": self.parameters,
                      "mediaFormat": {"encoding": encoding, "sampleRate": 8000, "channels": 1}},
        })

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    async def send(self, message: dict | str) -> None:
        await self._ws.send(message if isinstance(message, str) else json.dumps(message))

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                now = time.monotonic()
                msg = json.loads(raw)
                event = msg.get("event", "")
                audio = base64.b64decode(msg["media"]["payload"]) if event == "media" else b""
                self.received.append(Received(now, event, audio, msg))
                if event == "mark":  # Twilio echoes a mark back when the audio before it has played
                    pass
        except websockets.ConnectionClosed as exc:
            self.close_code = exc.rcvd.code if exc.rcvd else None
        finally:
            self.close_code = self.close_code or (self._ws.close_code if self._ws else None)
            self.closed.set()

    # --- caller side ------------------------------------------------------------------------------
    async def play(self, ulaw: bytes, speed: float = 1.0) -> None:
        """Send audio as 20 ms ``media`` frames, paced at ``speed`` × real time."""
        start = time.monotonic()
        for i in range(0, len(ulaw), FRAME_BYTES):
            if self.closed.is_set():
                return
            chunk = ulaw[i:i + FRAME_BYTES].ljust(FRAME_BYTES, ULAW_SILENCE)
            self._chunk += 1
            await self.send({"event": "media", "sequenceNumber": str(self._next_seq()), "streamSid": self.stream_sid,
                             "media": {"track": "inbound", "chunk": str(self._chunk),
                                       "timestamp": str(self._chunk * 20),
                                       "payload": base64.b64encode(chunk).decode()}})
            self.sent_audio_until = time.monotonic()
            due = start + (i // FRAME_BYTES + 1) * 0.02 / speed
            await asyncio.sleep(max(0.0, due - time.monotonic()))

    async def play_wav(self, path: Path, speed: float = 1.0, tail_silence: float = 1.0) -> None:
        """Play a clip, then ``tail_silence`` seconds of line silence (as a phone line carries)."""
        await self.play(wav_to_ulaw(path), speed)
        self.speech_ended_at = self.sent_audio_until
        await self.play(ULAW_SILENCE * int(8000 * tail_silence), speed)

    async def silence(self, seconds: float, speed: float = 1.0) -> None:
        await self.play(ULAW_SILENCE * int(8000 * seconds), speed)

    async def dtmf(self, digit: str) -> None:
        await self.send({"event": "dtmf", "streamSid": self.stream_sid, "sequenceNumber": str(self._next_seq()),
                         "dtmf": {"track": "inbound_track", "digit": digit}})

    async def mark(self, name: str) -> None:
        await self.send({"event": "mark", "streamSid": self.stream_sid, "sequenceNumber": str(self._next_seq()),
                         "mark": {"name": name}})

    async def hang_up(self) -> None:
        """Twilio's ``stop`` then the close, as when the caller puts the phone down."""
        if self._ws is None:
            return
        if not self.closed.is_set():
            try:
                await self.send({"event": "stop", "streamSid": self.stream_sid,
                                 "sequenceNumber": str(self._next_seq()),
                                 "stop": {"accountSid": self.account_sid, "callSid": self.call_sid}})
                await self._ws.close()
            except websockets.ConnectionClosed:
                pass
        await asyncio.wait_for(self.closed.wait(), 30)

    # --- what the bot sent ------------------------------------------------------------------------
    def events(self, name: str) -> list[Received]:
        return [r for r in self.received if r.event == name]

    def bot_audio(self, after: float = 0.0) -> bytes:
        return b"".join(r.audio for r in self.received if r.event == "media" and r.t >= after)

    def first_audio_after(self, t: float) -> float | None:
        for r in self.received:
            if r.event == "media" and r.t >= t:
                return r.t
        return None

    async def wait_for(self, predicate, timeout: float = 60.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)

    async def wait_bot_quiet(self, quiet: float = 1.0, timeout: float = 200.0) -> None:
        """Wait until the bot has sent no audio for ``quiet`` seconds (it finished a prompt).

        Audio is paced in real time and queued prompts add up (the degraded apology alone speaks
        for about half a minute), so the timeout only guards against a hang; it is no speed limit.
        """
        def done() -> bool:
            media = self.events("media")
            return bool(media) and time.monotonic() - media[-1].t >= quiet
        await self.wait_for(done, timeout, "the bot to finish speaking")
