"""Saved searches: save the incidents list's filters under a name, reopen them, delete them.

The saved query is the list's own query string, sent back by the form on the
list page; the service checks and normalises it, so a hand-edited form can
save nothing the list would not accept. A refused save shows the list again
with a one-line reason in the page's language and the typed name kept.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import QueryParams

from ...domain.access import User
from ...services import saved_searches
from ...services.errors import BadFilterDate, ServiceError
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from ..problems import problem_html
from ..templating import page_context
from .incidents import list_response
from .login import safe_next

router = APIRouter()

MAX_QUERY_CHARS = 4000


@router.post("/searches")
async def save_search(request: Request, name: Annotated[str, Form(max_length=1000)] = "",
                      query: Annotated[str, Form(max_length=MAX_QUERY_CHARS)] = "") -> Response:
    user: User = await current_user(request)
    params = QueryParams(parse_qsl(query, keep_blank_values=False, max_num_fields=200))
    try:
        saved = await run_blocking("page", saved_searches.save, workspace(request), user=user, name=name,
                                    params=params)
    except ServiceError as exc:
        context = page_context(request)
        t = context["t"]
        key = getattr(exc, "key", "")
        if key:
            message = t(key)
        elif isinstance(exc, BadFilterDate):  # as the list says it
            message = t("digits.bad_date", field=t(f"search.chip.{exc.field}"), value=context["user_text"](exc.value))
        else:  # the filter's problem by its kind, in the page's language
            message = Markup("{} {}").format(t("search.saved.error.filter"), problem_html(request.state.lang, exc))
        return await run_blocking("page", list_response, request, user, params,
                                  extra={"save_error": message, "save_name": name[:200]}, status_code=400)
    # The normalised query (never the posted text) with a note that it was saved.
    return RedirectResponse("/incidents?" + "&".join(p for p in (saved.query, f"saved={saved.id}") if p),
                            status_code=303)


@router.get("/searches/{search_id}")
async def open_search(request: Request, search_id: PathId) -> Response:
    user: User = await current_user(request)
    query = await run_blocking("page", saved_searches.open_search, workspace(request), user=user,
                               search_id=search_id)
    return RedirectResponse(f"/incidents?{query}" if query else "/incidents", status_code=303)


@router.post("/searches/{search_id}/delete")
async def delete_search(request: Request, search_id: PathId,
                        next: Annotated[str, Form(max_length=2000)] = "/incidents") -> Response:
    user: User = await current_user(request)
    await run_blocking("page", saved_searches.delete, workspace(request), user=user, search_id=search_id)
    target = safe_next(next)
    # From the account page, which says it was deleted (the list beside the incidents shows it gone).
    return RedirectResponse("/account?done=search_deleted" if target == "/account" else target, status_code=303)
