"""The operator's export (``tawthiq export``): incidents as CSV, JSON, GeoJSON or HXL to a stream or a file.

The web and API export, which decides visibility from the signed-in user,
is :func:`tawthiq.services.reading.export_incidents`. Here the operator
reads everything; confidential incidents are left out unless asked for,
and named persons are never exported (the formats have no place for them).

With a profile (``--profile court|partner|public``, :mod:`tawthiq.domain.profiles`)
the export is made for that audience instead: the incidents its levels and
review statuses let through, under the sight rules a reader limited to them
has, each built by the profile's projection (:func:`.public.project_incident`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ..domain import Confidentiality, Incident, IncidentStatus
from ..domain.filters import REVIEWED, IncidentFilter
from ..domain.profiles import Profile, profile_named
from . import Workspace, list_incidents
from .errors import ServiceError

__all__ = ["incidents_for_profile", "write_export"]


def write_export(ws: Workspace, *, out: TextIO | Path, fmt: str, actor: str, machine: str,
                 event_type: str | None = None, status: IncidentStatus | None = None,
                 include_confidential: bool = False, profile: str | None = None) -> int:
    """Write the matching incidents to ``out``; returns how many were written.

    A stream gets the export as it is made. A file is written beside its name
    and renamed into place, so a reader never sees half an export, and the
    bytes that left the system are named by their hash in the custody ledger.
    """
    from ..export.formats import write
    from .custody import record_export

    found: Iterable[Incident]
    # HXL goes to other organisations' tools (HDX, dashboards) that add its rows up: reviewed incidents only unless
    # a status is asked for, as the statistics count.
    statuses: tuple[str, ...] | str | None = None if status is None else status.value
    if statuses is None and fmt == "hxl":
        statuses = (REVIEWED,)
    if profile is not None:
        if include_confidential:
            raise ServiceError("--include-confidential and --profile do not go together: the profile decides "
                               "which levels are exported", kind="export.profile_and_confidential")
        chosen = _profile(profile)
        found = incidents_for_profile(ws, profile=chosen, filters=IncidentFilter(
            event_type=event_type, status=statuses))
    else:
        found = list_incidents(ws, filters=IncidentFilter(event_type=event_type, status=statuses))
        if not include_confidential:
            found = [i for i in found if i.confidentiality is not Confidentiality.CONFIDENTIAL]
    if not isinstance(out, Path):
        return write(found, out, fmt=fmt)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as stream:
        count = write(found, stream, fmt=fmt)
    tmp.replace(out)
    record_export(ws, actor=actor, body=out.read_bytes(), incidents=count, fmt=fmt, machine=machine, via="cli",
                  filters={"event_type": event_type, "status": None if status is None else status.value,
                           "include_confidential": include_confidential, "file": str(out), "profile": profile})
    return count


def _profile(name: str) -> Profile:
    try:
        return profile_named(name)
    except ValueError as exc:
        raise ServiceError(str(exc), kind="export.unknown_profile", value=name[:40]) from None


def incidents_for_profile(ws: Workspace, *, profile: Profile, filters: IncidentFilter) -> Iterator[Incident]:
    """The incidents ``profile`` lets through that ``filters`` asks for, as the profile's projection builds them.

    The sight rules are those of a reader limited to the profile's levels (the second-review setting
    included); a status the filter asks for must be one of the profile's (a ServiceError otherwise).
    """
    import dataclasses

    from ..store import queries
    from ..store.incidents import incidents_by_ids
    from .place_search import resolve
    from .public import project_incident
    from .publishing import gazetteer_point

    ours = {s.value for s in profile.statuses}
    statuses = tuple(sorted(ours & set(filters.statuses()))) if filters.status else tuple(sorted(ours))
    if not statuses:
        raise ServiceError(f"the {profile.name} profile exports only {', '.join(sorted(ours))} incidents",
                           kind="export.status_not_in_profile", value=",".join(filters.status)[:40])
    visible = tuple(sorted(c.value for c in profile.confidentialities))
    wanted = resolve(ws.db, dataclasses.replace(filters, status=statuses, unreviewed=None))
    ids = queries.matching_ids(ws.db, filters=wanted, visible=visible, sort="id")

    def chunks() -> Iterator[Incident]:  # a chunk at a time: memory stays bounded on a large record
        for i in range(0, len(ids), _CHUNK):
            for incident in incidents_by_ids(ws.db, ids[i:i + _CHUNK]):
                yield project_incident(incident, profile=profile, places=gazetteer_point)

    return chunks()


_CHUNK = 500
