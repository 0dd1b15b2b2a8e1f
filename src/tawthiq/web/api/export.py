"""Exporting the incidents the caller may see, as CSV, JSON or GeoJSON (named persons never included).

An export for an audience (``profile``) beyond the caller's role needs a reviewer's approval
(POST /api/export-approvals), which expires; both are in the custody ledger.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ...domain.access import Action
from ...services import reading
from ...services.export_approvals import MAX_HOURS, Approval, approve_export
from ..auth import client_ip, current_user, workspace
from ..offload import run_blocking
from .common import needs
from .filters import FilterParams
from .schemas import Strict

router = APIRouter(tags=["export"])


@router.get("/export", summary="Download the matching incidents as a file",
            description="The same filters as GET /api/incidents. The body is the file itself "
                        "(text/csv, application/json or application/geo+json), not a JSON envelope.",
            response_class=Response, **needs(Action.READ_PUBLIC, errors=(400,)))
async def export(request: Request, filters: Annotated[FilterParams, Depends()],
                 format: Annotated[Literal["csv", "json", "geojson"], Query()] = "json",
                 profile: Annotated[Literal["court", "partner", "public"] | None, Query(
                     description="export for this audience (docs/publishing.md); one beyond the caller's role "
                                 "needs a reviewer's approval (403 without it)")] = None) -> Response:
    # Reading and writing every matching incident: in a worker thread, so the server keeps answering.
    body, media_type, filename = await run_blocking(
        "heavy", reading.export_incidents, workspace(request), user=await current_user(request),
        filters=filters.to_filter(), fmt=format, machine=client_ip(request), via="api", profile=profile)
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


class ApprovalIn(Strict):
    username: str = Field(min_length=1, max_length=200, description="the user who may export")
    profile: Literal["court", "partner", "public"] = Field(description="the audience they may export for")
    hours: int = Field(ge=1, le=MAX_HOURS, description="how long the approval lasts")
    reason: str = Field(min_length=1, max_length=2000, description="why; kept in the custody ledger")


class ApprovalOut(BaseModel):
    ledger_entry: int
    username: str
    profile: str
    approved_by: str
    expires: datetime
    reason: str

    @classmethod
    def of(cls, found: Approval) -> ApprovalOut:
        return cls(ledger_entry=found.entry_id, username=found.username, profile=found.profile,
                   approved_by=found.approved_by, expires=found.expires, reason=found.reason)


@router.post("/export-approvals", response_model=ApprovalOut, status_code=201,
             summary="Approve a user's export beyond their role, until a time (reviewers and admins)",
             description="Recorded as an \"approved\" custody entry naming the reviewer and the reason. The "
                         "reviewer cannot approve their own export.",
             **needs(Action.VERIFY, errors=(400, 404)))
async def approval_add(request: Request, body: ApprovalIn) -> ApprovalOut:
    found = await run_blocking("read", approve_export, workspace(request), reviewer=await current_user(request),
                               username=body.username, profile=body.profile, hours=body.hours,
                               reason=body.reason, machine=client_ip(request))
    return ApprovalOut.of(found)
