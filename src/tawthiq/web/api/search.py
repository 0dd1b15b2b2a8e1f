"""Full-text search over sources and incidents, Arabic and English, cut to what the caller may see.

The search service knows nothing of users, so visibility is applied here:
source hits need READ_SOURCES, and an incident hit is kept only if the
records service would show that incident to the caller.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...domain.access import Action, User, allowed
from ...services import Workspace, records, search
from ...services.errors import NotFound
from ..auth import current_user, workspace
from .common import needs
from .schemas import SearchOut

router = APIRouter(tags=["search"])


def visible_hits(ws: Workspace, user: User, hits: list[Any]) -> list[Any]:
    sources = allowed(user.role, Action.READ_SOURCES)
    everything = allowed(user.role, Action.READ_RESTRICTED)
    kept = []
    for hit in hits:
        if hit.kind == "source":
            if sources:
                kept.append(hit)
        elif everything:
            kept.append(hit)
        else:
            try:
                records.get_incident_view(ws, user=user, incident_id=hit.id)
            except NotFound:
                continue
            kept.append(hit)
    return kept


@router.get("/search", response_model=SearchOut, summary="Sources and incidents matching every word, best first",
            description="Arabic letter variants, diacritics and case are folded. Viewers get public incidents "
                        "only and no sources.", **needs(Action.READ_PUBLIC, errors=(400,)))
async def search_records(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
                         limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    ws, user = workspace(request), await current_user(request)
    hits = visible_hits(ws, user, search(ws, q, limit=limit))
    return {"query": q, "hits": [{"kind": h.kind, "id": h.id, "title": h.title, "snippet": h.snippet,
                                  "rank": h.rank} for h in hits]}
