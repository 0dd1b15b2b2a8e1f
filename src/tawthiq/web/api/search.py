"""Full-text search over sources and incidents, Arabic and English, cut to what the caller may see.

The browse service applies the rules in the query itself: source hits need
READ_SOURCES and incident hits are only those at the caller's
confidentialities (merged ones left out), so the limit counts visible hits.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...domain.access import Action
from ...services import browse
from ..auth import current_user, workspace
from ..offload import run_blocking
from .common import needs
from .schemas import SearchOut

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, summary="Sources and incidents matching every word, best first",
            description="Arabic letter variants, diacritics and case are folded. Viewers get public incidents "
                        "only and no sources.", **needs(Action.READ_PUBLIC, errors=(400,)))
async def search_records(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
                         limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    # Every match is ranked (bm25) and its snippet cut: over the whole archive, in a worker thread.
    hits = await run_blocking("page", browse.search, workspace(request), user=await current_user(request), query=q,
                              limit=limit)
    return {"query": q, "hits": [{"kind": h.kind, "id": h.id, "title": h.title, "snippet": h.snippet,
                                  "rank": h.rank} for h in hits]}
