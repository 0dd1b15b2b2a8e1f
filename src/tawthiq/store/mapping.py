"""Rows to domain dataclasses and back.

Numbers derived from report text are untrusted, so the write side coerces
them: a count too large for a 64-bit column is stored as unknown (None)
rather than failing the whole ingest, and a NaN confidence becomes the
default. Closed-vocabulary values are checked against their enum on the way
in, so every stored row reads back.
"""
from __future__ import annotations

import math
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Row

from ..domain.edtfrange import date_range
from ..domain.enums import (
    AgeGroup,
    ClaimField,
    Confidentiality,
    CountingUnit,
    Credibility,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    InvolvementRole,
    LocationPrecision,
    Reliability,
    Sex,
    SourceKind,
    VictimKind,
    VictimOutcome,
)
from ..domain.model import (
    Claim,
    Incident,
    IncidentDate,
    Involvement,
    Location,
    Person,
    Source,
    SourceEvaluation,
    Span,
    VictimGroup,
)
from ..domain.origins import origin_key
from ..domain.printable import without_reordering
from .textnorm import normalise

E = TypeVar("E", bound=Enum)
_INT64 = 2**63


def now() -> datetime:
    return datetime.now(UTC)


def code(kind: type[E], value: Any) -> str:
    """The stored form of a closed-vocabulary value; plain strings are accepted.

    Raises ValueError for a value outside the enum: that is a bug in the
    caller, and storing it would make the row unreadable.
    """
    return str(kind(value).value)


def _int64(value: Any) -> int | None:
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and -_INT64 < value < _INT64:
        return value
    return None


def _float(value: Any, default: float | None) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


# ------------------------------------------------------------------- sources


def _provenance_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
    """The metadata with its one-line text values (received from, a chat's name, a reason) free of
    bidi reordering controls; multi-line values (a message's text) and nested ones are kept as read."""
    return {key: without_reordering(value) if isinstance(value, str) and "\n" not in value else value
            for key, value in (metadata or {}).items()}


def source_values(source: Source) -> dict[str, Any]:
    """The row for a source. Its one-line provenance fields lose any bidi embedding, override or
    isolate control here, whatever brought them in (paste, upload, Telegram, the API, a package):
    "report\u202egnp.exe" would otherwise show as "reportexe.png"."""
    ev = source.evaluation
    metadata = _provenance_metadata(source.metadata)
    return {
        "kind": code(SourceKind, source.kind),
        "sha256": source.sha256,
        "record_key": source.record_key or "",
        "text": source.text,
        "title": without_reordering(source.title),
        "author": without_reordering(source.author),
        "url": source.url,
        "language": source.language,
        "published": source.published,
        "retrieved_at": source.retrieved_at,
        "original_name": source.original_name,
        "media_type": source.media_type,
        "size": _int64(source.size) or 0,
        "reliability": code(Reliability, ev.reliability),
        "credibility": code(Credibility, ev.credibility),
        "evaluation_note": ev.note,
        "graded_by": ev.graded_by,
        "graded_at": ev.graded_at,
        "metadata": metadata,
        "origin": origin_key(sha256=source.sha256, record_key=source.record_key or "", text=source.text,
                             metadata=metadata),
    }


def source_from_row(row: Row[Any]) -> Source:
    m = row._mapping
    return Source(
        id=m["id"],
        kind=SourceKind(m["kind"]),
        sha256=m["sha256"],
        text=m["text"],
        title=m["title"],
        author=m["author"],
        url=m["url"],
        language=m["language"],
        published=m["published"],
        retrieved_at=m["retrieved_at"],
        original_name=m["original_name"],
        media_type=m["media_type"],
        size=m["size"],
        record_key=m["record_key"],
        evaluation=SourceEvaluation(
            reliability=Reliability(m["reliability"]),
            credibility=Credibility(m["credibility"]),
            note=m["evaluation_note"],
            graded_by=m["graded_by"],
            graded_at=m["graded_at"],
        ),
        metadata=dict(m["metadata"] or {}),
    )


