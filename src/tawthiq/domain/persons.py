"""Person records: one entry of a victim list, or one person a report names.

A documentation group's victim list (VDC, SNHR, a local council's) is kept
record by record, exactly as written: names stay in their own script, and a
romanised or normalised form is derived when comparing, never stored in
their place. Columns a list has beyond the person fields travel with the
record as ``extra`` attributes. ``list_name`` and ``record_id`` say where a
record comes from: re-importing a list updates its records, never adds them
twice. Names are confidential: only admins and reviewers see them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The person fields, in the order exports write them. ``name`` is the full name as
# written; the parts are given when the list gives them; ``date`` is EDTF.
PERSON_FIELDS: tuple[str, ...] = (
    "name", "given_name", "father_name", "grandfather_name", "family_name", "mother_name", "nickname",
    "sex", "age", "birth_date", "birth_year", "origin", "governorate", "date", "place", "outcome", "cause",
    "perpetrator", "notes",
)

# A person named in a report belongs to this pseudo-list, so reports and lists link to each other.
REPORTS_LIST = "reports"


@dataclass(slots=True)
class PersonRecord:
    """One person as one list (or one report) gives them; ``fields`` holds only the person fields given."""

    list_name: str
    record_id: str  # the record's id in its list (a row number when the list has no id column)
    fields: dict[str, str] = field(default_factory=dict)  # field name -> value as written
    extra: dict[str, str] = field(default_factory=dict)  # columns mapped to no field, as written
    source_id: int | None = None  # the ingested list file (or report) it came from
    incident_id: int | None = None  # for a person named in a report: the incident they belong to
    span_start: int | None = None  # for a person named in a report: where the name is in the source's text
    span_end: int | None = None
    cluster_id: int | None = None  # the lowest record id among those judged the same person
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def get(self, name: str) -> str:
        return self.fields.get(name, "")
