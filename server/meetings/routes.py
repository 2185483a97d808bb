"""Meeting routes under /api/v1/meetings. Thin: parse → storage. Every write is an
intent (server/meetings/mutations.py); these routes only read. Feature parts keep their
routes in files of their own, included here."""

from __future__ import annotations

from fastapi import APIRouter

from server.meetings.calendar_routes import router as calendar_router

router = APIRouter(prefix="/meetings", tags=["meetings"])
router.include_router(calendar_router)
