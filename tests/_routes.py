"""The GET routes of the app, read from its router: what the page walks and the leak checks must reach.

Read from the app rather than listed by hand, so a new route is walked (or fails a check) as soon as it exists.
"""
from __future__ import annotations

from typing import Any


def get_paths(app: Any) -> set[str]:
    """Every GET route of ``app``, as its path template (``/incidents/{incident_id}``), included routers'
    prefixes added."""
    out: set[str] = set()

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + (route.include_context.prefix or ""))
            elif getattr(route, "methods", None) and "GET" in route.methods:
                out.add(route.path if route.path.startswith(prefix) else prefix + route.path)

    walk(app.router.routes, "")
    return out
