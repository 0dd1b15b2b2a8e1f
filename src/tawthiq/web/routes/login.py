"""Signing in, and the health check: the only pages open without a session."""
from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ...domain.access import User
from ...services import accounts, health, second_factor
from .. import cookies
from ..auth import (
    LANGUAGE_COOKIE,
    SECOND_FACTOR_SETUP,
    SESSION_COOKIE,
    client_ip,
    resolve_user,
    verify_login_csrf,
    workspace,
)
from ..cookies import LOGIN_CSRF_COOKIE, PENDING_COOKIE
from ..digits import DIGITS, DIGITS_COOKIE
from ..i18n import LANGUAGES
from ..offload import run_blocking
from ..templating import render

router = APIRouter()


def cookie_secure(request: Request) -> bool:
    """Whether this request's cookies carry Secure (web/cookies.py: the setting, the scheme, the address)."""
    return cookies.secure(request)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative URL (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(request: Request, *, error_key: str = "", next_path: str = "/", status_code: int = 200,
                username: str = "", notice_key: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"error_key": error_key, "next_path": next_path,
                                               "login_csrf": token, "username": username,
                                               "notice_key": notice_key,
                                               "idle_minutes": request.app.state.settings.session_idle_minutes},
                      status_code=status_code)
    cookies.put(response, request, LOGIN_CSRF_COOKIE, token, samesite="strict", path="/login")
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/", lang: str = "", signed_out: int = 0,
                     password_changed: int = 0, idle: int = 0) -> Response:
    if lang in LANGUAGES:
        request.state.lang = lang
    if resolve_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    # Changing the password ends every session: the sign-in page it lands on says it was done.
    response = _login_page(request, next_path=safe_next(next), error_key="login.signed_out" if signed_out else "",
                           notice_key=("walk.account.password_changed" if password_changed
                                       else "login.idle" if idle else ""))
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="lax", secure=cookie_secure(request),
                            max_age=365 * 86400)
    return response


@router.post("/login", dependencies=[Depends(verify_login_csrf)])
async def login(request: Request, username: Annotated[str, Form(max_length=200)],
                password: Annotated[str, Form(max_length=1000)], next: Annotated[str, Form()] = "/") -> Response:
    ws = workspace(request)
    try:
        # Argon2 takes a core and 64 MiB for a good fraction of a second: never on the event loop.
        user = await run_blocking("hash", accounts.authenticate, ws, username=username, password=password,
                                  ip=client_ip(request), user_agent=request.headers.get("user-agent", ""))
    except accounts.RateLimited:
        return _login_page(request, error_key="login.rate_limited", next_path=safe_next(next),
                           status_code=429, username=username)
    except accounts.LoginFailed:
        return _login_page(request, error_key="login.failed", next_path=safe_next(next), status_code=401,
                           username=username)
    user_agent = request.headers.get("user-agent", "")
    if user.two_factor:
        # The password was right: the code comes next, on a page the half-signed-in cookie reaches alone.
        pending = second_factor.start_pending(ws, user=user, ip=client_ip(request), user_agent=user_agent)
        response = RedirectResponse(f"/login/code?{urlencode({'next': safe_next(next)})}", status_code=303)
        cookies.put(response, request, PENDING_COOKIE, pending, samesite="strict", path="/login",
                    max_age=int(second_factor.PENDING_LIFETIME.total_seconds()))
        return response
    return signed_in_response(request, user=user, next_path=safe_next(next))


def signed_in_response(request: Request, *, user: User, next_path: str) -> Response:
    """A new session for ``user`` (password, and code if they have a second factor, were right), and on
    to the page they asked for, or the page they must see first."""
    ws = workspace(request)
    token, _csrf = accounts.start_session(ws, user=user, ip=client_ip(request),
                                          user_agent=request.headers.get("user-agent", ""))
    if user.must_change_password:
        target = "/password"
    elif second_factor.must_set_up(ws, user):
        target = SECOND_FACTOR_SETUP
    else:
        target = next_path
    response = RedirectResponse(target, status_code=303)
    # "__Host-tawthiq_session" (Secure, Path=/, no Domain) unless on plain http to another machine.
    cookies.put(response, request, SESSION_COOKIE, token, max_age=int(accounts.SESSION_LIFETIME.total_seconds()))
    cookies.drop(response, request, LOGIN_CSRF_COOKIE, path="/login", samesite="strict")
    if user.digits in DIGITS and request.cookies.get(DIGITS_COOKIE) != user.digits:
        # The account's digits become this browser's too, so its signed-out pages (signing in again,
        # an error page) are written in them as well.
        response.set_cookie(DIGITS_COOKIE, user.digits, samesite="lax", secure=cookie_secure(request),
                            max_age=365 * 86400)
    return response


@router.get("/health")
async def health_check(request: Request) -> JSONResponse:
    if not health.database_reachable(workspace(request)):
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok"})
