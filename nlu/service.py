"""The NLU HTTP service: Rasa-compatible ``POST /model/parse`` (Rasa's endpoints.yml ``nlu: url``).

Bad input always gets a 4xx with a plain message, never a 500: empty text → 400, invalid JSON or
non-UTF-8 bytes → 400, text over :data:`nlu.parser.MAX_CHARS` characters → 413 (we refuse rather
than truncate: a 5,000-character chat message is not a question, and a silent cut would classify
something the user did not mean).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from nlu import backends
from nlu.parser import FALLBACK_THRESHOLD, MAX_CHARS, NluParser, TextError

log = logging.getLogger("nlu.service")

#: request bodies larger than this are refused before being decoded
MAX_BODY_BYTES = 64 * 1024


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


def create_app(parser: NluParser | None = None) -> FastAPI:
    """The app with its model loaded (``NluParser()`` by default: ``settings.nlu_model_dir``)."""
    parser = parser or NluParser()
    app = FastAPI(title="dvcbot NLU", version=str(parser.model.meta.get("code_version")))
    app.state.parser = parser

    @app.get("/", response_class=PlainTextResponse)
    def root() -> str:
        return "ok"

    @app.get("/health")
    def health() -> dict[str, Any]:
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
