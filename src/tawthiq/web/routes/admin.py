"""Managing accounts: the admin's list of users and the changes an admin may make.

Every change goes through :mod:`tawthiq.services.accounts`, which checks the
actor's role again and writes the change to the history with its comment.
A new or reset password is generated here, shown once on the response page
and never stored in clear: its owner must replace it at the next sign-in.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, Role, User
from ...services import accounts, second_factor
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import current_user, require, workspace
from ..offload import run_blocking
from ..problems import problem_html
from ..templating import render

router = APIRouter(prefix="/admin", dependencies=[Depends(require(Action.MANAGE_USERS))])

# Outcomes of a redirecting change, named in the query string so a reload shows no stale form.
_DONE = frozenset({"role", "disabled", "enabled", "unlocked", "two_factor_reset"})  # the last: routes/second_factor
Comment = Annotated[str, Form(max_length=2000)]
# A missing account or a refused action is the error page (404/403); any other
# service error is a mistake in the form, shown above it.
_PASS_ON = (NotFound, PermissionDenied)


def _page(request: Request, actor: User, *, status_code: int = 200, **extra: Any) -> Response:
    overview = accounts.accounts_overview(workspace(request), actor=actor)
    context: dict[str, Any] = {
        "users": overview.users,
        "failures": overview.failures,
        "roles": [r.value for r in Role],
        "error": "", "created": None, "reset": None, "one_time": "",
        # What a refused form asked for, shown again so that fixing one field keeps the others:
        # {"form": "create" or "role", "username", "display_name", "role", "comment"}.
        "submitted": {},
        "done": request.query_params.get("done", "") if request.method == "GET" else "",
        "done_user": request.query_params.get("user", "") if request.method == "GET" else "",
    }
    context.update(extra)
    # The notice repeats names from the query string: only real outcomes about real accounts,
    # so a crafted link cannot make the page announce a change that never happened.
    if context["done"] not in _DONE or context["done_user"] not in {u.username for u in context["users"]}:
        context["done"] = ""
    # Pages showing a one-time password rely on the app-wide "Cache-Control: no-store".
    return render(request, "admin_users.html", context, status_code=status_code)


def _after(done: str, username: str) -> Response:
    return RedirectResponse(f"/admin/users?{urlencode({'done': done, 'user': username})}", status_code=303)


@router.get("/users")
async def users_page(request: Request) -> Response:
    return _page(request, await current_user(request))


@router.post("/users")
async def create_user(request: Request, username: Annotated[str, Form(max_length=200)],
                      role: Annotated[str, Form(max_length=20)],
                      display_name: Annotated[str, Form(max_length=200)] = "", comment: Comment = "") -> Response:
    actor = await current_user(request)
    password = accounts.one_time_password(username=username)
    try:
        created = await run_blocking("hash", accounts.create_user, workspace(request), actor=actor,
                                     username=username, password=password, role=role,
                                     display_name=display_name, must_change_password=True, comment=comment)
    except ServiceError as exc:
        return _page(request, actor, error=problem_html(request.state.lang, exc), status_code=400, submitted={
            "form": "create", "username": username, "display_name": display_name, "role": role,
            "comment": comment})
    return _page(request, actor, created=created, one_time=password)


@router.get("/users/{username}/sign-ins")
async def user_sign_ins(request: Request, username: str) -> Response:
    """An account's latest sign-in checks, for an admin looking into a lock-out or a stolen password."""
    actor = await current_user(request)
    target, sign_ins = await run_blocking("page", second_factor.sign_ins_of, workspace(request), actor=actor,
                                          username=username)
    return render(request, "admin_sign_ins.html", {"target": target, "sign_ins": sign_ins})


@router.post("/users/{username}/role")
async def change_role(request: Request, username: str, role: Annotated[str, Form(max_length=20)],
                      comment: Comment = "") -> Response:
    actor = await current_user(request)
    try:
        changed = accounts.set_role(workspace(request), actor=actor, username=username, role=role,
                                    comment=comment)
    except _PASS_ON:
        raise
    except ServiceError as exc:
        return _page(request, actor, error=problem_html(request.state.lang, exc), status_code=400, submitted={
            "form": "role", "username": username, "role": role, "comment": comment})
    return _after("role", changed.username)


async def _set_disabled(request: Request, username: str, comment: str, *, disabled: bool) -> Response:
    actor = await current_user(request)
    try:
        changed = accounts.set_disabled(workspace(request), actor=actor, username=username, disabled=disabled,
                                        comment=comment)
    except _PASS_ON:
        raise
    except ServiceError as exc:
        return _page(request, actor, error=problem_html(request.state.lang, exc), status_code=400)
    return _after("disabled" if disabled else "enabled", changed.username)


@router.post("/users/{username}/disable")
async def disable(request: Request, username: str, comment: Comment = "") -> Response:
    return await _set_disabled(request, username, comment, disabled=True)


@router.post("/users/{username}/enable")
async def enable(request: Request, username: str, comment: Comment = "") -> Response:
    return await _set_disabled(request, username, comment, disabled=False)


@router.post("/users/{username}/reset-password")
async def reset_password(request: Request, username: str, comment: Comment = "") -> Response:
    actor = await current_user(request)
    password = accounts.one_time_password(username=username)
    try:
        changed = await run_blocking("hash", accounts.reset_password, workspace(request), actor=actor,
                                     username=username, password=password, comment=comment)
    except _PASS_ON:
        raise
    except ServiceError as exc:
        return _page(request, actor, error=problem_html(request.state.lang, exc), status_code=400)
    return _page(request, actor, reset=changed, one_time=password)


@router.post("/users/{username}/unlock")
async def unlock(request: Request, username: str, comment: Comment = "") -> Response:
    """Let a locked-out account sign in again now (recorded with who, when and why)."""
    actor = await current_user(request)
    accounts.unlock(workspace(request), actor=actor, username=username, comment=comment)
    return _after("unlocked", accounts.normalise_username(username))
