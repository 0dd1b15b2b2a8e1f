"""Exporting the incidents the caller may see, as CSV, JSON or GeoJSON (named persons never included)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ...domain.access import Action
from ...services import reading
from ..auth import client_ip, current_user, workspace
from ..offload import run_blocking
from .common import needs
from .filters import FilterParams

router = APIRouter(tags=["export"])


@router.get("/export", summary="Download the matching incidents as a file",
            description="The same filters as GET /api/incidents. The body is the file itself "
                        "(text/csv, application/json or application/geo+json), not a JSON envelope.",
            response_class=Response, **needs(Action.READ_PUBLIC, errors=(400,)))
async def export(request: Request, filters: Annotated[FilterParams, Depends()],
                 format: Annotated[Literal["csv", "json", "geojson"], Query()] = "json") -> Response:
    # Reading and writing every matching incident: in a worker thread, so the server keeps answering.
    body, media_type, filename = await run_blocking(
        "heavy", reading.export_incidents, workspace(request), user=await current_user(request),
        filters=filters.to_filter(), fmt=format, machine=client_ip(request), via="api")
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
