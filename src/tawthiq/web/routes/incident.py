"""The incident page: every field with the claims and sources behind it, and its history.

A long report can leave thousands of claims on one incident: the page lists
them a page at a time (services/claim_pages.py, as the review page does),
``?claims=N`` naming the page, with their count in words and links to the
claims before and after. Its named persons are listed the same way
(``?persons=N``); each list's links keep the other's page.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import User
from ...services import pair_review, reading, review, text_window
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import current_user, workspace
from ..highlight import ShownText, incident_highlights, shown_text
from ..i18n import translate
from ..ids import PathId
from ..linkage import linked_notice, matrix_field_label, verdict_label
from ..listing import page_number
from ..offload import run_blocking
from ..plain_history import history_rows
from ..problems import problem_html
from ..templating import render

router = APIRouter()

# The query parameter naming the page of an incident's (or a suggestion's) claims listed.
CLAIMS_PAGE = "claims"
# The query parameter naming the page of the incident's named persons listed.
PERSONS_PAGE = "persons"


def shown_source(view: reading.IncidentView, wanted: int | None) -> Any:
    """The source whose text a page shows: the one asked for, else the incident's first."""
    by_id = {s.id: s for s in view.sources}
    if wanted in by_id:
        return by_id[wanted]
    if view.incident.source_id in by_id:
        return by_id[view.incident.source_id]
    return view.sources[0] if view.sources else None


def source_excerpts(view: reading.IncidentView, source: Any) -> ShownText | None:
    """The source's text around the incident's marks: whole when short, else excerpts around them (a text
    runs to millions of characters, and the page is about this one suggestion)."""
    if source is None:
        return None
    marks = incident_highlights(view.incident, source_id=source.id)
    return shown_text(source.text, marks, text_window.around(source.text, [(h.start, h.end) for h in marks]))


def _map_data(view: reading.IncidentView) -> dict[str, Any] | None:
    loc = view.incident.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    return {"lat": loc.lat, "lon": loc.lon, "precision": str(loc.precision)}


def _page_of(view: reading.IncidentView) -> tuple[int, int]:
    """The pages of claims and of named persons the view shows."""
    return view.claims.page, view.person_page.page if view.person_page is not None else 1


def incident_page(request: Request, view: reading.IncidentView, *, status_code: int = 200,
                  error_for: str = "", error: str = "", values: dict[str, str] | None = None) -> Response:
    lang = request.state.lang
    # The "Same event" panel (cluster, judgements, corroboration): None for viewers.
    event = pair_review.same_event(workspace(request), user=request.state.user, incident_id=int(view.incident.id or 0),
                                   members=view.cluster, independent_sources=view.incident.independent_sources,
                                   incident=view.incident)
    claims = view.claims
    claims_at, persons_at = _page_of(view)
    return render(request, "incident.html", {
        "view": view, "incident": view.incident, "claims_by_field": claims.by_field,
        "claim_pages": claims, "claims_elsewhere": claims.elsewhere,
        "claims_href": claims_href(int(view.incident.id or 0), persons=persons_at),
        "claims_total_key": "incident_claims.total",
        "persons_href": persons_href(int(view.incident.id or 0), claims=claims_at),
        "history": history_rows(lang, view.history), "map": _map_data(view),
        "error_for": error_for, "error": error, "values": values or {}, "candidates": [],
        "with_edit_link": True, "here": None, "done": done_notice(request),
        "event": event, "linked": linked_notice(lang, request.query_params),
        "field_label": lambda name: matrix_field_label(lang, name),
        "verdict_label": lambda v: verdict_label(lang, v),
        "source_titles": {int(s.id or 0): s.title or s.original_name for s in view.sources},
    }, status_code=status_code)


def _address(incident_id: int, *, claims: int, persons: int, anchor: str) -> str:
    """The incident page showing these pages of its claims and persons, opening at ``anchor``. A first page is
    left out of the query; nothing else of it is kept: the rest is a one-time notice (done, linked) that another
    page of a list should not say again."""
    query = "&".join(f"{name}={page}" for name, page in ((CLAIMS_PAGE, claims), (PERSONS_PAGE, persons))
                     if page > 1 or name == anchor)
    return f"/incidents/{incident_id}?{query}#{anchor}"


def claims_href(incident_id: int, *, persons: int = 1) -> Callable[[int], str]:
    """The address of a page of the incident's claims, opening at them, keeping the page of persons shown."""

    def href(page: int) -> str:
        return _address(incident_id, claims=page, persons=persons, anchor=CLAIMS_PAGE)

    return href


def persons_href(incident_id: int, *, claims: int = 1) -> Callable[[int], str]:
    """The address of a page of the incident's named persons, opening at them, keeping the page of claims."""

    def href(page: int) -> str:
        return _address(incident_id, claims=claims, persons=page, anchor=PERSONS_PAGE)

    return href


@router.get("/incidents/{incident_id:int}")
async def show_incident(request: Request, incident_id: PathId) -> Response:
    user: User = await current_user(request)
    return await run_blocking("page", _show_incident, request, user, incident_id)


def _show_incident(request: Request, user: User, incident_id: int) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id, attach_choices=True,
                                     claims_page=page_number(request.query_params.get(CLAIMS_PAGE)),
                                     persons_page=page_number(request.query_params.get(PERSONS_PAGE)))
    return incident_page(request, view)


@router.post("/incidents/{incident_id:int}/verify")
async def verify_incident(request: Request, incident_id: PathId,
                          comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    user: User = await current_user(request)
    ws = workspace(request)
    try:
        await run_blocking("page", review.verify, ws, user=user, incident_id=incident_id, comment=comment.strip())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        # The team's second-review rule refuses in the page's language; other refusals as the service says.
        message = (translate(request.state.lang, f"verify.error.{exc.key}")
                   if isinstance(exc, review.SecondReviewNeeded) else problem_html(request.state.lang, exc))
        return await run_blocking("page", _refused_verify, request, user, incident_id, message, comment)
    return RedirectResponse(f"/incidents/{incident_id}?done=verified", status_code=303)


def _refused_verify(request: Request, user: User, incident_id: int, message: str, comment: str) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id, attach_choices=True)
    return incident_page(request, view, status_code=400, error_for="verify", error=message,
                         values={"verify_comment": comment})


def done_notice(request: Request) -> str:
    done = request.query_params.get("done", "")
    return done if done in {"accepted", "edited", "rejected", "merged", "verified", "edited_held", "edited_reverify",
                            "attached", "withdrawn", "tagged", "untagged"} else ""


