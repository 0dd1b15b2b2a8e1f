"""The start page: what is waiting, and where to go."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...services import overview
from ..auth import current_user, workspace
from ..offload import run_blocking
from ..templating import render

router = APIRouter()


@router.get("/")
async def home(request: Request) -> Response:
    user = await current_user(request)
    # Counted over the whole archive on every visit: in a worker thread.
    counts = await run_blocking("page", overview.counts, workspace(request), user=user)
    return render(request, "home.html", {"counts": counts})
