"""The review queue: a suggestion beside its source text, and the decisions on it.

Every decision is a POST form (CSRF-checked by the app) that calls the review
service, which checks the role again and writes the history. A form that
cannot be used (no comment where one is needed, a bad count, a code not in
the vocabulary) comes back with the person's input kept and the problem
stated, with status 400.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.ids import parse_id
from ...domain.model import Incident
from ...services import duplicates, reading, review
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..choices import incident_choices
from ..forms import FormProblem, IncidentForm, parse_changes, resolve_place
from ..i18n import translate
from ..ids import PathId
from ..listing import page_number, whole_number
from ..offload import run_blocking
from ..plain_history import history_rows
from ..problems import keyed_html, problem_html
from ..queue_query import QueueQuery, queue_from_field
from ..templating import render
from .incident import CLAIMS_PAGE, shown_source, source_excerpts

router = APIRouter()

# "_held": the change took a public incident out of publication until a reviewer publishes it again.
DONE = ("accepted", "edited", "rejected", "merged", "accepted_held", "merged_held")


def _notice(params: Any) -> tuple[str, int]:
    """The done notice a redirect after a decision asks for: (kind, incident id), or ("", 0)."""
    done, done_id = params.get("done", ""), whole_number(params.get("id"), 0)
    return (done, done_id) if done in DONE and done_id else ("", 0)


async def review_page(request: Request, user: User, incident_id: int, *, form: IncidentForm | None = None,
                      error_for: str = "", error: str = "", values: dict[str, str] | None = None,
                      notice: str = "", status_code: int = 200, queue: QueueQuery | None = None,
                      done: tuple[str, int] = ("", 0)) -> Response:
    """The review item page. It shows the source's text around the suggestion's marks (the whole text when
    short) and queries for candidate duplicates: built in a worker thread, off the loop.
    ``queue`` is the queue the person came from, carried through the decision forms; ``done`` the
    decision just taken on the previous suggestion."""
    return await run_blocking("read", _review_page, request, user, incident_id, form=form, error_for=error_for,
                              error=error, values=values, notice=notice, status_code=status_code,
                              queue=queue or QueueQuery(), done=done)


def _review_page(request: Request, user: User, incident_id: int, *, form: IncidentForm | None,
                 error_for: str, error: str, values: dict[str, str] | None, notice: str,
                 status_code: int, queue: QueueQuery, done: tuple[str, int]) -> Response:
    ws = workspace(request)
    item = duplicates.review_item(ws, user=user, incident_id=incident_id,
                                  claims_page=page_number(request.query_params.get(CLAIMS_PAGE)))
    view, incident = item.view, item.view.incident
    wanted_source = whole_number(request.query_params.get("source"), 0) or None
    source = shown_source(view, wanted_source)
    shown = source_excerpts(view, source)
    return render(request, "review_item.html", {
        "view": view, "incident": incident, "claims_by_field": item.claims.by_field,
        "claim_pages": item.claims, "claims_elsewhere": item.claims.elsewhere,
        "claims_href": _claims_href(incident_id, source=source.id if source and wanted_source else None,
                                    queue=queue),
        # Paging the claims keeps the person where they were: at the claims, opened.
        "claims_open": CLAIMS_PAGE in request.query_params,
        "source": source, "shown": shown, "segments": shown.segments if shown else [],
        "here": source.id if source else None,
        "form": form or IncidentForm.from_incident(incident), "choices": incident_choices(request.state.lang),
        "history": history_rows(request.state.lang, view.history),
        "candidates": item.candidates, "assignee": item.assignee, "team": item.team,
        "assigned": request.query_params.get("assigned", ""),
        "edge": request.query_params.get("edge", "") if request.query_params.get("edge") in ("first", "last") else "",
        "step_query": urlencode({"queue": queue.query()}) if queue.query() else "",
        "error_for": error_for, "error": error, "values": values or {}, "notice": notice,
        "with_edit_link": False,
        "queue_query": queue.query(), "done": done[0], "done_id": done[1],
    }, status_code=status_code)


def _claims_href(incident_id: int, *, source: int | None, queue: QueueQuery) -> Callable[[int], str]:
    """The address of a page of the claims: the same suggestion, source text and queue, at the claims."""
    kept = {**({"source": str(source)} if source else {}), **({"queue": queue.query()} if queue.query() else {})}

    def href(page: int) -> str:
        return f"/review/{incident_id}?" + urlencode({**kept, CLAIMS_PAGE: str(page)}) + "#claims"

    return href


@router.get("/review/{incident_id:int}")
async def show(request: Request, incident_id: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    return await review_page(request, user, incident_id, queue=queue_from_field(request.query_params.get("queue", "")),
                             done=_notice(request.query_params))


def _done(action: str, incident_id: int) -> Response:
    return RedirectResponse(f"/review?done={action}&id={incident_id}", status_code=303)


async def _decided(request: Request, user: User, form: Any, action: str, incident_id: int) -> Response:
    """After a decision taken on the review page (its forms carry ``queue``): the next suggestion of
    that queue with the notice, or the queue itself when none is left. Without the field (a form
    posted from elsewhere) the queue, as before. In a folded queue the copies identical to the one just
    decided are stepped over (their row stays in the queue, to be decided together from there)."""
    if "queue" not in form:
        return _done(action, incident_id)
    wanted = queue_from_field(form.get("queue"))
    following = await run_blocking("read", reading.next_suggestion, workspace(request), user=user,
                                   filters=wanted.filters_for(user), sort=wanted.store_sort, after_id=incident_id,
                                   fold=wanted.fold)
    notice = {"done": action, "id": str(incident_id)}
    if following is None:
        return RedirectResponse("/review?" + urlencode({**notice, **wanted.params()}, doseq=True), status_code=303)
    query = wanted.query()
    return RedirectResponse(f"/review/{following}?" + urlencode({**notice, **({"queue": query} if query else {})}),
                            status_code=303)


def _queue(form: Any) -> QueueQuery:
    return queue_from_field(form.get("queue", ""))


def _text(form: Any, name: str, limit: int = 2000) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _t(request: Request, key: str, **values: Any) -> str:
    return translate(request.state.lang, key, **values)


@router.post("/review/{incident_id:int}/accept")
async def accept(request: Request, incident_id: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    form = await request.form()
    comment = _text(form, "comment")
    try:
        review.accept(workspace(request), user=user, incident_id=incident_id, comment=comment)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return await review_page(request, user, incident_id, error_for="accept", error=problem_html(request.state.lang, exc),
                                 values={"accept_comment": comment}, status_code=400, queue=_queue(form))
    return await _decided(request, user, form, "accepted", incident_id)


@router.post("/review/{incident_id:int}/reject")
async def reject(request: Request, incident_id: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    form = await request.form()
    comment = _text(form, "comment")
    values = {"reject_comment": comment}
    try:
        review.reject(workspace(request), user=user, incident_id=incident_id, comment=comment)
    except (NotFound, PermissionDenied):
        raise
    except review.CommentMissing:  # rejecting a suggestion: said in the page's language
        return await review_page(request, user, incident_id, error_for="reject", values=values,
                                 error=_t(request, "record.action.comment_missing"), status_code=400,
                                 queue=_queue(form))
    except ServiceError as exc:
        return await review_page(request, user, incident_id, error_for="reject", error=problem_html(request.state.lang, exc), values=values,
                                 status_code=400, queue=_queue(form))
    return await _decided(request, user, form, "rejected", incident_id)


@router.post("/review/{incident_id:int}/merge")
async def merge(request: Request, incident_id: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    form = await request.form()
    # A number typed in wins over a candidate chosen from the list (typing is the deliberate act).
    comment, typed, chosen = _text(form, "comment"), _text(form, "into_id", 20), _text(form, "into_choice", 20)
    raw_into = typed or chosen
    level = _text(form, "confidentiality", 20)  # only reviewers are offered the choice; empty: the stricter
    values = {"merge_comment": comment, "into_id": typed, "into_choice": chosen, "merge_confidentiality": level}
    into_id = parse_id(raw_into)  # None also beyond 64 bits, which no record can have
    if into_id is None:
        return await review_page(request, user, incident_id, error_for="merge", values=values,
                                 error=_t(request, "record.action.merge_into"), status_code=400, queue=_queue(form))
    if not comment:
        return await review_page(request, user, incident_id, error_for="merge", values=values,
                                 error=_t(request, "record.action.comment_missing"), status_code=400,
                                 queue=_queue(form))
    try:
        result = review.merge(workspace(request), user=user, incident_id=incident_id, into_id=into_id,
                              comment=comment, confidentiality=level or None)
    except PermissionDenied:
        raise
    except ServiceError as exc:  # an unknown target is the form's problem, not a missing page
        return await review_page(request, user, incident_id, error_for="merge", error=problem_html(request.state.lang, exc), values=values,
                                 status_code=400, queue=_queue(form))
    return await _decided(request, user, form, "merged_held" if result.withdrawn else "merged", incident_id)


@router.post("/review/{incident_id:int}/edit")
async def edit(request: Request, incident_id: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    submitted = await request.form()
    form = IncidentForm.from_submitted(submitted)

    def changes(current: Incident) -> review.IncidentChanges:
        return parse_changes(form, current, resolve_place=resolve_place)

    async def again(message: str) -> Response:
        return await review_page(request, user, incident_id, form=form, error_for="edit", error=message,
                                 status_code=400, queue=_queue(submitted))

    try:
        outcome = review.correct(workspace(request), user=user, incident_id=incident_id, changes=changes,
                                 comment=form.comment, then_accept=_text(submitted, "then", 20) == "accept")
    except FormProblem as problem:
        return await again(keyed_html(request.state.lang, problem.key, problem.values))
    except review.CommentMissing:
        return await again(_t(request, "record.action.comment_missing"))
    except review.PublishNeedsReviewer:
        return await again(_t(request, "record.edit.public_needs_reviewer"))
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return await again(problem_html(request.state.lang, exc))
    if outcome is review.Correction.UNCHANGED:
        return await review_page(request, user, incident_id, form=form,
                                 notice=_t(request, "record.action.no_changes"), queue=_queue(submitted))
    if outcome in (review.Correction.ACCEPTED, review.Correction.ACCEPTED_HELD):
        # As accept does: on to the next suggestion of the queue the person is working through.
        return await _decided(request, user, submitted, outcome.value, incident_id)
    return RedirectResponse(f"/incidents/{incident_id}?done={outcome.value}", status_code=303)


@router.get("/places/suggest")
async def suggest_places(request: Request) -> Response:
    """Gazetteer places starting with ``q``, for the place field's list (JSON, read-only)."""
    await require(Action.EDIT)(request)
    q = request.query_params.get("q", "")[:100]
    limit = min(whole_number(request.query_params.get("limit"), 10), 20)
    return JSONResponse(reading.place_suggestions(q, limit=limit))
