"""The API's request and response bodies, as pydantic models (and so the OpenAPI schemas).

Incidents use the extraction contract's vocabulary (``eval/CONTRACT.md``:
event type, violation and actor codes, victims, location, EDTF date,
evidence spans) plus what a stored record adds: id, status,
confidentiality, claims and history. Request models forbid unknown fields,
so a misspelt field is a 400, not a silent no-op.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...domain.ids import MAX_ID
from ...services.accounts import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS

MAX_TEXT = 1_000_000  # characters of pasted text, as in batch extraction
MAX_COMMENT = 5000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    error: str = Field(description="one line saying what went wrong")
    status: int = Field(description="the HTTP status, repeated for scripts that only keep the body")


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str = Field(description="admin, reviewer, documenter or viewer")
    language: str
    actions: list[str] = Field(description="what this role may do (read-public, read-sources, ingest, edit, "
                                           "verify, publish, manage-users, …)")
    via_token: bool = Field(description="true when this request was signed with an API token")


# ------------------------------------------------------------------ sources


class SourceOut(BaseModel):
    id: int
    kind: str
    title: str
    author: str
    url: str
    language: str
    published: date | None
    retrieved_at: datetime | None
    original_name: str
    media_type: str
    size: int
    sha256: str = Field(description="SHA-256 of the original bytes, kept byte for byte")


class SourceDetailOut(SourceOut):
    text: str = Field(description="the extracted text that evidence spans point into: the page of it from "
                                  "text_offset (the whole text when it fits in one page)")
    text_offset: int = Field(0, description="where this page of the text starts in the whole text")
    text_length: int = Field(0, description="the whole text's length in characters (Python str indices)")
    next_text_offset: int | None = Field(None, description="text_offset of the next page; null on the last")
    incident_ids: list[int] = Field(description="incidents extracted from or linked to this source, "
                                                "that the caller may see")


class SourceList(BaseModel):
    items: list[SourceOut]
    limit: int
    offset: int


class SourceIn(Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the report's text, as received")
    title: str = Field("", max_length=500)
    language: Literal["", "ar", "en"] = Field("", description="empty: detected from the text")


class IngestOut(BaseModel):
    status: str = Field(description="new, duplicate, … (as `tawthiq ingest` reports it)")
    source_ids: list[int]
    incidents: int = Field(description="how many incidents the extractor suggested")
    incident_ids: list[int] = Field(description="the suggested incidents of these sources the caller may see")


# ---------------------------------------------------------------- incidents


class Perpetrator(BaseModel):
    actor: str = Field(description="top-level actor code (syrian-government, russia, isis, …)")
    faction: str = Field("", description="the exact actor code, e.g. a faction under the top-level actor")
    degree: str = Field("carried-out", description="carried-out, ordered, suspected, claimed, attributed, "
                                                  "complicit")
    text: str = Field("", description="the mention as written")


class Victims(BaseModel):
    kind: str = Field(description="civilian, combatant or unknown")
    outcome: str = Field(description="killed, injured, detained, abducted, disappeared, tortured, displaced, "
                                     "other")
    unit: str = "individual"
    count_min: int | None = None
    count_max: int | None = None
    sex: str = "unknown"
    age: str = "unknown"
    text: str = ""
    children: int | None = Field(None, description="of the group, how many are children (null: not said)")
    women: int | None = Field(None, description="of the group, how many are adult women (null: not said)")
    men: int | None = Field(None, description="of the group, how many are adult men (null: not said); "
                                              "children, women and men are apart and together never above "
                                              "count_max")


class LocationOut(BaseModel):
    name: str
    name_ar: str = ""
    text: str = ""
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = Field("town", description="exact, neighbourhood, town, district, governorate, country")
    place_id: str = ""


class DateOut(BaseModel):
    edtf: str = Field(description="Library of Congress EDTF: 2015-10-07, 2015-01, 2015-01~")
    text: str = ""
    precision: str = "day"


class Evidence(BaseModel):
    start: int = Field(description="character offset (Python str index) into the source text")
    end: int
    quote: str


class TagOut(BaseModel):
    """A tag on the incident now (a withdrawn one is left out); the same tags the incident page shows
    (a viewer: only the tags an admin marked shown to viewers)."""

    id: int
    label_en: str
    label_ar: str
    colour: str = Field(description="red, orange, yellow, green, teal, blue, purple, brown, or empty for none")
    retired: bool = Field(description="no longer offered for tagging; records that carry it keep it")
    shown_to_viewers: bool = Field(description="an admin marked it shown to viewers; otherwise it is the "
                                               "team's own and never reaches a viewer (for whom it is always "
                                               "true)")


class RegionOut(BaseModel):
    x: float = Field(description="left edge, as a fraction (0-1) of the upright picture's width")
    y: float = Field(description="top edge, as a fraction of its height")
    w: float
    h: float


class TimeRangeOut(BaseModel):
    start: float = Field(description="seconds from the start of the video or recording")
    end: float


ATTACHMENTS_HELP = ("sources attached as evidence, in force (withdrawn ones are left out), in the order they were "
                    "attached; only what the caller may read: empty for viewers (who read no sources), and a "
                    "victim list's file only for roles that read names (reviewer, admin)")


class AttachmentOut(BaseModel):
    """A source attached to the incident as evidence, and the part of it that matters."""

    id: int
    source_id: int
    source_kind: str = Field(description="image, video, audio, pdf, text, … (as the source's `kind`)")
    source_title: str
    part: Literal["whole", "region", "time", "page"] = Field(
        description="what of the source backs the incident: all of it, a region of a photo, a time range of a "
                    "video or recording, or a page of a PDF")
    region: RegionOut | None = Field(description="for part `region`, else null")
    time: TimeRangeOut | None = Field(description="for part `time`, else null")
    page: int | None = Field(description="for part `page` (from 1), else null")
    reason: str = Field(description="why it was attached, as the person wrote it")
    created_by: str
    created_at: datetime | None


class IncidentOut(BaseModel):
    id: int
    status: str = Field(description="suggested, confirmed, verified, rejected or merged")
    confidentiality: str = Field(description="public, restricted or confidential")
    event_type: str
    violations: list[str]
    perpetrators: list[Perpetrator]
    victims: list[Victims]
    location: LocationOut | None
    date: DateOut | None
    description: str
    evidence: list[Evidence]
    confidence: float
    source_id: int | None
    merged_into_id: int | None = None
    cluster_id: int | None = Field(default=None, description="the lowest id of the incidents judged the same "
                                   "event (its own id when alone); null for viewers")
    independent_sources: int | None = Field(default=None, description="distinct origins of the sources behind "
                                            "the cluster (copies of one account count once); null for viewers")


class SummaryDate(BaseModel):
    edtf: str | None
    text: str
    precision: str | None
    start: date | None = Field(description="first day the EDTF date can mean")
    end: date | None = Field(description="last day the EDTF date can mean")


class SummaryLocation(BaseModel):
    name: str
    name_ar: str
    text: str
    admin1: str
    lat: float | None
    lon: float | None
    precision: str | None


class OutcomeCount(BaseModel):
    outcome: str = Field(description="killed, injured, detained, …")
    min: int | None = Field(description="the sum of the groups' lower bounds (an unknown one counts 0); null "
                                        "when no group has a count: an unknown number, never \"at least 0\"")
    max: int | None = Field(description="null when any group's upper bound is unknown")


class IncidentSummaryOut(BaseModel):
    """A list row: the contract's codes, without claims or evidence."""

    id: int
    status: str
    confidentiality: str
    event_type: str
    violations: list[str]
    perpetrators: list[str] = Field(description="actor codes, in order")
    date: SummaryDate
    location: SummaryLocation
    description: str = Field(description="the start of the description")
    source_id: int | None
    updated_at: datetime
    victims: list[OutcomeCount] = Field(description="victims per outcome, never added across outcomes; "
                                                    "empty when no victims are recorded")
    killed_min: int | None
    killed_max: int | None
    cluster_id: int | None = Field(description="the lowest id of the incidents judged the same event (its own id "
                                               "when alone); null for viewers")
    independent_sources: int | None = Field(description="distinct origins of the sources behind the cluster "
                                                        "(copies of one account count once); null for viewers")
    tags: list[TagOut] = Field(description="the incident's current tags, oldest first")
    attachments: list[AttachmentOut] = Field(description=ATTACHMENTS_HELP)


