"""Sources: the reports as received (READ_SOURCES), and adding pasted text (INGEST)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...domain.access import Action, User
from ...services import browse, records, review
from ..auth import current_user, workspace
from . import convert
from .common import needs
from .schemas import IngestOut, SourceDetailOut, SourceIn, SourceOut

router = APIRouter(tags=["sources"])


class SourceSummaryOut(SourceOut):
    record_key: str = Field(description="the row of a batch file this source is; empty for a whole file")
    created_at: datetime = Field(description="when it was added")
    excerpt: str = Field(description=f"the first {browse.EXCERPT_CHARS} characters of the text")
    incidents: int = Field(description="incidents from or citing this source that the caller may see")


class SourceSummaryList(BaseModel):
    items: list[SourceSummaryOut]
    total: int = Field(description="how many sources match")
    limit: int
    offset: int


def _summary_out(s: browse.SourceSummary) -> dict[str, Any]:
    return {"id": s.id, "kind": s.kind, "title": s.title, "author": s.author, "url": s.url,
            "language": s.language, "published": s.published, "retrieved_at": s.retrieved_at,
            "original_name": s.original_name, "media_type": s.media_type, "size": s.size, "sha256": s.sha256,
            "record_key": s.record_key, "created_at": s.created_at, "excerpt": s.excerpt,
            "incidents": s.incidents}


@router.get("/sources", response_model=SourceSummaryList, summary="Sources, newest first",
            description="Without the text (GET /api/sources/{id} has it): an excerpt and how many incidents "
                        "the caller may see come from or cite each. `q` keeps sources holding every word.",
            **needs(Action.READ_SOURCES, errors=(400,)))
async def sources_list(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                       offset: Annotated[int, Query(ge=0)] = 0,
                       q: Annotated[str | None, Query(max_length=500)] = None) -> dict[str, Any]:
    items, total = browse.source_slice(workspace(request), user=await current_user(request), limit=limit,
                                       offset=offset, q=q)
    return {"items": [_summary_out(s) for s in items], "total": total, "limit": limit, "offset": offset}


@router.get("/sources/{source_id}", response_model=SourceDetailOut,
            summary="One source with its text and the incidents drawn from it",
            **needs(Action.READ_SOURCES, errors=(404,)))
async def source_get(request: Request, source_id: int) -> dict[str, Any]:
    view = records.get_source_view(workspace(request), user=await current_user(request), source_id=source_id)
    return {**convert.source_out(view.source), "text": view.source.text,
            "incident_ids": [s.id for s in view.incidents]}


def _ingested(request: Request, user: User, result: Any) -> JSONResponse:
    ws = workspace(request)
    incident_ids: list[int] = []
    for source_id in result.source_ids:
        incident_ids += [s.id for s in records.get_source_view(ws, user=user, source_id=source_id).incidents]
    out = IngestOut(status=str(result.status), source_ids=list(result.source_ids), incidents=result.incidents,
                    incident_ids=incident_ids)
    return JSONResponse(out.model_dump(), status_code=200 if result.status == "duplicate" else 201)


@router.post("/sources", response_model=IngestOut, status_code=201,
             summary="Add a report's text; the extractor suggests incidents from it",
             description="The same pipeline as pasting on /add or `tawthiq ingest`. Text already held "
                         "(same bytes) is not stored twice: the answer is then 200 with status duplicate.",
             **needs(Action.INGEST, errors=(400,)))
async def source_add(request: Request, body: SourceIn) -> Any:
    user = await current_user(request)
    result = review.ingest_text(workspace(request), user=user, text=body.text, title=body.title,
                                language=body.language)
    return _ingested(request, user, result)


@router.post("/sources/upload", response_model=IngestOut, status_code=201,
             summary="Add a file (text, HTML, PDF, e-mail, or a CSV/JSON/JSONL batch of reports)",
             description="multipart/form-data with one field `file`. Kept byte for byte; a batch file becomes "
                         "one source per row. Same answers as POST /api/sources.",
             **needs(Action.INGEST, errors=(400,)))
async def source_upload(request: Request, file: Annotated[UploadFile, File()]) -> Any:
    user = await current_user(request)
    ws = workspace(request)
    # One byte over the limit is enough for the service to refuse it; never read more.
    data = await file.read(ws.settings.max_file_size + 1)
    result = review.ingest_upload(ws, user=user, filename=file.filename or "upload", data=data)
    return _ingested(request, user, result)
