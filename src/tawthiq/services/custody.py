"""Custody services: what the web app, API and CLI record in, and read from, the ledger.

Recording never depends on the caller's honesty about who acted: the web
and API pass the signed-in user, the CLI the operating-system account.
"""
from __future__ import annotations

import hashlib
from typing import Any

from ..domain.access import Action, User, allowed
from ..domain.custody import CustodyEntry
from ..store.custody import this_machine
from . import Workspace
from .errors import PermissionDenied

# The edges name the host in their custody entries (the web app once, at start; the CLI per command).
__all__ = ["record_download", "record_export", "source_custody", "this_machine"]


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def record_download(ws: Workspace, *, user: User, source_id: int, sha256: str, machine: str) -> CustodyEntry:
    """A user fetched an original; ``machine`` is where the request came from."""
    from ..store.custody import record

    _require(user, Action.READ_SOURCES)
    return record(ws.db, item_sha256=sha256, source_id=source_id, event="downloaded",
                  actor=user.username, machine=machine)


def record_export(ws: Workspace, *, actor: str, body: bytes, incidents: int, fmt: str, machine: str,
                  via: str, filters: dict[str, Any] | None = None,
                  digest: tuple[str, int] | None = None) -> CustodyEntry:
    """One entry per export, naming the exact bytes that left the system by their hash.

    ``digest`` (SHA-256, size) names a file hashed as a stream instead of ``body`` (a large publication).
    """
    from ..store.custody import record

    sha256, size = digest if digest is not None else (hashlib.sha256(body).hexdigest(), len(body))
    details: dict[str, Any] = {"format": fmt, "incidents": incidents, "via": via, "size": size}
    if filters:
        details["filters"] = {k: v for k, v in filters.items() if v not in (None, "", (), [])}
    return record(ws.db, item_sha256=sha256, event="exported",
                  actor=actor, machine=machine, details=details)


def source_custody(ws: Workspace, *, user: User, source_id: int, sha256: str) -> list[CustodyEntry]:
    """The ledger entries of one source and its original, oldest first."""
    from ..store.custody import entries_for_source

    _require(user, Action.READ_SOURCES)
    return entries_for_source(ws.db, source_id, sha256=sha256)
