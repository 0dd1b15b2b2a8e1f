"""Counts for the start page, limited to what the user may see."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..store.overview import home_counts
from . import Workspace


@dataclass(frozen=True, slots=True)
class Counts:
    incidents: int
    suggested: int | None  # None when the user cannot review
    sources: int | None  # None when the user cannot read sources


def counts(ws: Workspace, *, user: User) -> Counts:
    total, suggested, n_sources = home_counts(
        ws.db, visible=[c.value for c in visible_confidentialities(user.role)],
        suggested=allowed(user.role, Action.EDIT), with_sources=allowed(user.role, Action.READ_SOURCES))
    return Counts(incidents=total, suggested=suggested, sources=n_sources)
