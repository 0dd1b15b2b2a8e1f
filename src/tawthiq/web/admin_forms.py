"""The submit flow the admin's vocabulary pages (tags, actors) share.

A form goes to one service call, off the event loop. A refusal re-renders the
page (400) with a one-line reason in the page's language and what was typed
kept; "not found" and "not allowed" are not a form's mistake, so they go on to
the app's own handlers. Otherwise the caller's redirect names the outcome.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response

from ..domain.access import User
from ..services.errors import NotFound, PermissionDenied, ServiceError
from .offload import run_blocking

T = TypeVar("T")

# ``page(request, user, status_code=..., error=..., submitted=...)``: the admin page, re-rendered.
PageFn = Callable[..., Awaitable[Response]]


async def submit(request: Request, user: User, call: Callable[[], T], *, page: PageFn,
                 message: Callable[[Request, ServiceError], str], submitted: dict[str, Any],
                 done: Callable[[T], Response]) -> Response:
    """``done(call())``; on a refused form, the page again with its reason and ``submitted`` as typed."""
    try:
        result = await run_blocking("page", call)
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return await page(request, user, status_code=400, error=message(request, exc), submitted=submitted)
    return done(result)
