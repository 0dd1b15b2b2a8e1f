"""The review queue page, and the decisions taken from it: bulk accept, reject or assign; assigning one.

A bulk decision comes back to the same queue (its order, filters and page)
with a notice counting what was done and what was refused, each refusal
with its reason. A form that cannot be used (nothing chosen, no comment to
reject, an unknown assignee) shows the queue again with the problem stated
in the page's language, the comment and the ticks kept, status 400.
"""
from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User, allowed
from ...domain.ids import parse_id
from ...services import queue_work, reading
from ...services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..i18n import translate
from ..ids import PathId
from ..listing import whole_number
from ..offload import run_blocking
from ..queue_query import (
    LANGUAGES,
    ME,
    SORTS,
    QueueQuery,
    parse_queue,
    queue_from_field,
)
from ..templating import page_context, render
from .incidents import build_facets

router = APIRouter()

PER_PAGE = 25
DONE = ("accepted", "edited", "rejected", "merged", "accepted_held", "merged_held")
QUEUE_FACETS = reading.QUEUE_FACETS  # the selects above the queue
BULK_VERDICTS = ("accept", "reject", "assign")
REFUSALS = tuple(r.value for r in queue_work.Refusal)
MAX_REFUSALS_SHOWN = 50  # ids listed in the notice after a bulk decision (the count is always whole)


def confidence_level(value: float | None) -> str:
    """The extractor's confidence in a word (its rules give 0.3 to 0.95)."""
    if value is None:
        return ""
    return "low" if value < 0.5 else "medium" if value < 0.7 else "high"


def _notice(params: Any) -> tuple[str, int]:
    """The done notice a redirect after a decision asks for: (kind, incident id), or ("", 0)."""
    done, done_id = params.get("done", ""), whole_number(params.get("id"), 0)
    return (done, done_id) if done in DONE and done_id else ("", 0)


def _bulk_notice(params: Any) -> dict[str, Any] | None:
    """What a redirect after a bulk decision reports: the verdict, how many done and refused, and why."""
    verdict = params.get("bulk", "")
    if verdict not in BULK_VERDICTS:
        return None
    refused: list[tuple[int, str]] = []
    for part in (params.get("refused") or "").split(",")[:MAX_REFUSALS_SHOWN]:
        number, _, reason = part.partition(":")
        if number.isdigit() and len(number) < 19 and reason in REFUSALS:
            refused.append((int(number), reason))
    return {"verdict": verdict, "done": whole_number(params.get("done_count"), 0),
            "refused_count": whole_number(params.get("refused_count"), 0), "refused": refused,
            "unassigned": params.get("unassigned") == "1", "left": whole_number(params.get("left_count"), 0)}


async def _queue_page(request: Request, user: User, wanted: QueueQuery, page: int, *, error: str = "",
                      comment: str = "", checked: frozenset[int] = frozenset(), verdict: str = "",
                      assignee: str = "", status_code: int = 200,
                      checked_identical: frozenset[int] = frozenset()) -> Response:
    # The queue's total and facets are counted over every suggestion: in a worker thread.
    work = await run_blocking("page", queue_work.queue_page, workspace(request), user=user,
                              filters=wanted.filters_for(user), sort=wanted.store_sort, page=page,
                              per_page=PER_PAGE, fold=wanted.fold)
    listed = work.listed
    done, done_id = _notice(request.query_params)
    context = page_context(request)
    facets = [f for f in build_facets(listed.facets, wanted.filters, lang=request.state.lang, t=context["t"],
                                      label=context["label"]) if f.name in QUEUE_FACETS]
    query = wanted.query()
    team = {m.username: m.label for m in work.team}
    languages = list(LANGUAGES) + ([wanted.language] if wanted.language and wanted.language not in LANGUAGES
                                   else [])
    return render(request, "review.html", {
        "page": listed.page, "done": done, "done_id": done_id, "queue": wanted, "queue_query": query,
        "filter_values": wanted.params(), "facets": facets, "sort_choices": tuple(SORTS),
        "levels": {r.summary.id: confidence_level(r.summary.confidence) for r in listed.page.items},
        "item_query": urlencode({"queue": query}) if query else "",
        "pager_query": query + "&" if query else "",
        "team": work.team, "team_labels": team, "languages": languages, "me": ME,
        "mine": wanted.assignee in (ME, user.username),
        "bulk": _bulk_notice(request.query_params) if not error else None,
        "bulk_error": error, "bulk_comment": comment, "checked": checked, "bulk_verdict": verdict,
        "bulk_assignee": assignee, "checked_identical": checked_identical, "suggestions": listed.suggestions,
        "unfold_query": dataclasses.replace(wanted, fold=not wanted.fold).query(),
    }, status_code=status_code)


@router.get("/review")
async def queue(request: Request) -> Response:
    user: User = await require(Action.EDIT)(request)
    return await _queue_page(request, user, parse_queue(request.query_params),
                             whole_number(request.query_params.get("page"), 1))


def _t(request: Request, key: str, **values: Any) -> str:
    return translate(request.state.lang, key, **values)


