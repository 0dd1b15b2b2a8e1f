"""Sources: the reports as received (READ_SOURCES), and adding pasted text (INGEST)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ...domain.access import Action
from ...services import list_sources, records, review
from ..auth import current_user, workspace
from . import convert
from .common import needs
from .schemas import IngestOut, SourceDetailOut, SourceIn, SourceList

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=SourceList, summary="Sources, newest first",
            **needs(Action.READ_SOURCES))
async def sources_list(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    # Every source is visible to a role that may read sources at all, so the
    # role check (the route's dependency) is the whole rule here.
    items = list_sources(workspace(request), limit=limit, offset=offset)
    return {"items": [convert.source_out(s) for s in items], "limit": limit, "offset": offset}


@router.get("/sources/{source_id}", response_model=SourceDetailOut,
            summary="One source with its text and the incidents drawn from it",
            **needs(Action.READ_SOURCES, errors=(404,)))
async def source_get(request: Request, source_id: int) -> dict[str, Any]:
    view = records.get_source_view(workspace(request), user=await current_user(request), source_id=source_id)
    return {**convert.source_out(view.source), "text": view.source.text,
            "incident_ids": [s.id for s in view.incidents]}


@router.post("/sources", response_model=IngestOut, status_code=201,
             summary="Add a report's text; the extractor suggests incidents from it",
             description="The same pipeline as pasting on /add or `tawthiq ingest`. Text already held "
                         "(same bytes) is not stored twice: the answer is then 200 with status duplicate.",
             **needs(Action.INGEST, errors=(400,)))
async def source_add(request: Request, body: SourceIn) -> Any:
    ws, user = workspace(request), await current_user(request)
    result = review.ingest_text(ws, user=user, text=body.text, title=body.title, language=body.language)
    incident_ids: list[int] = []
    for source_id in result.source_ids:
        incident_ids += [s.id for s in records.get_source_view(ws, user=user, source_id=source_id).incidents]
    out = IngestOut(status=str(result.status), source_ids=list(result.source_ids), incidents=result.incidents,
                    incident_ids=incident_ids)
    return JSONResponse(out.model_dump(), status_code=201 if result.status != "duplicate" else 200)
