"""The dashboard page and the JSON its charts read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from care import stats
from care.console.common import DB, ConsoleRoute, Staff, page

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@router.get("/dashboard")
def dashboard_page(request: Request, db: DB, user: Staff) -> Response:
    return page(request, "dashboard.html", {"d": stats.dashboard(db)})


@router.get("/dashboard/data")
def dashboard_data(db: DB, user: Staff) -> Response:
    return JSONResponse(stats.dashboard(db), headers={"Cache-Control": "no-store"})
