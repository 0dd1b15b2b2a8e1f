"""Incidents: list with filters, one with its claims and history, create and update."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ...domain.access import Action, User
from ...domain.ids import MAX_ID
from ...services import claim_pages, incident_rows, reading, review
from ..auth import current_user, workspace
from ..ids import PathId
from ..offload import run_blocking
from . import convert
from .common import needs
from .filters import FilterParams
from .schemas import IncidentDetail, IncidentIn, IncidentList, IncidentPatch, UpdateOut

router = APIRouter(tags=["incidents"])


def detail(request: Request, user: User, incident_id: int, *, claims_offset: int = 0,
           claims_limit: int = claim_pages.API_CLAIMS) -> dict[str, Any]:
    return convert.detail_out(reading.get_incident_view(workspace(request), user=user, incident_id=incident_id),
                              claims_offset=claims_offset, claims_limit=claims_limit)


CLAIMS_PAGING = (
    "The claims come a page at a time: `claims` holds those from `claims_offset` on, at most `claims_limit` "
    f"({claim_pages.API_CLAIMS:,} unless asked, {claim_pages.MAX_API_CLAIMS:,} at most), field by field as "
    "always; `claims_total` is how many the incident has and `next_claims_offset` where the next page starts "
    "(null on the last page): ask again with `claims_offset` set to it until it is null. Answers to the "
    "review actions and to creating an incident carry the first page."
)


@router.get("/incidents", response_model=IncidentList, summary="Incidents the caller may see, filtered",
            description="Viewers get public incidents only. Merged incidents are left out unless "
                        "status=merged is asked for. Each row carries its current tags (for viewers only those "
                        "shown to viewers) and the sources attached to it that the caller may read (none for "
                        "viewers).", **needs(Action.READ_PUBLIC, errors=(400,)))
async def incidents_list(request: Request, filters: Annotated[FilterParams, Depends()],
                         sort: Annotated[str, Query(description=", ".join(reading.SORTS))] = "-date",
                         page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                         per_page: Annotated[int, Query(ge=1, le=reading.MAX_PER_PAGE)] = 50) -> dict[str, Any]:
    # The total and the search ranking are counted over the whole archive when their cache is cold.
    rows = await run_blocking("page", incident_rows.incident_rows, workspace(request), user=await current_user(request),
                              filters=filters.to_filter(), sort=sort, page=page, per_page=per_page)
    result = rows.page
    return {"items": [convert.summary_out(s, tags=rows.tags_of(s.id), attachments=rows.media_of(s.id))
                      for s in result.items],
            "total": result.total, "page": result.page, "per_page": result.per_page, "pages": result.pages}


@router.get("/incidents/{incident_id}", response_model=IncidentDetail,
            summary="One incident with its claims, sources and history",
            description="An incident the caller may not see is 404, as if it did not exist. Evidence quotes, "
                        "history and attached sources need a role that reads sources; its current tags are "
                        "given to every role that may see it (to viewers only the tags an admin marked shown "
                        f"to viewers).\n\n{CLAIMS_PAGING} A bad `claims_offset` or `claims_limit` (not a whole "
                        "number, negative, past the end, over the most) is a 400 saying which.",
            **needs(Action.READ_PUBLIC, errors=(400, 404)))
async def incident_get(
        request: Request, incident_id: PathId,
        claims_offset: Annotated[int, Query(ge=0, le=MAX_ID, description=(
            "where the page of claims starts: 0 for the first, then the last answer's `next_claims_offset`; "
            "at most `claims_total`"))] = 0,
        claims_limit: Annotated[int, Query(ge=1, le=claim_pages.MAX_API_CLAIMS, description=(
            f"how many claims to send, 1 to {claim_pages.MAX_API_CLAIMS:,}"))] = claim_pages.API_CLAIMS,
) -> dict[str, Any]:
    # An incident can carry thousands of claims and many sources.
    return await run_blocking("page", detail, request, await current_user(request), incident_id,
                              claims_offset=claims_offset, claims_limit=claims_limit)


@router.post("/incidents", response_model=IncidentDetail, status_code=201,
             summary="Record an incident a person documented (status confirmed)",
             description="Each fact becomes a human claim; spans cite where the source states it. Creating "
                         "a public incident needs the publish permission (reviewer, admin).",
             **needs(Action.EDIT, errors=(400, 404)))
async def incident_create(request: Request, body: IncidentIn) -> dict[str, Any]:
    ws, user = workspace(request), await current_user(request)
    new_id = review.create_incident(ws, user=user, incident=convert.new_incident(body),
                                    source_id=body.source_id, spans=convert.spans(body.spans), comment=body.comment)
    # An incident's answer can carry many claims and sources: read off the loop, as GET does.
    return await run_blocking("page", detail, request, user, new_id)


@router.patch("/incidents/{incident_id}", response_model=UpdateOut,
              summary="Change fields of an incident, with a comment saying why",
              description="Only the fields given change; each change is recorded in the history with its "
                          "before and after. `\"location\": null` or `\"date\": null` removes the place or "
                          "the date. Changing what only the machine suggested needs a comment; "
                          "making an incident public needs the publish permission. A documenter's change "
                          "to a public incident takes it back to restricted until a reviewer publishes it "
                          "again (`held_for_review`).",
              **needs(Action.EDIT, errors=(400, 404, 409)))
async def incident_update(request: Request, incident_id: PathId, body: IncidentPatch) -> dict[str, Any]:
    ws, user = workspace(request), await current_user(request)
    changes = convert.changes(body, convert.spans(body.spans))
    # An absent field is left alone; an explicit null removes the place or the date.
    if "location" in body.model_fields_set and body.location is None:
        changes.location = review.CLEAR
    if "date" in body.model_fields_set and body.date is None:
        changes.date = review.CLEAR
    changed = review.update_incident(ws, user=user, incident_id=incident_id, changes=changes,
                                     comment=body.comment)
    return {"changed": list(changed), "held_for_review": changed.withdrawn,
            "notice": EDIT_HELD_NOTICE.format(id=incident_id) if changed.withdrawn else "",
            "incident": await run_blocking("page", detail, request, user, incident_id)}


EDIT_HELD_NOTICE = ("incident {id} is no longer public: a documenter's change to a public incident waits for "
                    "a reviewer to publish it again")
