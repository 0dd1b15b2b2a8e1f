"""The documentation record as plain dataclasses.

The shape follows the HURIDOCS events model (event -> act -> involvement) and
ACLED's fields. An :class:`Incident` is one act at one place and time. Every
fact on it is backed by :class:`Claim` objects that point at the source and
the character span the fact came from, so that two sources which disagree can
both be kept and a reviewer can always see why the record says what it says.

Nothing here imports a framework: the store, the extractors, the CLI and the
web app all speak these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .enums import (
    AgeGroup,
    ClaimField,
    Confidentiality,
    CountingUnit,
    Credibility,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    InvolvementRole,
    LocationPrecision,
    Reliability,
    Sex,
    SourceKind,
    VictimKind,
    VictimOutcome,
)


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets (Python ``str`` indices) into a source's text."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start=start, end=end, quote=text[start:end])


@dataclass(slots=True)
class SourceEvaluation:
    """Admiralty code grading; ``F``/``6`` until a person grades it."""

    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED
    note: str = ""
    graded_by: str | None = None
    graded_at: datetime | None = None


@dataclass(slots=True)
class Source:
    """A report or file exactly as received.

    ``sha256`` is of the original bytes, which the evidence store keeps
    byte-for-byte; ``text`` is the extracted text that spans point into.
    """

    kind: SourceKind
    sha256: str
    text: str
    title: str = ""
    author: str = ""  # publisher or author, as given
    url: str = ""
    language: str = ""  # ISO 639-1: "ar", "en"; "" when unknown
    published: date | None = None
    retrieved_at: datetime | None = None
    original_name: str = ""  # file name as received, for the custody record
    media_type: str = ""
    size: int = 0
    record_key: str = ""  # for rows of a batch file: which row, so re-ingest is idempotent
    evaluation: SourceEvaluation = field(default_factory=SourceEvaluation)
    metadata: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass(slots=True)
class Location:
    name: str  # best resolved name, Latin script
    text: str = ""  # as written in the source
    name_ar: str = ""
    country: str = "SY"
    admin1: str = ""  # governorate
    admin2: str = ""  # district
    admin3: str = ""  # sub-district
    lat: float | None = None
    lon: float | None = None
    precision: LocationPrecision = LocationPrecision.COUNTRY
    place_id: str = ""  # gazetteer id, "" when the place is not in the gazetteer


@dataclass(slots=True)
class IncidentDate:
    edtf: str  # Library of Congress EDTF, e.g. "2015-10-07", "2015-01", "2015-01~"
    text: str = ""  # as written
    precision: DatePrecision = DatePrecision.DAY


@dataclass(slots=True)
class Actor:
    """An armed group, force or authority from the actor vocabulary."""

    code: str
    label_en: str
    label_ar: str = ""
    aliases_en: list[str] = field(default_factory=list)
    aliases_ar: list[str] = field(default_factory=list)
    parent: str | None = None  # a faction inside a coalition
    description: str = ""
    kind: str = ""  # one of vocab.ACTOR_KINDS, or "" for the built-in actors that predate kinds
    recorded: bool = False  # added by an admin from the interface (stored in the database), not built in
    retired: bool = False  # no longer offered or recognised; kept so past records still name it


@dataclass(slots=True)
class Involvement:
    actor: str  # actor code
    role: InvolvementRole = InvolvementRole.PERPETRATOR
    degree: InvolvementDegree = InvolvementDegree.CARRIED_OUT
    text: str = ""  # the mention as written


@dataclass(slots=True)
class VictimGroup:
    outcome: VictimOutcome
    kind: VictimKind = VictimKind.UNKNOWN
    unit: CountingUnit = CountingUnit.INDIVIDUAL
    count_min: int | None = None
    count_max: int | None = None
    sex: Sex = Sex.UNKNOWN
    age: AgeGroup = AgeGroup.UNKNOWN
    text: str = ""  # the mention as written
    # "Of whom 3 children and 2 women": parts of the group apart from one another (a child
    # is counted as a child whatever its sex; women and men are adults), None when not said.
    # Together they never pass ``count_max`` (see domain/breakdown.py).
    children: int | None = None
    women: int | None = None
    men: int | None = None


@dataclass(slots=True)
class Person:
    """A named victim or witness. Sensitive: never exported by default."""

    name: str  # as written, in its own script
    name_alt: str = ""  # another script's form, never a replacement
    sex: Sex = Sex.UNKNOWN
    age: int | None = None
    outcome: VictimOutcome | None = None
    incident_id: int | None = None
    confidentiality: Confidentiality = Confidentiality.CONFIDENTIAL
    id: int | None = None


@dataclass(slots=True)
class NamedPerson:
    """A person a report names as a victim of the incident, as the extractor found them.

    ``name`` is exactly as written (``span.quote``), never normalised;
    ``method`` names the rule that took it. Sensitive: stored only as a
    confidential person record (list "reports"), never on the incident.
    """

    name: str
    span: Span
    age: int | None = None
    sex: Sex = Sex.UNKNOWN  # only when the text says it ("الطفلة", "his wife")
    outcome: VictimOutcome | None = None
    role: str = "victim"
    method: str = ""


@dataclass(slots=True)
class Claim:
    """One fact about an incident and where it came from.

    ``method`` is a rule name ("rule:trigger/air-strike") for machine claims
    or "user:<name>" for a person's. ``value`` is JSON-serialisable.
    """

    field: ClaimField
    value: Any
    span: Span | None
    method: str
    confidence: float = 1.0
    source_id: int | None = None
    created_by: str = "system"
    created_at: datetime | None = None
    note: str = ""
    id: int | None = None
    # Set when a person replaced the value this claim supports (or a merge brought it
    # onto an incident whose own value stands): kept for the record, no longer current.
    superseded_at: datetime | None = None
    superseded_by: str = ""  # who replaced it
    superseded_note: str = ""  # why: the comment of the correction or the merge

    @property
    def current(self) -> bool:
        return self.superseded_at is None


@dataclass(slots=True)
class Incident:
    event_type: str
    violations: list[str] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    victims: list[VictimGroup] = field(default_factory=list)
    location: Location | None = None
    date: IncidentDate | None = None
    description: str = ""
    status: IncidentStatus = IncidentStatus.SUGGESTED
    confidentiality: Confidentiality = Confidentiality.RESTRICTED
    evidence: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    claims: list[Claim] = field(default_factory=list)
    source_id: int | None = None  # the source it was first extracted from
    merged_into_id: int | None = None  # set when status is MERGED
    # The lowest incident id among those judged the same event (None when it stands alone);
    # read from the store, derived from the judgements, never written from here.
    cluster_id: int | None = None
    # How many independent sources (distinct origins) tell the incident's cluster; filled when read.
    independent_sources: int | None = None
    # Persons the report names as victims, filled by the extractor and stored by ingest as person
    # records; never read back onto an incident (names are confidential).
    named: list[NamedPerson] = field(default_factory=list)
    id: int | None = None

    @property
    def perpetrators(self) -> list[Involvement]:
        return [i for i in self.involvements if i.role is InvolvementRole.PERPETRATOR]
