"""ACLED's coding of a row, in Tawthiq's terms: an incident whose every fact cites ACLED.

Nothing is re-extracted from the notes: the event type, the sides, the place,
the date and the dead are ACLED's columns, translated through the mapping
table (``acled.toml`` beside this module, or a team's own copy). Each fact is a
claim with method ``import:acled/<column>`` citing the notes (the source's
text) as its evidence, and a note naming the event and the value as ACLED
wrote it, so a reviewer sees that the fact is ACLED's coding, not a reading
of the text. The incident is a suggestion like any other until reviewed.
"""
from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from ...domain import vocab
from ...domain.enums import (
    ClaimField,
    DatePrecision,
    InvolvementDegree,
    InvolvementRole,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from ...domain.model import Claim, Incident, IncidentDate, Involvement, Location, Span, VictimGroup
from ...extract.gazetteer import Gazetteer, Place
from ..errors import IngestError
from .acled import CURRENT, AcledRow, RowError

METHOD = "import:acled"
TABLE_FILE = "acled.toml"
CONFIDENCE = 0.8  # another team's coding, not yet reviewed here
UNMATCHED_CONFIDENCE = 0.4  # a name the table does not know: kept as written under "other"
GEO_PRECISION = {1: LocationPrecision.TOWN, 2: LocationPrecision.DISTRICT, 3: LocationPrecision.GOVERNORATE}
# ACLED codes a week as its middle day and a month as the month: the week is that day ± 3.
HALF_WEEK = timedelta(days=3)
NEAR_KM = 30.0  # a gazetteer place this close to ACLED's point is the place meant when no governorate says so
COUNTRIES = {"syria": "SY", "syr": "SY", "760": "SY", "turkey": "TR", "tur": "TR", "792": "TR", "lebanon": "LB",
             "lbn": "LB", "422": "LB", "iraq": "IQ", "irq": "IQ", "368": "IQ", "jordan": "JO", "jor": "JO",
             "400": "JO", "israel": "IL", "isr": "IL", "376": "IL"}
_SPACES = re.compile(r"\s+")
_PERIOD = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)\s*$")  # "(2000-2024)", "(2016-)"
_LAST_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")


def name_key(name: str) -> str:
    """How a name is compared: case and runs of spaces folded, ACLED's period of a force left out."""
    return _PERIOD.sub("", _SPACES.sub(" ", name).strip()).casefold()


@dataclass(frozen=True, slots=True)
class Side:
    """One ACLED actor name and what the table made of it."""

    written: str  # as ACLED wrote it
    code: str  # Tawthiq actor code; "" for a name that is no armed actor (civilians, protesters)
    matched: bool  # found in the table or the actor vocabulary


@dataclass(slots=True)
class MappingTable:
    """The mapping table: ACLED sub-event types and actor names to Tawthiq codes (see ``acled.toml``)."""

    event_types: dict[str, str]  # name_key(ACLED sub_event_type) -> event type code
    actors: dict[str, str]  # name_key(ACLED actor name) -> actor code
    not_actors: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)  # name_key(alias in actors.toml) -> code

    @classmethod
    def load(cls, path: Path | None = None) -> MappingTable:
        """The shipped table, or the TOML at ``path``; IngestError (one line) for a table with an unknown code."""
        try:
            if path is None:
                raw = resources.files(__package__).joinpath(TABLE_FILE).read_bytes()
            else:
                raw = Path(path).read_bytes()
            data = tomllib.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise IngestError(f"the mapping table cannot be read: {error}", kind="acled.table") from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> MappingTable:
        types, actors = vocab.event_types(), vocab.actors()
        event_types = _section(data, "event_types", known=types, what="event type")
        mapped = _section(data, "actors", known=actors, what="actor")
        names = data.get("not_actors", {}).get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise IngestError("the mapping table's [not_actors] names must be a list of names", kind="acled.table")
        aliases: dict[str, str] = {}
        for code, actor in actors.items():
            if actor.retired:
                continue
            for alias in (actor.label_en, *actor.aliases_en):
                aliases.setdefault(name_key(alias), code)
        return cls(event_types=event_types, actors=mapped, not_actors=frozenset(name_key(n) for n in names),
                   aliases=aliases)

    def event_type(self, written: str) -> str | None:
        return self.event_types.get(name_key(written))

    def side(self, written: str) -> Side:
        """What ``written`` (one ACLED actor name) is in Tawthiq's terms."""
        key = name_key(written)
        bare = _LAST_BRACKET.sub("", key).strip()  # "civilians (syria)" -> "civilians"
        if key in self.not_actors or bare in self.not_actors:
            return Side(written=written, code="", matched=True)
        for look in (key, bare):
            code = self.actors.get(look) or self.aliases.get(look)
            if code:
                return Side(written=written, code=code, matched=True)
        return Side(written=written, code="other", matched=False)


