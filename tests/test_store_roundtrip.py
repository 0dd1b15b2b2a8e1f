"""Sources and incidents survive a round trip through both databases unchanged."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tawthiq.domain import (
    AgeGroup,
    Claim,
    ClaimField,
    Confidentiality,
    CountingUnit,
    Credibility,
    DatePrecision,
    Incident,
    IncidentDate,
    IncidentStatus,
    Involvement,
    InvolvementDegree,
    InvolvementRole,
    Location,
    LocationPrecision,
    Person,
    Reliability,
    Sex,
    Source,
    SourceEvaluation,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.tables import claims

TEXT = (
    "قصفت طائرات حربية روسية سوق مدينة أريحا بريف إدلب يوم 7 تشرين الأول 2015، ما أسفر عن مقتل 12 مدنياً "
    "بينهم 3 أطفال. Russian warplanes struck the market in Ariha on 7 October 2015."
)


def make_source(*, sha: str = "a" * 64, record_key: str = "", text: str = TEXT) -> Source:
    return Source(
        kind=SourceKind.RECORD,
        sha256=sha,
        text=text,
        title="تقرير أريحا",
        author="Syrian Network for Human Rights",
        url="https://example.org/r/1",
        language="ar",
        published=date(2015, 10, 8),
        retrieved_at=datetime(2015, 10, 9, 12, 30, tzinfo=timezone(timedelta(hours=3))),
        original_name="reports.csv",
        media_type="text/csv",
        size=len(text.encode("utf-8", "surrogatepass")),
        record_key=record_key,
        evaluation=SourceEvaluation(
            reliability=Reliability.B, credibility=Credibility.PROBABLY_TRUE, note="established NGO",
            graded_by="amal", graded_at=datetime(2015, 10, 10, 8, 0, tzinfo=UTC),
        ),
        metadata={"row": 3, "الجهة": "الشبكة السورية", "tags": ["market", "سوق"]},
    )


def make_incident(text: str = TEXT) -> Incident:
    start = text.index("قصفت")
    end = text.index("أطفال") + len("أطفال")
    return Incident(
        event_type="air-drone-strike",
        violations=["killing", "indiscriminate-attack"],
        involvements=[
            Involvement(actor="russia", role=InvolvementRole.PERPETRATOR, degree=InvolvementDegree.CARRIED_OUT,
                        text="طائرات حربية روسية"),
            Involvement(actor="syrian-government", role=InvolvementRole.PERPETRATOR,
                        degree=InvolvementDegree.SUSPECTED, text=""),
        ],
        victims=[
            VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, unit=CountingUnit.INDIVIDUAL,
                        count_min=12, count_max=12, sex=Sex.MIXED, age=AgeGroup.MIXED, text="12 مدنياً"),
            VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=None,
                        age=AgeGroup.CHILD, text="3 أطفال"),
        ],
        location=Location(name="Ariha", text="أريحا", name_ar="أريحا", country="SY", admin1="Idlib",
                          admin2="Ariha", admin3="Ariha", lat=35.8126, lon=36.6087,
                          precision=LocationPrecision.TOWN, place_id="SY070200"),
        date=IncidentDate(edtf="2015-10-07", text="يوم 7 تشرين الأول 2015", precision=DatePrecision.DAY),
        description="غارة جوية روسية على سوق أريحا",
        status=IncidentStatus.SUGGESTED,
        confidentiality=Confidentiality.PUBLIC,
        evidence=[Span.of(text, start, end)],
        confidence=0.82,
        claims=[
            Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=Span.of(text, start, start + 4),
                  method="rule:trigger/air-strike", confidence=0.9),
            Claim(field=ClaimField.VICTIMS, value={"count_min": 12, "count_max": 12, "outcome": "killed"},
                  span=Span.of(text, start, end), method="rule:victims/count", confidence=0.8,
                  created_at=datetime(2015, 10, 9, 1, 2, 3, tzinfo=timezone(timedelta(hours=-5))),
                  note="ملاحظة"),
            Claim(field=ClaimField.DESCRIPTION, value=None, span=None, method="user:amal", created_by="amal"),
        ],
    )


def test_full_incident_round_trip(db: Database) -> None:
    source = make_source()
    incident = make_incident()
    source_id, created, ids = repository.add_source_with_incidents(db, source, [incident])
    assert created and len(ids) == 1

    stored = repository.get_source(db, source_id)
    assert stored is not None
    assert stored.id == source_id
    source.id = source_id
    assert stored.retrieved_at == source.retrieved_at  # same instant, returned in UTC
    assert stored.retrieved_at is not None and stored.retrieved_at.utcoffset() == timedelta(0)
    assert stored == source

    got = repository.get_incident(db, ids[0])
    assert got is not None
    assert got.id == ids[0] and got.source_id == source_id
    for name in ("event_type", "violations", "involvements", "victims", "location", "date", "description",
                 "status", "confidentiality", "evidence", "confidence"):
        assert getattr(got, name) == getattr(incident, name), name
    assert got.evidence[0].quote == TEXT[got.evidence[0].start:got.evidence[0].end]

    assert len(got.claims) == 3
    for want, have in zip(incident.claims, got.claims, strict=True):
        assert have.id is not None
        assert have.source_id == source_id  # defaulted to the source being stored
        assert (have.field, have.value, have.span, have.method, have.confidence, have.note) == (
            want.field, want.value, want.span, want.method, want.confidence, want.note)
        assert have.created_by == want.created_by
        assert have.created_at is not None and have.created_at.tzinfo is not None
    assert got.claims[1].created_at == incident.claims[1].created_at


def test_incident_without_location_or_date_round_trips_as_none(db: Database) -> None:
    sid, _, [iid] = repository.add_source_with_incidents(db, make_source(), [Incident(event_type="attack")])
    got = repository.get_incident(db, iid)
    assert got is not None
    assert got.location is None and got.date is None
    assert got.violations == [] and got.claims == [] and got.source_id == sid


def test_add_source_is_idempotent_on_sha_and_record_key(db: Database) -> None:
    first = repository.add_source(db, make_source())
    again = repository.add_source(db, make_source())
    other_row = repository.add_source(db, make_source(record_key="row-2"))
    assert first[1] is True and again == (first[0], False)
    assert other_row[1] is True and other_row[0] != first[0]
    assert repository.count_sources(db) == 2
    found = repository.find_source(db, sha256="a" * 64, record_key="row-2")
    assert found is not None and found.id == other_row[0]


def test_reingest_adds_no_incidents(db: Database) -> None:
    sid, created, ids = repository.add_source_with_incidents(db, make_source(), [make_incident(), make_incident()])
    assert created and len(ids) == 2
    again = repository.add_source_with_incidents(db, make_source(), [make_incident()])
    assert again == (sid, False, [])
    assert repository.count_incidents(db) == 2
    assert [i.id for i in repository.incidents_for_source(db, sid)] == ids


def test_failed_batch_leaves_nothing_behind(db: Database) -> None:
    bad = make_incident()
    bad.victims[0].outcome = "not-an-outcome"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        repository.add_source_with_incidents(db, make_source(), [make_incident(), bad])
    assert repository.count_sources(db) == 0
    assert repository.count_incidents(db) == 0
    # and the retry stores it all
    assert repository.add_source_with_incidents(db, make_source(), [make_incident()])[1] is True


def test_hostile_values_are_stored_not_fatal(db: Database) -> None:
    text = "a\x00b\ud800c قصف"
    source = make_source(sha="b" * 64, text=text)
    incident = Incident(event_type="attack", description="x\x00y",
                        victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=10**30, count_max=None)],
                        confidence=float("nan"),
                        claims=[Claim(field=ClaimField.VICTIMS, value={"n": float("inf"), "d": date(2015, 1, 2)},
                                      span=Span.of(text, 0, 3), method="rule:x")])
    sid, _, [iid] = repository.add_source_with_incidents(db, source, [incident])
    stored = repository.get_source(db, sid)
    assert stored is not None
    assert stored.text == "a\ufffdb\ufffdc قصف"
    assert len(stored.text) == len(text)  # offsets of spans still hold
    got = repository.get_incident(db, iid)
    assert got is not None
    assert got.victims[0].count_min is None
    assert got.confidence == 0.5
    assert got.claims[0].value == {"n": None, "d": "2015-01-02"}


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session(write=True) as session:
        session.execute(insert(claims).values(incident_id=9999, field="date", value=None, method="rule:x",
                                              confidence=1.0, created_by="system",
                                              created_at=datetime.now(UTC), note=""))


def test_persons_are_kept_apart_from_the_incident(db: Database) -> None:
    _, _, [iid] = repository.add_source_with_incidents(db, make_source(), [make_incident()])
    pid = repository.add_person(db, Person(name="محمد الأحمد", name_alt="Mohammad al-Ahmad", sex=Sex.MALE,
                                           age=34, outcome=VictimOutcome.KILLED, incident_id=iid), user="amal")
    people = repository.persons_for_incident(db, iid)
    assert [p.id for p in people] == [pid]
    assert people[0].name == "محمد الأحمد" and people[0].name_alt == "Mohammad al-Ahmad"
    assert people[0].confidentiality is Confidentiality.CONFIDENTIAL
    history = repository.history(db, entity="person", entity_id=pid)
    assert [h.user for h in history] == ["amal"]
    assert "محمد" not in str(history[0].after)


def test_list_sources_pages(db: Database) -> None:
    ids = [repository.add_source(db, make_source(sha=c * 64))[0] for c in "abcde"]
    assert [s.id for s in repository.list_sources(db)] == ids
    assert [s.id for s in repository.list_sources(db, limit=2, offset=1)] == ids[1:3]
    assert repository.list_sources(db, limit=0) == []
