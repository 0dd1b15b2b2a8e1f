"""The named-persons stage: the persons a report names as victims, stored with the incidents they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import IngestContext

if TYPE_CHECKING:
    from ...domain import Incident, NamedPerson
    from ...domain.persons import PersonRecord


def record_id_for(source_id: int, span_start: int) -> str:
    """A report name's record id in the "reports" list: stable, so storing it again updates, never adds."""
    return f"source:{source_id}:{span_start}"


def person_record(named: NamedPerson, incident: Incident, *, source_id: int, incident_id: int) -> PersonRecord:
    """One name as a person record of the "reports" list, with the incident's date and place.

    The name is exactly as written; the date is the incident's EDTF; the
    place is as the report wrote it (the gazetteer's name and governorate
    beside it), so the record compares with victim lists' records.
    """
    from ...domain.persons import REPORTS_LIST, PersonRecord

    fields = {"name": named.name}
    if named.age is not None:
        fields["age"] = str(named.age)
    if str(named.sex) in ("female", "male"):
        fields["sex"] = str(named.sex)
    if named.outcome is not None:
        fields["outcome"] = str(named.outcome)
    if incident.date is not None and incident.date.edtf:
        fields["date"] = incident.date.edtf
    loc = incident.location
    extra = {"method": named.method, "role": named.role}
    if loc is not None:
        if loc.text or loc.name:
            fields["place"] = loc.text or loc.name
        if loc.admin1:
            fields["governorate"] = loc.admin1
        if loc.name and loc.name != fields.get("place"):
            extra["place_name"] = loc.name
        if loc.place_id:
            extra["place_id"] = loc.place_id
    return PersonRecord(list_name=REPORTS_LIST, record_id=record_id_for(source_id, named.span.start), fields=fields,
                        extra=extra, source_id=source_id, incident_id=incident_id, span_start=named.span.start,
                        span_end=named.span.end)


class NamedPersonsStage:
    """Store the persons the extractor found named in the document (``Incident.named``).

    Runs inside the document's transaction, after the index stage stored
    its incidents (so their ids are known): each name becomes a record of
    the "reports" person list (its incident, its exact span in the source's
    text, record id ``source:<id>:<start>``), which the person linker
    compares with victim lists, and a confidential person of its incident
    (what redaction's ``--persons`` and a package's ``--include-persons``
    read). Only a source this run stored gets here, so ingesting a report
    again adds no one twice. The audit entries name no one.
    """

    name = "named-persons"
    per_document = True
    in_transaction = True

    def run(self, ctx: IngestContext) -> None:
        from ...domain.enums import Confidentiality
        from ...domain.model import Person
        from ...store.incidents import insert_person
        from ...store.person_records import upsert_in

        doc = ctx.document
        if doc.source_id is None or not doc.created:
            return
        records = []
        for incident, incident_id in zip(doc.incidents, doc.incident_ids):
            for named in incident.named:
                records.append(person_record(named, incident, source_id=doc.source_id, incident_id=incident_id))
                insert_person(ctx.session, Person(name=named.name, sex=named.sex, age=named.age,
                                                  outcome=named.outcome, incident_id=incident_id,
                                                  confidentiality=Confidentiality.CONFIDENTIAL),
                              user=ctx.actor, comment=f"named in source {doc.source_id} ({named.method})")
        if records:
            upsert_in(ctx.session, records, actor=ctx.actor)