def _section(data: dict[str, Any], name: str, *, known: dict[str, Any], what: str) -> dict[str, str]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise IngestError(f"the mapping table's [{name}] must be a table of names", kind="acled.table")
    out: dict[str, str] = {}
    for written, code in section.items():
        if not isinstance(code, str) or code not in known:
            raise IngestError(f"the mapping table maps {written!r} to {code!r}, which is not a Tawthiq {what} code",
                              kind="acled.table")
        out[name_key(written)] = code
    return out


@dataclass(slots=True)
class Coded:
    """A row's source text and the incident ACLED's coding of it gives; the names the table did not know."""

    text: str
    incident: Incident
    unmatched: list[str]


def code_row(row: AcledRow, *, table: MappingTable, gazetteer: Gazetteer) -> Coded:
    """The incident ACLED coded in ``row``; RowError (column, why) for a value that cannot be coded."""
    written_type = row.cell("sub_event_type").strip()
    event_type = table.event_type(written_type)
    if event_type is None:
        raise RowError("sub_event_type", f"{written_type[:60]!r} is not an ACLED sub-event type the mapping "
                                         "table knows")
    notes = row.cell("notes").strip()
    text = row.report_text
    span = Span.of(text, 0, len(text))

    def claim(claim_field: ClaimField, value: Any, column: str, written: str, *,
              confidence: float = CONFIDENCE, extra: str = "") -> Claim:
        note = f"ACLED coding of event {row.event_id}: {column} = {written!r}{extra}"
        return Claim(claim_field, value, span, f"{METHOD}/{column}", confidence=confidence, note=note)

    claims = [claim(ClaimField.EVENT_TYPE, event_type, "sub_event_type", written_type)]
    unmatched: list[str] = []
    involvements: list[Involvement] = []
    for column, role, claim_field in (("actor1", InvolvementRole.PERPETRATOR, ClaimField.PERPETRATOR),
                                      ("assoc_actor_1", InvolvementRole.PERPETRATOR, ClaimField.PERPETRATOR),
                                      ("actor2", InvolvementRole.TARGET, ClaimField.TARGET)):
        for side in _sides(row.cell(column), table):
            if not side.code:
                continue  # civilians, protesters: the victims say who was harmed
            if not side.matched:
                unmatched.append(side.written)
            _involve(involvements, side, role)
            claims.append(claim(claim_field, side.code, column, side.written,
                                confidence=CONFIDENCE if side.matched else UNMATCHED_CONFIDENCE,
                                extra="" if side.matched else " (not in the mapping table: kept as written)"))
    victims: list[VictimGroup] = []
    if row.fatalities:
        kind = VictimKind.CIVILIAN if row.civilian_targeting else VictimKind.UNKNOWN
        victims.append(VictimGroup(outcome=VictimOutcome.KILLED, kind=kind, count_min=row.fatalities,
                                   count_max=row.fatalities, text=row.cell("fatalities").strip()))
        said = f"; civilian_targeting = {row.cell('civilian_targeting')!r}" if row.layout == CURRENT else \
            "; this layout does not say whether civilians were targeted"
        claims.append(claim(ClaimField.VICTIMS, {"kind": kind.value, "outcome": "killed", "count_min": row.fatalities,
                                                 "count_max": row.fatalities}, "fatalities",
                            row.cell("fatalities").strip(), extra=said))
    incident_date = _date(row)
    claims.append(claim(ClaimField.DATE, incident_date.edtf, "event_date", row.cell("event_date").strip(),
                        extra=f"; time_precision = {row.time_precision}"))
    location = _location(row, gazetteer)
    if location is not None:
        claims.append(claim(ClaimField.LOCATION, location.name, "location", location.text,
                            extra=f"; geo_precision = {row.geo_precision}"))
    if notes:
        claims.append(claim(ClaimField.DESCRIPTION, notes, "notes", notes[:80]))
    incident = Incident(event_type=event_type, involvements=involvements, victims=victims, location=location,
                        date=incident_date, description=notes, evidence=[span] if text else [],
                        confidence=CONFIDENCE, claims=claims)
    return Coded(text=text, incident=incident, unmatched=unmatched)


