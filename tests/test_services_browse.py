"""Browsing services: the sources list, user-aware search, a source's evidence marks, and clearing
a place or a date. Real SQLite and PostgreSQL; each rule is checked from the side that could leak."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
    Source,
    SourceKind,
    Span,
)
from tawthiq.domain.access import Role, User
from tawthiq.services import Workspace, browse, review
from tawthiq.services.errors import NotFound, PermissionDenied, ServiceError
from tawthiq.services.review import CLEAR, IncidentChanges
from tawthiq.store import repository
from tawthiq.store.browse import EVIDENCE_FIELD
from tawthiq.store.db import Database

from _users import DOCUMENTER, REVIEWER, VIEWER

ARIHA = "قصف جوي روسي على مدينة أريحا في ريف إدلب يوم 7 تشرين الأول 2015 أدى إلى مقتل خمسة مدنيين."
DOUMA = "Shelling hit the market in Douma on 3 March 2018,\n\n   killing three civilians. " + "x" * 300


def _source(db: Database, sha: str, text: str, **extra: object) -> int:
    sid, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text, **extra))  # type: ignore[arg-type]
    return sid


def _incident(db: Database, source_id: int | None, text: str, *, conf: Confidentiality,
              status: IncidentStatus = IncidentStatus.CONFIRMED, evidence: bool = True,
              description: str = "") -> int:
    span = Span.of(text, 0, 12)
    return repository.add_incident(db, Incident(
        event_type="air-drone-strike", status=status, confidentiality=conf, source_id=source_id,
        description=description or text[:60], location=Location(name="Ariha", admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07"), evidence=[Span.of(text, 0, 30)] if evidence else [],
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=span, method="rule:x",
                      source_id=source_id),
                Claim(field=ClaimField.LOCATION, value={"name": "Ariha"}, span=None, method="rule:place",
                      source_id=source_id)],
    ))


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The SQL statements run inside the block (to show a page costs a fixed number of queries)."""
    seen: list[str] = []

    def hook(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)


# --------------------------------------------------------------- sources list


def test_source_page_newest_first_with_visible_counts_and_excerpt(ws: Workspace, db: Database) -> None:
    old = _source(db, "a", DOUMA, title="Douma report", language="en", published=date(2018, 3, 4))
    new = _source(db, "b", ARIHA, original_name="ariha.txt", language="ar")
    cites = _source(db, "c", "A later note that also mentions the Douma market.")
    _incident(db, old, DOUMA, conf=Confidentiality.PUBLIC)
    _incident(db, old, DOUMA, conf=Confidentiality.CONFIDENTIAL)
    merged_away = _incident(db, old, DOUMA, conf=Confidentiality.RESTRICTED, status=IncidentStatus.SUGGESTED)
    target = _incident(db, new, ARIHA, conf=Confidentiality.RESTRICTED)
    review.merge(ws, user=REVIEWER, incident_id=merged_away, into_id=target, comment="same strike")
    # A claim on another incident citing the third source makes it count there, once however many claims.
    for _ in range(2):
        repository.add_claim(db, target, Claim(field=ClaimField.DESCRIPTION, value="market", span=None,
                                               method="human", source_id=cites), user="rana")

    page = browse.source_page(ws, user=DOCUMENTER, page=1, per_page=50)
    assert [s.id for s in page.items] == [cites, new, old] and page.total == 3 and page.pages == 1
    by_id = {s.id: s for s in page.items}
    # The merged one now counts on the target's sources only (its claims were copied there, citing "old").
    assert by_id[old].incidents == 3  # public + confidential + the merge target that cites it
    assert by_id[new].incidents == 1 and by_id[cites].incidents == 1
    summary = by_id[old]
    assert summary.title == "Douma report" and summary.published == date(2018, 3, 4) and summary.language == "en"
    assert summary.sha256 == "a" * 64 and summary.kind == "text" and summary.created_at is not None
    assert summary.excerpt == " ".join(DOUMA[:160].split()) and len(summary.excerpt) <= 160
    assert not hasattr(summary, "text")
    assert by_id[new].excerpt == ARIHA[:160] and by_id[new].original_name == "ariha.txt"


