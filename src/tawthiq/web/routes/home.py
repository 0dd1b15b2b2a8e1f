"""The start page: what is waiting, and where to go."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...services import overview
from ..auth import current_user, workspace
from ..templating import render

router = APIRouter()


@router.get("/")
async def home(request: Request) -> Response:
    user = await current_user(request)
    return render(request, "home.html", {"counts": overview.counts(workspace(request), user=user)})
