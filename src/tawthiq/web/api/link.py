"""Linking incidents: the pairs the linker is unsure of, a person's decision on a pair, undo, and what is said
about an incident's event (its judgements and the corroboration matrix).

Each endpoint calls one of ``services.linking``, ``services.corroboration``;
the services check the role again, and their errors map onto statuses as
everywhere in the API (not found 404, forbidden 403, conflict 409).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...domain.access import Action
from ...domain.judgements import Judgement
from ...services import corroboration, linking
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from .common import needs
from .schemas import (
    CommentIn,
    CorroborationOut,
    JudgementList,
    JudgementOut,
    PairDecisionIn,
    PairDecisionOut,
)

router = APIRouter(tags=["linking"])


def judgement_out(j: Judgement) -> dict[str, Any]:
    return {"id": j.id, "left": j.left_id, "right": j.right_id, "verdict": j.verdict.value, "by": j.actor,
            "by_person": j.by_person, "at": j.at, "comment": j.comment, "probability": j.probability,
            "model_version": j.model_version, "weights": dict(j.weights), "levels": dict(j.levels),
            "in_force": j.in_force, "withdrawn_at": j.withdrawn_at, "withdrawn_by": j.withdrawn_by,
            "withdrawn_why": j.withdrawn_why}


@router.get("/link/pairs", response_model=JudgementList,
            summary="The pairs of incidents the linker is unsure of, most probable first",
            description="Each is the linker's `unsure` judgement, with its probability, model and each "
                        "comparison's weight and level. Pairs with an incident the caller may not see are left "
                        "out. Decide one with POST /api/link/pairs.",
            **needs(Action.READ_RESTRICTED, errors=(400,)))
async def pairs(request: Request,
                limit: Annotated[int, Query(ge=1, le=1000, description="at most this many pairs")] = 50
                ) -> dict[str, Any]:
    # The queue is read whole and sorted: off the loop.
    found = await run_blocking("page", linking.review_queue, workspace(request), user=await current_user(request),
                               limit=limit)
    return {"items": [judgement_out(j) for j in found]}


@router.post("/link/pairs", response_model=PairDecisionOut, status_code=201,
             summary="A person's decision on a pair: the same event, not the same, or unsure",
             description="Whatever the linker or the caller said about the pair before is withdrawn (kept in the "
                         "history) and this decision is in force; the linker never overrides it. `same` joins "
                         "the two incidents' clusters, `not-same` keeps them apart. An incident paired with "
                         "itself is 409.",
             **needs(Action.EDIT, errors=(400, 404, 409)))
async def decide(request: Request, body: PairDecisionIn) -> dict[str, Any]:
    ws, user = workspace(request), await current_user(request)
    new_id = await run_blocking("page", linking.decide, ws, user=user, actor=user.username, a=body.left,
                                b=body.right, verdict=body.verdict, comment=body.comment)
    history = await run_blocking("page", linking.judgements_of, ws, user=user, incident_id=body.left)
    made = next(j for j in history if j.id == new_id)
    cluster = await run_blocking("page", linking.cluster_of, ws, user=user, incident_id=body.left)
    return {"judgement": judgement_out(made), "cluster": cluster}


@router.post("/link/judgements/{judgement_id}/undo", response_model=JudgementOut,
             summary="Withdraw a judgement about a pair of incidents (the clusters follow)",
             description="The judgement is kept, marked withdrawn with who, when and the comment. Undoing a "
                         "reviewer's merge's judgement undoes the merge; undoing the linker's, the linker will "
                         "not propose the pair again. A judgement already withdrawn is 409.",
             **needs(Action.EDIT, errors=(400, 404, 409)))
async def undo(request: Request, judgement_id: PathId, body: CommentIn | None = None) -> dict[str, Any]:
    user = await current_user(request)
    done = await run_blocking("page", linking.undo, workspace(request), user=user, actor=user.username,
                              judgement_id=judgement_id, comment=body.comment if body else "")
    return judgement_out(done)


@router.get("/incidents/{incident_id}/judgements", response_model=JudgementList,
            summary="Every judgement about pairs the incident is in, oldest first, withdrawn ones included",
            description="Judgements pairing it with an incident the caller may not see are left out.",
            **needs(Action.READ_RESTRICTED, errors=(404,)))
async def judgements(request: Request, incident_id: PathId) -> dict[str, Any]:
    found = await run_blocking("page", linking.judgements_of, workspace(request), user=await current_user(request),
                               incident_id=incident_id)
    return {"items": [judgement_out(j) for j in found]}


@router.get("/incidents/{incident_id}/corroboration", response_model=CorroborationOut,
            summary="The corroboration matrix of the incident's event: who says what, who contradicts it",
            description="Over the incident's cluster, as the caller may see it: for each field, each value given, "
                        "the sources giving it, how many independently, and the sources contradicting it. "
                        "Sources are provenance: viewers get 403.",
            **needs(Action.READ_SOURCES, errors=(404,)))
async def corroboration_get(request: Request, incident_id: PathId) -> dict[str, Any]:
    found = await run_blocking("page", corroboration.corroboration, workspace(request),
                               user=await current_user(request), incident_id=incident_id)
    return corroboration.matrix_record(found)
