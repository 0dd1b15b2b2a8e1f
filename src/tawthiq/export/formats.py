"""Incidents out of Tawthiq as CSV, JSON or GeoJSON (and HXL-tagged CSV, :mod:`.hxl`).

The JSON shape follows the extraction contract's vocabularies (event type,
violation and actor codes), so that what a reviewer exports can be compared
with what the extractor suggested. Named persons are never part of an export:
they are sensitive and leave the system only through an explicit package.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..domain import Incident
from ..domain.csv_cells import write_rows
from ..domain.vocab import top_actor

FORMATS = ("csv", "json", "geojson", "hxl")

CSV_COLUMNS = (
    "id", "status", "confidentiality", "event_type", "violations", "perpetrators",
    "date_edtf", "date_text", "location_name", "location_text", "admin1", "admin2",
    "lat", "lon", "location_precision", "killed_min", "killed_max", "injured_min",
    "injured_max", "victims", "description", "source_id", "confidence", "cluster_id", "independent_sources",
)


def incident_record(incident: Incident) -> dict[str, Any]:
    """One incident as a JSON-ready dict (the export's and the API's shape)."""
    loc = incident.location
    return {
        "id": incident.id,
        "status": str(incident.status),
        "confidentiality": str(incident.confidentiality),
        "event_type": incident.event_type,
        "violations": list(incident.violations),
        "perpetrators": [
            {"actor": top_actor(i.actor), "faction": i.actor, "degree": str(i.degree), "text": i.text}
            for i in incident.perpetrators
        ],
        "victims": [
            {
                "kind": str(v.kind), "outcome": str(v.outcome), "unit": str(v.unit),
                "count_min": v.count_min, "count_max": v.count_max,
                "sex": str(v.sex), "age": str(v.age), "text": v.text,
                "children": v.children, "women": v.women, "men": v.men,
            }
            for v in incident.victims
        ],
        "location": None if loc is None else {
            "name": loc.name, "name_ar": loc.name_ar, "text": loc.text, "country": loc.country,
            "admin1": loc.admin1, "admin2": loc.admin2, "admin3": loc.admin3,
            "lat": loc.lat, "lon": loc.lon, "precision": str(loc.precision), "place_id": loc.place_id,
        },
        "date": None if incident.date is None else {
            "edtf": incident.date.edtf, "text": incident.date.text, "precision": str(incident.date.precision),
        },
        "description": incident.description,
        "evidence": [{"start": s.start, "end": s.end, "quote": s.quote} for s in incident.evidence],
        "confidence": incident.confidence,
        "source_id": incident.source_id,
        # The event it belongs to (the lowest id of the incidents judged the same; its own when alone) and
        # how many independent sources tell that event. Unknown (null) in a viewer's projection.
        "cluster_id": None if incident.independent_sources is None else (
            incident.cluster_id if incident.cluster_id is not None else incident.id),
        "independent_sources": incident.independent_sources,
    }


def outcome_range(incident: Incident, outcome: str) -> tuple[int | None, int | None]:
    """Sum of min and max over the incident's groups (distinct people); an open max (None) stays open.

    Groups with no count at all give no minimum either (unknown, never "at least 0").
    """
    groups = [v for v in incident.victims if str(v.outcome) == outcome]
    if not groups or all(v.count_min is None and v.count_max is None for v in groups):
        return None, None
    lo = sum(v.count_min or 0 for v in groups)
    hi: int | None = 0
    for v in groups:
        if v.count_max is None or hi is None:
            hi = None
        else:
            hi += v.count_max
    return lo, hi


def csv_row(incident: Incident) -> dict[str, Any]:
    rec = incident_record(incident)
    loc = rec["location"] or {}
    killed = outcome_range(incident, "killed")
    injured = outcome_range(incident, "injured")
    return {
        "id": rec["id"],
        "status": rec["status"],
        "confidentiality": rec["confidentiality"],
        "event_type": rec["event_type"],
        "violations": ";".join(rec["violations"]),
        "perpetrators": ";".join(p["actor"] for p in rec["perpetrators"]),
        "date_edtf": (rec["date"] or {}).get("edtf", ""),
        "date_text": (rec["date"] or {}).get("text", ""),
        "location_name": loc.get("name", ""),
        "location_text": loc.get("text", ""),
        "admin1": loc.get("admin1", ""),
        "admin2": loc.get("admin2", ""),
        "lat": loc.get("lat", ""),
        "lon": loc.get("lon", ""),
        "location_precision": loc.get("precision", ""),
        "killed_min": killed[0], "killed_max": killed[1],
        "injured_min": injured[0], "injured_max": injured[1],
        "victims": "; ".join(
            f"{v['count_min'] if v['count_min'] is not None else '?'}-"
            f"{v['count_max'] if v['count_max'] is not None else '?'} {v['kind']} {v['outcome']}"
            for v in rec["victims"]
        ),
        "description": rec["description"],
        "source_id": rec["source_id"],
        "confidence": rec["confidence"],
        "cluster_id": rec["cluster_id"],
        "independent_sources": rec["independent_sources"],
    }


def write_csv(incidents: Iterable[Incident], out: TextIO) -> int:
    """Text cells that could start a spreadsheet formula get a leading ``'`` (see csv_cells)."""
    return write_rows(out, fieldnames=CSV_COLUMNS, rows=(csv_row(incident) for incident in incidents))


def write_json(incidents: Iterable[Incident], out: TextIO) -> int:
    records = [incident_record(i) for i in incidents]
    json.dump(records, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(records)


def write_geojson(incidents: Iterable[Incident], out: TextIO) -> int:
    """A FeatureCollection; incidents without coordinates keep a null geometry.

    RFC 7946 allows null geometries, and dropping unlocated incidents would
    silently shrink the record a reader believes is complete.
    """
    features = []
    for incident in incidents:
        rec = incident_record(incident)
        loc = rec["location"] or {}
        geometry = None
        if loc.get("lat") is not None and loc.get("lon") is not None:
            geometry = {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]}
        features.append({"type": "Feature", "id": rec["id"], "geometry": geometry, "properties": rec})
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(features)


WRITERS = {"csv": write_csv, "json": write_json, "geojson": write_geojson}


def write(incidents: Iterable[Incident], out: TextIO, *, fmt: str) -> int:
    if fmt == "hxl":  # its module uses this one's counts
        from .hxl import write_hxl

        return write_hxl(incidents, out)
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](incidents, out)
