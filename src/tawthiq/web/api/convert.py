"""Records to JSON and JSON to domain objects, for the API.

The incident shape is :func:`tawthiq.services.formats.incident_record` (the
contract's vocabulary, shared with exports) plus what only a stored record
has; incoming codes are turned into domain enums here, and a wrong code is a
one-line 400 naming the field.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from ...domain.audit import AuditEntry
from ...domain.enums import (
    Confidentiality,
    DatePrecision,
    InvolvementDegree,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from ...domain.model import Incident, IncidentDate, Involvement, Location, Source, Span, VictimGroup
from ...domain.tags import Tag
from ...services import claim_pages
from ...services.attachments import AttachedMedia
from ...services.errors import ServiceError
from ...services.formats import incident_record
from ...services.reading import IncidentSummary, IncidentView
from ...services.review import IncidentChanges
from . import schemas

E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(v.value for v in kind)
        raise ServiceError(f"{what}: {value[:40]!r} is not one of {choices}") from None


# ------------------------------------------------------------------ out


def source_out(source: Source) -> dict[str, Any]:
    return {
        "id": source.id, "kind": str(source.kind), "title": source.title, "author": source.author,
        "url": source.url, "language": source.language, "published": source.published,
        "retrieved_at": source.retrieved_at, "original_name": source.original_name,
        "media_type": source.media_type, "size": source.size, "sha256": source.sha256,
    }


def tag_out(tag: Tag) -> dict[str, Any]:
    """A tag as the API gives it; only ever called on tags the caller may see (``services.tags`` leaves a
    viewer only those shown to viewers), so the flag tells staff which of their tags viewers also see."""
    return {"id": tag.id, "label_en": tag.label_en, "label_ar": tag.label_ar, "colour": tag.colour,
            "retired": tag.retired, "shown_to_viewers": bool(tag.shown_to_viewers)}


def attachment_out(shown: AttachedMedia) -> dict[str, Any]:
    a = shown.attachment
    return {"id": a.id, "source_id": a.source_id, "source_kind": shown.source.kind, "source_title": shown.source.title,
            "part": a.part.value,
            "region": None if a.region is None else {"x": a.region.x, "y": a.region.y, "w": a.region.w,
                                                     "h": a.region.h},
            "time": None if a.time is None else {"start": a.time.start, "end": a.time.end},
            "page": a.page, "reason": a.reason, "created_by": a.created_by, "created_at": a.created_at}


def summary_out(s: IncidentSummary, *, tags: list[Tag], attachments: list[AttachedMedia]) -> dict[str, Any]:
    """A list row; ``tags`` and ``attachments`` as the service gave them for the caller."""
    return {
        "id": s.id, "status": s.status, "confidentiality": s.confidentiality, "event_type": s.event_type,
        "violations": list(s.violations), "perpetrators": list(s.perpetrators),
        "date": {"edtf": s.date_edtf, "text": s.date_text, "precision": s.date_precision,
                 "start": s.date_start, "end": s.date_end},
        "location": {"name": s.loc_name, "name_ar": s.loc_name_ar, "text": s.loc_text, "admin1": s.loc_admin1,
                     "lat": s.lat, "lon": s.lon, "precision": s.loc_precision},
        "description": s.description, "source_id": s.source_id, "updated_at": s.updated_at,
        # (0, None) is what a group without any count sums to: an unknown number, not "at least 0".
        "victims": [{"outcome": o, "min": None if not lo and hi is None else lo, "max": hi}
                    for o, lo, hi in s.outcomes],
        "killed_min": None if not s.killed_min and s.killed_max is None else s.killed_min,
        "killed_max": s.killed_max,
        "cluster_id": s.cluster_id,
        "independent_sources": s.independent_sources if s.cluster_id is not None else None,
        "tags": [tag_out(t) for t in tags],
        "attachments": [attachment_out(m) for m in attachments],
    }


def _value(value: Any) -> Any:
    """A claim value as JSON: dataclasses and enums become dicts and strings."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _value(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value


def _history(entry: AuditEntry) -> dict[str, Any]:
    return {"at": entry.at, "user": entry.user, "action": entry.action, "before": entry.before,
            "after": entry.after, "comment": entry.comment}


def incident_out(incident: Incident) -> dict[str, Any]:
    record = incident_record(incident)
    record["merged_into_id"] = incident.merged_into_id
    return record  # cluster_id and independent_sources come with incident_record (null for viewers)


