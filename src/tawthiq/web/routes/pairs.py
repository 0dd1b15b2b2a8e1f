"""Linking incidents by hand: the pairs the linker is unsure of, one pair side by side, and the decisions.

Every decision is a POST form (CSRF-checked by the app) that calls
``services.linking`` (``decide``, ``undo``), which checks the role again and
keeps who, when and why. From the pair page a decision goes on to the next
pair of the queue; from an incident's page ("same as #N", Undo) it comes back
to the incident, where the "Same event" panel shows the clusters as they now are.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.ids import parse_id
from ...services import linking, pair_review, reading
from ...services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..i18n import translate
from ..ids import PathId
from ..linkage import linked_notice, verdict_label, weight_rows
from ..listing import whole_number
from ..offload import run_blocking
from ..pair_decision import VERDICTS, PairReview, decide_pair, form_text
from ..problems import problem_html
from ..templating import render
from .incident import incident_page

router = APIRouter()

PER_PAGE = 25


def _t(request: Request, key: str, **values: Any) -> str:
    return translate(request.state.lang, key, **values)


def decided_notice(request: Request) -> str:
    return linked_notice(request.state.lang, request.query_params)


# ------------------------------------------------------------------ the queue


@router.get("/review/pairs")
async def queue(request: Request) -> Response:
    user: User = await require(Action.READ_RESTRICTED)(request)
    # The queue is read whole and sorted by the service: off the loop.
    found = await run_blocking("page", pair_review.queue_page, workspace(request), user=user,
                               page=whole_number(request.query_params.get("page"), 1), per_page=PER_PAGE)
    return render(request, "review_pairs.html", {"queue": found, "notice": decided_notice(request)})


# ------------------------------------------------------------------ one pair


# The passages quoted on one side of a pair. An incident read from a long report rests on thousands of claims,
# each quoting its line: all of them made the pair page megabytes (1.5 MB for two of 3,000 claims). The rest are
# counted, and every one is on the incident's own page, its claims listed a page at a time.
PAIR_QUOTES = 20


@dataclass(frozen=True, slots=True)
class SideQuotes:
    """Per source: the first PAIR_QUOTES spans its current claims quote, once, with the fields each supports."""

    by_source: dict[int, list[tuple[list[str], str, int]]]
    more: int  # the quoted spans not shown here


def _quotes(view: reading.IncidentView) -> SideQuotes:
    """The spans the incident's current claims quote, each once, by source then in text order; the first
    PAIR_QUOTES of them with the fields each supports, and how many more there are."""
    spans: dict[tuple[int, int, str], list[str]] = {}
    for field, claims in view.claims_by_field.items():
        for claim in claims:
            if claim.current and claim.span is not None and claim.source_id:
                fields = spans.setdefault((int(claim.source_id), claim.span.start, claim.span.quote), [])
                if field not in fields:
                    fields.append(field)
    ordered = sorted(spans.items())
    out: dict[int, list[tuple[list[str], str, int]]] = {}
    for (source_id, start, quote), fields in ordered[:PAIR_QUOTES]:
        out.setdefault(source_id, []).append((fields, quote, start))
    return SideQuotes(by_source=out, more=max(0, len(ordered) - PAIR_QUOTES))


def _pair_page(request: Request, user: User, a: int, b: int, *, status_code: int = 200, error: str = "",
               comment: str = "") -> Response:
    ws = workspace(request)
    found = pair_review.pair_view(ws, user=user, a=a, b=b)
    left, right = found.left.incident.id, found.right.incident.id
    following = pair_review.next_pair(ws, user=user, after=(int(left or 0), int(right or 0)))
    comparison = found.comparison
    return render(request, "review_pair.html", {
        "pair": found, "sides": [(found.left, _quotes(found.left)), (found.right, _quotes(found.right))],
        "weights": weight_rows(request.state.lang, comparison.weights, comparison.levels) if comparison else [],
        "comparison": comparison, "skip": following if following != (left, right) else None,
        "verdict_label": lambda v: verdict_label(request.state.lang, v),
        "notice": decided_notice(request), "error": error, "comment": comment,
    }, status_code=status_code)


@router.get("/review/pairs/{a:int}/{b:int}")
async def show(request: Request, a: PathId, b: PathId) -> Response:
    user: User = await require(Action.READ_RESTRICTED)(request)
    # Two whole incidents with their claims and sources, and the queue for the next pair.
    return await run_blocking("page", _pair_page, request, user, a, b)


REVIEW = PairReview(queue="/review/pairs", decide=linking.decide, next_pair=pair_review.next_pair,
                    verdict_error="link.error.verdict", records="incidents")


@router.post("/review/pairs/{a:int}/{b:int}")
async def decide(request: Request, a: PathId, b: PathId) -> Response:
    user: User = await require(Action.EDIT)(request)
    return await decide_pair(request, user, a, b, review=REVIEW, pair_page=_pair_page)


# ------------------------------------------------------------ from an incident


def _incident_again(request: Request, user: User, incident_id: int, *, error_for: str, error: str,
                    values: dict[str, str], status_code: int) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id)
    return incident_page(request, view, status_code=status_code, error_for=error_for, error=error, values=values)


@router.post("/incidents/{incident_id:int}/same-event")
async def same_event(request: Request, incident_id: PathId) -> Response:
    """ "Same as #N" / "not the same as #N" from the incident's page."""
    user: User = await require(Action.EDIT)(request)
    form = await request.form()
    raw_other, verdict = form_text(form, "other_id", 20), form_text(form, "verdict", 20)
    comment = form_text(form, "comment")
    values = {"link_other": raw_other, "link_verdict": verdict, "link_comment": comment}

    def again(message: str) -> Response:
        return _incident_again(request, user, incident_id, error_for="same_event", error=message, values=values,
                               status_code=400)

    other = parse_id(raw_other)
    if other is None:
        return await run_blocking("page", again, _t(request, "link.error.other_id"))
    if verdict not in VERDICTS:
        return await run_blocking("page", again, _t(request, "link.error.verdict"))
    if other == incident_id:
        return await run_blocking("page", again, _t(request, "link.error.itself"))
    try:
        await run_blocking("page", linking.decide, workspace(request), user=user, actor=user.username,
                           a=incident_id, b=other, verdict=verdict, comment=comment)
    except PermissionDenied:
        raise
    except NotFound:
        # This incident is checked by the page itself (404 if the user may not see it); an unknown
        # other one is the form's problem, said without telling whether it exists.
        reading.get_incident_view(workspace(request), user=user, incident_id=incident_id)
        return await run_blocking("page", again, _t(request, "link.error.no_incident", id=other))
    except ServiceError as exc:
        return await run_blocking("page", again, problem_html(request.state.lang, exc))
    return RedirectResponse(f"/incidents/{incident_id}?linked={verdict}&a={min(incident_id, other)}"
                            f"&b={max(incident_id, other)}#same-event", status_code=303)


@router.post("/incidents/{incident_id:int}/judgements/{judgement_id:int}/undo")
async def undo(request: Request, incident_id: PathId, judgement_id: PathId) -> Response:
    """Withdraw one judgement about the incident (the clusters follow), with an optional reason."""
    user: User = await require(Action.EDIT)(request)
    comment = form_text(await request.form(), "comment")
    try:
        await run_blocking("page", linking.undo, workspace(request), user=user, actor=user.username,
                           judgement_id=judgement_id, comment=comment)
    except PermissionDenied:
        raise
    except Conflict:  # already withdrawn (by someone else, or a second click): said, not a failure page
        return await run_blocking("page", _incident_again, request, user, incident_id, error_for="undo",
                                  error=_t(request, "link.error.already_withdrawn", id=judgement_id),
                                  values={"undo_id": str(judgement_id)}, status_code=409)
    return RedirectResponse(f"/incidents/{incident_id}?linked=undone&j={judgement_id}#same-event",
                            status_code=303)
