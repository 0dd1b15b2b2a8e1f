"""Counts for the start page, at the confidentiality levels a user may see."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select

from ..domain.enums import IncidentStatus
from .conditions import sight_terms
from .db import Database
from .tables import incidents, sources


def home_counts(db: Database, *, visible: Sequence[str], suggested: bool,
                with_sources: bool) -> tuple[int, int | None, int | None]:
    """(incidents, suggested or None, sources or None); merged incidents are not counted."""
    with db.session() as session:
        # Who sees what is decided in one place (the team's second-review rule included).
        shown = and_(*sight_terms(session, tuple(visible)), incidents.c.status != IncidentStatus.MERGED.value)
        total = int(session.scalar(select(func.count()).select_from(incidents).where(shown)) or 0)
        waiting = None
        if suggested:
            waiting = int(session.scalar(select(func.count()).select_from(incidents).where(
                shown, incidents.c.status == IncidentStatus.SUGGESTED.value)) or 0)
        n_sources = int(session.scalar(select(func.count()).select_from(sources)) or 0) if with_sources else None
    return total, waiting, n_sources
