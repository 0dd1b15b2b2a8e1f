"""Victim lists and person linkage: the people, one person's records and judgements, the person pairs the linker
is unsure of, a decision on a pair, undo.

Names are confidential: every endpoint needs ``read-names`` (reviewers,
admins); the services check it again. Errors map onto statuses as everywhere
in the API (not found 404, forbidden 403, conflict 409).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from ...domain.access import Action
from ...domain.persons import PersonRecord
from ...services import person_linking, person_pages, persons
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from .common import needs
from .link import judgement_out
from .person_schemas import (
    PersonDetailOut,
    PersonJudgementList,
    PersonJudgementOut,
    PersonListOut,
    PersonPairDecisionIn,
    PersonPairDecisionOut,
)
from .schemas import CommentIn

router = APIRouter(tags=["persons"])


def record_out(rec: PersonRecord) -> dict[str, Any]:
    return {"id": rec.id, "list": rec.list_name, "record_id": rec.record_id, "cluster_id": persons.cluster_of(rec),
            "name": persons.display_name(rec.fields), "fields": dict(rec.fields), "extra": dict(rec.extra),
            "source_id": rec.source_id, "incident_id": rec.incident_id, "span_start": rec.span_start,
            "span_end": rec.span_end}


@router.get("/persons", response_model=PersonListOut, summary="The people of the victim lists, one per person",
            description="Each item is one person (a cluster of records judged the same person) with its records, "
                        "names as written. Narrow by list (repeat `list`) and by a name's words (`q`).",
            **needs(Action.READ_NAMES, errors=(400,)))
async def people(request: Request,
                 page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=200)] = 50,
                 list_: Annotated[list[str] | None, Query(alias="list",
                                                          description="only people with a record in these lists")
                                  ] = None,
                 q: Annotated[str, Query(max_length=200, description="words of a name, as written")] = "",
                 ) -> dict[str, Any]:
    found = await run_blocking("page", person_pages.people_page, workspace(request), user=await current_user(request),
                               lists=[name for name in list_ or [] if name][:20], query=q, page=page, per_page=per_page)
    return {"items": [{"cluster_id": p.cluster_id, "records": [record_out(r) for r in p.records]}
                      for p in found.rows],
            "total": found.total, "page": found.page, "per_page": found.per_page, "has_next": found.has_next,
            "lists": found.counts}


@router.get("/persons/{record_id}", response_model=PersonDetailOut,
            summary="One person record, the records of its person, and every judgement about them",
            **needs(Action.READ_NAMES, errors=(404,)))
async def person(request: Request, record_id: PathId) -> dict[str, Any]:
    view = await run_blocking("page", person_pages.person_view, workspace(request),
                              user=await current_user(request), record_id=record_id)
    return {"record": record_out(view.record), "cluster_id": persons.cluster_of(view.record),
            "records": [record_out(r) for r in view.cluster],
            "judgements": [judgement_out(row.judgement) for row in view.judgements]}


@router.get("/link/person-pairs", response_model=PersonJudgementList,
            summary="The pairs of person records the linker is unsure of, most probable first",
            description="Each is the linker's `unsure` judgement, with its probability, model and each "
                        "comparison's weight and level. Decide one with POST /api/link/person-pairs.",
            **needs(Action.READ_NAMES, errors=(400,)))
async def pairs(request: Request,
                limit: Annotated[int, Query(ge=1, le=1000, description="at most this many pairs")] = 50
                ) -> dict[str, Any]:
    found = await run_blocking("page", person_linking.review_queue, workspace(request),
                               user=await current_user(request), limit=limit)
    return {"items": [judgement_out(j) for j in found]}


@router.post("/link/person-pairs", response_model=PersonPairDecisionOut, status_code=201,
             summary="A person's decision on a pair of person records: the same person, not the same, or unsure",
             description="Whatever was said about the pair before is withdrawn (kept in the history) and this "
                         "decision is in force; the linker never overrides it. A record paired with itself is 409.",
             **needs(Action.READ_NAMES, errors=(400, 404, 409)))
async def decide(request: Request, body: PersonPairDecisionIn) -> dict[str, Any]:
    ws, user = workspace(request), await current_user(request)
    new_id = await run_blocking("page", person_linking.decide, ws, user=user, actor=user.username, a=body.left,
                                b=body.right, verdict=body.verdict, comment=body.comment)
    view = await run_blocking("page", person_pages.person_view, ws, user=user, record_id=body.left)
    made = next(row.judgement for row in view.judgements if row.judgement.id == new_id)
    return {"judgement": judgement_out(made), "cluster": sorted(int(r.id or 0) for r in view.cluster)}


@router.post("/link/person-judgements/{judgement_id}/undo", response_model=PersonJudgementOut,
             summary="Withdraw a judgement about a pair of person records (the people follow)",
             description="The judgement is kept, marked withdrawn with who, when and the comment. A judgement "
                         "already withdrawn is 409; one about incidents is 404 here.",
             **needs(Action.READ_NAMES, errors=(400, 404, 409)))
async def undo(request: Request, judgement_id: PathId, body: CommentIn | None = None) -> dict[str, Any]:
    user = await current_user(request)
    done = await run_blocking("page", person_linking.undo, workspace(request), user=user, actor=user.username,
                              judgement_id=judgement_id, comment=body.comment if body else "")
    return judgement_out(done)
