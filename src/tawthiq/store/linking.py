"""What linkage reads: the incidents it may link (with their source's language) and its queue of pairs."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..domain.enums import IncidentStatus
from ..domain.model import Incident
from .db import Database
from .incidents import _load
from .tables import incidents, sources

_PAGE = 2000  # incidents loaded per query: linking 100,000 never holds their claims at once


@dataclass(slots=True)
class LinkRow:
    incident: Incident  # without its claims: linkage compares the current values only
    language: str  # of the source it was extracted from ("" when unknown)
    created_at: datetime | None


# A rejected incident is not an event; a merged one is already folded into its target.
_NOT_LINKED = (IncidentStatus.REJECTED.value, IncidentStatus.MERGED.value)


def linkable(db: Database) -> Iterator[LinkRow]:
    """Every incident the linker compares, in id order, a page at a time."""
    c = incidents.c
    last = 0
    while True:
        with db.session() as session:
            ids = list(session.scalars(select(c.id).where(c.id > last, c.status.not_in(_NOT_LINKED))
                                       .order_by(c.id).limit(_PAGE)))
            if not ids:
                return
            found = _load(session, select(incidents).where(c.id.in_(ids)).order_by(c.id), with_claims=False)
            extra = {int(r.id): (r.language or "", r.created_at) for r in session.execute(
                select(c.id, c.created_at, sources.c.language)
                .select_from(incidents.outerjoin(sources, sources.c.id == c.source_id)).where(c.id.in_(ids)))}
        for incident in found:
            language, created = extra.get(int(incident.id or 0), ("", None))
            yield LinkRow(incident=incident, language=language, created_at=created)
        last = ids[-1]
