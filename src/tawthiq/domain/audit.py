"""One entry of the append-only history: who decided what, when and why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision in the append-only history: who did what, when and why.

    ``before`` and ``after`` hold only the fields the action changed.
    """

    id: int
    at: datetime
    user: str
    entity: str  # "incident", "source", "claim", "person"
    entity_id: int
    action: str  # "create", "status", …
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str
