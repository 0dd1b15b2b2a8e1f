"""Deciding one pair from the pair-review pages: incidents (/review/pairs) and person records (/review/persons).

Both take the same form (a verdict and a comment), refuse a missing verdict on
the pair's page in its language, record the decision through their service,
and go on to the next pair of their queue saying what was recorded. What
differs between them is gathered in a :class:`PairReview`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ..domain.access import User
from ..domain.judgements import Verdict
from ..services import Workspace
from ..services.errors import Conflict, NotFound
from .auth import workspace
from .i18n import translate
from .offload import run_blocking

VERDICTS = tuple(v.value for v in Verdict)


def form_text(form: Any, name: str, limit: int = 2000) -> str:
    """A form field as typed, trimmed and cut to ``limit``; a file or nothing is ""."""
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@dataclass(frozen=True)
class PairReview:
    """What differs between the two pair reviews."""

    queue: str  # the queue's path; a pair's page is <queue>/<a>/<b>
    decide: Callable[..., Any]  # the service's decide(ws, user=, actor=, a=, b=, verdict=, comment=)
    next_pair: Callable[..., tuple[int, int] | None]  # the service's next_pair(ws, user=)
    verdict_error: str  # the message key when no verdict was chosen
    records: str  # what a pair is of, for the 404 of a record paired with itself


def _after_decision(ws: Workspace, *, user: User, review: PairReview, verdict: str, a: int, b: int) -> Response:
    """On to the next pair of the queue (or the queue itself when none is left), saying what was recorded."""
    following = review.next_pair(ws, user=user)
    said = f"linked={verdict}&a={min(a, b)}&b={max(a, b)}"
    if following is None:
        return RedirectResponse(f"{review.queue}?{said}", status_code=303)
    return RedirectResponse(f"{review.queue}/{following[0]}/{following[1]}?{said}", status_code=303)


async def decide_pair(request: Request, user: User, a: int, b: int, *, review: PairReview,
                      pair_page: Callable[..., Response]) -> Response:
    """The decision form posted from a pair's page; ``pair_page(request, user, a, b, ...)`` shows it again."""
    form = await request.form()
    verdict, comment = form_text(form, "verdict", 20), form_text(form, "comment")
    if verdict not in VERDICTS:
        return await run_blocking("page", pair_page, request, user, a, b, status_code=400,
                                  error=translate(request.state.lang, review.verdict_error), comment=comment)
    ws = workspace(request)
    try:
        await run_blocking("page", review.decide, ws, user=user, actor=user.username, a=a, b=b, verdict=verdict,
                           comment=comment)
    except Conflict:  # a record paired with itself: no such page either
        raise NotFound(f"no pair of {review.records} {a} and {b}") from None
    return await run_blocking("page", _after_decision, ws, user=user, review=review, verdict=verdict, a=a, b=b)
