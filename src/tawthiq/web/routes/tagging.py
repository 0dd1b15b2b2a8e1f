"""Putting a tag on an incident or a source, and taking it off, from the record's page.

Documenters and above; the services check the role and that the record is one
the user may see. A refused form re-renders the page with a one-line reason
in the page's language. Reading and writing run off the event loop.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import User
from ...services import reading, tags
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import current_user, workspace
from ..i18n import translate
from ..ids import PathId
from ..offload import run_blocking
from ..problems import problem_html, problem_key, unkinded
from .incident import incident_page
from .source import source_page_response

router = APIRouter()

MAX_TAG_FIELD = 40  # a tag id is a few digits; anything longer is not one


def tag_message(request: Request, exc: ServiceError) -> str:
    """A refusal in the page's language: keyed ones translated, the rest said as they are (one line)."""
    lang = getattr(request.state, "lang", "en")
    if isinstance(exc, tags.TagError):
        return translate(lang, f"tags.error.{exc.key}", **exc.values)
    if problem_key(exc) is not None:
        return problem_html(lang, exc)
    return unkinded(lang, "tags.error.other", exc)


async def _chosen(request: Request) -> str:
    value = (await request.form()).get("tag_id", "")
    return value[:MAX_TAG_FIELD] if isinstance(value, str) else ""


# ------------------------------------------------------------------ incidents


@router.post("/incidents/{incident_id:int}/tags")
async def tag_incident(request: Request, incident_id: PathId) -> Response:
    user = await current_user(request)
    chosen = await _chosen(request)
    return await run_blocking("page", _on_incident, request, user, incident_id, chosen, False)


@router.post("/incidents/{incident_id:int}/tags/{tag_id:int}/remove")
async def untag_incident(request: Request, incident_id: PathId, tag_id: PathId) -> Response:
    user = await current_user(request)
    return await run_blocking("page", _on_incident, request, user, incident_id, str(tag_id), True)


def _on_incident(request: Request, user: User, incident_id: int, tag_id: str, remove: bool) -> Response:
    ws = workspace(request)
    try:
        if remove:
            tags.untag_incident(ws, user=user, incident_id=incident_id, tag_id=tag_id)
        else:
            tags.tag_incident(ws, user=user, incident_id=incident_id, tag_id=tag_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        view = reading.get_incident_view(ws, user=user, incident_id=incident_id, attach_choices=True)
        return incident_page(request, view, status_code=400, error_for="tags", error=tag_message(request, exc),
                             values={"tag_id": tag_id})
    return RedirectResponse(f"/incidents/{incident_id}?done={'untagged' if remove else 'tagged'}#tags",
                            status_code=303)


# ------------------------------------------------------------------ sources


@router.post("/sources/{source_id:int}/tags")
async def tag_source(request: Request, source_id: PathId) -> Response:
    user = await current_user(request)
    chosen = await _chosen(request)
    return await run_blocking("read", _on_source, request, user, source_id, chosen, False)


@router.post("/sources/{source_id:int}/tags/{tag_id:int}/remove")
async def untag_source(request: Request, source_id: PathId, tag_id: PathId) -> Response:
    user = await current_user(request)
    return await run_blocking("read", _on_source, request, user, source_id, str(tag_id), True)


def _on_source(request: Request, user: User, source_id: int, tag_id: str, remove: bool) -> Response:
    ws = workspace(request)
    try:
        if remove:
            tags.untag_source(ws, user=user, source_id=source_id, tag_id=tag_id)
        else:
            tags.tag_source(ws, user=user, source_id=source_id, tag_id=tag_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return source_page_response(request, user, source_id, status_code=400, error_for="tags",
                                    error=tag_message(request, exc), values={"tag_id": tag_id})
    return RedirectResponse(f"/sources/{source_id}?done={'untagged' if remove else 'tagged'}#tags",
                            status_code=303)
