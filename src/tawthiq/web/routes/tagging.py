"""Putting a tag on an incident or a source, and taking it off, from the record's page.

Documenters and above; the services check the role and that the record is one
the user may see. A refused form re-renders the page with a one-line reason
in the page's language. Reading and writing run off the event loop.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import User
from ...services import Workspace, reading, tags
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import Kind, run_blocking
from ..problems import keyed_html, problem_html, problem_key, unkinded
from .incident import incident_page
from .source import source_page_response

router = APIRouter()

MAX_TAG_FIELD = 40  # a tag id is a few digits; anything longer is not one


def tag_message(request: Request, exc: ServiceError) -> str:
    """A refusal in the page's language: keyed ones translated, the rest said as they are (one line)."""
    lang = getattr(request.state, "lang", "en")
    if isinstance(exc, tags.TagError):
        return keyed_html(lang, f"tags.error.{exc.key}", exc.values)
    if problem_key(exc) is not None:
        return problem_html(lang, exc)
    return unkinded(lang, "tags.error.other", exc)


async def _chosen(request: Request) -> str:
    value = (await request.form()).get("tag_id", "")
    return value[:MAX_TAG_FIELD] if isinstance(value, str) else ""


@dataclass(frozen=True)
class _Target:
    """What differs between tagging an incident and tagging a source; the flow is the same."""

    path: str  # the record's page is /<path>/<id>
    pool: Kind  # the incident page is the heavier read, so it re-renders in the "page" pool
    put: Callable[[Workspace, User, int, str], None]
    take: Callable[[Workspace, User, int, str], None]
    refused: Callable[[Request, User, int, str, str], Response]  # (request, user, id, error, tag_id)


def _incident_refused(request: Request, user: User, incident_id: int, error: str, tag_id: str) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id, attach_choices=True)
    return incident_page(request, view, status_code=400, error_for="tags", error=error, values={"tag_id": tag_id})


def _source_refused(request: Request, user: User, source_id: int, error: str, tag_id: str) -> Response:
    return source_page_response(request, user, source_id, status_code=400, error_for="tags", error=error,
                                values={"tag_id": tag_id})


INCIDENT = _Target(
    path="incidents", pool="page",
    put=lambda ws, user, rid, tid: tags.tag_incident(ws, user=user, incident_id=rid, tag_id=tid),
    take=lambda ws, user, rid, tid: tags.untag_incident(ws, user=user, incident_id=rid, tag_id=tid),
    refused=_incident_refused)
SOURCE = _Target(
    path="sources", pool="read",
    put=lambda ws, user, rid, tid: tags.tag_source(ws, user=user, source_id=rid, tag_id=tid),
    take=lambda ws, user, rid, tid: tags.untag_source(ws, user=user, source_id=rid, tag_id=tid),
    refused=_source_refused)


def _apply(request: Request, user: User, target: _Target, record_id: int, tag_id: str, remove: bool) -> Response:
    ws = workspace(request)
    try:
        (target.take if remove else target.put)(ws, user, record_id, tag_id)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return target.refused(request, user, record_id, tag_message(request, exc), tag_id)
    return RedirectResponse(f"/{target.path}/{record_id}?done={'untagged' if remove else 'tagged'}#tags",
                            status_code=303)


async def _tag(request: Request, *, target: _Target, record_id: int) -> Response:
    user = await current_user(request)
    chosen = await _chosen(request)
    return await run_blocking(target.pool, _apply, request, user, target, record_id, chosen, False)


async def _untag(request: Request, *, target: _Target, record_id: int, tag_id: int) -> Response:
    user = await current_user(request)
    return await run_blocking(target.pool, _apply, request, user, target, record_id, str(tag_id), True)


@router.post("/incidents/{incident_id:int}/tags")
async def tag_incident(request: Request, incident_id: PathId) -> Response:
    return await _tag(request, target=INCIDENT, record_id=incident_id)


@router.post("/incidents/{incident_id:int}/tags/{tag_id:int}/remove")
async def untag_incident(request: Request, incident_id: PathId, tag_id: PathId) -> Response:
    return await _untag(request, target=INCIDENT, record_id=incident_id, tag_id=tag_id)


@router.post("/sources/{source_id:int}/tags")
async def tag_source(request: Request, source_id: PathId) -> Response:
    return await _tag(request, target=SOURCE, record_id=source_id)


@router.post("/sources/{source_id:int}/tags/{tag_id:int}/remove")
async def untag_source(request: Request, source_id: PathId, tag_id: PathId) -> Response:
    return await _untag(request, target=SOURCE, record_id=source_id, tag_id=tag_id)