# ----------------------------------------------------------------- incidents


def incident_values(incident: Incident, *, source_id: int | None) -> dict[str, Any]:
    when = now()
    values: dict[str, Any] = {
        "source_id": source_id,
        "event_type": incident.event_type,
        "status": code(IncidentStatus, incident.status),
        "confidentiality": code(Confidentiality, incident.confidentiality),
        "description": incident.description,
        "confidence": _float(incident.confidence, 0.5),
        "merged_into_id": incident.merged_into_id,
        "created_at": when,
        "updated_at": when,
    }
    d = incident.date
    start, end = date_range(d.edtf) if d else (None, None)
    values.update(
        date_edtf=d.edtf if d else None,
        date_text=d.text if d else "",
        date_precision=code(DatePrecision, d.precision) if d else None,
        date_start=start,
        date_end=end,
    )
    loc = incident.location
    values.update(
        has_location=loc is not None,
        loc_name=loc.name if loc else "",
        loc_text=loc.text if loc else "",
        loc_name_ar=loc.name_ar if loc else "",
        loc_country=loc.country if loc else "",
        loc_admin1=loc.admin1 if loc else "",
        loc_admin2=loc.admin2 if loc else "",
        loc_admin3=loc.admin3 if loc else "",
        loc_lat=_float(loc.lat, None) if loc else None,
        loc_lon=_float(loc.lon, None) if loc else None,
        loc_precision=code(LocationPrecision, loc.precision) if loc else None,
        loc_place_id=loc.place_id if loc else "",
        loc_keys=place_keys(loc) if loc else "",
    )
    return values


def place_keys(loc: Location) -> str:
    """The folded names a place filter matches, delimited so a key matches whole names."""
    names = (loc.name, loc.name_ar, loc.text, loc.admin1, loc.admin2, loc.admin3, loc.place_id)
    keys = dict.fromkeys(k for k in (place_key(n) for n in names) if k)
    return "|" + "|".join(keys) + "|" if keys else ""


def place_key(name: str) -> str:
    """A place name folded for matching: normalised, words joined by single spaces."""
    return " ".join(normalise(name).replace("|", " ").split())


def incident_from_row(row: Row[Any]) -> Incident:
    m = row._mapping
    location = None
    if m["has_location"]:
        location = Location(
            name=m["loc_name"],
            text=m["loc_text"],
            name_ar=m["loc_name_ar"],
            country=m["loc_country"],
            admin1=m["loc_admin1"],
            admin2=m["loc_admin2"],
            admin3=m["loc_admin3"],
            lat=m["loc_lat"],
            lon=m["loc_lon"],
            precision=LocationPrecision(m["loc_precision"]),
            place_id=m["loc_place_id"],
        )
    incident_date = None
    if m["date_edtf"] is not None:
        incident_date = IncidentDate(
            edtf=m["date_edtf"],
            text=m["date_text"],
            precision=DatePrecision(m["date_precision"]),
        )
    return Incident(
        id=m["id"],
        source_id=m["source_id"],
        event_type=m["event_type"],
        status=IncidentStatus(m["status"]),
        confidentiality=Confidentiality(m["confidentiality"]),
        description=m["description"],
        confidence=m["confidence"],
        location=location,
        date=incident_date,
        merged_into_id=m["merged_into_id"],
        cluster_id=m["cluster_id"] if "cluster_id" in m else None,
    )


def span_values(span: Span) -> dict[str, Any]:
    return {"span_start": int(span.start), "span_end": int(span.end), "quote": span.quote}


def span_from_row(row: Row[Any]) -> Span:
    m = row._mapping
    return Span(start=m["span_start"], end=m["span_end"], quote=m["quote"])


def involvement_values(inv: Involvement) -> dict[str, Any]:
    return {
        "actor": inv.actor,
        "role": code(InvolvementRole, inv.role),
        "degree": code(InvolvementDegree, inv.degree),
        "text": inv.text,
    }