def test_source_page_needs_read_sources_and_pages(ws: Workspace, db: Database) -> None:
    ids = [_source(db, f"{n:x}", f"report number {n}") for n in range(7)]
    with pytest.raises(PermissionDenied):
        browse.source_page(ws, user=VIEWER, page=1, per_page=10)
    with pytest.raises(PermissionDenied):
        browse.source_slice(ws, user=User(id=9, username="gone", role=Role.DOCUMENTER, disabled=True), limit=5)
    second = browse.source_page(ws, user=DOCUMENTER, page=2, per_page=3)
    assert [s.id for s in second.items] == ids[::-1][3:6] and second.pages == 3 and second.total == 7
    past = browse.source_page(ws, user=DOCUMENTER, page=99, per_page=3)
    assert past.page == 3 and [s.id for s in past.items] == [ids[0]]
    items, total = browse.source_slice(ws, user=DOCUMENTER, limit=2, offset=1)
    assert [s.id for s in items] == ids[::-1][1:3] and total == 7


def test_source_page_search_words_fold_arabic(ws: Workspace, db: Database) -> None:
    ariha = _source(db, "a", ARIHA)
    _source(db, "b", DOUMA)
    found = browse.source_page(ws, user=DOCUMENTER, page=1, per_page=10, q="اريحا")  # typed without hamza
    assert [s.id for s in found.items] == [ariha] and found.total == 1
    assert browse.source_page(ws, user=DOCUMENTER, page=1, per_page=10, q="!!!").total == 0
    assert browse.source_page(ws, user=DOCUMENTER, page=1, per_page=10, q="  ").total == 2


def test_source_page_costs_the_same_queries_for_few_or_many_sources(ws: Workspace, db: Database) -> None:
    def statements() -> int:
        with counted(db) as seen:
            browse.source_page(ws, user=DOCUMENTER, page=1, per_page=50)
        return len(seen)

    first = _source(db, "0", "first report")
    _incident(db, first, "first report", conf=Confidentiality.PUBLIC)
    few = statements()
    for n in range(1, 30):
        sid = _source(db, f"{n:x}", f"report {n}")
        _incident(db, sid, f"report {n}", conf=Confidentiality.RESTRICTED)
    assert statements() == few <= 4  # the page, its total, its incident counts, its tags


# -------------------------------------------------------------------- search


def test_search_cuts_hits_to_what_the_user_may_see(ws: Workspace, db: Database) -> None:
    sid = _source(db, "a", ARIHA)
    public = _incident(db, sid, ARIHA, conf=Confidentiality.PUBLIC)
    restricted = _incident(db, sid, ARIHA, conf=Confidentiality.RESTRICTED)
    confidential = _incident(db, sid, ARIHA, conf=Confidentiality.CONFIDENTIAL)
    merged = _incident(db, sid, ARIHA, conf=Confidentiality.PUBLIC, status=IncidentStatus.SUGGESTED)
    review.merge(ws, user=REVIEWER, incident_id=merged, into_id=public, comment="same")

    staff = browse.search(ws, user=DOCUMENTER, query="أريحا")
    assert {(h.kind, h.id) for h in staff} == {("source", sid), ("incident", public), ("incident", restricted),
                                               ("incident", confidential)}
    assert [h.rank for h in staff] == sorted((h.rank for h in staff), reverse=True)
    viewer = browse.search(ws, user=VIEWER, query="اريحا")  # hamza folded
    assert [(h.kind, h.id) for h in viewer] == [("incident", public)]
    assert [(h.kind, h.id) for h in browse.search(ws, user=VIEWER, query="ARIHA")] == [("incident", public)]
    with pytest.raises(ServiceError):
        browse.search(ws, user=VIEWER, query="   ")
    assert browse.search(ws, user=VIEWER, query="***") == []


def test_search_limit_counts_only_visible_hits(ws: Workspace, db: Database) -> None:
    sid = _source(db, "a", ARIHA)
    for _ in range(6):
        _incident(db, sid, ARIHA, conf=Confidentiality.RESTRICTED)
    public = _incident(db, sid, "مدنيين " * 3 + ARIHA, conf=Confidentiality.PUBLIC,
                       description="خبر قصير عن أريحا")  # ranked below the longer restricted ones
    hits = browse.search(ws, user=VIEWER, query="أريحا", limit=2)
    assert [(h.kind, h.id) for h in hits] == [("incident", public)]
    assert "أريحا" in hits[0].snippet
    assert len(browse.search(ws, user=DOCUMENTER, query="أريحا", limit=3)) == 3


# ------------------------------------------------------------------ evidence


