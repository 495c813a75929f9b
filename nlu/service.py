"""The NLU HTTP service: Rasa-compatible ``POST /model/parse`` (Rasa's endpoints.yml ``nlu: url``).

Bad input always gets a 4xx with a plain message, never a 500: empty text → 400, invalid JSON or
non-UTF-8 bytes → 400, text over :data:`nlu.parser.MAX_CHARS` characters → 413 (we refuse rather
than truncate: a 5,000-character chat message is not a question, and a silent cut would classify
something the user did not mean).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from dvcbot.errors import error_response, install_error_handlers
from nlu import backends
from nlu.parser import FALLBACK_THRESHOLD, MAX_CHARS, NluParser, TextError

log = logging.getLogger("nlu.service")

#: request bodies larger than this are refused before being decoded
MAX_BODY_BYTES = 64 * 1024


_KEYS = {400: "bad_request", 413: "payload_too_large"}


def _error(status: int, message: str) -> JSONResponse:
    return error_response(status, _KEYS.get(status, "bad_request"), message)


class _Warm:
    """The parser once it has loaded and answered its first parse; ``since`` for /health."""

    def __init__(self) -> None:
        self.parser: NluParser | None = None
        self.since = time.time()
        self.error: str | None = None

    def load(self, make: Callable[[], NluParser]) -> None:
        try:
            parser = make()
            parser.warm_up()  # one real parse: encoder, knowledge base and gazetteer loaded
            self.parser = parser
            log.info("NLU service warm in %.1f s", time.time() - self.since)
        except Exception as exc:  # reported by /health; the process keeps answering 503
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("the NLU model could not be loaded")


def create_app(parser: NluParser | None = None, load: Callable[[], NluParser] | None = None) -> FastAPI:
    """The app for ``parser``, or one that loads ``load()`` in the background and says "warming"
    (``/health`` and ``/model/parse`` answer 503) until it has answered its first parse."""
    warm = _Warm()
    if parser is not None:
        warm.parser = parser
    elif load is not None:
        threading.Thread(target=warm.load, args=(load,), name="nlu-warmup", daemon=True).start()
    else:
        warm.load(NluParser)
    app = FastAPI(title="dvcbot NLU", version="0.2.0")
    install_error_handlers(app)
    app.state.warm = warm

    def not_warm() -> JSONResponse:
        if warm.error:
            return error_response(503, "model_unavailable", f"NLU model not loaded: {warm.error}")
        return JSONResponse({"status": "warming", "since": warm.since, "error": "warming",
                             "detail": "the NLU service is loading its model"}, status_code=503)

    @app.get("/", response_class=PlainTextResponse)
    def root() -> str:
        return "ok"

    @app.get("/health")
    def health() -> Any:
        parser = warm.parser
        if parser is None:
            return not_warm()
        meta = parser.model.meta
        return {
            "status": "ok",
            "model": {
                k: meta.get(k)
                for k in (
                    "code_version",
                    "trained_at",
                    "examples",
                    "uses_embeddings",
                    "encoder",
                    "temperature",
                    "hash",
                )
            },
            "intents": parser.intents,
            "fallback_threshold": FALLBACK_THRESHOLD,
            "max_chars": MAX_CHARS,
            "backends": backends.status(),
        }

    @app.post("/model/parse")
    async def parse(request: Request) -> JSONResponse:
        parser = warm.parser
        if parser is None:
            return not_warm()
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(413, f"request body too large ({len(body)} bytes; at most {MAX_BODY_BYTES})")
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return _error(400, 'request body is not UTF-8 text; send JSON like {"text": "xin chào"}')
        except ValueError:
            return _error(400, 'request body is not valid JSON; send {"text": "xin chào"}')
        if not isinstance(data, dict):
            return _error(400, 'send a JSON object like {"text": "xin chào"}')
        text = data.get("text")
        if text is not None and not isinstance(text, str):
            return _error(400, '"text" must be a string')
        t0 = time.perf_counter()
        try:
            result = parser.parse(text)
        except TextError as exc:
            return _error(exc.status, str(exc))
        log.debug(
            "parsed in %.1f ms: %s -> %s", (time.perf_counter() - t0) * 1000, text, result["intent"]["name"]
        )
        return JSONResponse(result)

    return app
