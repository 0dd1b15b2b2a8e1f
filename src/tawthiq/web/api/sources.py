"""Sources: the reports as received (READ_SOURCES), and adding pasted text (INGEST)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ...domain.access import Action, User
from ...domain.ids import MAX_ID
from ...services import added, browse, ingest, source_page, source_panels
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
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
                       offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
                       q: Annotated[str | None, Query(max_length=500)] = None) -> dict[str, Any]:
    # The total (and a search by words) is counted over every source: in a worker thread.
    items, total = await run_blocking("page", browse.source_slice, workspace(request),
                                      user=await current_user(request), limit=limit, offset=offset, q=q)
    return {"items": [_summary_out(s) for s in items], "total": total, "limit": limit, "offset": offset}


class MediaHashOut(BaseModel):
    hash: str = Field(description="64-bit perceptual hash, 16 hex digits")
    frame: int = Field(description="0 for an image; the keyframe's number for a video")
    at_seconds: float | None
    algorithm: str


class MediaOut(BaseModel):
    kind: str = Field(description="image, video, audio or pdf")
    width: int | None
    height: int | None
    duration_seconds: float | None
    taken_at: datetime | None = Field(description="capture time as the device recorded it")
    latitude: float | None
    longitude: float | None
    hashes: list[MediaHashOut]
    metadata: dict[str, Any] = Field(description="every tag as read (EXIF, container tags, PDF info)")


class DerivativeOut(BaseModel):
    id: int
    kind: str = Field(description="text, thumbnail, preview, keyframe, redacted, transcoded, screenshot, …")
    media_type: str
    size: int
    sha256: str = Field(description="SHA-256 of the working copy's bytes (in the derived store)")
    tool: str
    tool_version: str
    params: dict[str, Any] = Field(description="every setting that shaped the copy")
    created_at: datetime | None
    created_by: str
    download_url: str = Field(description="the web route that downloads it (recorded in the custody ledger)")


class LinkOut(BaseModel):
    relation: str = Field(description="attachment, forwarded, capture")
    direction: str = Field(description="to: this source points at the other (a message to its photo); from: the "
                                       "other points at this one")
    source_id: int
    details: dict[str, Any]


class NearDuplicateOut(BaseModel):
    source_id: int
    sha256: str
    distance: int = Field(description="Hamming distance between the closest perceptual hashes")
    method: str


class SourceEvidenceOut(SourceDetailOut):
    media: MediaOut | None = Field(description="facts read from a media original; null for other files")
    derivatives: list[DerivativeOut] = Field(description="working copies made from the original")
    links: list[LinkOut] = Field(description="related sources, both directions")
    near_duplicates: list[NearDuplicateOut] = Field(description="sources whose originals look the same")


def _evidence_out(source_id: int, ev: source_panels.SourceEvidence) -> dict[str, Any]:
    m = ev.media
    media = None if m is None else {
        "kind": m.kind, "width": m.width, "height": m.height, "duration_seconds": m.duration_seconds,
        "taken_at": m.taken_at, "latitude": m.latitude, "longitude": m.longitude, "metadata": m.metadata,
        "hashes": [{"hash": h.hash, "frame": h.frame, "at_seconds": h.at_seconds, "algorithm": h.algorithm}
                   for h in m.hashes]}
    return {
        "media": media,
        "derivatives": [{"id": d.id, "kind": str(d.kind), "media_type": d.media_type, "size": d.size,
                         "sha256": d.sha256, "tool": d.tool, "tool_version": d.tool_version, "params": d.params,
                         "created_at": d.created_at, "created_by": d.created_by,
                         "download_url": f"/sources/{source_id}/derivatives/{d.id}"} for d in ev.derivatives],
        "links": [{"relation": link.relation, "direction": link.direction, "source_id": link.other_id,
                   "details": link.details} for link in ev.links],
        "near_duplicates": [{"source_id": n.source.id, "sha256": n.source.sha256, "distance": n.distance,
                             "method": n.method} for n in ev.near],
    }


TEXT_PAGING = (
    "The text comes a page at a time: `text` holds the characters `text_offset` to `text_offset` + `text_limit` "
    f"(at most {source_page.TEXT_PAGE:,} unless asked, {source_page.MAX_TEXT_PAGE:,} at most), "
    "`text_length` is the whole text's length and `next_text_offset` where the next page starts (null on the "
    "last page): ask again with `text_offset` set to it until it is null. Offsets are Python `str` indices "
    "(code points) into the whole text, as every evidence span's are, on every page; the pages joined are the "
    "text. The other fields are the same on every page.")


@router.get("/sources/{source_id}", response_model=SourceEvidenceOut,
            summary="One source with its text (a page at a time), the incidents drawn from it, and its evidence",
            description=f"{TEXT_PAGING}\n\nAlso the media facts read from the original (EXIF, GPS, capture time, "
                        "container tags), its working copies, linked sources (a Telegram message and its photos) "
                        "and sources whose originals were flagged as near-duplicates. A bad `text_offset` or "
                        "`text_limit` (not a whole number, negative, past the end, over the most) is a 400 saying "
                        "which.",
            **needs(Action.READ_SOURCES, errors=(400, 404)))
async def source_get(
        request: Request, source_id: PathId,
        text_offset: Annotated[int, Query(ge=0, le=MAX_ID, description=(
            "where the page of text starts: a character offset into the whole text (0, or a page's "
            "`next_text_offset`); at most the text's length"))] = 0,
        text_limit: Annotated[int, Query(ge=1, le=source_page.MAX_TEXT_PAGE, description=(
            f"how many characters of text to send, 1 to {source_page.MAX_TEXT_PAGE:,}"))] = source_page.TEXT_PAGE,
) -> Response:
    # The text can run to tens of millions of characters: it is read, cut to the page asked for, checked against
    # the response model and encoded as JSON in a worker thread. Returning the encoded response skips FastAPI's
    # own validation and encoding, which would run on the event loop.
    return await run_blocking("read", _source_detail, workspace(request), await current_user(request), source_id,
                              text_offset=text_offset, text_limit=text_limit)


def _source_detail(ws: Any, user: User, source_id: int, *, text_offset: int, text_limit: int) -> Response:
    found = source_page.source_detail(ws, user=user, source_id=source_id, text_offset=text_offset,
                                      text_limit=text_limit)
    view = found.view
    data = {**convert.source_out(view.source), "text": found.text, "text_offset": found.text_offset,
            "text_length": found.text_length, "next_text_offset": found.next_text_offset,
            "incident_ids": [s.id for s in view.incidents], **_evidence_out(source_id, found.evidence)}
    return JSONResponse(SourceEvidenceOut.model_validate(data).model_dump(mode="json"))


def _ingested(ws: Any, user: User, result: Any) -> JSONResponse:
    out = IngestOut(status=str(result.status), source_ids=list(result.source_ids), incidents=result.incidents,
                    incident_ids=added.incident_ids(ws, user=user, source_ids=result.source_ids))
    return JSONResponse(out.model_dump(), status_code=200 if result.status == "duplicate" else 201)


def _add_text(ws: Any, user: User, body: SourceIn) -> JSONResponse:
    result = ingest.ingest_text(ws, user=user, text=body.text, title=body.title, language=body.language)
    return _ingested(ws, user, result)


def _add_file(ws: Any, user: User, file: UploadFile) -> JSONResponse:
    # One byte over the limit is enough for the service to refuse it; never read more.
    data = file.file.read(ws.settings.max_file_size + 1)
    result = ingest.ingest_upload(ws, user=user, filename=file.filename or "upload", data=data)
    del data
    return _ingested(ws, user, result)


@router.post("/sources", response_model=IngestOut, status_code=201,
             summary="Add a report's text; the extractor suggests incidents from it",
             description="The same pipeline as pasting on /add or `tawthiq ingest`. Text already held "
                         "(same bytes) is not stored twice: the answer is then 200 with status duplicate.",
             **needs(Action.INGEST, errors=(400,)))
async def source_add(request: Request, body: SourceIn) -> Any:
    # Extraction and storing take a while: in a worker thread, so the server keeps answering.
    return await run_blocking("ingest", _add_text, workspace(request), await current_user(request), body)


@router.post("/sources/upload", response_model=IngestOut, status_code=201,
             summary="Add a file (text, HTML, PDF, e-mail, or a CSV/JSON/JSONL batch of reports)",
             description="multipart/form-data with one field `file`. Kept byte for byte; a batch file becomes "
                         "one source per row. Same answers as POST /api/sources.",
             **needs(Action.INGEST, errors=(400,)))
async def source_upload(request: Request, file: Annotated[UploadFile, File()]) -> Any:
    try:
        return await run_blocking("ingest", _add_file, workspace(request), await current_user(request), file)
    finally:
        await file.close()
