"""Incidents made by hand with a place on the map, for the map, timeline and numerals tests.

No ingest: each figure the pages show (counts, bubbles, badges, victims) is known to the test.
"""
from __future__ import annotations

from tawthiq.domain.enums import (
    Confidentiality,
    DatePrecision,
    IncidentStatus,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.model import (
    Incident,
    IncidentDate,
    Involvement,
    Location,
    VictimGroup,
)
from tawthiq.services import Workspace
from tawthiq.store import repository


def mapped_incident(ws: Workspace, *, place: str, governorate: str, precision: LocationPrecision, edtf: str,
                    text: str = "", actor: str = "russia", event: str = "air-drone-strike",
                    conf: Confidentiality = Confidentiality.PUBLIC, victims: list[VictimGroup] | None = None,
                    lat: float = 36.2, lon: float = 37.1) -> int:
    """A confirmed killing at ``place`` (the same name in both languages) on the day ``edtf``; its id.

    ``text`` is the date as the report wrote it (``edtf`` when not given).
    """
    return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type=event, status=IncidentStatus.CONFIRMED, confidentiality=conf, violations=["killing"],
        involvements=[Involvement(actor=actor)], victims=victims or [],
        date=IncidentDate(edtf=edtf, text=text or edtf, precision=DatePrecision.DAY),
        location=Location(name=place, name_ar=place, text=place, admin1=governorate, lat=lat, lon=lon,
                          precision=precision),
        description=f"Incident in {place}"))


def killed(lo: int, hi: int | None, outcome: VictimOutcome = VictimOutcome.KILLED) -> VictimGroup:
    """Civilians ``lo`` to ``hi`` (no upper bound when None) with ``outcome``."""
    return VictimGroup(outcome=outcome, kind=VictimKind.CIVILIAN, count_min=lo, count_max=hi)