def _sides(cell: str, table: MappingTable) -> Iterable[Side]:
    """ACLED lists associated actors in one cell, separated by semicolons."""
    for part in cell.split(";"):
        if part.strip():
            yield table.side(part.strip())


def _involve(involvements: list[Involvement], side: Side, role: InvolvementRole) -> None:
    """One involvement per actor and role; a second ACLED name for the same actor joins the first's text."""
    for inv in involvements:
        if inv.actor == side.code and inv.role is role:
            inv.text = f"{inv.text}; {side.written}"
            return
    involvements.append(Involvement(actor=side.code, role=role, degree=InvolvementDegree.CARRIED_OUT,
                                    text=side.written))


def _date(row: AcledRow) -> IncidentDate:
    day, written = row.event_date, row.cell("event_date").strip()
    if row.time_precision == 1:
        return IncidentDate(edtf=day.isoformat(), text=written, precision=DatePrecision.DAY)
    if row.time_precision == 2:  # some day of the week around the coded (middle) day
        first, last = day - HALF_WEEK, day + HALF_WEEK
        return IncidentDate(edtf=f"{first.isoformat()}/{last.isoformat()}", text=written,
                            precision=DatePrecision.APPROXIMATE)
    return IncidentDate(edtf=f"{day.year:04d}-{day.month:02d}", text=written, precision=DatePrecision.MONTH)


def _location(row: AcledRow, gazetteer: Gazetteer) -> Location | None:
    written = row.cell("location").strip()
    admin1, admin2 = row.cell("admin1").strip(), row.cell("admin2").strip()
    if not (written or admin1):
        return None
    precision = GEO_PRECISION[row.geo_precision]
    country = row.cell("country").strip() or row.cell("iso3").strip() or row.cell("iso").strip()
    location = Location(name=written or admin1, text=written or admin1, country=COUNTRIES.get(country.casefold(), ""),
                        admin1=admin1, admin2=admin2, admin3=row.cell("admin3").strip(), lat=row.latitude,
                        lon=row.longitude, precision=precision)
    place = _place(row, gazetteer, written=written, admin1=admin1, admin2=admin2)
    if place is not None:
        location.place_id, location.name_ar = place.id, place.name_ar
        if not location.country:
            location.country = place.country
    return location


def _place(row: AcledRow, gazetteer: Gazetteer, *, written: str, admin1: str, admin2: str) -> Place | None:
    """The gazetteer's place for the row: in ACLED's governorate (or near its point), at its precision."""
    names = () if row.geo_precision == 3 else (written, admin2) if row.geo_precision == 2 else (written,)
    return find_place(gazetteer, names=names, admin1=admin1, lat=row.latitude, lon=row.longitude,
                      governorate_only=row.geo_precision == 3)


def find_place(gazetteer: Gazetteer, *, names: Iterable[str], admin1: str, lat: float | None, lon: float | None,
               governorate_only: bool = False) -> Place | None:
    """The first of ``names`` the gazetteer places in the governorate ``admin1`` (or, without it, near the point).

    ``governorate_only``: the governorate itself. The named place itself is preferred to a
    sub-district or district of the same name; "near" is said by the table's precision.
    """
    governorate = _governorate(gazetteer, admin1)
    if governorate_only:
        return governorate
    levels = ("town", "subdistrict", "district")
    for name in names:
        found = [p for p in gazetteer.lookup(name) if _agrees(p, governorate, lat, lon)] if name else []
        found.sort(key=lambda p: levels.index(p.level) if p.level in levels else len(levels))
        if found:
            return found[0]
    return None


def _governorate(gazetteer: Gazetteer, admin1: str) -> Place | None:
    for place in gazetteer.lookup(admin1) if admin1 else []:
        gov = place if place.level == "governorate" else gazetteer.get(place.governorate_id)
        if gov is not None:
            return gov
    return None


def _agrees(place: Place, governorate: Place | None, lat: float | None, lon: float | None) -> bool:
    if governorate is not None:
        return place.governorate_id == governorate.id
    if lat is None or lon is None or place.lat is None or place.lon is None:
        return False
    return _km(lat, lon, place.lat, place.lon) <= NEAR_KM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
