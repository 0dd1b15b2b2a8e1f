"""The custody ledger's records and rules: which events exist, one entry and how it is hashed, one fixity run.

Each entry's hash covers every other field, including the previous entry's
hash, so changing, removing or reordering any entry breaks every link after
it. The canonical form is fixed here (sorted keys, no spaces, UTF-8, the
time as ISO 8601 UTC with microseconds) because ``tawthiq verify`` and any
later offline checker (``verify-package`` needs no database) must reproduce
it byte for byte.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# "attached"/"detached": the source was attached to an incident as evidence, or that attachment withdrawn.
# "backed-up": the whole record was copied into an encrypted backup (its item is the backup's manifest hash).
# "encrypted": the whole record was copied from a plain workspace into a new encrypted one (``tawthiq encrypt``;
# its item is the hash of the conversion's details: where from, where to, rows and files carried over).
# "approved": a reviewer allowed a user one kind of export beyond their role until a time (its item is the
# hash of the approval's terms; see services/export_approvals.py).
# "requested"/"declined": a user asked for such an approval, and a reviewer turned a request down (same item).
EVENTS = ("received", "ingested", "viewed", "downloaded", "exported", "derived", "transferred", "imported",
          "attached", "detached", "backed-up", "approved", "requested", "declined", "encrypted")
GENESIS = "0" * 64


@dataclass(slots=True)
class CustodyEntry:
    """One ledger row as stored; ``entry_hash`` is :func:`entry_hash` of the rest."""

    id: int
    at: datetime
    item_sha256: str
    source_id: int | None
    event: str
    actor: str
    machine: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    entry_hash: str = ""


def canonical_time(at: datetime) -> str:
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(*, id: int, at: datetime, item_sha256: str, source_id: int | None, event: str, actor: str,
               machine: str, reason: str, details: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 of the canonical JSON of every field but the hash itself."""
    body = {
        "id": id, "at": canonical_time(at), "item_sha256": item_sha256, "source_id": source_id,
        "event": event, "actor": actor, "machine": machine, "reason": reason, "details": details,
        "prev_hash": prev_hash,
    }
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def hash_of(entry: CustodyEntry) -> str:
    return entry_hash(id=entry.id, at=entry.at, item_sha256=entry.item_sha256, source_id=entry.source_id,
                      event=entry.event, actor=entry.actor, machine=entry.machine, reason=entry.reason,
                      details=entry.details, prev_hash=entry.prev_hash)


@dataclass(slots=True)
class FixityRun:
    """One ``fixity_runs`` row."""

    started_at: datetime
    finished_at: datetime
    ok: bool
    problems: int
    originals_checked: int
    derivatives_checked: int
    entries_checked: int
    head_id: int | None
    head_hash: str | None
    report_path: str = ""
    report_sha256: str = ""
    actor: str = ""
    machine: str = ""
    id: int | None = None

    def label(self) -> str:
        return f"fixity run {self.id} of {canonical_time(self.started_at)}"
