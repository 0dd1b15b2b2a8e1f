"""The second factor in the browser: the code after the password, setting it up and turning it off on
the account page, an admin's reset, and the team's rule on the settings page.

The code page is reached with the half-signed-in cookie alone (path /login), so a right password
without the code opens nothing else. Argon2 (recovery codes) runs off the event loop.
"""
from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action
from ...services import accounts, second_factor
from ...services.errors import NotFound, PermissionDenied, ServiceError
from .. import cookies
from ..auth import client_ip, current_user, require, verify_login_csrf, workspace
from ..cookies import LOGIN_CSRF_COOKIE, PENDING_COOKIE
from ..offload import run_blocking
from ..problems import problem_html
from ..templating import render
from .login import safe_next, signed_in_response

public_router = APIRouter()
router = APIRouter()

Code = Annotated[str, Form(max_length=100)]
Comment = Annotated[str, Form(max_length=2000)]
_DONE = frozenset({"off"})


# ------------------------------------------------------------ the code step


def _code_page(request: Request, *, next_path: str, error_key: str = "", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login_code.html", {"error_key": error_key, "next_path": next_path,
                                                    "login_csrf": token}, status_code=status_code)
    cookies.put(response, request, LOGIN_CSRF_COOKIE, token, samesite="strict", path="/login")
    return response


def _back_to_login(request: Request, next_path: str) -> Response:
    response = RedirectResponse(f"/login?{urlencode({'next': next_path})}", status_code=303)
    cookies.drop(response, request, PENDING_COOKIE, path="/login", samesite="strict")
    return response


@public_router.get("/login/code")
async def code_form(request: Request, next: str = "/") -> Response:
    if second_factor.pending_user(workspace(request), cookies.read(request, PENDING_COOKIE)) is None:
        return _back_to_login(request, safe_next(next))  # no password yet, or it was too long ago
    return _code_page(request, next_path=safe_next(next))


@public_router.post("/login/code", dependencies=[Depends(verify_login_csrf)])
async def code_submit(request: Request, code: Code = "", next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    target = safe_next(next)
    try:
        user = await run_blocking("hash", second_factor.complete, workspace(request),
                                  token=cookies.read(request, PENDING_COOKIE), code=code, ip=client_ip(request),
                                  user_agent=request.headers.get("user-agent", ""))
    except accounts.RateLimited:
        return _code_page(request, next_path=target, error_key="twofactor.login.rate_limited", status_code=429)
    except second_factor.CodeWrong:
        return _code_page(request, next_path=target, error_key="twofactor.login.wrong", status_code=401)
    if user is None:
        return _back_to_login(request, target)
    response = signed_in_response(request, user=user, next_path=target)
    cookies.drop(response, request, PENDING_COOKIE, path="/login", samesite="strict")
    return response


# --------------------------------------------------------- the account page


def _setup_page(request: Request, *, status_code: int = 200, **extra: Any) -> Response:
    user = request.state.user
    ws = workspace(request)
    shown = second_factor.status(ws, user=user)
    context: dict[str, Any] = {"status": shown, "setup": None, "codes": [], "error": "",
                               "required": second_factor.must_set_up(ws, user),
                               "done": request.query_params.get("done", "") if request.method == "GET" else ""}
    if context["done"] not in _DONE:
        context["done"] = ""
    if not shown.on:
        context["setup"] = second_factor.new_setup(user=user)
    context.update(extra)
    # A page with a secret or recovery codes relies on the app-wide "Cache-Control: no-store".
    return render(request, "two_factor.html", context, status_code=status_code)


@router.get("/account/two-factor")
async def setup_page(request: Request) -> Response:
    await current_user(request)
    return _setup_page(request)


@router.post("/account/two-factor")
async def confirm(request: Request, secret: Annotated[str, Form(max_length=200)] = "", code: Code = "") -> Response:
    user = await current_user(request)
    try:
        codes = await run_blocking("hash", second_factor.confirm, workspace(request), user=user, secret=secret,
                                   code=code)
    except ServiceError as exc:
        # A wrong code: the same secret again (the user's app has it already), unless the form was changed.
        extra: dict[str, Any] = {"error": problem_html(request.state.lang, exc)}
        again = second_factor.resume_setup(user=user, secret=secret)
        if again is not None:
            extra["setup"] = again
        return _setup_page(request, status_code=400, **extra)
    request.state.user = accounts.get_user(workspace(request), actor=None, username=user.username)
    return _setup_page(request, codes=codes, status_code=201)


@router.post("/account/two-factor/disable")
async def disable(request: Request, code: Code = "") -> Response:
    user = await current_user(request)
    try:
        await run_blocking("hash", second_factor.disable, workspace(request), user=user, code=code,
                           ip=client_ip(request), user_agent=request.headers.get("user-agent", ""))
    except ServiceError as exc:
        return _setup_page(request, status_code=429 if isinstance(exc, accounts.RateLimited) else 400,
                           error=problem_html(request.state.lang, exc))
    return RedirectResponse("/account/two-factor?done=off", status_code=303)


# ---------------------------------------------------------------- the admin


@router.post("/admin/users/{username}/reset-two-factor")
async def reset(request: Request, username: str, comment: Comment = "") -> Response:
    """An admin turns off someone's second factor (a lost phone): recorded with who, when and why."""
    actor = await require(Action.MANAGE_USERS)(request)
    second_factor.reset(workspace(request), actor=actor, username=username, comment=comment)
    name = accounts.normalise_username(username)
    return RedirectResponse(f"/admin/users?{urlencode({'done': 'two_factor_reset', 'user': name})}",
                            status_code=303)


@router.post("/admin/settings/second-factor")
async def set_required(request: Request, required_on: Annotated[str, Form(max_length=10)] = "",
                       comment: Comment = "") -> Response:
    user = await require(Action.MANAGE_SETTINGS)(request)
    on = required_on == "on"
    try:
        changed = second_factor.set_required(workspace(request), user=user, on=on, comment=comment)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError:
        return RedirectResponse("/admin/settings?second_factor=reason_missing#second-factor", status_code=303)
    done = ("on" if on else "off") if changed else "unchanged"
    return RedirectResponse(f"/admin/settings?second_factor={done}#second-factor", status_code=303)
