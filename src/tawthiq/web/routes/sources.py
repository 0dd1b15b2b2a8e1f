"""The sources list: every report as received, newest first, with how many incidents came from it.

Only ``/sources`` lives here; ``/sources/{id}`` is the source page in ``source.py``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ...domain.access import Action, User
from ...domain.model import Source
from ...services import list_sources, records
from ...store import repository
from ..auth import require, workspace
from ..listing import page_number
from ..templating import render

router = APIRouter()

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: Source
    incidents: int  # those this user may see, merged ones left out as in the incidents list


@router.get("/sources")
async def sources_list(request: Request, user: User = Depends(require(Action.READ_SOURCES))) -> Response:
    # Every source is open to a role that may read sources at all, so the
    # role check above is the whole rule.
    ws = workspace(request)
    total = repository.count_sources(ws.db)  # type: ignore[arg-type]
    pages = max(1, math.ceil(total / PER_PAGE))
    page_no = min(page_number(request.query_params.get("page")), pages)
    # Stored oldest first; the newest page is the end of that order.
    end = total - (page_no - 1) * PER_PAGE
    start = max(0, end - PER_PAGE)
    found = list_sources(ws, limit=max(0, end - start), offset=start) if end > 0 else []
    rows = [SourceRow(source=s, incidents=_incident_count(ws, user, s.id)) for s in reversed(found)]
    return render(request, "sources_list.html", {
        "rows": rows,
        "page": records.Page(items=rows, total=total, page=page_no, per_page=PER_PAGE,
                             pages=math.ceil(total / PER_PAGE)),
        "pager_query": "",
    })


def _incident_count(ws: object, user: User, source_id: int | None) -> int:
    if source_id is None:
        return 0
    found = records.query_incidents(ws, user=user, filters=records.IncidentFilter(source_id=source_id),  # type: ignore[arg-type]
                                    sort="id", page=1, per_page=1)
    return found.total
