"""The published database: a Datasette-ready SQLite file and its ``metadata.json``.

Only rows the publishing service built from a profile's projection come in
(:class:`PublishedIncident`, :class:`Figure`, :class:`OutcomeFigure`): plain
values, no record objects, so nothing the profile left out can be written by
accident. The tables and their column descriptions are declared once here
(:data:`TABLES`); ``metadata.json`` is written from the same declaration, so it
never names a table or a column the file does not have.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

__all__ = ["TABLES", "Figure", "OutcomeFigure", "PublishedIncident", "Publication", "metadata", "write_database",
           "write_metadata"]


@dataclass(frozen=True, slots=True)
class PublishedIncident:
    id: int
    event: int
    event_type: str
    event_type_en: str
    event_type_ar: str
    violations: str
    perpetrators: str
    perpetrators_en: str
    perpetrators_ar: str
    date_edtf: str
    date_precision: str
    date_en: str
    date_ar: str
    place_en: str
    place_ar: str
    governorate: str
    district: str
    lat: float | None
    lon: float | None
    place_precision: str
    killed_min: int | None
    killed_max: int | None
    injured_min: int | None
    injured_max: int | None
    description: str
    status: str


@dataclass(frozen=True, slots=True)
class Figure:
    dimension: str
    key: str
    label_en: str
    label_ar: str
    events: int
    killed_min: int
    killed_max: int | None
    injured_min: int
    injured_max: int | None


@dataclass(frozen=True, slots=True)
class OutcomeFigure:
    outcome: str
    label_en: str
    label_ar: str
    kind: str
    events: int
    victims_min: int
    victims_max: int | None


_RANGE = "; an empty maximum is open (at least the minimum)"

# table -> (description, row type, {column: description}); the order of the columns is the row type's.
TABLES: dict[str, tuple[str, type, dict[str, str]]] = {
    "incidents": ("Public, reviewed incidents with their current values (no names, no source texts).",
                  PublishedIncident, {
        "id": "The incident's number in the documenting group's record",
        "event": "The event it belongs to: incidents judged the same event (reported by several sources) share "
                 "it. Count events, not incidents, and never add victims across incidents of one event",
        "event_type": "Event type code (ACLED sub-event types)",
        "event_type_en": "Event type in English",
        "event_type_ar": "Event type in Arabic",
        "violations": "Violation codes, separated by ';'",
        "perpetrators": "Alleged perpetrators' actor codes, separated by ';'",
        "perpetrators_en": "Alleged perpetrators in English, separated by ';'",
        "perpetrators_ar": "Alleged perpetrators in Arabic, separated by ';'",
        "date_edtf": "Date in the Extended Date/Time Format (EDTF), at most to the day; '~' approximate, "
                     "'/' a range",
        "date_precision": "How precisely the date is known: day, month, year, approximate, unknown",
        "date_en": "The date in English words",
        "date_ar": "The date in Arabic words",
        "place_en": "Place in English, a town (village) or coarser",
        "place_ar": "Place in Arabic",
        "governorate": "Governorate",
        "district": "District",
        "lat": "Latitude (WGS 84) of the place's gazetteer point, never of a building",
        "lon": "Longitude (WGS 84) of the place's gazetteer point",
        "place_precision": "How precisely the place is known: town, district, governorate, country",
        "killed_min": "Fewest people reported killed",
        "killed_max": "Most people reported killed" + _RANGE,
        "injured_min": "Fewest people reported injured",
        "injured_max": "Most people reported injured" + _RANGE,
        "description": "The description the group published",
        "status": "confirmed (reviewed by a person) or verified (checked against its sources)",
    }),
    "figures": ("Counts of events (incidents judged the same event count once) and their victims, per dimension; "
                "the same counting as the group's dashboard.", Figure, {
        "dimension": "total, perpetrator, violation, governorate, event_type or month",
        "key": "The code counted under (an actor, a violation, a governorate, 'YYYY-MM'); '' none recorded",
        "label_en": "The key in English",
        "label_ar": "The key in Arabic",
        "events": "Events counted (an event with two perpetrators counts under each)",
        "killed_min": "Fewest people killed: per event the lowest figure its sources give",
        "killed_max": "Most people killed" + _RANGE,
        "injured_min": "Fewest people injured",
        "injured_max": "Most people injured" + _RANGE,
    }),
    "outcomes": ("Victims per outcome and kind (civilian, combatant, unknown), never added across outcomes.",
                 OutcomeFigure, {
        "outcome": "killed, injured, detained, abducted, disappeared, tortured, displaced, other",
        "label_en": "The outcome in English",
        "label_ar": "The outcome in Arabic",
        "kind": "civilian, combatant or unknown",
        "events": "Events with victims of this outcome and kind",
        "victims_min": "Fewest victims",
        "victims_max": "Most victims" + _RANGE,
    }),
}

_SQL_TYPES = {"int": "INTEGER", "int | None": "INTEGER", "float | None": "REAL", "str": "TEXT"}


@dataclass(frozen=True, slots=True)
class Publication:
    """What ``metadata.json`` says of the whole database."""

    title: str
    description: str
    licence: str
    licence_url: str
    source: str
    source_url: str
    method: str  # markdown: how the record is made and counted


def _create(conn: sqlite3.Connection, table: str, row_type: type) -> None:
    cols = ", ".join(f'"{f.name}" {_SQL_TYPES[str(f.type)]}' + (" PRIMARY KEY" if f.name == "id" else "")
                     for f in fields(row_type))
    conn.execute(f'CREATE TABLE "{table}" ({cols})')


def write_database(path: Path, *, incidents: Iterable[PublishedIncident], figures: Iterable[Figure],
                   outcomes: Iterable[OutcomeFigure]) -> int:
    """Create ``path`` (must not exist) with the three tables; returns how many incidents it holds."""
    conn = sqlite3.connect(path)
    try:
        for table, (_, row_type, _cols) in TABLES.items():
            _create(conn, table, row_type)
        count = 0
        rows: dict[str, Iterable[Any]] = {"incidents": incidents, "figures": figures, "outcomes": outcomes}
        for table, (_, row_type, _cols) in TABLES.items():
            marks = ", ".join("?" for _ in fields(row_type))
            for row in rows[table]:
                conn.execute(f'INSERT INTO "{table}" VALUES ({marks})', astuple(row))
                count += table == "incidents"
        conn.execute('CREATE INDEX "incidents_event" ON "incidents" ("event")')
        conn.commit()
        # No journal or free pages left behind: the file is the published thing, byte for byte.
        conn.execute("VACUUM")
    finally:
        conn.close()
    return count


def metadata(publication: Publication, *, database: str = "tawthiq") -> dict[str, Any]:
    """Datasette's metadata (https://docs.datasette.io/en/stable/metadata.html) for the database."""
    return {
        "title": publication.title,
        "description": publication.description,
        "license": publication.licence,
        "license_url": publication.licence_url,
        "source": publication.source,
        "source_url": publication.source_url,
        "databases": {
            database: {
                "description": publication.method,
                "tables": {
                    table: {"description": description, "columns": dict(columns)}
                    for table, (description, _row, columns) in TABLES.items()
                },
            },
        },
    }


def write_metadata(path: Path, publication: Publication, *, database: str = "tawthiq") -> None:
    path.write_text(json.dumps(metadata(publication, database=database), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
