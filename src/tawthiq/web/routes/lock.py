"""The admin's "Lock now" (encrypted workspaces only): the web side of ``tawthiq lock``.

A POST (CSRF-checked like every private form, confirmed in a dialog first):
every session ends, this one included, and the lock request the server
watches is written, so the server forgets the key and stops (cli/serve.py).
The answer is a page that needs nothing more from the workspace.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.access import Action
from ...services.errors import NotFound
from ...services.locking import lock_from_app
from ..auth import SESSION_COOKIE, require, workspace
from ..offload import run_blocking
from ..templating import render

router = APIRouter()


@router.post("/admin/lock")
async def lock_now(request: Request) -> Response:
    user = await require(Action.MANAGE_SETTINGS)(request)
    ws = workspace(request)
    if not ws.blobs.encrypted:
        raise NotFound("this workspace is not encrypted: there is no key to lock")
    await run_blocking("page", lock_from_app, ws, user=user)
    response = render(request, "locked.html", {})
    response.delete_cookie(SESSION_COOKIE)
    return response
