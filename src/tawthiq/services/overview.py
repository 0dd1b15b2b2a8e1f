"""Counts for the start page, limited to what the user may see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..domain.enums import IncidentStatus
from ..store.tables import incidents, sources
from . import Workspace


@dataclass(frozen=True, slots=True)
class Counts:
    incidents: int
    suggested: int | None  # None when the user cannot review
    sources: int | None  # None when the user cannot read sources


def counts(ws: Workspace, *, user: User) -> Counts:
    visible = [c.value for c in visible_confidentialities(user.role)]
    shown = incidents.c.confidentiality.in_(visible) & (incidents.c.status != IncidentStatus.MERGED.value)
    with ws.db.session() as session:
        total = session.scalar(select(func.count()).select_from(incidents).where(shown)) or 0
        suggested = None
        if allowed(user.role, Action.EDIT):
            suggested = session.scalar(select(func.count()).select_from(incidents).where(
                shown, incidents.c.status == IncidentStatus.SUGGESTED.value)) or 0
        n_sources = None
        if allowed(user.role, Action.READ_SOURCES):
            n_sources = session.scalar(select(func.count()).select_from(sources)) or 0
    return Counts(incidents=int(total), suggested=suggested if suggested is None else int(suggested),
                  sources=n_sources if n_sources is None else int(n_sources))
