"""Whether this instance can serve: what a load balancer or a monitor asks ``/health``."""
from __future__ import annotations

from . import Workspace

__all__ = ["database_reachable"]


def database_reachable(ws: Workspace) -> bool:
    """Whether the database answers a query now. Never raises: any failure is "no"."""
    from ..store.db import ping

    try:
        ping(ws.db)
    except Exception:  # noqa: BLE001 - refused, timed out, bad credentials: all mean "not serving"
        return False
    return True