def detail_out(view: IncidentView, *, claims_offset: int = 0,
               claims_limit: int = claim_pages.API_CLAIMS) -> dict[str, Any]:
    """The incident as the API answers it, with the claims ``claims_offset`` to ``claims_offset + claims_limit``
    (in the order they were always sent: field by field, each field's in the order stored)."""
    record = incident_out(view.incident)
    record["merged_into_id"] = view.merged_into
    window = claim_pages.claim_window([c for claims in view.claims_by_field.values() for c in claims],
                                      offset=claims_offset, limit=claims_limit)
    record["claims_total"] = window.total
    record["claims_offset"] = window.offset
    record["next_claims_offset"] = window.next_offset
    record["claims"] = [
        {"id": c.id, "field": str(c.field), "value": _value(c.value),
         "span": None if c.span is None else {"start": c.span.start, "end": c.span.end, "quote": c.span.quote},
         "method": c.method, "confidence": c.confidence, "source_id": c.source_id,
         "created_by": c.created_by, "created_at": c.created_at, "note": c.note, "current": c.current,
         "superseded_at": c.superseded_at, "superseded_by": c.superseded_by or None if not c.current else None,
         "superseded_note": c.superseded_note if not c.current else None}
        for c in window.claims
    ]
    record["source_ids"] = [s.id for s in view.sources if s.id is not None]
    record["history"] = [_history(e) for e in view.history]
    record["merged_from"] = list(view.merged_from)
    record["cluster_members"] = list(view.cluster)
    # The incident page's own panels, already cut to what the caller may see (nothing attached for a viewer).
    record["tags"] = [tag_out(link.tag) for link in (view.tags.current if view.tags else [])]
    record["attachments"] = [attachment_out(m) for m in (view.media.attached if view.media else [])]
    return record


# ------------------------------------------------------------------- in


def _perpetrators(items: list[schemas.PerpetratorIn]) -> list[Involvement]:
    return [Involvement(actor=p.actor, degree=_enum(InvolvementDegree, p.degree, "perpetrators.degree"),
                        text=p.text) for p in items]


def _victims(items: list[schemas.VictimsIn]) -> list[VictimGroup]:
    return [VictimGroup(outcome=_enum(VictimOutcome, v.outcome, "victims.outcome"),
                        kind=_enum(VictimKind, v.kind, "victims.kind"), count_min=v.count_min,
                        count_max=v.count_max, text=v.text, children=v.children, women=v.women, men=v.men)
            for v in items]


def _location(loc: schemas.LocationIn) -> Location:
    return Location(name=loc.name, text=loc.text, name_ar=loc.name_ar, admin1=loc.admin1, admin2=loc.admin2,
                    lat=loc.lat, lon=loc.lon, precision=_enum(LocationPrecision, loc.precision,
                                                              "location.precision"),
                    place_id=loc.place_id)


def date_precision(edtf: str) -> DatePrecision:
    """How exact an EDTF date is, from its form: 2015-10-07 day, 2015-10 month, 2015 year."""
    value = edtf.strip()
    if "~" in value or "?" in value or "%" in value:
        return DatePrecision.APPROXIMATE
    return {10: DatePrecision.DAY, 7: DatePrecision.MONTH, 4: DatePrecision.YEAR}.get(len(value),
                                                                                      DatePrecision.UNKNOWN)


def _date(d: schemas.DateIn) -> IncidentDate:
    return IncidentDate(edtf=d.edtf.strip(), text=d.text, precision=date_precision(d.edtf))


def spans(given: dict[str, schemas.SpanIn]) -> dict[str, Span]:
    """The cited spans as given; a quote left out stays empty and the service cuts it from the source."""
    return {name: Span(start=span.start, end=span.end, quote=span.quote or "") for name, span in given.items()}


def new_incident(body: schemas.IncidentIn) -> Incident:
    return Incident(
        event_type=body.event_type, violations=list(body.violations),
        involvements=_perpetrators(body.perpetrators), victims=_victims(body.victims),
        location=_location(body.location) if body.location else None,
        date=_date(body.date) if body.date else None, description=body.description.strip(),
        confidentiality=Confidentiality(body.confidentiality),
        confidence=1.0, source_id=body.source_id,
    )


def changes(body: schemas.IncidentPatch, span_map: dict[str, Span]) -> IncidentChanges:
    return IncidentChanges(
        event_type=body.event_type, violations=body.violations,
        perpetrators=_perpetrators(body.perpetrators) if body.perpetrators is not None else None,
        victims=_victims(body.victims) if body.victims is not None else None,
        location=_location(body.location) if body.location is not None else None,
        date=_date(body.date) if body.date is not None else None, description=body.description,
        confidentiality=body.confidentiality, spans=span_map, source_id=body.source_id,
    )
