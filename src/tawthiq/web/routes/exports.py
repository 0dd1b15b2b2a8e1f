"""Exports for an audience: asking for an approval, and the reviewers' page that answers (issue 13 §5).

``/exports/request`` shows a user which export profiles they may use on their
own and which need a reviewer's approval, with a form to ask for one and their
own requests (never another's). ``/exports/approvals`` is the reviewers' page:
requests waiting, approvals in force (with a withdraw button) and what
happened before, with the downloads each approval allowed. Every decision goes
through :mod:`tawthiq.services.export_requests` and into the custody ledger.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.profiles import PROFILES
from ...domain.typed_numbers import ascii_number
from ...services import export_requests
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ...services.export_approvals import MAX_HOURS
from ..auth import client_ip, current_user, require, workspace
from ..offload import run_blocking
from ..problems import problem_html
from ..templating import render

router = APIRouter(prefix="/exports")
Reason = Annotated[str, Form(max_length=2000)]
_DONE = frozenset({"requested", "approved", "declined", "withdrawn"})


def _titles(request: Request) -> dict[str, str]:
    lang = getattr(request.state, "lang", "en")
    return {p.name: p.title_ar if lang == "ar" else p.title_en for p in PROFILES}


def _done(request: Request) -> str:
    done = request.query_params.get("done", "") if request.method == "GET" else ""
    return done if done in _DONE else ""


async def _request_page(request: Request, user: User, *, status_code: int = 200, **extra: Any) -> Response:
    choices, mine = await run_blocking("page", export_requests.export_choices, workspace(request), user=user)
    chosen = (request.query_params.get("profile") or "").strip().lower()
    context: dict[str, Any] = {
        "choices": choices, "mine": mine, "error": "", "reason": "", "done": _done(request),
        "titles": _titles(request), "chosen": chosen if chosen in {p.name for p in PROFILES} else "",
    }
    context.update(extra)
    return render(request, "exports_request.html", context, status_code=status_code)


@router.get("/request")
async def request_page(request: Request) -> Response:
    return await _request_page(request, await current_user(request))


@router.post("/request")
async def request_add(request: Request, profile: Annotated[str, Form(max_length=40)], reason: Reason = "") -> Response:
    user = await current_user(request)
    try:
        await run_blocking("read", export_requests.request_export, workspace(request), user=user, profile=profile,
                           reason=reason, machine=client_ip(request))
    except ServiceError as exc:
        return await _request_page(request, user, status_code=400, error=problem_html(request.state.lang, exc),
                                   reason=reason, chosen=profile)
    return RedirectResponse("/exports/request?done=requested", status_code=303)


async def _approvals_page(request: Request, user: User, *, status_code: int = 200, **extra: Any) -> Response:
    found = await run_blocking("page", export_requests.overview, workspace(request), reviewer=user)
    context: dict[str, Any] = {"overview": found, "max_hours": MAX_HOURS, "error": "", "done": _done(request),
                               "failed": 0, "titles": _titles(request)}
    context.update(extra)
    return render(request, "exports_approvals.html", context, status_code=status_code)


@router.get("/approvals", dependencies=[Depends(require(Action.VERIFY))])
async def approvals_page(request: Request) -> Response:
    return await _approvals_page(request, await current_user(request))


async def _decide(request: Request, entry_id: int, done: str, call: Any, **values: Any) -> Response:
    user = await current_user(request)
    try:
        await run_blocking("read", call, workspace(request), reviewer=user, machine=client_ip(request), **values)
    except PermissionDenied as exc:
        if exc.kind != "export.approve_self":
            raise
        # Their own request: said above the list, where the other requests still wait for them.
        return await _approvals_page(request, user, status_code=403, error=problem_html(request.state.lang, exc),
                                     failed=entry_id)
    except NotFound:
        raise
    except ServiceError as exc:
        return await _approvals_page(request, user, status_code=400, error=problem_html(request.state.lang, exc),
                                     failed=entry_id)
    return RedirectResponse(f"/exports/approvals?done={done}", status_code=303)


@router.post("/approvals/{request_id:int}/approve", dependencies=[Depends(require(Action.VERIFY))])
async def approve(request: Request, request_id: int, hours: Annotated[str, Form(max_length=10)] = "",
                  reason: Reason = "") -> Response:
    # The hours arrive as typed (perhaps in Arabic-Indic digits): the service says what a bad value is.
    typed = ascii_number(hours) or hours.strip()
    return await _decide(request, request_id, "approved", export_requests.approve_request, request_id=request_id,
                         hours=typed, reason=reason)


@router.post("/approvals/{request_id:int}/decline", dependencies=[Depends(require(Action.VERIFY))])
async def decline(request: Request, request_id: int, reason: Reason = "") -> Response:
    return await _decide(request, request_id, "declined", export_requests.decline_request, request_id=request_id,
                         reason=reason)


@router.post("/approvals/{approval_id:int}/withdraw", dependencies=[Depends(require(Action.VERIFY))])
async def withdraw(request: Request, approval_id: int, reason: Reason = "") -> Response:
    return await _decide(request, approval_id, "withdrawn", export_requests.withdraw_approval,
                         approval_id=approval_id, reason=reason)
