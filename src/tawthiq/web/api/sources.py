"""Sources: the reports as received (READ_SOURCES), and adding pasted text (INGEST)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from ...domain.access import Action, User
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
