"""The source page: what was received, its text with every incident's evidence marked, and the original.

The original file is attacker-supplied (HTML, PDF, anything), so it is never
rendered by the browser: it is only offered as a download, typed as opaque
bytes, with sniffing off (the app's CSP and no-store apply as on every response).
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from ...domain.access import Action, User
from ...domain.model import Incident
from ...services import records
from ...services.errors import NotFound
from ..auth import require, workspace
from ..highlight import highlighted_text
from ..templating import render

router = APIRouter()

MAX_MARKED_INCIDENTS = 200  # a source cited by more incidents than this marks the first ones only
MAX_PLAIN_ORIGINAL = 512 * 1024  # bytes of a plain-text original shown on the page


def _incidents_with_claims(request: Request, user: User, view: records.SourceView) -> list[Incident]:
    """The supporting incidents in full (their claims carry the spans), through the same visibility rules."""
    out: list[Incident] = []
    for summary in view.incidents[:MAX_MARKED_INCIDENTS]:
        try:
            out.append(records.get_incident_view(workspace(request), user=user, incident_id=summary.id).incident)
        except NotFound:
            continue  # changed between the two reads; its marks are simply not shown
    return out


def _plain_original(view: records.SourceView) -> str | None:
    """A small plain-text original as text (shown escaped); None for anything else."""
    media = (view.source.media_type or "").split(";")[0].strip().lower()
    if view.blob_path is None or media != "text/plain" or view.source.size > MAX_PLAIN_ORIGINAL:
        return None
    try:
        data = view.blob_path.read_bytes()[:MAX_PLAIN_ORIGINAL]
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace")
    return None if text == view.source.text else text


@router.get("/sources/{source_id:int}")
async def show_source(request: Request, source_id: int) -> Response:
    user: User = await require(Action.READ_SOURCES)(request)
    view = records.get_source_view(workspace(request), user=user, source_id=source_id)
    incidents = _incidents_with_claims(request, user, view)
    return render(request, "source.html", {
        "view": view, "source": view.source, "text_id": "source-text",
        "segments": highlighted_text(view.source.text, incidents, source_id=view.source.id),
        "plain_original": _plain_original(view),
    })


def _download_name(name: str, sha256: str) -> str:
    """Content-Disposition value: an ASCII fallback and the real name (RFC 6266/5987)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or f"source-{sha256[:12]}"
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in base)[:150]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(base[:150], safe='')}"


@router.get("/sources/{source_id:int}/original")
async def download_original(request: Request, source_id: int) -> Response:
    user: User = await require(Action.READ_SOURCES)(request)
    view = records.get_source_view(workspace(request), user=user, source_id=source_id)
    if view.blob_path is None:
        raise NotFound(f"the original of source {source_id} is not in the evidence store")
    return FileResponse(view.blob_path, media_type="application/octet-stream", headers={
        "Content-Disposition": _download_name(view.source.original_name, view.source.sha256),
        "X-Content-Type-Options": "nosniff",
    })