def _text(form: Any, name: str, limit: int = 2000) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@router.post("/review/bulk")
async def bulk(request: Request) -> Response:
    """Accept, reject or assign the ticked suggestions of one queue page, each decided and recorded alone."""
    user: User = await require(Action.EDIT)(request)
    form = await request.form()
    wanted = queue_from_field(form.get("queue", ""))
    page = whole_number(_text(form, "page", 8), 1)
    comment, verdict, assignee = _text(form, "comment"), _text(form, "verdict", 20), _text(form, "assignee", 100)
    raw_ids = [v for v in form.getlist("ids") if isinstance(v, str)][:queue_work.MAX_BULK + 1]
    ids = [i for i in (parse_id(v.strip()) for v in raw_ids) if i is not None]
    checked = frozenset(ids)
    # "identical": rows whose folded identical suggestions the decision applies to as well.
    raw_rows = [v for v in form.getlist("identical") if isinstance(v, str)][:queue_work.MAX_BULK + 1]
    rows = [i for i in (parse_id(v.strip()) for v in raw_rows) if i is not None]

    async def again(key: str, **values: Any) -> Response:
        return await _queue_page(request, user, wanted, page, error=_t(request, key, **values), comment=comment,
                                 checked=checked, verdict=verdict, assignee=assignee, status_code=400,
                                 checked_identical=frozenset(rows))

    if verdict not in BULK_VERDICTS:
        return await again("queue.bulk.no_verdict")
    if (not ids and not rows) or len(ids) != len(raw_ids) or len(rows) != len(raw_rows):
        return await again("queue.bulk.none_chosen" if not raw_ids and not raw_rows else "queue.bulk.bad_choice")
    if len(ids) > queue_work.MAX_BULK or len(rows) > queue_work.MAX_BULK:
        return await again("queue.bulk.too_many", limit=queue_work.MAX_BULK)
    if verdict == "assign" and not allowed(user.role, Action.ASSIGN):
        raise PermissionDenied("your role may not assign suggestions")
    try:
        outcome = await run_blocking("heavy", queue_work.decide_many, workspace(request), user=user,
                                     incident_ids=ids, verdict=verdict, comment=comment,
                                     assignee=(assignee or None) if verdict == "assign" else None,
                                     identical_to=rows, filters=wanted.filters_for(user))
    except queue_work.CommentMissing:
        return await again("record.action.comment_missing")
    except queue_work.AssigneeUnknown:
        return await again("queue.assign.unknown")
    except PermissionDenied:
        raise
    except ServiceError:
        return await again("queue.bulk.bad_choice")
    report = {"bulk": verdict, "done_count": str(len(outcome.done)), "refused_count": str(len(outcome.refused))}
    if outcome.left:
        report["left_count"] = str(outcome.left)
    if outcome.refused:
        report["refused"] = ",".join(f"{i}:{r.value}" for i, r in outcome.refused[:MAX_REFUSALS_SHOWN])
    if verdict == "assign" and not assignee:
        report["unassigned"] = "1"
    if page > 1:
        report["page"] = str(page)
    return RedirectResponse("/review?" + urlencode({**wanted.params(), **report}), status_code=303)


@router.post("/review/{incident_id:int}/assign")
async def assign(request: Request, incident_id: PathId) -> Response:
    """Assign one suggestion to a team member (an empty choice takes the assignment back)."""
    from .review import review_page

    user: User = await require(Action.ASSIGN)(request)
    form = await request.form()
    wanted = queue_from_field(form.get("queue", ""))
    assignee, comment = _text(form, "assignee", 100), _text(form, "comment")
    values = {"assignee": assignee, "assign_comment": comment}
    try:
        await run_blocking("read", queue_work.assign, workspace(request), user=user, incident_id=incident_id,
                           assignee=assignee or None, comment=comment)
    except (NotFound, PermissionDenied):
        raise
    except queue_work.AssigneeUnknown:
        return await review_page(request, user, incident_id, error_for="assign", values=values, status_code=400,
                                 error=_t(request, "queue.assign.unknown"), queue=wanted)
    except Conflict:
        return await review_page(request, user, incident_id, error_for="assign", values=values, status_code=400,
                                 error=_t(request, "queue.assign.not_pending"), queue=wanted)
    query = wanted.query()
    target = {"assigned": "1" if assignee else "0", **({"queue": query} if query else {})}
    return RedirectResponse(f"/review/{incident_id}?" + urlencode(target), status_code=303)


@router.get("/review/{incident_id:int}/next")
async def next_one(request: Request, incident_id: PathId) -> Response:
    return await _step(request, incident_id, backwards=False)


@router.get("/review/{incident_id:int}/previous")
async def previous_one(request: Request, incident_id: PathId) -> Response:
    return await _step(request, incident_id, backwards=True)


async def _step(request: Request, incident_id: int, *, backwards: bool) -> Response:
    """The next or previous suggestion of the queue (``?queue=…``) without deciding on this one; at
    either end of the queue, this one again with a notice saying so. In a folded queue (the default)
    the next row: this suggestion's identical copies, folded with it, are stepped over."""
    user: User = await require(Action.EDIT)(request)
    wanted = queue_from_field(request.query_params.get("queue", ""))
    found = await run_blocking("read", reading.next_suggestion, workspace(request), user=user,
                               filters=wanted.filters_for(user), sort=wanted.store_sort, after_id=incident_id,
                               backwards=backwards, fold=wanted.fold)
    query = wanted.query()
    carried = {"queue": query} if query else {}
    if found is None:
        edge = {"edge": "first" if backwards else "last"}
        return RedirectResponse(f"/review/{incident_id}?" + urlencode({**edge, **carried}), status_code=303)
    return RedirectResponse(f"/review/{found}" + ("?" + urlencode(carried) if carried else ""), status_code=303)
