"""The gateway's FastAPI application (``create_app`` is the factory uvicorn runs)."""

from __future__ import annotations

import importlib
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dvcbot.db import get_engine, prepare
from dvcbot.logs import setup_logging
from dvcbot.settings import Settings, get_settings
from gateway.rasa_client import RasaClient
from gateway.readiness import ReadinessMonitor
from gateway.routes import chat, health
from gateway.store import TurnStore

log = logging.getLogger("gateway")

#: routers of other areas mounted on the gateway when they are installed (module, attribute)
OPTIONAL_ROUTERS = [("routing.api", "router"), ("routing.map_page", "router")]


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse({"detail": "The request body is not valid JSON / Nội dung gửi lên không phải JSON hợp lệ"},
                            status_code=400)
    problems = []
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {msg}")
    return JSONResponse({"detail": "; ".join(problems), "errors": [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")} for e in errors]},
        status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    setup_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        prepare(settings.db_url, settings.db_auto_upgrade)  # the tables exist before the first request
        app.state.rasa = RasaClient(settings.rasa_url, settings.request_timeout)
        app.state.readiness = ReadinessMonitor(settings)
        try:
            yield
        finally:
            await app.state.rasa.close()

    app = FastAPI(title="dvcbot gateway", version="0.1.0", lifespan=lifespan,
                  description="Public API of the Hanoi public-service assistant: chat, agents, wards, map.")
    app.state.settings = settings
    app.state.turns = TurnStore(get_engine(settings.db_url))
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(health.router)
    app.include_router(chat.router)
    for module_name, attr in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        app.include_router(getattr(module, attr))
    return app