def involvement_from_row(row: Row[Any]) -> Involvement:
    m = row._mapping
    return Involvement(
        actor=m["actor"],
        role=InvolvementRole(m["role"]),
        degree=InvolvementDegree(m["degree"]),
        text=m["text"],
    )


def victim_values(group: VictimGroup) -> dict[str, Any]:
    return {
        "outcome": code(VictimOutcome, group.outcome),
        "kind": code(VictimKind, group.kind),
        "unit": code(CountingUnit, group.unit),
        "count_min": _int64(group.count_min),
        "count_max": _int64(group.count_max),
        "sex": code(Sex, group.sex),
        "age": code(AgeGroup, group.age),
        "text": group.text,
        "children": _int64(group.children),
        "women": _int64(group.women),
        "men": _int64(group.men),
    }


def victim_from_row(row: Row[Any]) -> VictimGroup:
    m = row._mapping
    return VictimGroup(
        outcome=VictimOutcome(m["outcome"]),
        kind=VictimKind(m["kind"]),
        unit=CountingUnit(m["unit"]),
        count_min=m["count_min"],
        count_max=m["count_max"],
        sex=Sex(m["sex"]),
        age=AgeGroup(m["age"]),
        text=m["text"],
        children=m["children"],
        women=m["women"],
        men=m["men"],
    )


def claim_values(claim: Claim, *, incident_id: int, default_source_id: int | None) -> dict[str, Any]:
    span = claim.span
    return {
        "incident_id": incident_id,
        "source_id": claim.source_id if claim.source_id is not None else default_source_id,
        "field": code(ClaimField, claim.field),
        "value": claim.value,
        "span_start": int(span.start) if span else None,
        "span_end": int(span.end) if span else None,
        "span_quote": span.quote if span else None,
        "method": claim.method,
        "confidence": _float(claim.confidence, 1.0),
        "created_by": claim.created_by or "system",
        "created_at": claim.created_at or now(),
        "note": claim.note,
        "superseded_at": claim.superseded_at,
        "superseded_by": (claim.superseded_by or "") if claim.superseded_at else None,
        "superseded_note": claim.superseded_note if claim.superseded_at else None,
    }


def claim_from_row(row: Row[Any]) -> Claim:
    m = row._mapping
    span = None
    if m["span_start"] is not None and m["span_end"] is not None:
        span = Span(start=m["span_start"], end=m["span_end"], quote=m["span_quote"] or "")
    return Claim(
        id=m["id"],
        field=ClaimField(m["field"]),
        value=m["value"],
        span=span,
        method=m["method"],
        confidence=m["confidence"],
        source_id=m["source_id"],
        created_by=m["created_by"],
        created_at=m["created_at"],
        note=m["note"],
        superseded_at=m["superseded_at"],
        superseded_by=m["superseded_by"] or "",
        superseded_note=m["superseded_note"] or "",
    )


# ------------------------------------------------------------------- persons


def person_values(person: Person) -> dict[str, Any]:
    return {
        "incident_id": person.incident_id,
        "name": person.name,
        "name_alt": person.name_alt,
        "sex": code(Sex, person.sex),
        "age": person.age if isinstance(person.age, int) and 0 <= person.age < 200 else None,
        "outcome": code(VictimOutcome, person.outcome) if person.outcome is not None else None,
        "confidentiality": code(Confidentiality, person.confidentiality),
        "created_at": now(),
    }


def person_from_row(row: Row[Any]) -> Person:
    m = row._mapping
    return Person(
        id=m["id"],
        incident_id=m["incident_id"],
        name=m["name"],
        name_alt=m["name_alt"],
        sex=Sex(m["sex"]),
        age=m["age"],
        outcome=VictimOutcome(m["outcome"]) if m["outcome"] else None,
        confidentiality=Confidentiality(m["confidentiality"]),
    )
