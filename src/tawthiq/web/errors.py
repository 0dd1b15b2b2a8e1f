"""Every failure becomes a friendly page (or a JSON error under /api), never a traceback."""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from . import cookies
from .auth import (
    SECOND_FACTOR_SETUP,
    SESSION_COOKIE,
    CsrfFailed,
    LoginRequired,
    MustChangePassword,
    MustSetUpSecondFactor,
    is_api,
    resolve_user,
    session_went_idle,
)
from .i18n import translate
from .problems import problem_text
from .security import HEADERS
from .templating import render

log = logging.getLogger("tawthiq.web")

_STATUS_OF = ((NotFound, 404), (PermissionDenied, 403), (Conflict, 409), (ServiceError, 400))


def error_response(request: Request, status: int, message: str, *, key: str | None = None,
                   values: dict[str, Any] | None = None) -> Response:
    """The API's JSON error, or a page in the reader's language (``key`` with ``values`` says it)."""
    if is_api(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    _signed_in_reader(request)
    known = status in (400, 403, 404, 405, 409, 413)
    return render(request, "error.html", {"status": status, "message": message,
                                          "message_key": key or (f"error.{status}" if known else "error.500"),
                                          "message_values": values or {}},
                  status_code=status)


def _signed_in_reader(request: Request) -> None:
    """Look up who is reading, so an error page has the header, the navigation and the reader's own language.

    An unknown address or a method a route does not take (404, 405) never reached the routes' sign-in
    dependency, and its page was English with no navigation even for a signed-in Arabic reader.
    """
    try:
        resolve_user(request)
    except Exception:  # the error page must still be shown when the database is what failed
        log.exception("could not look up the reader of an error page")
        request.state.user = None


def login_required(request: Request) -> Response:
    """API callers get 401; people are sent to sign in (and back here afterwards)."""
    # The API's documentation is a page for people: send them to sign in.
    if is_api(request) and request.url.path != "/api/docs":
        return JSONResponse({"error": "sign in or send an API token (Authorization: Bearer …)",
                             "status": 401}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if session_went_idle(request):
        # The session was ended for being unused: the sign-in page says why, and the cookie goes.
        response = RedirectResponse(f"/login?next={quote(target, safe='')}&idle=1", status_code=303)
        cookies.drop(response, request, SESSION_COOKIE)
        return response
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def not_signed_in(request: Request, exc: LoginRequired) -> Response:
        return login_required(request)

    @app.exception_handler(MustChangePassword)
    async def must_change(request: Request, exc: MustChangePassword) -> Response:
        return RedirectResponse("/password", status_code=303)

    @app.exception_handler(MustSetUpSecondFactor)
    async def must_set_up(request: Request, exc: MustSetUpSecondFactor) -> Response:
        if is_api(request):
            return error_response(request, 403, "set up a second factor on /account/two-factor first")
        return RedirectResponse(SECOND_FACTOR_SETUP, status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return error_response(request, 403, "missing or wrong CSRF token", key="error.csrf")

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        status = next(code for kind, code in _STATUS_OF if isinstance(exc, kind))
        if is_api(request):  # the service's own English line, naming parameters as the API does
            return error_response(request, status, str(exc))
        _signed_in_reader(request)  # the reader's own language, before the problem is said in it
        if getattr(exc, "kind", "") == "export.needs_approval":
            # Not the generic "no permission": what is missing, and the form that asks for it.
            from ..domain.profiles import PROFILES

            name = str(exc.values.get("value", ""))
            profile = next((p for p in PROFILES if p.name == name), None)
            return render(request, "export_needs_approval.html", {"profile": profile, "status": status},
                          status_code=status)
        return error_response(request, status, problem_text(request.state.lang, exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()[:5]
        if not is_api(request):  # a page says it in the reader's language, naming the fields as the form does
            _signed_in_reader(request)
            fields = ", ".join(dict.fromkeys(str(e.get("loc", ("", "?"))[-1]) for e in errors)) or "?"
            return error_response(request, 400, translate(request.state.lang, "problem.request.invalid",
                                                          fields=fields))
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ())[1:]) or 'request'}: {err.get('msg', 'invalid')}"
            for err in errors
        )
        return error_response(request, 400, problems or "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        response = error_response(request, 500, "unexpected error")
        # This handler runs outside the app's middleware, so it adds the headers itself.
        response.headers.update(HEADERS)
        return response
