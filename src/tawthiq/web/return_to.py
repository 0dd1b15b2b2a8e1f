"""The page a language switch comes back to: the page being read, when it is one that can be asked for again.

A page rendered for a form (POST /add/text, the review item's edit form sent back with an error) has an
address that answers only POST: switching language reloaded it as a GET and got a 405. Such an address, and
one no GET route answers (a 404 or 405 page), comes back to the nearest page above it that exists:
/add/text → /add, /review/12/edit → /review/12, /review/bulk → /review, /nowhere → /.
"""
from __future__ import annotations

from fastapi import Request
from starlette.routing import Match, Mount

READ_METHODS = frozenset({"GET", "HEAD"})


def _answers_get(request: Request, path: str) -> bool:
    """Whether a route of the app answers GET at ``path`` (a match of path and method: FULL; mounts, such as
    /static, hold files, not pages)."""
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for route in getattr(request.app, "routes", ()):
        if isinstance(route, Mount):
            continue
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return True
    return False


def page_to_return_to(request: Request) -> str:
    """This page's address (with its query) if a GET gives it again, else the nearest page above it."""
    path = request.url.path
    if request.method in READ_METHODS and _answers_get(request, path):
        return path + (f"?{request.url.query}" if request.url.query else "")
    while path not in ("", "/"):
        path = path.rstrip("/").rsplit("/", 1)[0] or "/"
        if path != "/" and _answers_get(request, path):
            return path
    return "/"
