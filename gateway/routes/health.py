"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.deps import ReadinessDep
from gateway.schemas import Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The gateway process is alive")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Every part is up and warm; which one is still warming or down, and since when",
            response_model=Readiness,
            responses={503: {"model": Readiness, "description": "a part is warming or down; the body says which"}})
async def readyz(readiness: ReadinessDep) -> JSONResponse:
    result = await readiness.get(fresh=True)
    return JSONResponse(result.model_dump(), status_code=200 if result.ready else 503)
