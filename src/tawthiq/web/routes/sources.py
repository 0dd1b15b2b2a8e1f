"""The sources list: every report as received, newest first, with how many incidents came from it.

Only ``/sources`` lives here; ``/sources/{id}`` is the source page in ``source.py``.
The rules (who may list sources, which incidents count) are the browse
service's; this page only reads the page number and an optional ``q``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.access import Action, User
from ...domain.typed_numbers import typed_int
from ...services import browse
from ...services.reading import Page
from ..auth import require, workspace
from ..listing import page_number
from ..offload import run_blocking
from ..templating import render

router = APIRouter()

PER_PAGE = 50
MAX_TAGS = 20  # tags chosen at once; more is a hand-made URL


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: browse.SourceSummary
    incidents: int  # those this user may see, merged ones left out as in the incidents list


@router.get("/sources")
async def sources_list(request: Request) -> Response:
    user: User = await require(Action.READ_SOURCES)(request)
    # The total (and a search by words) is counted over every source: in a worker thread.
    return await run_blocking("page", _sources_list, request, user)


def _tag_ids(raw: list[str]) -> tuple[int, ...]:
    """The chosen tag ids; anything that is not a number (a hand-edited link) is dropped."""
    return tuple(dict.fromkeys(n for n in (typed_int(r) for r in raw[:MAX_TAGS]) if n is not None))


def _sources_list(request: Request, user: User) -> Response:
    q = (request.query_params.get("q") or "").strip()[:200] or None
    chosen = _tag_ids(request.query_params.getlist("tag"))
    listed = browse.source_list(workspace(request), user=user, page=page_number(request.query_params.get("page")),
                                per_page=PER_PAGE, q=q, tags=chosen)
    found = listed.page
    rows = [SourceRow(source=s, incidents=s.incidents) for s in found.items]
    kept: dict[str, Any] = {"q": q} if q else {}
    if chosen:
        kept["tag"] = [str(i) for i in chosen]
    return render(request, "sources_list.html", {
        "rows": rows,
        "page": Page(items=rows, total=found.total, page=found.page, per_page=found.per_page, pages=found.pages),
        "pager_query": urlencode(kept, doseq=True),
        "q": q or "",
        "tags": listed.tags,
        "chosen_tags": {str(i) for i in chosen},
        "filtered": bool(kept),
    })
