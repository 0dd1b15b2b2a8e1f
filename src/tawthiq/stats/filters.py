"""Which incidents a statistic counts: the user's visibility plus the list filters.

The WHERE terms are the incident list's own (``store.queries``), so a chart
and the list it links to always count the same incidents, including the
rule that a perpetrator filter matches the actor's factions. Statistics add
two defaults, both lifted by choosing a status: rejected incidents, like
merged ones, are left out, since a rejected suggestion is not an incident;
and only reviewed incidents (confirmed or verified) are counted, since a
machine's suggestion nobody has checked (180–200 "killed" read from one noisy
sentence) must not move a published figure. ``unreviewed`` adds the
suggestions back, on request.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from ..domain.enums import Confidentiality, IncidentStatus
from ..store.queries import IncidentQuery
from ..store.queries import incident_conditions as list_conditions
from ..store.tables import incidents

__all__ = ["REVIEWED", "StatsFilter", "conditions", "matching_ids"]

# The statuses a person has decided on: what every statistic counts by default.
REVIEWED = (IncidentStatus.CONFIRMED.value, IncidentStatus.VERIFIED.value)


@dataclass(frozen=True, slots=True)
class StatsFilter:
    """The list filters a statistic honours; None means "any".

    The same fields as ``services.records.IncidentFilter``, so :meth:`of`
    takes either (or any object with these attributes).
    """

    event_type: str | None = None
    violation: str | None = None
    perpetrator: str | None = None  # actor code; its factions match too
    victim_kind: str | None = None
    governorate: str | None = None  # loc_admin1 as stored
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    confidentiality: str | None = None
    q: str | None = None  # words, as in the list's search box
    source_id: int | None = None
    unreviewed: bool | None = None  # True: count suggestions nobody has reviewed too

    @classmethod
    def of(cls, filters: Any | None) -> StatsFilter:
        """A StatsFilter from any object with (some of) these attributes, or None."""
        if filters is None:
            return cls()
        if isinstance(filters, StatsFilter):
            return filters
        return cls(**{f.name: getattr(filters, f.name, None) or None for f in fields(cls)})


def conditions(session: Session, *, visible: Sequence[Confidentiality | str],
               filters: StatsFilter | None = None) -> list[ColumnElement[bool]]:
    """WHERE terms on ``incidents`` for the incidents a statistic counts."""
    from ..store.textnorm import query_terms

    f = filters or StatsFilter()
    query = IncidentQuery(
        confidentialities=tuple(Confidentiality(c).value for c in visible),
        event_type=f.event_type, violation=f.violation, perpetrator=f.perpetrator, victim_kind=f.victim_kind,
        governorate=f.governorate, date_from=f.date_from, date_to=f.date_to, status=f.status,
        confidentiality=f.confidentiality, source_id=f.source_id,
        terms=tuple(query_terms(f.q)) if f.q else (),
    )
    out = list_conditions(session, query)
    if not f.status:
        counted = REVIEWED + ((IncidentStatus.SUGGESTED.value,) if f.unreviewed else ())
        out.append(incidents.c.status.in_(counted))
    return out


def matching_ids(session: Session, *, visible: Sequence[Confidentiality | str],
                 filters: StatsFilter | None = None) -> Select[Any]:
    """SELECT of the counted incidents' ids, to use as a subquery."""
    return select(incidents.c.id).where(*conditions(session, visible=visible, filters=filters))
