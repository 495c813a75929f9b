"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.readiness import check

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The gateway process is alive")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Rasa, the NLU service and the action server are reachable",
            responses={503: {"description": "at least one part is down; the body says which"}})
async def readyz(request: Request) -> JSONResponse:
    result = await check(request.app.state.settings)
    return JSONResponse(result.model_dump(), status_code=200 if result.ready else 503)
