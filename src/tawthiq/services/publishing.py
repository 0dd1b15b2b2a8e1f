"""``tawthiq publish``: the record for an audience as a Datasette-ready database and a static site.

What goes out is decided by a profile (:mod:`tawthiq.domain.profiles`):
the incidents its levels and review statuses let through, under the same
sight rules as a viewer's (the team's second-review setting included), each
built by the profile's projection (:func:`.public.project_incident`) and then
reduced to plain published rows. The figures are the dashboard's own counting
(:func:`.visuals.figures`: events, i.e. clusters of incidents judged the same,
counted once, victims as ranges), never a sum over the published rows.

The folder is made beside its name (``DIR.part``) and renamed into place
when whole; the database's hash goes into the custody ledger like any export.
"""
from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.enums import LocationPrecision
from ..domain.filters import IncidentFilter
from ..domain.model import Incident
from ..domain.profiles import Profile, SourceTexts, finer_place, profile_named
from ..export.formats import outcome_range
from ..export.publish_db import Figure, OutcomeFigure, Publication, PublishedIncident
from . import Workspace
from .errors import ServiceError
from .places import place_names
from .public import GazetteerPoint, project_incident

if TYPE_CHECKING:
    from ..extract.gazetteer import Gazetteer

__all__ = ["DEFAULT_LICENCE", "PublishResult", "gazetteer_point", "publish", "published_incidents"]

DEFAULT_LICENCE = "CC BY 4.0"
_LICENCE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
                 "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
                 "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/"}
_CHUNK = 500
_PRECISIONS = frozenset(p.value for p in LocationPrecision)
_LEVEL_PRECISION = {"town": LocationPrecision.TOWN, "subdistrict": LocationPrecision.DISTRICT,
                    "district": LocationPrecision.DISTRICT, "region": LocationPrecision.DISTRICT,
                    "governorate": LocationPrecision.GOVERNORATE, "country": LocationPrecision.COUNTRY}

METHOD = (
    "Incidents are read from reports (Arabic and English) by rules, then reviewed by a person: only incidents a "
    "reviewer confirmed or verified, and marked public, are published, with their current values. Places are "
    "given to the town (village) or coarser, at the gazetteer's point for the place; dates to the day. No person "
    "is named and no source's text is included. Incidents judged to be the same event share an `event` number; "
    "the `figures` and `outcomes` tables count events once (victims: the documented range across an event's "
    "sources) and never add victims across outcomes or kinds."
)


@dataclass(frozen=True, slots=True)
class PublishResult:
    folder: Path
    incidents: int
    sha256: str  # of data/tawthiq.db