class IncidentList(BaseModel):
    items: list[IncidentSummaryOut]
    total: int
    page: int
    per_page: int
    pages: int


class ClaimOut(BaseModel):
    id: int | None
    field: str
    value: Any
    span: Evidence | None
    method: str = Field(description="rule:… for a machine claim, user:<name> for a person's")
    confidence: float
    source_id: int | None
    created_by: str
    created_at: datetime | None
    note: str
    current: bool = Field(description="false when the claim was replaced: by a person's correction, or "
                                      "brought by a merge onto an incident that keeps its own value")
    superseded_at: datetime | None = Field(None, description="when it was replaced")
    superseded_by: str | None = Field(None, description="who replaced it")
    superseded_note: str | None = Field(None, description="why: the correction's or the merge's comment")


class HistoryOut(BaseModel):
    at: datetime
    user: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str


class IncidentDetail(IncidentOut):
    """For a viewer, only the current public values: no claims, evidence, mentions as written
    (perpetrators', victims' and the date's ``text`` are empty), sources or history."""

    claims: list[ClaimOut] = Field(description="a page of the incident's claims, from claims_offset (the whole "
                                   "list when it fits in one page); empty for viewers: claims quote sources and "
                                   "name staff")
    claims_total: int = Field(0, description="how many claims the incident has (0 for viewers)")
    claims_offset: int = Field(0, description="where this page of claims starts in the whole list")
    next_claims_offset: int | None = Field(None, description="where the next page of claims starts; null on "
                                                             "the last page")
    source_ids: list[int] = Field(description="sources the caller may read that back this incident")
    history: list[HistoryOut] = Field(description="empty for viewers")
    merged_from: list[int] = Field(description="incidents merged into this one")
    tags: list[TagOut] = Field(description="the incident's current tags, oldest first")
    attachments: list[AttachmentOut] = Field(description=ATTACHMENTS_HELP)
    cluster_members: list[int] = Field(default_factory=list, description="the other incidents judged the same "
                                       "event that the caller may see; empty for viewers")


