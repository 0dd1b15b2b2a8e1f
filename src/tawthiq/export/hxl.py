"""Incidents as an HXL-tagged CSV (Humanitarian Exchange Language, hxlstandard.org), one row per event.

HXL is CSV with a second row of hashtags (``#event+id``, ``#adm1+name``,
``#affected+killed+min`` …) that tools such as HDX, the HXL Proxy and libhxl
read whatever the column headers say. The first row keeps human-readable
headers.

One row per event: incidents judged the same event (one cluster, the
linkage's ``cluster_id``) are one row, as the statistics count them once. The
row is named by the lowest id of the cluster's incidents *in this export*
(never the cluster's own id, which may be an incident the reader must not
learn of; as the published site names its events), and lists them all
(``#meta+incidents``). Its values are the lowest-id incident's, each missing
one taken from the next incident that has it; perpetrators are all the
incidents' together; each count is the documented range across the incidents
that give it (lowest minimum to highest maximum, open when any is open), as
:mod:`tawthiq.store.statistics` counts a cluster. A reader without linkage
(a viewer's projection carries no cluster) gets one row per incident.

The dates: ``#date+occurred`` is the day, month or year as recorded when it
is one (ISO 8601: ``2019-05-14``, ``2019-05``, ``2019``); ``+start`` and
``+end`` are the earliest and latest day it can mean (a range, an approximate
date); ``#meta+date+edtf`` keeps the record's EDTF exactly, for a system that reads it, and
``#meta+date+precision`` its precision (``#meta``, not ``#date``: HXL's own
schema expects a ``#date`` column to hold dates, and an EDTF interval is none).

What is written is what the export's rules give the reader: the operator's
full export, a profile's projection or a viewer's (the description a reviewer
published is kept for every reader; the source ids only for a reader who may
see sources). Text cells are made safe against spreadsheet formulas like every
CSV Tawthiq writes (:mod:`tawthiq.domain.csv_cells`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from ..domain import Incident, vocab
from ..domain.csv_cells import write_rows
from ..domain.edtfrange import date_range

# (header, hashtag) in the order written.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Event id", "#event+id"),
    ("Incidents", "#meta+incidents"),
    ("Review status", "#status+review"),
    ("Confidentiality", "#meta+confidentiality"),
    ("Event type", "#event+type"),
    ("Date", "#date+occurred"),
    ("Date start", "#date+occurred+start"),
    ("Date end", "#date+occurred+end"),
    ("Date (EDTF)", "#meta+date+edtf"),
    ("Date precision", "#meta+date+precision"),
    ("Country", "#country+code"),
    ("Governorate", "#adm1+name"),
    ("District", "#adm2+name"),
    ("Sub-district", "#adm3+name"),
    ("Place", "#loc+name"),
    ("Place (Arabic)", "#loc+name+i_ar"),
    ("Place id", "#loc+code"),
    ("Place precision", "#loc+precision"),
    ("Latitude", "#geo+lat"),
    ("Longitude", "#geo+lon"),
    ("Perpetrators", "#group+name+first"),
    ("Perpetrator codes", "#group+code+first"),
    ("Killed (min)", "#affected+killed+min"),
    ("Killed (max)", "#affected+killed+max"),
    ("Injured (min)", "#affected+injured+min"),
    ("Injured (max)", "#affected+injured+max"),
    ("Detained (min)", "#affected+detained+min"),
    ("Detained (max)", "#affected+detained+max"),
    ("Description", "#description"),
    ("Sources", "#meta+source"),
    ("Independent sources", "#meta+sources+num"),
)
HEADERS = tuple(header for header, _ in COLUMNS)
TAGS = dict(COLUMNS)
OUTCOMES = ("killed", "injured", "detained")
SEPARATOR = "; "  # between several values of one cell (perpetrators, incident and source ids)


def write_hxl(incidents: Iterable[Incident], out: TextIO) -> int:
    """Header, hashtag row, one row per event; the number of rows written."""
    events: dict[int, list[Incident]] = {}  # cluster -> its incidents in this export, in the order given
    for incident in incidents:
        own = incident.id or 0
        cluster = incident.cluster_id if incident.cluster_id is not None and incident.independent_sources is not None \
            else own
        events.setdefault(cluster, []).append(incident)
    rows = (event_row(sorted(members, key=lambda i: i.id or 0)) for members in events.values())
    return write_rows(out, fieldnames=HEADERS, rows=rows, second_row=TAGS)


def event_row(members: list[Incident]) -> dict[str, Any]:
    """One event's row from its incidents, lowest id first (see the module)."""
    first = members[0]
    date = next((i.date for i in members if i.date is not None and i.date.edtf), None)
    loc = next((i.location for i in members if i.location is not None), None)
    codes: list[str] = []
    for incident in members:
        for inv in incident.perpetrators:
            if inv.actor and inv.actor not in codes:
                codes.append(inv.actor)
    row: dict[str, Any] = {
        "Event id": first.id,
        "Incidents": SEPARATOR.join(str(i.id) for i in members),
        "Review status": str(first.status),
        "Confidentiality": str(first.confidentiality),
        "Event type": next((i.event_type for i in members if i.event_type), ""),
        "Perpetrators": SEPARATOR.join(_perpetrator_names(members, codes)),
        "Perpetrator codes": SEPARATOR.join(codes),
        "Description": next((i.description for i in members if i.description), ""),
        "Sources": SEPARATOR.join(str(s) for s in dict.fromkeys(i.source_id for i in members if i.source_id)),
        "Independent sources": first.independent_sources if first.independent_sources else "",
    }
    if date is not None:
        start, end = date_range(date.edtf)
        row.update({"Date": _single(date.edtf), "Date start": start.isoformat() if start else "",
                    "Date end": end.isoformat() if end else "", "Date (EDTF)": date.edtf,
                    "Date precision": str(date.precision)})
    if loc is not None:
        row.update({"Country": loc.country, "Governorate": loc.admin1, "District": loc.admin2,
                    "Sub-district": loc.admin3, "Place": loc.name, "Place (Arabic)": loc.name_ar,
                    "Place id": loc.place_id or "", "Place precision": str(loc.precision),
                    "Latitude": "" if loc.lat is None else loc.lat, "Longitude": "" if loc.lon is None else loc.lon})
    for outcome in OUTCOMES:
        low, high = event_range(members, outcome)
        label = outcome.capitalize()
        row[f"{label} (min)"] = "" if low is None else low
        row[f"{label} (max)"] = "" if high is None else high
    return row


