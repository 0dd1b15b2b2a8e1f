"""The signed-in user's own account: sign out, password, language, digits, API tokens."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import User
from ...services import accounts
from ...services.errors import ServiceError
from .. import cookies
from ..auth import LANGUAGE_COOKIE, SESSION_COOKIE, client_ip, current_user, workspace
from ..digits import DIGITS, DIGITS_COOKIE
from ..i18n import LANGUAGES
from ..offload import run_blocking
from ..problems import problem_html
from ..templating import render
from .login import cookie_secure, safe_next

router = APIRouter()


@router.post("/logout")
async def logout(request: Request) -> Response:
    accounts.end_session(workspace(request), cookies.read(request, SESSION_COOKIE))
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    cookies.drop(response, request, SESSION_COOKIE)
    return response


def _password_page(request: Request, *, error: str = "", done: bool = False, status_code: int = 200) -> Response:
    return render(request, "password.html", {"error": error, "done": done,
                                              "min_length": accounts.MIN_PASSWORD_LENGTH},
                  status_code=status_code)


@router.get("/password")
async def password_form(request: Request) -> Response:
    return _password_page(request)


@router.post("/password")
async def change_password(request: Request, current: Annotated[str, Form(max_length=1000)],
                          new: Annotated[str, Form(max_length=1000)],
                          repeat: Annotated[str, Form(max_length=1000)]) -> Response:
    user: User = await current_user(request)
    if new != repeat:
        return _password_page(request, error="password.mismatch", status_code=400)
    try:
        # Two Argon2 runs (check the old, hash the new): off the event loop.
        await run_blocking("hash", accounts.change_password, workspace(request), user=user, current=current,
                           new=new, ip=client_ip(request))
    except accounts.RateLimited:
        return _password_page(request, error="password.rate_limited", status_code=429)
    except ServiceError as exc:
        return _password_page(request, error=problem_html(request.state.lang, exc), status_code=400)
    # Changing the password ends every session, this one included, and revokes every API token; the
    # sign-in page says the change was made (without it the user only saw the form again, unsure).
    response = RedirectResponse("/login?password_changed=1", status_code=303)
    cookies.drop(response, request, SESSION_COOKIE)
    return response


@router.post("/language")
async def set_language(request: Request, lang: Annotated[str, Form(max_length=5)],
                       next: Annotated[str, Form()] = "/") -> Response:
    user: User = await current_user(request)
    if lang in LANGUAGES:
        accounts.set_language(workspace(request), user=user, language=lang)
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, samesite="lax", secure=cookie_secure(request),
                            max_age=365 * 86400)
    return response


@router.post("/digits")
async def set_digits(request: Request, digits: Annotated[str, Form()] = "",
                     next: Annotated[str, Form(max_length=2000)] = "/account") -> Response:
    """Western or Arabic-Indic digits on Arabic pages: saved on the account (recorded in its history), so
    they follow the user to any browser they sign in from, and as a cookie, like the language before
    sign-in, so the choice holds on this browser signed out too. A value that is neither (of any length: it
    is only ever compared with the two names) is ignored and the page comes back as it was, never an
    error."""
    user: User = await current_user(request)
    target = safe_next(next)
    if digits in DIGITS and target == "/account":
        target = "/account?done=digits"  # the account page says it was saved (elsewhere the digits show it)
    response = RedirectResponse(target, status_code=303)
    if digits in DIGITS:
        accounts.set_digits(workspace(request), user=user, digits=digits)
        response.set_cookie(DIGITS_COOKIE, digits, samesite="lax", secure=cookie_secure(request),
                            max_age=365 * 86400)
    return response
