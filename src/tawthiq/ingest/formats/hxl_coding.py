"""An HXL row's columns in Tawthiq's terms: an incident whose every fact cites the row, and how it is stored.

Nothing is extracted from the description: the event type, the perpetrators,
the place, the date and the counts are the table's columns, read by their
hashtags. Each fact is a claim with method ``import:hxl/<hashtag>`` citing the
source's text (the description, or the row as written) and a note naming the
row's id and the value as written, so a reviewer sees it is the other
system's coding. The incident is a suggestion like any other until reviewed.

The mapping (documented in the README, "Importing HXL"):

* ``#event+type``: a Tawthiq event type code, or its English name, or an
  ACLED sub-event type (the ACLED mapping table); anything else is kept as
  written under ``other``.
* ``#group+code+first`` (Tawthiq's actor codes) or else ``#group+name+first``
  (names, several separated by ``;``): a code, or a name the ACLED mapping
  table or the actors' aliases know; any other name is kept as written under
  ``other``, as the ACLED import does. Civilians and the like are no actor.
* ``#meta+date+edtf`` (EDTF, as Tawthiq's export writes it), else ``#date+occurred`` (a day, a month or a
  year), else ``#date+occurred+start`` and ``+end`` (a range).
* ``#loc+name``, ``#adm1+name`` … ``#adm3+name``, ``#country+code``,
  ``#geo+lat``, ``#geo+lon``; ``#loc+code`` when it is a gazetteer id, else
  the gazetteer place of that name in that governorate.
* ``#affected+killed`` (or ``+min`` and ``+max``), the same for ``injured``
  and ``detained``: victims of unknown kind.
* ``#description``: the incident's description and the source's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ...domain import vocab
from ...domain.edtfrange import date_range
from ...domain.enums import (
    ClaimField,
    DatePrecision,
    InvolvementDegree,
    InvolvementRole,
    LocationPrecision,
    SourceKind,
    VictimKind,
    VictimOutcome,
)
from ...domain.model import Claim, Incident, IncidentDate, Involvement, Location, Span, VictimGroup
from ...extract.gazetteer import Gazetteer
from ..readers import ReadDocument
from ..stages import IngestResult
from .acled import DATE_FORMATS, MAX_FATALITIES, RowError
from .acled_coding import COUNTRIES, Coded, MappingTable, Side, find_place, name_key
from .hxl_table import HxlRow
from .record_stages import store_record

METHOD = "import:hxl"
READER = "hxl"
RECORD_PREFIX = "hxl:"
MEDIA_TYPE = "text/csv"
CONFIDENCE = 0.8  # another system's coding, not yet reviewed here
UNMATCHED_CONFIDENCE = 0.4  # a name no table knows: kept as written under "other"
OUTCOMES = (VictimOutcome.KILLED, VictimOutcome.INJURED, VictimOutcome.DETAINED)
PLACE_LEVELS = {"town": LocationPrecision.TOWN, "subdistrict": LocationPrecision.DISTRICT,
                "district": LocationPrecision.DISTRICT, "governorate": LocationPrecision.GOVERNORATE,
                "neighbourhood": LocationPrecision.NEIGHBOURHOOD, "country": LocationPrecision.COUNTRY}
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class Words:
    """What the row said that no table knows, kept as written (the import's summary counts them)."""

    event_type: str = ""


def record_key(row: HxlRow) -> str:
    """The source's record key: the row's id in the other system."""
    return f"{RECORD_PREFIX}{row.event_id}"


def code_row(row: HxlRow, *, table: MappingTable, gazetteer: Gazetteer) -> tuple[Coded, Words]:
    """The incident the row's columns code; RowError (hashtag, why) for a value that cannot be used."""
    description = row.get("#description")
    text = description or row.record_text
    span = Span.of(text, 0, len(text))

    def claim(claim_field: ClaimField, value: Any, tag: str, written: str, *, confidence: float = CONFIDENCE,
              extra: str = "") -> Claim:
        note = f"HXL row {row.event_id}: {tag} = {written!r}{extra}"
        return Claim(claim_field, value, span, f"{METHOD}/{tag}", confidence=confidence, note=note)

    written_type = row.get("#event+type")
    event_type, known = _event_type(written_type, table)
    claims = [claim(ClaimField.EVENT_TYPE, event_type, row.column_of("#event+type") or "#event+type", written_type,
                    confidence=CONFIDENCE if known else UNMATCHED_CONFIDENCE,
                    extra="" if known else " (not a known event type: kept as written under 'other')")]
    involvements: list[Involvement] = []
    unmatched: list[str] = []
    for side, tag in _sides(row, table):
        if not side.code:
            continue  # civilians, protesters: the victims say who was harmed
        if not side.matched:
            unmatched.append(side.written)
        if not any(i.actor == side.code and i.text == side.written for i in involvements):
            involvements.append(Involvement(actor=side.code, role=InvolvementRole.PERPETRATOR,
                                            degree=InvolvementDegree.CARRIED_OUT, text=side.written))
        claims.append(claim(ClaimField.PERPETRATOR, side.code, tag, side.written,
                            confidence=CONFIDENCE if side.matched else UNMATCHED_CONFIDENCE,
                            extra="" if side.matched else " (not in the mapping table: kept as written)"))
    victims: list[VictimGroup] = []
    for outcome in OUTCOMES:
        low, high, tag, written = _counts(row, outcome.value)
        if low is None and high is None:
            continue
        victims.append(VictimGroup(outcome=outcome, kind=VictimKind.UNKNOWN, count_min=low, count_max=high,
                                   text=written))
        claims.append(claim(ClaimField.VICTIMS, {"kind": "unknown", "outcome": outcome.value, "count_min": low,
                                                 "count_max": high}, tag, written))
    incident_date, date_tag = _date(row)
    if incident_date is not None:
        claims.append(claim(ClaimField.DATE, incident_date.edtf, date_tag, incident_date.text))
    location = _location(row, gazetteer)
    if location is not None:
        claims.append(claim(ClaimField.LOCATION, location.name, "#loc+name", location.text))
    if description:
        claims.append(claim(ClaimField.DESCRIPTION, description, "#description", description[:80]))
    incident = Incident(event_type=event_type, involvements=involvements, victims=victims, location=location,
                        date=incident_date, description=description, evidence=[span] if text else [],
                        confidence=CONFIDENCE, claims=claims)
    return Coded(text=text, incident=incident, unmatched=unmatched), Words(event_type="" if known else written_type)


def _event_type(written: str, table: MappingTable) -> tuple[str, bool]:
    if not written:
        return "other", False
    types = vocab.event_types()
    key = name_key(written)
    for code, term in types.items():
        if key in (code, name_key(term.en)):
            return code, True
    mapped = table.event_type(written)
    return (mapped, True) if mapped else ("other", False)


def _sides(row: HxlRow, table: MappingTable) -> list[tuple[Side, str]]:
    """Perpetrators: Tawthiq's codes when the table gives them (named as written beside them), else the names."""
    code_tag, name_tag = row.column_of("#group+code+first"), row.column_of("#group+name+first-code")
    codes = _parts(row.get("#group+code+first"))
    names = _parts(row.get("#group+name+first-code"))
    actors = vocab.actors()
    if codes and all(c in actors for c in codes):
        texts = names if len(names) == len(codes) else codes
        return [(Side(written=t, code=c, matched=c != "other"), code_tag) for c, t in zip(codes, texts)]
    return [(table.side(name), name_tag) for name in names or codes]


def _parts(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _counts(row: HxlRow, outcome: str) -> tuple[int | None, int | None, str, str]:
    """(min, max, hashtag, as written) of ``outcome``: from +min and +max, else one count for both."""
    low_tag, high_tag = f"#affected+{outcome}+min", f"#affected+{outcome}+max"
    low, high = _count(row, low_tag), _count(row, high_tag)
    if low is not None or high is not None:
        written = f"{row.get(low_tag)}-{row.get(high_tag)}".strip("-")
        return low, high, row.column_of(low_tag) or row.column_of(high_tag), written
    plain = f"#affected+{outcome}-min-max"
    one = _count(row, plain)
    return one, one, row.column_of(plain), row.get(plain)


def _count(row: HxlRow, pattern: str) -> int | None:
    value = row.get(pattern).replace(",", "")
    if not value:
        return None
    if value.endswith(".0"):
        value = value[:-2]  # a spreadsheet's 5.0
    if not value.isdigit() or int(value) > MAX_FATALITIES:
        raise RowError(row.column_of(pattern), f"{value[:20]!r} is not a count of people")
    return int(value)


def _date(row: HxlRow) -> tuple[IncidentDate | None, str]:
    precision = row.get("#meta+date+precision")
    edtf = row.get("#meta+date+edtf")
    if edtf:
        if date_range(edtf) == (None, None):
            raise RowError(row.column_of("#meta+date+edtf"), f"{edtf[:40]!r} is not an EDTF date")
        return IncidentDate(edtf=edtf, text=edtf, precision=_precision(edtf, precision)), \
            row.column_of("#meta+date+edtf")
    single_tag = "#date+occurred-start-end-edtf"
    written = row.get(single_tag)
    if written:
        return IncidentDate(edtf=_iso(written, row.column_of(single_tag)), text=written,
                            precision=_precision(_iso(written, row.column_of(single_tag)), precision)), \
            row.column_of(single_tag)
    start, end = row.get("#date+occurred+start"), row.get("#date+occurred+end")
    if not (start or end):
        return None, ""
    first = _day(start, row.column_of("#date+occurred+start")) if start else None
    last = _day(end, row.column_of("#date+occurred+end")) if end else None
    if first is not None and last is not None and last < first:
        raise RowError(row.column_of("#date+occurred+end"), f"{end[:20]!r} is before the start {start[:20]!r}")
    if first == last and first is not None:
        return IncidentDate(edtf=first.isoformat(), text=start, precision=DatePrecision.DAY), \
            row.column_of("#date+occurred+start")
    edtf = f"{first.isoformat() if first else '..'}/{last.isoformat() if last else '..'}"
    return IncidentDate(edtf=edtf, text=f"{start}/{end}", precision=DatePrecision.APPROXIMATE), \
        row.column_of("#date+occurred+start")


def _precision(edtf: str, written: str) -> DatePrecision:
    if written in {p.value for p in DatePrecision}:
        return DatePrecision(written)
    if _MONTH.match(edtf):
        return DatePrecision.MONTH
    if _YEAR.match(edtf):
        return DatePrecision.YEAR
    return DatePrecision.DAY if re.match(r"^\d{4}-\d{2}-\d{2}$", edtf) else DatePrecision.APPROXIMATE


def _iso(written: str, tag: str) -> str:
    """One date as EDTF: a day (in the formats ACLED's import reads too), a month or a year."""
    if _MONTH.match(written) or _YEAR.match(written):
        return written
    return _day(written, tag).isoformat()


def _day(written: str, tag: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    raise RowError(tag, f"{written[:40]!r} is not a date (year-month-day)")


def _coordinate(row: HxlRow, pattern: str, limit: float) -> float | None:
    value = row.get(pattern)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(row.column_of(pattern), f"{value[:20]!r} is not a number") from None
    if not -limit <= number <= limit:  # also refuses nan
        raise RowError(row.column_of(pattern), f"{value[:20]} is outside -{limit:g}..{limit:g}")
    return number


def _location(row: HxlRow, gazetteer: Gazetteer) -> Location | None:
    written = row.get("#loc+name-i_ar")
    admin1, admin2, admin3 = row.get("#adm1+name"), row.get("#adm2+name"), row.get("#adm3+name")
    lat, lon = _coordinate(row, "#geo+lat", 90), _coordinate(row, "#geo+lon", 180)
    if not (written or admin3 or admin2 or admin1):
        return None
    code = row.get("#loc+code")
    place = gazetteer.get(code) if code else None
    if place is None:
        place = find_place(gazetteer, names=(written, admin3, admin2), admin1=admin1, lat=lat, lon=lon,
                           governorate_only=not (written or admin3 or admin2))
    said = row.get("#loc+precision")
    if said in {p.value for p in LocationPrecision}:
        precision = LocationPrecision(said)
    elif place is not None and place.level in PLACE_LEVELS:
        precision = PLACE_LEVELS[place.level]
    else:
        precision = (LocationPrecision.TOWN if written else LocationPrecision.DISTRICT if (admin3 or admin2)
                     else LocationPrecision.GOVERNORATE)
    country = row.get("#country+code")
    country = country.upper() if len(country) == 2 and country.isalpha() else COUNTRIES.get(country.casefold(), "")
    name = written or admin3 or admin2 or admin1
    location = Location(name=name, text=name, country=country, admin1=admin1, admin2=admin2, admin3=admin3,
                        lat=lat, lon=lon, precision=precision)
    if place is not None:
        location.place_id = place.id
        location.name_ar = row.get("#loc+name+i_ar") or place.name_ar
        location.country = location.country or place.country
    else:
        location.name_ar = row.get("#loc+name+i_ar")
    return location


def document_of(row: HxlRow, coded: Coded, words: Words) -> ReadDocument:
    """The row as a report: its description (or the row) as text, its tagged cells as metadata."""
    incident = coded.incident
    title = f"HXL {row.event_id}: {incident.event_type}" \
        + (f", {incident.location.name}" if incident.location else "") \
        + (f", {incident.date.edtf}" if incident.date else "")
    return ReadDocument(
        text=coded.text, kind=SourceKind.RECORD, media_type=MEDIA_TYPE, title=title[:300],
        author=row.get("#meta+source"), record_key=record_key(row),
        metadata={"hxl": {**row.tagged(), "row": row.row, "line": row.line, "id_tag": row.id_tag},
                  "hxl_source": row.get("#meta+source"), "hxl_unmatched_actors": coded.unmatched,
                  "hxl_unmatched_event_type": words.event_type})


def store_row(row: HxlRow, coded: Coded, words: Words, *, file_name: str, db: Any, blobs: Any,
              max_file_size: int, actor: str, via: str, extra_metadata: dict[str, Any] | None = None) -> IngestResult:
    """Store the row's original, source, incident and custody entries (or find them stored); never raises."""
    return store_record(original=row.original, document=document_of(row, coded, words), incident=coded.incident,
                        reader=READER, file_name=file_name or "hxl.csv", db=db, blobs=blobs,
                        max_file_size=max_file_size, actor=actor, via=via, extra_metadata=extra_metadata)
