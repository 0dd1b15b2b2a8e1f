"""Review decisions on one incident: accept (confirm), reject, verify, merge."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from ...domain.access import Action
from ...services import review
from ..auth import current_user, workspace
from ..ids import PathId
from .common import needs
from .incidents import detail
from .schemas import CommentIn, IncidentDetail, MergeIn, MergeOut, RejectIn

router = APIRouter(tags=["review"])
_ERRORS = (400, 404, 409)


async def _decide(request: Request, decision: Callable[..., object], incident_id: int, comment: str) -> dict[str, Any]:
    """Apply one review decision as the caller and answer with the incident as it now stands."""
    user = await current_user(request)
    decision(workspace(request), user=user, incident_id=incident_id, comment=comment)
    return detail(request, user, incident_id)


@router.post("/incidents/{incident_id}/accept", response_model=IncidentDetail,
             summary="Confirm: a person agrees the incident happened as recorded",
             **needs(Action.EDIT, errors=_ERRORS))
async def accept(request: Request, incident_id: PathId, body: CommentIn | None = None) -> dict[str, Any]:
    return await _decide(request, review.accept, incident_id, body.comment if body else "")


@router.post("/incidents/{incident_id}/reject", response_model=IncidentDetail,
             summary="Reject (kept for the record); rejecting a suggestion needs a comment",
             **needs(Action.EDIT, errors=_ERRORS))
async def reject(request: Request, incident_id: PathId, body: RejectIn) -> dict[str, Any]:
    return await _decide(request, review.reject, incident_id, body.comment)


@router.post("/incidents/{incident_id}/verify", response_model=IncidentDetail,
             summary="Verified against the sources (reviewers and admins)",
             **needs(Action.VERIFY, errors=_ERRORS))
async def verify(request: Request, incident_id: PathId, body: CommentIn | None = None) -> dict[str, Any]:
    return await _decide(request, review.verify, incident_id, body.comment if body else "")


@router.post("/incidents/{incident_id}/merge", response_model=MergeOut,
             summary="Fold this duplicate into another incident; both are kept for the record",
             description="The incident that absorbs the other takes the stricter confidentiality of the two "
                         "unless a reviewer sets `confidentiality`; merged into a public incident by a "
                         "documenter, it goes back to restricted until a reviewer publishes it again "
                         "(`held_for_review`).",
             **needs(Action.EDIT, errors=_ERRORS))
async def merge(request: Request, incident_id: PathId, body: MergeIn) -> dict[str, Any]:
    user = await current_user(request)
    result = review.merge(workspace(request), user=user, incident_id=incident_id, into_id=body.into_id,
                          comment=body.comment, confidentiality=body.confidentiality)
    return {"merged": incident_id, "into": body.into_id, "claims_copied": result.claims_copied,
            "confidentiality": result.confidentiality.value, "held_for_review": result.withdrawn,
            "notice": HELD_NOTICE.format(id=body.into_id) if result.withdrawn else "",
            "incident": detail(request, user, body.into_id)}


HELD_NOTICE = ("incident {id} is no longer public: a merge takes the stricter confidentiality of the two, "
               "and a documenter's change to a public incident waits for a reviewer to publish it again")
