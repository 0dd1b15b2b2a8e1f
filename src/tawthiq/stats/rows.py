"""The incident rows the map and the timeline draw, with their counts.

Light rows (no parts, no claims) under the same filter and visibility rule
as every other statistic, so the map and the timeline count what the list
and the dashboard count.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from ..domain.enums import LocationPrecision
from ..store.db import Database
from ..store.tables import incidents
from .filters import StatsFilter, conditions

_DRAWN = [p.value for p in LocationPrecision if p is not LocationPrecision.COUNTRY]


def placed_rows(db: Database, *, visible: Sequence[Any], filters: StatsFilter,
                limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` incidents with a drawable place, and how many matching ones have none."""
    c = incidents.c
    drawable = c.loc_lat.is_not(None) & c.loc_lon.is_not(None) & c.loc_precision.in_(_DRAWN)
    with db.session() as session:
        where = conditions(session, visible=visible, filters=filters)
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.loc_name, c.loc_name_ar,
                   c.loc_admin1, c.loc_lat, c.loc_lon, c.loc_precision)
            .where(*where, drawable)
            .order_by(c.date_start.desc().nulls_last(), c.id.desc())
            .limit(limit)
        ).all()
        unmapped = session.scalar(select(func.count()).select_from(incidents).where(*where, ~drawable)) or 0
    return list(rows), int(unmapped)


def dated_rows(db: Database, *, visible: Sequence[Any], filters: StatsFilter,
               limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` dated incidents (newest first), and how many matching ones are dated."""
    c = incidents.c
    dated = c.date_start.is_not(None) & c.date_end.is_not(None)
    with db.session() as session:
        where = conditions(session, visible=visible, filters=filters)
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.date_precision, c.date_start,
                   c.date_end, c.loc_name, c.loc_name_ar)
            .where(*where, dated)
            .order_by(c.date_start.desc(), c.id.desc())
            .limit(limit)
        ).all()
        total = int(session.scalar(select(func.count()).select_from(incidents).where(*where, dated)) or 0)
    return list(rows), total
