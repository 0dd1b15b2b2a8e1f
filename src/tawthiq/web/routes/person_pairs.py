"""Reviewing pairs of person records the linker is unsure of: the queue, one pair side by side, the decision.

Names are confidential: every route needs ``Action.READ_NAMES``. A decision
is a POST form (CSRF-checked by the app) calling ``person_linking.decide``,
which keeps who, when and why; it goes on to the next pair of the queue.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.access import Action, User
from ...services import person_linking, person_pages
from ..auth import require, workspace
from ..ids import PathId
from ..linkage import weight_rows
from ..listing import page_number
from ..offload import run_blocking
from ..pair_decision import PairReview, decide_pair
from ..person_linkage import person_notice
from ..templating import render
from .persons import person_helpers

router = APIRouter()

PER_PAGE = 25


@router.get("/review/persons")
async def queue(request: Request) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    found = await run_blocking("page", person_pages.queue_page, workspace(request), user=user,
                               page=page_number(request.query_params.get("page")), per_page=PER_PAGE)
    return render(request, "review_person_pairs.html", {
        "queue": found, "notice": person_notice(request.state.lang, request.query_params),
        **person_helpers(request)})


def _pair_page(request: Request, user: User, a: int, b: int, *, status_code: int = 200, error: str = "",
               comment: str = "") -> Response:
    ws = workspace(request)
    found = person_pages.pair_view(ws, user=user, a=a, b=b)
    here = (int(found.left.id or 0), int(found.right.id or 0))
    following = person_pages.next_pair(ws, user=user, after=here)
    comparison = found.comparison
    return render(request, "review_person_pair.html", {
        "pair": found,
        "weights": weight_rows(request.state.lang, comparison.weights, comparison.levels) if comparison else [],
        "comparison": comparison, "skip": following if following != here else None,
        "notice": person_notice(request.state.lang, request.query_params), "error": error, "comment": comment,
        **person_helpers(request),
    }, status_code=status_code)


@router.get("/review/persons/{a:int}/{b:int}")
async def show(request: Request, a: PathId, b: PathId) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    return await run_blocking("page", _pair_page, request, user, a, b)


REVIEW = PairReview(queue="/review/persons", decide=person_linking.decide, next_pair=person_pages.next_pair,
                    verdict_error="persons.error.verdict", records="person records")


@router.post("/review/persons/{a:int}/{b:int}")
async def decide(request: Request, a: PathId, b: PathId) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    return await decide_pair(request, user, a, b, review=REVIEW, pair_page=_pair_page)
