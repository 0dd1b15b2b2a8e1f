"""What a viewer is given of an incident: its current public values and nothing else.

Built, like every audience's record, by :func:`project_incident` from a profile (here
:data:`~tawthiq.domain.profiles.VIEWER_PAGES`: the public profile with the place as recorded).

Every response for a role without :func:`~tawthiq.domain.access.sees_provenance`
(viewers) is built from these projections, not from the stored record with
fields hidden later, so a page or an API route added tomorrow cannot show
what the projection left out. Left out:

* claims: they quote the source (a witness's name in the machine's sentence),
  keep values a reviewer replaced, and name the staff who made them;
* evidence spans and the mentions "as written" of perpetrators, victims and
  the date: quotes of source text, and copied from the machine's reading even
  after a person changed the value beside them (a corrected date keeps the
  text it was read from);
* the source ids, history, named persons: who reported what, and who decided.

Kept: the codes, counts, place, EDTF date and description a reviewer
published. The place's own text is kept: it is the name of the place as
matched in the gazetteer or typed by a person, replaced whole whenever the
place is corrected, and it is what search matches besides the description,
so search for viewers only ever matches values they are shown.

:func:`project_incident` does the same for an audience of an export or a
publication (:mod:`tawthiq.domain.profiles`): it builds a new record from the
fields the profile names, cuts the date and coarsens the place to the
profile's precision, and copies nothing else.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..domain.enums import DatePrecision, LocationPrecision
from ..domain.model import Claim, Incident, IncidentDate, Involvement, Location, Span, VictimGroup
from ..domain.profiles import VIEWER_PAGES, Profile, finer_date, finer_place
from ..store.queries import IncidentSummary

__all__ = ["GazetteerPoint", "PlaceLookup", "cap_edtf", "project_incident", "public_incident", "public_summary"]


def public_incident(incident: Incident) -> Incident:
    """A new incident with only the current public values: built by the viewer's pages' profile."""
    return project_incident(incident, profile=VIEWER_PAGES)


def public_summary(summary: IncidentSummary) -> IncidentSummary:
    """A list, map or timeline row without the date as written, the source or the cluster.

    A cluster may join restricted incidents (its id can be one) and its count
    of independent sources counts sources a viewer may not know of.
    """
    return dataclasses.replace(summary, date_text="", source_id=None, cluster_id=None, independent_sources=0,
                               confidence=None)


# ------------------------------------------------------------------ profiles

@dataclasses.dataclass(frozen=True, slots=True)
class GazetteerPoint:
    """A gazetteer place a finer place lies in: its names, its level's precision and its point."""

    name: str
    name_ar: str
    precision: LocationPrecision
    lat: float | None
    lon: float | None


# place_id, finest precision allowed -> the gazetteer place at that precision or coarser (None: not listed)
PlaceLookup = Callable[[str, LocationPrecision], "GazetteerPoint | None"]

# A place finer than the profile's that the gazetteer cannot place: its coordinates are rounded to
# one decimal (about 11 km), the precision of a district, and it is named by its admin units only.
_UNLISTED_DECIMALS = 1

_EDTF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T[^/~?%]*")
_EDTF_PARTS = {DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}


def cap_edtf(edtf: str, precision: DatePrecision) -> str:
    """``edtf`` no finer than ``precision``: a time of day is dropped, and a day (or month) is cut to the
    month (or year), each end of an interval apart; EDTF's qualifiers (~ ? %) stay."""
    parts = []
    for part in edtf.split("/"):
        part = _EDTF_DAY.sub(r"\1", part)
        keep = _EDTF_PARTS.get(precision)
        if keep is not None and re.match(r"^\d{4}-\d{2}", part):
            qualifiers = "".join(ch for ch in part[keep:] if ch in "~?%")
            part = part[:keep] + qualifiers
        parts.append(part)
    return "/".join(parts)


def _date(date: IncidentDate | None, profile: Profile) -> IncidentDate | None:
    if date is None:
        return None
    cap = profile.date_precision
    finer = finer_date(date.precision, cap)
    return IncidentDate(edtf=cap_edtf(date.edtf, cap), text=date.text if profile.claims else "",
                        precision=cap if finer else date.precision)


