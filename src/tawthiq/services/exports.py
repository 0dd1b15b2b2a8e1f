"""The operator's export (``tawthiq export``): incidents as CSV, JSON or GeoJSON to a stream or a file.

The web and API export, which decides visibility from the signed-in user,
is :func:`tawthiq.services.reading.export_incidents`. Here the operator
reads everything; confidential incidents are left out unless asked for,
and named persons are never exported (the formats have no place for them).
"""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..domain import Confidentiality, IncidentStatus
from ..domain.filters import IncidentFilter
from . import Workspace, list_incidents

__all__ = ["write_export"]


def write_export(ws: Workspace, *, out: TextIO | Path, fmt: str, actor: str, machine: str,
                 event_type: str | None = None, status: IncidentStatus | None = None,
                 include_confidential: bool = False) -> int:
    """Write the matching incidents to ``out``; returns how many were written.

    A stream gets the export as it is made. A file is written beside its name
    and renamed into place, so a reader never sees half an export, and the
    bytes that left the system are named by their hash in the custody ledger.
    """
    from ..export.formats import write
    from .custody import record_export

    found = list_incidents(ws, filters=IncidentFilter(event_type=event_type,
                                                        status=None if status is None else status.value))
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
                           "include_confidential": include_confidential, "file": str(out)})
    return count