def event_range(members: list[Incident], outcome: str) -> tuple[int | None, int | None]:
    """The documented range of ``outcome`` across the incidents that give it; (None, None) when none does."""
    from .formats import outcome_range

    told = [r for r in (outcome_range(i, outcome) for i in members) if r != (None, None)]
    if not told:
        return None, None
    low = min(r[0] or 0 for r in told)
    high = None if any(r[1] is None for r in told) else max(r[1] or 0 for r in told)
    return low, high


def _single(edtf: str) -> str:
    """The EDTF date as one ISO 8601 value when it is a plain day, month or year; "" for anything else."""
    plain = edtf.split("-")
    if "/" in edtf or any(ch in edtf for ch in "~?%X.") or not all(p.isdigit() for p in plain) or len(plain) > 3:
        return ""
    return edtf


def _actor_name(code: str) -> str:
    actor = vocab.actors().get(code)
    return actor.label_en if actor is not None else code


def _perpetrator_names(members: list[Incident], codes: list[str]) -> list[str]:
    """Each actor's English name; an actor no list knows ("other") by its name as the report wrote it, when
    the reader is given the mentions as written (a viewer's projection has none)."""
    names = []
    for code in codes:
        written = [i.text for m in members for i in m.perpetrators if i.actor == code and i.text]
        names.append(written[0] if code == "other" and written else _actor_name(code))
    return names