def _place(loc: Location | None, profile: Profile, places: PlaceLookup | None) -> Location | None:
    if loc is None:
        return None
    cap = profile.place_precision
    text = loc.text if profile.claims or profile.place_text else ""  # the words of the report: a quote
    if not finer_place(loc.precision, cap):
        return Location(name=loc.name, text=text, name_ar=loc.name_ar, country=loc.country, admin1=loc.admin1,
                        admin2=loc.admin2, admin3=loc.admin3, lat=loc.lat, lon=loc.lon, precision=loc.precision,
                        place_id=loc.place_id)
    # Finer than allowed (a house, a street, a neighbourhood): the gazetteer place it lies in, at its point;
    # never the stored point, and never the name a person typed for the finer place.
    found = places(loc.place_id, cap) if places is not None and loc.place_id else None
    if found is not None:
        return Location(name=found.name, name_ar=found.name_ar, country=loc.country, admin1=loc.admin1,
                        admin2=loc.admin2, admin3=loc.admin3, lat=found.lat, lon=found.lon,
                        precision=found.precision, place_id=loc.place_id)
    coarse = LocationPrecision.DISTRICT if not finer_place(LocationPrecision.DISTRICT, cap) else cap
    name = loc.admin3 or loc.admin2 or loc.admin1 or loc.country
    return Location(name=name, country=loc.country, admin1=loc.admin1, admin2=loc.admin2, admin3=loc.admin3,
                    lat=None if loc.lat is None else round(loc.lat, _UNLISTED_DECIMALS),
                    lon=None if loc.lon is None else round(loc.lon, _UNLISTED_DECIMALS), precision=coarse)


def _claim(claim: Claim, profile: Profile) -> Claim:
    span = None if claim.span is None else Span(start=claim.span.start, end=claim.span.end, quote=claim.span.quote)
    return Claim(field=claim.field, value=claim.value, span=span, confidence=claim.confidence,
                 # "user:<name>" names the staff member who made the claim.
                 method=claim.method if profile.staff or not claim.method.startswith("user:") else "user",
                 source_id=claim.source_id if profile.sources else None,
                 created_by=claim.created_by if profile.staff else "", created_at=claim.created_at,
                 note=claim.note if profile.staff else "", id=claim.id,
                 superseded_at=claim.superseded_at,
                 superseded_by=claim.superseded_by if profile.staff else "",
                 superseded_note=claim.superseded_note if profile.staff else "")


def project_incident(incident: Incident, *, profile: Profile, places: PlaceLookup | None = None) -> Incident:
    """A new incident holding only what ``profile`` gives its audience.

    Built field by field from the profile (nothing is copied and then hidden):
    the codes, counts, status, level and the description a reviewer published;
    the date cut and the place coarsened to the profile's precision (``places``
    finds the gazetteer place a finer place lies in); the mentions as written,
    evidence spans and claims only for a profile with ``claims`` (replaced
    values besides only with ``superseded``); the source, cluster and
    corroboration only with ``sources``. Named persons never ride on an incident.
    """
    quotes = profile.claims
    claims = [_claim(c, profile) for c in incident.claims if quotes and (c.current or profile.superseded)]
    return Incident(
        event_type=incident.event_type,
        violations=list(incident.violations),
        involvements=[Involvement(actor=i.actor, role=i.role, degree=i.degree, text=i.text if quotes else "")
                      for i in incident.involvements],
        victims=[VictimGroup(outcome=v.outcome, kind=v.kind, unit=v.unit, count_min=v.count_min,
                             count_max=v.count_max, sex=v.sex, age=v.age, text=v.text if quotes else "",
                             children=v.children, women=v.women, men=v.men) for v in incident.victims],
        location=_place(incident.location, profile, places),
        date=_date(incident.date, profile),
        description=incident.description,
        status=incident.status,
        confidentiality=incident.confidentiality,
        evidence=[Span(start=s.start, end=s.end, quote=s.quote) for s in incident.evidence] if quotes else [],
        confidence=incident.confidence,
        claims=claims,
        source_id=incident.source_id if profile.sources else None,
        cluster_id=incident.cluster_id if profile.sources else None,
        independent_sources=incident.independent_sources if profile.sources else None,
        merged_into_id=incident.merged_into_id,  # the incident it was folded into (its page says so)
        id=incident.id,
    )
