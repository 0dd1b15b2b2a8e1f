"""Read-only records the store returns besides the domain model."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal


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


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: Literal["source", "incident"]
    id: int
    title: str
    snippet: str  # from the original text, not the folded index form
    rank: float  # higher is better; only comparable within one result list
