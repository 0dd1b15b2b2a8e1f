"""Asking for an export beyond one's role, and answering the asking: the API of /exports/request and
/exports/approvals (issue 13 §5).

Any signed-in user asks (POST /api/export-requests) and reads back their own
requests (GET /api/export-requests): never anyone else's, so one user's
reasons stay theirs and the reviewers'. Reviewers and admins list the requests
waiting (GET /api/export-requests/pending) and approve one for some hours or
decline it with a reason; nobody answers their own. Every rule is the service's
(:mod:`tawthiq.services.export_requests`); each step is a custody entry.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ...domain.access import Action
from ...services import export_requests
from ...services.export_approvals import MAX_HOURS
from ...services.export_requests import RequestView
from ..auth import client_ip, current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from .common import needs
from .export import ApprovalOut
from .schemas import Strict

router = APIRouter(tags=["export"])
_REASON = 2000
T = TypeVar("T")


class ExportRequestIn(Strict):
    profile: Literal["court", "partner", "public"] = Field(
        description="the audience to export for; only a profile beyond the caller's role needs asking")
    reason: str = Field(min_length=1, max_length=_REASON, description="why; kept in the custody ledger, shown "
                                                                      "to reviewers and to the caller only")


class ExportRequestOut(BaseModel):
    id: int = Field(description="the request's custody entry; what approve and decline name")
    username: str
    profile: str
    reason: str
    requested_at: datetime
    status: Literal["pending", "approved", "declined"]
    decided_by: str = Field(description="the reviewer who answered; empty while pending")
    decided_at: datetime | None
    decision_reason: str


class ApproveIn(Strict):
    hours: int = Field(ge=1, le=MAX_HOURS, description="how long the approval lasts")
    reason: str = Field(min_length=1, max_length=_REASON, description="why; kept in the custody ledger")


class DeclineIn(Strict):
    reason: str = Field(min_length=1, max_length=_REASON, description="why; kept in the custody ledger and "
                                                                      "shown to the user who asked")


class DeclineOut(BaseModel):
    ledger_entry: int
    request: int
    username: str
    profile: str
    declined_by: str
    reason: str


def _out(found: RequestView) -> ExportRequestOut:
    return ExportRequestOut(id=found.entry_id, username=found.username, profile=found.profile,
                            reason=found.reason, requested_at=found.at, status=found.status,  # type: ignore[arg-type]
                            decided_by=found.decided_by, decided_at=found.decided_at,
                            decision_reason=found.decision_reason)


async def _answer(request: Request, answer: Callable[..., T], **given: object) -> T:
    """A reviewer's answer to a request (approve or decline), by the signed-in user from the caller's address."""
    return await run_blocking("read", answer, workspace(request), reviewer=await current_user(request),
                              machine=client_ip(request), **given)


@router.post("/export-requests", response_model=ExportRequestOut, status_code=201,
             summary="Ask a reviewer for an export beyond your role",
             description="Recorded as a \"requested\" custody entry with the reason. A profile the caller's "
                         "role allows on its own needs no request (400).",
             **needs(None, errors=(400,)))
async def request_add(request: Request, body: ExportRequestIn) -> ExportRequestOut:
    made = await run_blocking("read", export_requests.request_export, workspace(request),
                              user=await current_user(request), profile=body.profile, reason=body.reason,
                              machine=client_ip(request))
    return _out(made)


@router.get("/export-requests", response_model=list[ExportRequestOut],
            summary="Your own export requests and their outcome, newest first",
            description="Only the caller's requests, never another user's (the newest 1,000 request and "
                        "approval entries are read).",
            **needs(None))
async def requests_mine(request: Request) -> list[ExportRequestOut]:
    _choices, mine = await run_blocking("page", export_requests.export_choices, workspace(request),
                                        user=await current_user(request))
    return [_out(found) for found in mine]


@router.get("/export-requests/pending", response_model=list[ExportRequestOut],
            summary="Export requests waiting for a reviewer, newest first (reviewers and admins)",
            **needs(Action.VERIFY))
async def requests_pending(request: Request) -> list[ExportRequestOut]:
    found = await run_blocking("page", export_requests.overview, workspace(request),
                               reviewer=await current_user(request))
    return [_out(waiting) for waiting in found.pending]


@router.post("/export-requests/{request_id}/approve", response_model=ApprovalOut, status_code=201,
             summary="Approve a waiting request for some hours (reviewers and admins; never one's own)",
             description="Recorded as an \"approved\" custody entry naming the request, the reviewer and the "
                         "reason. A request already answered is 400; one's own request is 403.",
             **needs(Action.VERIFY, errors=(400, 404)))
async def request_approve(request: Request, request_id: PathId, body: ApproveIn) -> ApprovalOut:
    return ApprovalOut.of(await _answer(request, export_requests.approve_request, request_id=request_id,
                                        hours=body.hours, reason=body.reason))


@router.post("/export-requests/{request_id}/decline", response_model=DeclineOut, status_code=201,
             summary="Decline a waiting request, saying why (reviewers and admins; never one's own)",
             description="Recorded as a \"declined\" custody entry naming the request. A request already "
                         "answered is 400; one's own request is 403.",
             **needs(Action.VERIFY, errors=(400, 404)))
async def request_decline(request: Request, request_id: PathId, body: DeclineIn) -> DeclineOut:
    entry = await _answer(request, export_requests.decline_request, request_id=request_id, reason=body.reason)
    return DeclineOut(ledger_entry=entry.id, request=request_id, username=str(entry.details.get("user", "")),
                      profile=str(entry.details.get("profile", "")), declined_by=entry.actor, reason=entry.reason)
