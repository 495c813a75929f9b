"""The care-staff console: one router to mount on the gateway (``app.include_router(care.console.router)``)."""

from fastapi import APIRouter

from care.console import audit_pages, auth_pages, dashboard, gaps, handoffs, tickets

router = APIRouter()
for _module in (auth_pages, tickets, handoffs, dashboard, gaps, audit_pages):
    router.include_router(_module.router)
