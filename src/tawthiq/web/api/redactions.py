"""Redacted working copies: POST one for a source (reviewers and admins), answered with the stored copy.

The copy joins the source's working copies (GET /api/sources/{id} lists it
with its download route); the original is never changed.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import Field, model_validator

from ...services.redaction import MAX_BOXES, MAX_REASON, MAX_SPANS, REDACT_ACTION, redact_source
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from .common import needs
from .schemas import Strict
from .sources import DerivativeOut

router = APIRouter(tags=["sources"])

Pair = Annotated[list[int], Field(min_length=2, max_length=2)]
Quad = Annotated[list[int], Field(min_length=4, max_length=4)]


class RedactionIn(Strict):
    boxes: list[Quad] | None = Field(
        default=None, max_length=MAX_BOXES,
        description="rectangles [x, y, width, height] to paint opaque black, in pixels of the upright image "
                    "(EXIF orientation applied); the copy keeps no metadata (EXIF, GPS, XMP, ICC, comments)")
    spans: list[Pair] | None = Field(
        default=None, max_length=MAX_SPANS,
        description="character ranges [start, end) of the source's extracted text, each character replaced "
                    "by █ except line breaks, so offsets are unchanged")
    persons: bool = Field(default=False, description="also black out every literal occurrence in the text of "
                                                     "the persons named in the source's incidents")
    format: Literal["auto", "png", "jpeg"] = Field(
        default="auto", description="image copies only: auto gives PNG for a lossless original, JPEG "
                                    "(quality 95, 4:4:4) for a photo")
    reason: str = Field(min_length=1, max_length=MAX_REASON,
                        description="why the copy is made; kept in the custody ledger with the caller's name")

    @model_validator(mode="after")
    def _one_kind(self) -> RedactionIn:
        if bool(self.boxes) == bool(self.spans or self.persons):
            raise ValueError("give boxes (for a picture) or spans/persons (for the text), not both and not neither")
        return self


@router.post("/sources/{source_id}/redactions", response_model=DerivativeOut, status_code=201,
             summary="Make a redacted working copy of a source (reviewers and admins)",
             description="Boxes paint over the original picture; spans black out the extracted text. The "
                         "original is never changed. Making the same copy again stores nothing new and "
                         "answers with the copy already stored. The \"derived\" custody entry names the "
                         "caller and the reason.",
             **needs(REDACT_ACTION, errors=(400, 404)))
async def redaction_add(request: Request, source_id: PathId, body: RedactionIn) -> dict[str, Any]:
    user = await current_user(request)
    # Decoding, painting and encoding a whole picture: in a worker thread.
    copy = await run_blocking("heavy", redact_source, workspace(request), user, source_id=source_id,
                              reason=body.reason, boxes=body.boxes or [], spans=body.spans or [],
                              persons=body.persons, output=body.format)
    return {"id": copy.id, "kind": str(copy.kind), "media_type": copy.media_type, "size": copy.size,
            "sha256": copy.sha256, "tool": copy.tool, "tool_version": copy.tool_version, "params": copy.params,
            "created_at": copy.created_at, "created_by": copy.created_by,
            "download_url": f"/sources/{source_id}/derivatives/{copy.id}"}
