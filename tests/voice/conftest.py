"""The voice channel served by a real uvicorn (in a thread) on the real gateway app.

The gateway's back-end ports point at closed ports, so the real turn service answers every turn
with its degraded apology: the call flow (keypad, silence, barge-in, hang-up, transfer on key 0 is
decided by the voice dialogue) is exercised without starting Rasa. ``test_dialogue_stack.py`` runs
one call against the real dialogue stack.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from dvcbot.procs import free_port
from dvcbot.settings import Settings
from tests.voice.twilio_sim import TwilioSimulator, espeak_wav

TOKEN = "test-auth-token-" + "x" * 16
PUBLIC = "https://dvcbot.example.test"
CARE = "+842439906688"


def voice_settings(tmp_path: Path, **overrides) -> Settings:
    values = dict(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'gw.db'}", rasa_port=free_port(),
                  nlu_port=free_port(), actions_port=free_port(), request_timeout=2.0,
                  twilio_auth_token=TOKEN, public_url=PUBLIC, care_centre_number=CARE,
                  working_hours="00:00-23:59", working_days="1,2,3,4,5,6,7")
    values.update(overrides)
    return Settings(**values)


class ThreadServer:
    """uvicorn serving an app on a free loopback port from a background thread."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    ws="websockets", lifespan="on"))
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()  # tests run coroutines on the server's loop through it
        await self.server.serve()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def voice_app(settings: Settings, silence_timeout: float = 6.0, warm: bool = True):
    from dvcbot.errors import ApiError, install_error_handlers
    from gateway.app import create_app
    from voice.pipeline import VoiceRuntime
    from voice.router import router

    app = create_app(settings)
    if ApiError not in app.exception_handlers:
        install_error_handlers(app)  # until gateway/app.py installs them
    if not any(getattr(r, "path", "").startswith("/voice/") for r in app.routes):
        app.include_router(router)  # until gateway/app.py mounts it
    runtime = VoiceRuntime.from_settings(settings.model_copy(update={"voice_silence_seconds": silence_timeout}))
    if warm:
        runtime.warm_up()
    app.state.voice = runtime
    return app


@pytest.fixture
def voice_server(tmp_path):
    settings = voice_settings(tmp_path)
    app = voice_app(settings)
    with ThreadServer(app) as server:
        yield server, app


@pytest.fixture
def sim(voice_server):
    server, _app = voice_server
    simulator = TwilioSimulator(server.url, PUBLIC, TOKEN)
    yield simulator
    asyncio.run(simulator.aclose())


@pytest.fixture(scope="session")
def voice_clips(tmp_path_factory) -> dict[str, Path]:
    """Caller audio made with espeak-ng (recognition of it is poor by nature: tests assert plumbing)."""
    folder = tmp_path_factory.mktemp("voice_clips")
    texts = {
        "question": "Làm căn cước công dân cần giấy tờ gì?",
        "long": "Xin chào, tôi muốn hỏi về thủ tục đăng ký tạm trú cho gia đình tôi ở phường Cầu Giấy, "
                "cần những giấy tờ gì và lệ phí bao nhiêu tiền?",
        "short": "Cho tôi gặp cán bộ.",
    }
    return {name: espeak_wav(text, folder / f"{name}.wav") for name, text in texts.items()}
