"""Who is asking: session cookies, API tokens, roles and CSRF checks.

Every router except the sign-in pages and /health is mounted with
``current_user`` and ``verify_csrf`` as dependencies (see ``app.py``), so a
new page is private and CSRF-checked without its author remembering to ask.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..domain.access import Action, User, allowed
from ..services import Workspace, accounts, second_factor
from ..services.errors import PermissionDenied
from . import cookies
from .cookies import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from .digits import DIGITS_COOKIE, pick_digits
from .i18n import pick_language
from .offload import run_blocking
from .uploads import read_form

# The session, sign-in CSRF and half-signed-in cookies: their names and Secure prefixes in web/cookies.py.
LANGUAGE_COOKIE = "tawthiq_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Pages a user who must change their password may still reach.
PASSWORD_CHANGE_PATHS = frozenset({"/password", "/logout", "/language"})
# Pages an admin or reviewer who must set up a second factor may still reach.
SECOND_FACTOR_SETUP = "/account/two-factor"
SECOND_FACTOR_PATHS = frozenset({SECOND_FACTOR_SETUP, "/logout", "/language", "/digits"})


class LoginRequired(Exception):
    """No valid session or token: pages redirect to /login, the API answers 401."""


class MustChangePassword(Exception):
    """The password was set by someone else and must be replaced first."""


class MustSetUpSecondFactor(Exception):
    """The team requires a second factor of this account, which has none yet."""


class CsrfFailed(Exception):
    """A state-changing request without the right CSRF token."""


def workspace(request: Request) -> Workspace:
    return request.app.state.ws


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def resolve_user(request: Request) -> User | None:
    """The user behind a session cookie or (API only) a bearer token; cached per request."""
    if "user" in request.state._state:
        return request.state.user
    ws = workspace(request)
    user: User | None = None
    request.state.via_token = False
    request.state.csrf_token = ""
    header = request.headers.get("authorization", "")
    if is_api(request) and header[:7].lower() == "bearer ":
        user = accounts.token_user(ws, header[7:].strip())
        request.state.via_token = user is not None
    else:
        # Read only, on the event loop; what it asks to be written is done off it in :func:`signed_in`.
        check = accounts.check_session(ws, cookies.read(request, SESSION_COOKIE))
        request.state.session_check = check
        if check is not None and not check.idle:
            user, request.state.csrf_token = check.user, check.csrf_token
    request.state.user = user
    if user is not None:
        request.state.lang = pick_language(user.language)
        if user.digits:  # chosen on the account: it wins over this browser's cookie, as the language does
            request.state.digits = pick_digits(user.digits)
    return user


def authenticated(request: Request) -> User:
    """The router-level dependency: a plain function, so FastAPI runs its
    database lookup in the thread pool instead of blocking the event loop."""
    user = resolve_user(request)
    if user is None:
        raise LoginRequired()
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS and not is_api(request):
        raise MustChangePassword()
    # A script's token is left alone (it was made before the rule, and cannot make tokens); a browser
    # session, the API's included, reaches only the set-up page until the second factor is on.
    if (request.url.path not in SECOND_FACTOR_PATHS and not getattr(request.state, "via_token", False)
            and second_factor.must_set_up(workspace(request), user)):
        raise MustSetUpSecondFactor()
    return user


async def signed_in(request: Request) -> User:
    """The router-level dependency, on the event loop.

    The lookup is one indexed query of well under a millisecond; handing it
    to the thread pool (a plain ``def`` dependency) cost more in the hand-off
    and in GIL contention with the event loop than the query itself, on every
    signed-in request. The writes a session asks for (ending an idle one, or marking it used, at
    most once a minute) do go to a worker thread: a write may wait for the database's lock.
    """
    resolve_user(request)
    check: accounts.SessionCheck | None = getattr(request.state, "session_check", None)
    if check is not None and (check.idle or check.due):
        await run_blocking("page", accounts.settle_session, workspace(request),
                           cookies.read(request, SESSION_COOKIE), check)
    return authenticated(request)


def session_went_idle(request: Request) -> bool:
    """This request's session was ended for being unused too long (the sign-in page says so)."""
    check = getattr(request.state, "session_check", None)
    return check is not None and check.idle


async def current_user(request: Request) -> User:
    """The signed-in user inside a handler (already looked up by :func:`authenticated`)."""
    return authenticated(request)


def require(action: Action) -> Callable[[Request], Coroutine[Any, Any, User]]:
    """A dependency: the current user, if their role allows ``action``."""
    async def dependency(request: Request) -> User:
        user = await current_user(request)
        if not allowed(user.role, action):
            raise PermissionDenied("your role does not allow this")
        return user
    return dependency


async def submitted_csrf_token(request: Request) -> str:
    token = request.headers.get(CSRF_HEADER, "")
    if not token and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await read_form(request, max_file_size=workspace(request).settings.max_file_size)
        value = form.get(CSRF_FIELD, "")
        token = value if isinstance(value, str) else ""
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token does not match the session's.

    Requests signed with an API token carry no cookie, so a forged
    cross-site request cannot use them; they need no CSRF token.
    """
    if request.method in SAFE_METHODS:
        return
    resolve_user(request)
    if getattr(request.state, "via_token", False):
        return
    expected = getattr(request.state, "csrf_token", "")
    token = await submitted_csrf_token(request)
    if not expected or not token or not secrets.compare_digest(expected, token):
        raise CsrfFailed()


async def verify_login_csrf(request: Request) -> None:
    """The sign-in form's token is checked against its own cookie (there is no session yet)."""
    if request.method in SAFE_METHODS:
        return
    expected = cookies.read(request, LOGIN_CSRF_COOKIE)
    token = await submitted_csrf_token(request)
    if not expected or not token or not secrets.compare_digest(expected, token):
        raise CsrfFailed()


class LanguageMiddleware:
    """Sets ``request.state.lang`` from the language cookie or the browser, before any page runs, and
    ``request.state.digits`` (Western or Arabic-Indic, for Arabic pages) from the digits cookie.

    A signed-in user's own language, and their digits once chosen on the account, replace the cookies' in
    :func:`resolve_user`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            state = scope.setdefault("state", {})
            state["lang"] = pick_language(request.cookies.get(LANGUAGE_COOKIE),
                                          accept_language=request.headers.get("accept-language", ""))
            state["digits"] = pick_digits(request.cookies.get(DIGITS_COOKIE))
        await self.app(scope, receive, send)