@cache
def _gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded on first use (publishing a record without fine places never loads it)."""
    from ..extract.gazetteer import Gazetteer

    return Gazetteer.load()


def gazetteer_point(place_id: str, cap: LocationPrecision) -> GazetteerPoint | None:
    """The gazetteer place ``place_id`` is (or the unit it lies in) no finer than ``cap``, with a point."""
    gazetteer = _gazetteer()
    place = gazetteer.get(place_id)
    while place is not None:
        precision = LocationPrecision(place.precision) if place.precision in _PRECISIONS \
            else _LEVEL_PRECISION.get(place.level, LocationPrecision.COUNTRY)
        if not finer_place(precision, cap) and place.lat is not None and place.lon is not None:
            return GazetteerPoint(name=place.name_en, name_ar=place.name_ar, precision=precision,
                                  lat=place.lat, lon=place.lon)
        place = gazetteer.parent(place)
    return None


def _filter(profile: Profile) -> IncidentFilter:
    return IncidentFilter(status=tuple(sorted(s.value for s in profile.statuses)))


def _visible(profile: Profile) -> tuple[str, ...]:
    return tuple(sorted(c.value for c in profile.confidentialities))


def published_incidents(ws: Workspace, *, profile: Profile) -> Iterator[Incident]:
    """Every incident ``profile`` lets through, as its projection builds it, a chunk at a time."""
    from ..store import queries
    from ..store.incidents import incidents_by_ids

    ids = queries.matching_ids(ws.db, filters=_filter(profile), visible=_visible(profile), sort="id")
    for i in range(0, len(ids), _CHUNK):
        for incident in incidents_by_ids(ws.db, ids[i:i + _CHUNK]):
            yield project_incident(incident, profile=profile, places=gazetteer_point)


def _events(ws: Workspace, profile: Profile) -> dict[int, int]:
    """Incident id -> its event: the lowest published id among the published incidents of its cluster.

    Never the cluster's own id: that may be a restricted incident's, which a reader must not learn of.
    """
    from ..store import queries
    from ..store.incidents import incidents_by_ids

    ids = queries.matching_ids(ws.db, filters=_filter(profile), visible=_visible(profile), sort="id")
    cluster_of: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        for incident in incidents_by_ids(ws.db, ids[i:i + _CHUNK]):
            if incident.id is not None:
                cluster_of[incident.id] = incident.cluster_id if incident.cluster_id is not None else incident.id
    lowest: dict[int, int] = {}
    for iid in sorted(cluster_of):
        lowest.setdefault(cluster_of[iid], iid)
    return {iid: lowest[cluster] for iid, cluster in cluster_of.items()}


def _row(incident: Incident, event: int) -> PublishedIncident:
    from .visuals import _actor_labels, _event_labels, date_words

    label_en, label_ar, _ = _event_labels(incident.event_type)
    loc = incident.location
    names = place_names(name=loc.name, name_ar=loc.name_ar, place_id=loc.place_id) if loc else None
    perps = [i.actor for i in incident.perpetrators]
    edtf = incident.date.edtf if incident.date else ""
    killed = outcome_range(incident, "killed")
    injured = outcome_range(incident, "injured")
    return PublishedIncident(
        id=incident.id or 0, event=event, event_type=incident.event_type, event_type_en=label_en,
        event_type_ar=label_ar, violations=";".join(incident.violations), perpetrators=";".join(perps),
        perpetrators_en=";".join(_actor_labels(a)[0] for a in perps),
        perpetrators_ar=";".join(_actor_labels(a)[1] for a in perps),
        date_edtf=edtf, date_precision=str(incident.date.precision) if incident.date else "",
        date_en=date_words(edtf, lang="en"), date_ar=date_words(edtf, lang="ar"),
        place_en=names.en if names else "", place_ar=names.ar if names else "",
        governorate=loc.admin1 if loc else "", district=loc.admin2 if loc else "",
        lat=loc.lat if loc else None, lon=loc.lon if loc else None,
        place_precision=str(loc.precision) if loc else "",
        killed_min=killed[0], killed_max=killed[1], injured_min=injured[0], injured_max=injured[1],
        description=incident.description, status=str(incident.status))


def _figures(ws: Workspace, profile: Profile) -> tuple[list[Figure], list[OutcomeFigure]]:
    from .visuals import figures

    board = figures(ws, visible=_visible(profile), filters=_filter(profile))
    t = board.total
    out = [Figure("total", "", "All events", "كل الأحداث", t.incidents, t.killed_min, t.killed_max,
                  t.injured_min, t.injured_max)]
    for dimension, rows in (("perpetrator", board.perpetrators), ("violation", board.violations),
                            ("governorate", board.governorates), ("event_type", board.event_types),
                            ("month", board.months)):
        out.extend(Figure(dimension, r.key, r.label_en, r.label_ar, r.count.incidents, r.count.killed_min,
                          r.count.killed_max, r.count.injured_min, r.count.injured_max) for r in rows)
    outcomes = [OutcomeFigure(k.outcome, *board.outcome_labels.get(k.outcome, (k.outcome, k.outcome)), k.kind,
                              k.incidents, k.victims_min, k.victims_max) for k in board.kinds]
    return out, outcomes


def publish(ws: Workspace, *, profile: str, out: Path, actor: str, machine: str, licence: str = DEFAULT_LICENCE,
            title: str = "", source: str = "", source_url: str = "", force: bool = False,
            today: date | None = None) -> PublishResult:
    """Write ``out``/data/tawthiq.db, ``out``/data/metadata.json and ``out``/site/ for ``profile``.

    Refuses an ``out`` that exists and is not empty unless ``force`` (then it is replaced whole, once the
    new folder is complete); records the publication, by the database's hash, in the custody ledger.
    """
    from ..export.publish_db import write_database, write_metadata
    from ..export.publish_site import write_site
    from .custody import record_export

    try:
        chosen = profile_named(profile)
    except ValueError as exc:
        raise ServiceError(str(exc), kind="publish.unknown_profile", value=profile[:40]) from None
    if chosen.names or chosen.source_texts is not SourceTexts.NONE or chosen.claims:
        raise ServiceError(f"the {chosen.name} profile is not for publication; publish with --profile public",
                           kind="publish.not_public", value=chosen.name)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise ServiceError(f"{out} exists and is not empty; choose a new folder or use --force",
                           kind="publish.exists", value=str(out)[:200])
    part = out.with_name(out.name + ".part")
    if part.exists():  # left by an interrupted run: never published, safe to clear
        shutil.rmtree(part)
    (part / "data").mkdir(parents=True)
    try:
        db_path = part / "data" / "tawthiq.db"
        events = _events(ws, chosen)
        figures, outcomes = _figures(ws, chosen)
        count = write_database(db_path, incidents=(_row(i, events.get(i.id or 0, i.id or 0))
                                                   for i in published_incidents(ws, profile=chosen)),
                               figures=figures, outcomes=outcomes)
        publication = Publication(
            title=title or "Documented incidents", licence=licence, licence_url=_LICENCE_URLS.get(licence, ""),
            description=f"{count} public, reviewed incidents and their figures ({chosen.name} profile).",
            source=source, source_url=source_url, method=METHOD)
        write_metadata(part / "data" / "metadata.json", publication)
        write_site(part / "site", database=db_path, licence=licence,
                   published=(today or date.today()).isoformat())
        digest = _file_digest(db_path)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    if out.exists():  # replaced whole (--force) only now that the new folder is complete
        old = out.with_name(out.name + ".old")
        _remove(old)
        out.rename(old)
        part.rename(out)
        _remove(old)
    else:
        part.rename(out)
    record_export(ws, actor=actor, body=b"", digest=digest, incidents=count, fmt="publication", machine=machine,
                  via="cli", filters={"profile": chosen.name, "licence": licence, "folder": str(out)})
    return PublishResult(folder=out, incidents=count, sha256=digest[0])


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of ``path``, read a megabyte at a time (a large record's database is never held whole)."""
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size
