"""Victim lists: the people (one row per person cluster) and one person's records side by side.

Names are confidential: every route needs ``Action.READ_NAMES`` (reviewers,
admins), and the services check it again. "Same as / not the same as record
#N" and Undo are POST forms (CSRF-checked by the app) calling
``services.person_linking``; they come back to the person's page, where the
records judged to be the person are shown as they now are.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.ids import parse_id
from ...domain.persons import REPORTS_LIST
from ...services import person_linking, person_pages, persons
from ...services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..i18n import translate
from ..ids import PathId
from ..listing import page_number
from ..offload import run_blocking
from ..pair_decision import VERDICTS, form_text
from ..person_linkage import field_label, person_notice, person_verdict_label
from ..problems import problem_html
from ..templating import render

router = APIRouter()

PER_PAGE = 25


def person_helpers(request: Request) -> dict[str, Any]:
    """What the person templates share: labels in the page's language and names as the lists wrote them."""
    lang = request.state.lang
    return {"field_label": lambda name: field_label(lang, name),
            "verdict_label": lambda v: person_verdict_label(lang, v),
            "display_name": persons.display_name, "reports_list": REPORTS_LIST}


# ------------------------------------------------------------------ the people


@router.get("/persons")
async def people(request: Request) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    params = request.query_params
    lists = [name for name in params.getlist("list") if name][:20]
    query = (params.get("q") or "").strip()[:200]
    found = await run_blocking("page", person_pages.people_page, workspace(request), user=user, lists=lists,
                               query=query, page=page_number(params.get("page")), per_page=PER_PAGE)
    kept = urlencode([("list", name) for name in lists] + ([("q", query)] if query else []))
    return render(request, "persons.html", {"found": found, "lists": lists, "query": query, "pager_query": kept,
                                            **person_helpers(request)})


# ------------------------------------------------------------------ one person


def person_page(request: Request, user: User, record_id: int, *, status_code: int = 200, error_for: str = "",
                error: str = "", values: dict[str, str] | None = None) -> Response:
    view = person_pages.person_view(workspace(request), user=user, record_id=record_id)
    return render(request, "person.html", {
        "view": view, "notice": person_notice(request.state.lang, request.query_params),
        "error_for": error_for, "error": error, "values": values or {}, **person_helpers(request),
    }, status_code=status_code)


@router.get("/persons/{record_id:int}")
async def show(request: Request, record_id: PathId) -> Response:
    user: User = await require(Action.READ_NAMES)(request)
    return await run_blocking("page", person_page, request, user, record_id)


@router.post("/persons/{record_id:int}/same-person")
async def same_person(request: Request, record_id: PathId) -> Response:
    """ "Same as record #N" / "not the same as record #N" from the person's page."""
    user: User = await require(Action.READ_NAMES)(request)
    form = await request.form()
    raw_other, verdict, comment = form_text(form, "other_id", 20), form_text(form, "verdict", 20), form_text(
        form, "comment")
    values = {"other": raw_other, "verdict": verdict, "comment": comment}

    def again(message: str) -> Response:
        return person_page(request, user, record_id, status_code=400, error_for="same_person", error=message,
                           values=values)

    def t(key: str, **kw: Any) -> str:
        return translate(request.state.lang, key, **kw)

    other = parse_id(raw_other)
    if other is None:
        return await run_blocking("page", again, t("persons.error.other_id"))
    if verdict not in VERDICTS:
        return await run_blocking("page", again, t("persons.error.verdict"))
    if other == record_id:
        return await run_blocking("page", again, t("persons.error.itself"))
    ws = workspace(request)
    try:
        await run_blocking("page", person_linking.decide, ws, user=user, actor=user.username, a=record_id, b=other,
                           verdict=verdict, comment=comment)
    except PermissionDenied:
        raise
    except NotFound:
        # This record is checked by its page (404 when unknown); an unknown other one is the form's problem.
        return await run_blocking("page", again, t("persons.error.no_record", id=other))
    except ServiceError as exc:
        return await run_blocking("page", again, problem_html(request.state.lang, exc))
    return RedirectResponse(f"/persons/{record_id}?linked={verdict}&a={min(record_id, other)}"
                            f"&b={max(record_id, other)}#judgements", status_code=303)


@router.post("/persons/{record_id:int}/judgements/{judgement_id:int}/undo")
async def undo(request: Request, record_id: PathId, judgement_id: PathId) -> Response:
    """Withdraw one judgement about the person's records (the people follow), with an optional reason."""
    user: User = await require(Action.READ_NAMES)(request)
    comment = form_text(await request.form(), "comment")
    try:
        await run_blocking("page", person_linking.undo, workspace(request), user=user, actor=user.username,
                           judgement_id=judgement_id, comment=comment)
    except Conflict:  # already withdrawn (another tab, a second click): said on the page, not a failure page
        return await run_blocking("page", person_page, request, user, record_id, status_code=409, error_for="undo",
                                  error=translate(request.state.lang, "link.error.already_withdrawn",
                                                  id=judgement_id))
    return RedirectResponse(f"/persons/{record_id}?linked=undone&j={judgement_id}#judgements", status_code=303)