def test_source_evidence_marks_claims_and_evidence_of_visible_incidents(ws: Workspace, db: Database) -> None:
    sid = _source(db, "a", ARIHA)
    other = _source(db, "b", DOUMA)
    first = _incident(db, sid, ARIHA, conf=Confidentiality.PUBLIC)
    second = _incident(db, sid, ARIHA, conf=Confidentiality.CONFIDENTIAL, evidence=False)
    elsewhere = _incident(db, other, DOUMA, conf=Confidentiality.PUBLIC)
    # A claim on an incident from another source, quoting this one, is marked here (and only here).
    start = ARIHA.index("خمسة مدنيين")
    cited = repository.add_claim(db, elsewhere, Claim(
        field=ClaimField.VICTIMS, value={"count_min": 5}, span=Span.of(ARIHA, start, start + 11),
        method="human", source_id=sid), user="rana")
    merged = _incident(db, sid, ARIHA, conf=Confidentiality.PUBLIC, status=IncidentStatus.SUGGESTED)
    review.merge(ws, user=REVIEWER, incident_id=merged, into_id=second, comment="same")

    marks = browse.source_evidence(ws, user=DOCUMENTER, source_id=sid)
    got = {(m.incident_id, m.field, m.start, m.end, m.claim_id is not None) for m in marks}
    assert (first, EVIDENCE_FIELD, 0, 30, False) in got and (first, "event_type", 0, 12, True) in got
    assert (second, "event_type", 0, 12, True) in got
    assert not any(m.incident_id == second and m.field == EVIDENCE_FIELD for m in marks)
    assert (elsewhere, "victims", start, start + 11, True) in got
    assert any(m.claim_id == cited for m in marks)
    assert merged not in {m.incident_id for m in marks}  # its copies on "second" are marked instead
    assert all(m.incident_id != elsewhere or m.field == "victims" for m in marks)  # not its Douma spans
    assert {m.incident_id for m in browse.source_evidence(ws, user=DOCUMENTER, source_id=other)} == {elsewhere}
    with pytest.raises(PermissionDenied):
        browse.source_evidence(ws, user=VIEWER, source_id=sid)
    with pytest.raises(NotFound):
        browse.source_evidence(ws, user=DOCUMENTER, source_id=424242)


# ------------------------------------------------------ clearing place, date


def test_clearing_place_and_date_is_recorded_as_a_human_claim(ws: Workspace, db: Database) -> None:
    sid = _source(db, "a", ARIHA)
    incident_id = _incident(db, sid, ARIHA, conf=Confidentiality.RESTRICTED)
    with pytest.raises(ServiceError):  # overriding the machine needs a reason
        review.update_incident(ws, user=DOCUMENTER, incident_id=incident_id,
                               changes=IncidentChanges(location=CLEAR), comment="")
    changed = review.update_incident(ws, user=DOCUMENTER, incident_id=incident_id,
                                     changes=IncidentChanges(location=CLEAR, date=CLEAR),
                                     comment="the report names neither")
    assert sorted(changed) == ["date", "location"]
    incident = repository.get_incident(db, incident_id)
    assert incident is not None and incident.location is None and incident.date is None
    entry = repository.incident_history(db, incident_id)[-1]
    assert entry.action == "edit" and entry.user == "amal" and entry.comment == "the report names neither"
    assert entry.before is not None and entry.before["location"]["name"] == "Ariha"
    assert entry.before["date"]["edtf"] == "2015-10-07"
    assert entry.after == {"location": None, "date": None}
    human = [c for c in incident.claims if c.method == "human"]
    assert {(str(c.field), c.value, c.created_by) for c in human} == {("location", None, "amal"),
                                                                      ("date", None, "amal")}
    # Already empty: nothing changes and nothing is recorded.
    entries = len(repository.incident_history(db, incident_id))
    assert review.update_incident(ws, user=DOCUMENTER, incident_id=incident_id,
                                  changes=IncidentChanges(location=CLEAR, date=CLEAR), comment="again") == []
    assert len(repository.incident_history(db, incident_id)) == entries
    # And a place can be given again afterwards.
    review.update_incident(ws, user=DOCUMENTER, incident_id=incident_id,
                           changes=IncidentChanges(location=Location(name="Idlib")), comment="found it")
    assert repository.get_incident(db, incident_id).location.name == "Idlib"  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        review.update_incident(ws, user=VIEWER, incident_id=incident_id,
                               changes=IncidentChanges(date=CLEAR), comment="no")
