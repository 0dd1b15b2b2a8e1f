"""Media as evidence from the web: attaching a source (or a region, time range or page of it) to an incident
from either page, withdrawing that, and making a redacted copy of a source.

Every value comes from a form and may be hostile: a refused one re-renders the
page it came from with a one-line error in the page's language and the typed
values kept. Reading and writing (and a redaction's decoding of a whole
picture) run off the event loop.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ...domain.access import Action, User, allowed
from ...domain.typed_numbers import typed_int
from ...services import attachments, reading, redaction
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import client_ip, current_user, workspace
from ..forms import MAX_SHORT
from ..ids import PathId
from ..offload import run_blocking
from ..problems import keyed_html, problem_html, problem_key, unkinded
from .incident import incident_page
from .source import source_page_response

router = APIRouter()

MAX_REASON_FORM = attachments.MAX_REASON + 1  # one over, so "too long" is said rather than cut silently
ATTACH_FIELDS = ("source_id", "incident_id", "region", "start", "end", "page")
MAX_REDACT_FIELD = 200_000  # the drawn boxes and chosen spans, as text


def _text(form: FormData, name: str, limit: int = MAX_SHORT) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _problem(request: Request, exc: ServiceError) -> str:
    """The problem in the page's language: keyed problems are translated, the rest by their kind (or said as
    they are, when they have none)."""
    key = getattr(exc, "key", "")
    if key:
        return keyed_html(request.state.lang, f"evidence.problem.{key}", getattr(exc, "values", {}))
    return problem_html(request.state.lang, exc)


def _number(raw: str) -> int | None:
    return typed_int(raw.strip().lstrip("#"))  # "12", "#12" or "١٢"


def _typed(form: FormData) -> dict[str, str]:
    values = {f"attach_{name}": _text(form, name) for name in ATTACH_FIELDS}
    values["attach_reason"] = _text(form, "reason", MAX_REASON_FORM)
    return values


def _request(values: dict[str, str], *, incident_id: int | None, source_id: int | None) -> attachments.AttachRequest:
    if incident_id is None:
        raise attachments.AttachProblem("choose an incident by its number", key="incident_number")
    if source_id is None:
        raise attachments.AttachProblem("choose a source from the list", key="source_number")
    return attachments.AttachRequest(
        incident_id=incident_id, source_id=source_id, reason=values["attach_reason"],
        region=values["attach_region"], start=values["attach_start"], end=values["attach_end"],
        page=values["attach_page"])


# ------------------------------------------------------------------ from the incident page


@router.post("/incidents/{incident_id:int}/media")
async def attach_from_incident(request: Request, incident_id: PathId) -> Response:
    user = await current_user(request)
    values = _typed(await request.form())
    return await run_blocking("page", _attach_incident, request, user, incident_id, values)


def _incident_again(request: Request, user: User, incident_id: int, *, error_for: str, error: str,
                    values: dict[str, str]) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id, attach_choices=True)
    return incident_page(request, view, status_code=400, error_for=error_for, error=error, values=values)


def _attach_incident(request: Request, user: User, incident_id: int, values: dict[str, str]) -> Response:
    try:
        made = attachments.attach(workspace(request), user=user, machine=client_ip(request), request=_request(
            values, incident_id=incident_id, source_id=_number(values["attach_source_id"])))
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return _incident_again(request, user, incident_id, error_for="attach", error=_problem(request, exc),
                               values=values)
    return RedirectResponse(f"/incidents/{incident_id}?done=attached#attachment-{made.id}", status_code=303)


@router.post("/incidents/{incident_id:int}/media/{attachment_id:int}/withdraw")
async def withdraw(request: Request, incident_id: PathId, attachment_id: PathId) -> Response:
    user = await current_user(request)
    reason = _text(await request.form(), "reason", MAX_REASON_FORM)
    return await run_blocking("page", _withdraw, request, user, incident_id, attachment_id, reason)


def _withdraw(request: Request, user: User, incident_id: int, attachment_id: int, reason: str) -> Response:
    ws = workspace(request)
    try:
        if attachments.attachment_incident(ws, user=user, attachment_id=attachment_id) != incident_id:
            raise NotFound(f"incident {incident_id} has no attachment {attachment_id}")
        attachments.withdraw(ws, user=user, attachment_id=attachment_id, reason=reason, machine=client_ip(request))
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        # Withdrawn already: its form is gone from the page, so the line goes at the top of the panel.
        where = "media" if getattr(exc, "key", "") == "withdrawn_already" else f"withdraw-{attachment_id}"
        return _incident_again(request, user, incident_id, error_for=where,
                               error=_problem(request, exc), values={"withdraw_reason": reason})
    return RedirectResponse(f"/incidents/{incident_id}?done=withdrawn#media", status_code=303)


# -------------------------------------------------------------------- from the source page


@router.post("/sources/{source_id:int}/attach")
async def attach_from_source(request: Request, source_id: PathId) -> Response:
    user = await current_user(request)
    values = _typed(await request.form())
    return await run_blocking("read", _attach_source, request, user, source_id, values)


def _attach_source(request: Request, user: User, source_id: int, values: dict[str, str]) -> Response:
    if user.disabled or not allowed(user.role, Action.READ_SOURCES):  # as the source page: "no such source"
        raise NotFound(f"no source with id {source_id}")
    try:
        attachments.attach(workspace(request), user=user, machine=client_ip(request), request=_request(
            values, incident_id=_number(values["attach_incident_id"]), source_id=source_id))
    except PermissionDenied:
        raise
    except NotFound as exc:
        if values["attach_incident_id"] and exc.kind == "attach.no_incident":  # an incident typed that is not there
            return source_page_response(request, user, source_id, status_code=400, error_for="attach",
                                        error=_problem(request, attachments.AttachProblem(
                                            str(exc), key="no_incident", id=values["attach_incident_id"][:12])),
                                        values=values)
        raise
    except ServiceError as exc:
        return source_page_response(request, user, source_id, status_code=400, error_for="attach",
                                    error=_problem(request, exc), values=values)
    return RedirectResponse(f"/sources/{source_id}?done=attached#attached", status_code=303)


# -------------------------------------------------------------------------------- redaction


@router.post("/sources/{source_id:int}/redact")
async def redact(request: Request, source_id: PathId) -> Response:
    user = await current_user(request)
    form = await request.form()
    values = {"redact_reason": _text(form, "reason", MAX_REASON_FORM),
              "redact_regions": _text(form, "regions", MAX_REDACT_FIELD),
              "redact_spans": _text(form, "spans", MAX_REDACT_FIELD)}
    return await run_blocking("heavy", _redact, request, user, source_id, values)


def _redact(request: Request, user: User, source_id: int, values: dict[str, str]) -> Response:
    try:
        redaction.redact_from_page(workspace(request), user, source_id=source_id, reason=values["redact_reason"],
                                   regions=values["redact_regions"], spans=values["redact_spans"])
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return source_page_response(request, user, source_id, status_code=400, error_for="redact",
                                    error=_redaction_problem(request, exc), values=values)
    return RedirectResponse(f"/sources/{source_id}?done=redacted#working-copies", status_code=303)


def _redaction_problem(request: Request, exc: ServiceError) -> str:
    if getattr(exc, "key", "") or problem_key(exc) is not None:
        return _problem(request, exc)
    # A refusal from deep in the image or text code with no kind yet: said in the page's language, its
    # detail (the code's own English line) marked as such.
    return unkinded(request.state.lang, "evidence.problem.redaction_failed", exc)

