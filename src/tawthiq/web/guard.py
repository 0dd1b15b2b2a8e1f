"""Every request body is bounded by its route, and uploads are refused by role, before any byte is read.

Starlette spools a form body to temporary files as it parses it, and the
route's own checks (who is asking, how big a file may be) only run after
that. Without this guard a 1 GB ``POST /login`` with no account, or a
viewer's 300 MB "upload", was written to disk in full before its 403.

Each route class has its own limit (:func:`rule_for`): the sign-in form and
anything else reachable without a session a few kilobytes, forms and JSON
of signed-in users 1 MiB, pasted text 16 MiB, uploads the file size limit
(times the files one upload may carry). A declared ``Content-Length`` over
the limit is answered 413 at once; a body sent without one (chunked) is
counted as it arrives and cut off at the limit.

The routes that take large bodies (uploads and pasted text) also need the
role to add material: the session cookie or API token is looked up first,
and someone signed out or without that role is answered 401/403 without
the body being read at all.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.access import Action, allowed
from ..settings import Settings
from .auth import PASSWORD_CHANGE_PATHS, is_api, resolve_user
from .errors import error_response, login_required
from .security import UPLOAD_FILES_PER_REQUEST
from .sizes import size_text

PUBLIC_BODY = 64 * 1024  # the sign-in form (a name and a password) and any request without a session
FORM_BODY = 1024 * 1024  # signed-in forms and JSON: the longest field is a 20,000-character description
PASTE_BODY = 16 * 1024 * 1024  # the API's pasted text (JSON)
ENVELOPE = 1024 * 1024  # multipart headers and the form's other fields, around the files
PUBLIC_PATHS = frozenset({"/login", "/health"})
PASTE_PATHS = frozenset({"/api/sources"})
PASTE_FORM = "/add/text"
URL_ENCODED = 3  # a byte sent URL-encoded can take three ("%D8"): pasted Arabic is sent that way by older forms


@dataclass(frozen=True, slots=True)
class BodyRule:
    limit: int  # bytes of body the route may receive
    needs: Action | None = None  # the role must allow this before the body is read


def rule_for(method: str, path: str, settings: Settings) -> BodyRule:
    """The body limit (and the permission checked first) for one route class."""
    if method == "POST":
        if path == "/add/upload":
            return BodyRule(settings.max_file_size * UPLOAD_FILES_PER_REQUEST + ENVELOPE, Action.INGEST)
        if path in ("/api/sources/upload", "/add/telegram"):  # one file
            return BodyRule(settings.max_file_size + ENVELOPE, Action.INGEST)
        if path == PASTE_FORM:  # a text up to the file limit, however the form was encoded
            return BodyRule(settings.max_file_size * URL_ENCODED + ENVELOPE, Action.INGEST)
        if path in PASTE_PATHS:
            return BodyRule(PASTE_BODY, Action.INGEST)
    if path in PUBLIC_PATHS or path.startswith("/static/"):
        return BodyRule(PUBLIC_BODY)
    return BodyRule(FORM_BODY)


class RequestGuard:
    """The ASGI middleware applying :func:`rule_for` to every HTTP request."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = rule_for(scope.get("method", ""), scope.get("path", ""), self.settings)
        declared = _declared_length(scope)
        if declared is not None and declared > rule.limit:
            await _too_large(scope, receive, send, size=declared, limit=rule.limit)
            return
        if rule.needs is not None:
            refusal = _refusal(Request(scope), rule.needs)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self._counted(scope, receive, send, rule.limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        exceeded = started = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            # Once the body is too large, whatever the app answers (a parser's
            # 400, say) is replaced by the 413.
            nonlocal started
            if exceeded:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _too_large(scope, receive, send, size=seen, limit=limit)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _refusal(request: Request, action: Action) -> Response | None:
    """The answer to someone who may not send this body, or None when they may.

    The session lookup is the same indexed query every private page makes on
    the event loop (see ``auth.signed_in``); its result is kept for the route.
    """
    user = resolve_user(request)
    if user is None:
        return login_required(request)
    if user.must_change_password and not is_api(request) and request.url.path not in PASSWORD_CHANGE_PATHS:
        return RedirectResponse("/password", status_code=303)
    if not allowed(user.role, action):
        return error_response(request, 403, "your role does not allow this")
    return None


class _BodyTooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, *, size: int, limit: int) -> None:
    """413; a page says how much was sent (at least, for a body cut off as it arrived) and the limit."""
    request = Request(scope)
    lang = request.state.lang
    shown = {"size": size_text(lang, size), "limit": size_text(lang, limit)}
    response = error_response(request, 413, "request too large", key="fixb.error.too_large", values=shown)
    await response(scope, receive, send)