# ------------------------------------------------------------ incident input


class PerpetratorIn(Strict):
    actor: str = Field(max_length=100, description="an actor code from the vocabulary")
    degree: str = "carried-out"
    text: str = Field("", max_length=2000)


class VictimsIn(Strict):
    outcome: str
    kind: str = "unknown"
    count_min: int | None = Field(None, ge=0)
    count_max: int | None = Field(None, ge=0)
    text: str = Field("", max_length=2000)
    children: int | None = Field(None, ge=0, description="of the group, how many are children")
    women: int | None = Field(None, ge=0, description="of the group, how many are adult women")
    men: int | None = Field(None, ge=0, description="of the group, how many are adult men; together with "
                                                    "children and women not above count_max")


class LocationIn(Strict):
    name: str = Field(max_length=300)
    text: str = Field("", max_length=300)
    name_ar: str = Field("", max_length=300)
    admin1: str = Field("", max_length=100)
    admin2: str = Field("", max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    precision: str = "town"
    place_id: str = Field("", max_length=100)


class DateIn(Strict):
    edtf: str = Field(max_length=50)
    text: str = Field("", max_length=300)


class SpanIn(Strict):
    start: int = Field(ge=0, le=MAX_ID, description="character offset (Python str index) into the source text")
    end: int = Field(gt=0, le=MAX_ID)
    quote: str | None = Field(None, max_length=5000, description="if given, must equal the source text "
                                                                  "between start and end")


SPANS_HELP = ("where the source text states each field, keyed by field name (event_type, violations, "
              "perpetrators, victims, location, date, description)")


class IncidentIn(Strict):
    event_type: str = Field(max_length=100)
    violations: list[str] = Field(default_factory=list, max_length=30)
    perpetrators: list[PerpetratorIn] = Field(default_factory=list, max_length=30)
    victims: list[VictimsIn] = Field(default_factory=list, max_length=50)
    location: LocationIn | None = None
    date: DateIn | None = None
    description: str = Field("", max_length=20000)
    confidentiality: Literal["public", "restricted", "confidential"] = "restricted"
    source_id: int | None = Field(None, ge=1, le=MAX_ID, description="the source the spans point into")
    spans: dict[str, SpanIn] = Field(default_factory=dict, description=SPANS_HELP)
    comment: str = Field("", max_length=MAX_COMMENT)


class IncidentPatch(Strict):
    """Only the fields given change; each change is a claim by the caller, recorded with the comment."""

    event_type: str | None = Field(None, max_length=100)
    violations: list[str] | None = Field(None, max_length=30)
    perpetrators: list[PerpetratorIn] | None = Field(None, max_length=30)
    victims: list[VictimsIn] | None = Field(None, max_length=50)
    location: LocationIn | None = None
    date: DateIn | None = None
    description: str | None = Field(None, max_length=20000)
    confidentiality: Literal["public", "restricted", "confidential"] | None = None
    source_id: int | None = Field(None, ge=1, le=MAX_ID, description="the source the spans point into (default: the "
                                                    "incident's own)")
    spans: dict[str, SpanIn] = Field(default_factory=dict, description=SPANS_HELP)
    comment: str = Field("", max_length=MAX_COMMENT, description="why; needed when changing what only the "
                                                                  "machine suggested")


class CommentIn(Strict):
    comment: str = Field("", max_length=MAX_COMMENT)


class RejectIn(Strict):
    comment: str = Field("", max_length=MAX_COMMENT, description="why; needed to reject a suggestion")


HELD_HELP = ("true when the incident was public and no longer is: a change by a role that may not publish "
             "(documenter) waits for a reviewer to publish it again, and a merge takes the stricter "
             "confidentiality of the two")


class UpdateOut(BaseModel):
    changed: list[str] = Field(description="the fields that changed; empty when nothing did")
    held_for_review: bool = Field(False, description=HELD_HELP)
    notice: str = Field("", description="what happened to the incident's publication, in words")
    incident: IncidentDetail


class MergeOut(BaseModel):
    merged: int
    into: int
    claims_copied: int
    confidentiality: str = Field(description="of the incident that absorbed the other, after the merge")
    held_for_review: bool = Field(description=HELD_HELP)
    notice: str = Field("", description="what happened to the incident's publication, in words")
    incident: IncidentDetail = Field(description="the incident that absorbed the other")


class MergeIn(Strict):
    into_id: int = Field(ge=1, le=MAX_ID, description="the incident that absorbs this one")
    comment: str = Field("", max_length=MAX_COMMENT)
    confidentiality: Literal["public", "restricted", "confidential"] | None = Field(
        None, description="of the result; default: the stricter of the two. A looser level than that, or "
                          "public, needs the publish permission (reviewer, admin) and a comment")


# ------------------------------------------------------------------ linking


VERDICT_HELP = "same, not-same or unsure"


class JudgementOut(BaseModel):
    """One decision about a pair of incidents, by a person or the linker; withdrawn ones are kept."""

    id: int
    left: int = Field(description="the lower incident id of the pair")
    right: int
    verdict: Literal["same", "not-same", "unsure"]
    by: str = Field(description="the user who decided, or `linker`")
    by_person: bool
    at: datetime | None
    comment: str = Field(description="why (a person's comment, or the linker's reason)")
    probability: float | None = Field(description="the linker's match probability; null for a person")
    model_version: str = Field(description="the linker's model, empty for a person")
    weights: dict[str, float] = Field(description="each comparison's match weight (log2 Bayes factor): positive "
                                                  "is evidence for the same event, negative against")
    levels: dict[str, str] = Field(description="each comparison's level reached, as the linker names it "
                                               "(\"same day\", \"within 5 km\"…)")
    in_force: bool
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawn_why: str


class JudgementList(BaseModel):
    items: list[JudgementOut]


class PairDecisionIn(Strict):
    left: int = Field(ge=1, le=MAX_ID, description="one incident of the pair")
    right: int = Field(ge=1, le=MAX_ID, description="the other (the order does not matter)")
    verdict: Literal["same", "not-same", "unsure"] = Field(description=VERDICT_HELP)
    comment: str = Field("", max_length=MAX_COMMENT, description="why")


class PairDecisionOut(BaseModel):
    judgement: JudgementOut
    cluster: list[int] = Field(description="the incidents now judged the same event as `left`, itself included, "
                                           "as the caller may see them")


class CorroborationValueOut(BaseModel):
    field: str = Field(description="date, place, event_type, perpetrator or victims:<outcome>")
    value: str = Field(description="the value as shown")
    sources: list[int] = Field(description="the sources giving this value")
    independent: int = Field(description="how many distinct origins among them (copies of one account count once)")
    contradicted_by: list[int] = Field(description="sources giving a value of the field that cannot also be true")


class CorroborationOut(BaseModel):
    """Which sources support or contradict each value of the event the incident belongs to."""

    members: list[int] = Field(description="the incidents of the event (its cluster) the caller may see")
    sources: list[int]
    independent_sources: int
    fields: list[CorroborationValueOut]


# ------------------------------------------------------------------- search


class SearchHitOut(BaseModel):
    kind: Literal["source", "incident"]
    id: int
    title: str
    snippet: str
    rank: float


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


# --------------------------------------------------------------- API tokens


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100, description="what the token is for, e.g. the script using it")
    days: int = Field(default=TOKEN_DEFAULT_DAYS,
                      description=f"how long the token works, 1 to {TOKEN_MAX_DAYS} days "
                                  f"(default {TOKEN_DEFAULT_DAYS})")


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="the token's first characters, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None = Field(description="after this the token is refused (401)")
    revoked_at: datetime | None
    active: bool = Field(description="neither revoked nor expired")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="the secret, shown this once only: send it as `Authorization: Bearer …`")
