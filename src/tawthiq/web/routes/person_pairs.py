"""Reviewing pairs of person records the linker is unsure of: the queue, one pair side by side, the decision.

Names are confidential: every route needs ``Action.READ_NAMES``. A decision
is a POST form (CSRF-checked by the app) calling ``person_linking.decide``,
which keeps who, when and why; it goes on to the next pair of the queue.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...services import person_linking, person_pages
from ...services.errors import Conflict, NotFound
from ..auth import require, workspace
from ..i18n import translate
from ..ids import PathId
from ..linkage import weight_rows
from ..offload import run_blocking
from ..person_linkage import person_notice
from ..templating import render
from .persons import VERDICTS, form_text, page_number, person_helpers

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


def _after_decision(request: Request, user: User, verdict: str, a: int, b: int) -> Response:
    following = person_pages.next_pair(workspace(request), user=user)
    said = f"linked={verdict}&a={min(a, b)}&b={max(a, b)}"
    if following is None:
        return RedirectResponse(f"/review/persons?{said}", status_code=303)
    return RedirectResponse(f"/review/persons/{following[0]}/{following[1]}?{said}", status_code=303)


@router.post("/review/persons/{a:int}/{b:int}")
async def decide(request: Request, a: PathId, b: PathId) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    form = await request.form()
    verdict, comment = form_text(form, "verdict", 20), form_text(form, "comment")
    if verdict not in VERDICTS:
        return await run_blocking("page", _pair_page, request, user, a, b, status_code=400,
                                  error=translate(request.state.lang, "persons.error.verdict"), comment=comment)
    try:
        await run_blocking("page", person_linking.decide, workspace(request), user=user, actor=user.username, a=a,
                           b=b, verdict=verdict, comment=comment)
    except Conflict:  # a record paired with itself: no such page either
        raise NotFound(f"no pair of person records {a} and {b}") from None
    return await run_blocking("page", _after_decision, request, user, verdict, a, b)
