"""The second-reviewer step: the admin's setting, and the reviewers' list of incidents to verify.

Both go through :mod:`tawthiq.services.second_review`, which checks the role
again; the setting is stored and audited there (who, when, why). A refused
form comes back with a one-line reason in the page's language and what was
typed kept.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...services import second_factor, second_review
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..i18n import translate
from ..listing import whole_number
from ..offload import run_blocking
from ..problems import problem_html, problem_key, unkinded
from ..queue_query import SORTS, parse_queue
from ..templating import page_context, render
from .incidents import build_facets

router = APIRouter()

Comment = Annotated[str, Form(max_length=2000)]
PER_PAGE = 25
LIST_FACETS = ("event_type", "perpetrator", "governorate")  # the selects above the list, as the queue's
_DONE = frozenset({"on", "off", "unchanged"})
_SF_DONE = frozenset({"on", "off", "unchanged", "reason_missing"})


async def _settings_page(request: Request, user: User, *, status_code: int = 200, **extra: Any) -> Response:
    shown = await run_blocking("page", second_review.team_settings, workspace(request), user=user)
    done = request.query_params.get("done", "") if request.method == "GET" else ""
    second_factor_done = request.query_params.get("second_factor", "") if request.method == "GET" else ""
    context: dict[str, Any] = {"settings": shown, "error": "", "submitted": {},
                               "done": done if done in _DONE else "",
                               # The second-factor rule has its own form and outcome (web/routes/second_factor.py).
                               "second_factor_required": second_factor.required(workspace(request)),
                               "second_factor_done": second_factor_done if second_factor_done in _SF_DONE else "",
                               # "Lock now" is offered only where there is a key to forget (routes/lock.py).
                               "workspace_encrypted": workspace(request).blobs.encrypted}
    context.update(extra)
    return render(request, "admin_settings.html", context, status_code=status_code)


@router.get("/admin/settings")
async def settings_page(request: Request) -> Response:
    return await _settings_page(request, await require(Action.MANAGE_SETTINGS)(request))


@router.post("/admin/settings")
async def change_settings(request: Request, second_review_on: Annotated[str, Form(max_length=10)] = "",
                          comment: Comment = "") -> Response:
    user = await require(Action.MANAGE_SETTINGS)(request)
    on = second_review_on == "on"
    try:
        changed = await run_blocking("page", second_review.set_required, workspace(request), user=user, on=on,
                                     comment=comment)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        key = exc.key if isinstance(exc, second_review.SettingError) else "other"
        if key != "other":
            message = translate(request.state.lang, f"verify.error.{key}")
        elif problem_key(exc) is not None:  # a refusal with a kind says itself
            message = problem_html(request.state.lang, exc)
        else:
            message = unkinded(request.state.lang, "verify.error.other", exc)
        return await _settings_page(request, user, status_code=400, error=message,
                                    submitted={"second_review_on": on, "comment": comment})
    done = ("on" if on else "off") if changed else "unchanged"
    return RedirectResponse(f"/admin/settings?{urlencode({'done': done})}", status_code=303)


@router.get("/review/verify")
async def to_verify(request: Request) -> Response:
    user = await require(Action.VERIFY)(request)
    wanted = parse_queue(request.query_params)
    listed = await run_blocking("page", second_review.verify_queue, workspace(request), user=user,
                                filters=wanted.filters, sort=wanted.store_sort,
                                page=whole_number(request.query_params.get("page"), 1), per_page=PER_PAGE)
    context = page_context(request)
    facets = [f for f in build_facets(listed.facets, wanted.filters, lang=request.state.lang, t=context["t"],
                                      label=context["label"]) if f.name in LIST_FACETS]
    query = wanted.query()
    return render(request, "verify_queue.html", {
        "listed": listed, "queue": wanted, "filter_values": wanted.params(), "facets": facets,
        "sort_choices": tuple(SORTS), "pager_query": query + "&" if query else "",
    })
