"""The API's bodies for victim lists and person linkage (the OpenAPI schemas of /api/persons…)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ...domain.ids import MAX_ID
from .schemas import MAX_COMMENT, Strict

PERSON_VERDICT_HELP = ("`same`: the two records are one person; `not-same`: they are not (the linker never joins "
                       "them); `unsure`: the pair leaves the queue undecided")


class PersonRecordOut(BaseModel):
    """One person as one list (or one report) gives them, names exactly as written."""

    id: int = Field(description="the record's id in Tawthiq")
    list: str = Field(description="the list it comes from (`reports` for a person named in a report)")
    record_id: str = Field(description="its id in that list")
    cluster_id: int = Field(description="the person: the lowest record id among those judged the same person")
    name: str = Field(description="the full name as written, else its written parts joined")
    fields: dict[str, str] = Field(description="the person fields the list gives (name, given_name, father_name, "
                                               "family_name, age, governorate, date, place…), as written")
    extra: dict[str, str] = Field(description="the list's other columns, as written")
    source_id: int | None = Field(description="the list file (or report) it came from")
    incident_id: int | None = Field(description="for a person named in a report: the incident")
    span_start: int | None = Field(description="for a person named in a report: where the name is in its text")
    span_end: int | None


class PersonOut(BaseModel):
    cluster_id: int
    records: list[PersonRecordOut] = Field(description="the records judged to be this person (at most 50 here)")


class PersonListOut(BaseModel):
    items: list[PersonOut] = Field(description="one per person (cluster), in cluster order")
    total: int = Field(description="people matching")
    page: int
    per_page: int
    has_next: bool
    lists: dict[str, int] = Field(description="records per list")


class PersonJudgementOut(BaseModel):
    """One decision about a pair of person records, by a person or the linker; withdrawn ones are kept."""

    id: int
    left: int = Field(description="the lower person record id of the pair")
    right: int
    verdict: Literal["same", "not-same", "unsure"]
    by: str = Field(description="the user who decided, or `linker`")
    by_person: bool
    at: datetime | None
    comment: str = Field(description="why (a person's comment, or the linker's reason)")
    probability: float | None = Field(description="the linker's match probability; null for a person")
    model_version: str = Field(description="the linker's model, empty for a person")
    weights: dict[str, float] = Field(description="each comparison's match weight (log2 Bayes factor): positive "
                                                  "is evidence for the same person, negative against")
    levels: dict[str, str] = Field(description="each comparison's level reached, as the linker names it")
    in_force: bool
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawn_why: str


class PersonJudgementList(BaseModel):
    items: list[PersonJudgementOut]


class PersonDetailOut(BaseModel):
    record: PersonRecordOut = Field(description="the record asked for")
    cluster_id: int
    records: list[PersonRecordOut] = Field(description="every record judged to be the same person, itself included")
    judgements: list[PersonJudgementOut] = Field(description="every judgement about pairs these records are in, "
                                                            "newest first, withdrawn ones included")


class PersonPairDecisionIn(Strict):
    left: int = Field(ge=1, le=MAX_ID, description="one person record of the pair")
    right: int = Field(ge=1, le=MAX_ID, description="the other (the order does not matter)")
    verdict: Literal["same", "not-same", "unsure"] = Field(description=PERSON_VERDICT_HELP)
    comment: str = Field("", max_length=MAX_COMMENT, description="why")


class PersonPairDecisionOut(BaseModel):
    judgement: PersonJudgementOut
    cluster: list[int] = Field(description="the person records now judged the same person as `left`, itself "
                                           "included")
