"""Custody services: what the web app, API and CLI record in, and read from, the ledger.

Recording never depends on the caller's honesty about who acted: the web
and API pass the signed-in user, the CLI the operating-system account.
"""
from __future__ import annotations

import dataclasses
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
    return [_opened(ws, entry) for entry in entries_for_source(ws.db, source_id, sha256=sha256)]


def _opened(ws: Workspace, entry: CustodyEntry) -> CustodyEntry:
    """The entry with its identity-vault values (a "received" entry's author and sender) decrypted for
    display; the stored form, which the chain hashes, is left as it is."""
    from ..store.identity_vault import is_encrypted
    from ..store.sources import CUSTODY_VAULT_KEYS

    details = entry.details or {}
    vault = ws.db.vault
    if vault is None or not any(is_encrypted(details.get(key)) for key in CUSTODY_VAULT_KEYS):
        return entry
    opened = dict(details)
    for key in CUSTODY_VAULT_KEYS:
        if is_encrypted(opened.get(key)):
            opened[key] = vault.decrypt(opened[key], context=f"custody_log.details.{key}")
    return dataclasses.replace(entry, details=opened)
