"""Identical suggestions from one source, folded into one row of the review queue (services/queue_folds.py):
what "identical" means, the rows, totals and pages of the folded queue, and a decision on a whole fold
(each suggestion decided and recorded on its own). Real SQLite (and PostgreSQL when configured)."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from _users import DOCUMENTER, REVIEWER
from sqlalchemy import event

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
    Source,
    SourceKind,
)
from tawthiq.domain.enums import InvolvementDegree, VictimOutcome
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Involvement, Person, VictimGroup
from tawthiq.services import Workspace, queue_work, reading
from tawthiq.services.queue_folds import IDENTITY_COLUMNS, Said, identity
from tawthiq.store import repository
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident
from tawthiq.store.queue_folds import NARROW, Parts

TEXT = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"


def _source(ws: Workspace, key: str) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=key * 64, text=TEXT * 3))
    return sid


def _said(**changes: object) -> Incident:
    """The suggestion a repeated report gives, with ``changes``."""
    base = Incident(event_type="air-drone-strike", description="Russian jets struck a bakery in Ariha",
                    location=Location(name="Ariha", admin1="Idlib", text="Ariha"),
                    date=IncidentDate(edtf="2019-05-12"), violations=["attack-on-civilians"],
                    involvements=[Involvement(actor="RU-AF")],
                    victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=2, count_max=2)])
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _add(ws: Workspace, source_id: int | None, n: int = 1, **changes: object) -> list[int]:
    return [repository.add_incident(ws.db, dataclasses.replace(_said(**changes), source_id=source_id))
            for _ in range(n)]


def _queue(ws: Workspace, **kwargs: object) -> reading.QueuePage:
    return reading.review_queue(ws, user=DOCUMENTER, **kwargs)  # type: ignore[arg-type]


def _rows(found: reading.QueuePage) -> list[tuple[int, int]]:
    return [(r.summary.id, r.identical) for r in found.page.items]


@contextmanager
def _selects(ws: Workspace) -> Iterator[list[str]]:
    seen: list[str] = []

    def hook(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    engine = ws.db.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)


# ------------------------------------------------------------------ identity


def test_identity_is_the_same_for_the_same_things_said_and_differs_for_each_one_changed() -> None:
    row = dict(zip(IDENTITY_COLUMNS, (4, "air-drone-strike", "2019-05-12", True, "SY0701", "Ariha", "Ariha", "Idlib",
                                      "Ariha", "", "Russian jets struck a bakery", "restricted")))
    parts = Parts(involvements=(("RU-AF", "perpetrator", "carried-out"),), violations=("attack-on-civilians",),
                  victims=(("killed", "civilian", "individual", 2, 2, "unknown", "unknown", -1, -1, -1),))
    same = Said(row=tuple(row.values()), parts=parts, incident_id=1)
    assert identity(same) == identity(dataclasses.replace(same, incident_id=2))
    for column, other in (("source_id", 5), ("event_type", "shelling-artillery-missile-attack"),
                          ("date_edtf", "2019-05-13"), ("loc_place_id", "SY0702"), ("loc_name", "Idlib"),
                          ("description", "Russian jets struck a school"), ("confidentiality", "confidential")):
        changed = Said(row=tuple({**row, column: other}.values()), parts=parts, incident_id=2)
        assert identity(changed) != identity(same), column
    for part, other in (("involvements", (("SY-GOV", "perpetrator", "carried-out"),)),
                        ("involvements", (("RU-AF", "perpetrator", "suspected"),)), ("violations", ()),
                        ("victims", (("killed", "civilian", "individual", 3, 3, "unknown", "unknown", -1, -1, -1),)),
                        ("persons", (("Ahmad", "", "male", -1, "killed"),))):
        changed = Said(row=same.row, parts=dataclasses.replace(parts, **{part: other}), incident_id=2)
        assert identity(changed) != identity(same), part
    # Without a source there is no report it repeats: identical to nothing, itself included in another copy.
    alone = Said(row=tuple({**row, "source_id": None}.values()), parts=parts, incident_id=1)
    assert identity(alone) != identity(dataclasses.replace(alone, incident_id=2))
    # The database looks for candidates among suggestions sharing these first: identity must compare them too.
    assert set(NARROW) <= set(IDENTITY_COLUMNS)


def test_the_queue_folds_what_is_identical_from_one_source_and_nothing_else(ws: Workspace) -> None:
    report, other = _source(ws, "a"), _source(ws, "b")
    copies = _add(ws, report, 5)
    more_dead = _add(ws, report, victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=3, count_max=3)])
    blamed_else = _add(ws, report, involvements=[Involvement(actor="RU-AF", degree=InvolvementDegree.SUSPECTED)])
    told_else = _add(ws, report, description="Another strike on the bakery in Ariha")
    elsewhere = _add(ws, other, 2)  # the same account in another report: two rows of their own, folded apart
    by_hand = _add(ws, None, 2)  # no source: never folded
    named = _add(ws, report, 2)
    repository.add_person(ws.db, Person(name="Ahmad", incident_id=named[0]), user="amal")  # names someone: apart
    found = _queue(ws, sort="-id")
    # The copy naming nobody is one more copy (the newest: the row shown); the one naming someone stands apart.
    assert _rows(found) == [(named[1], 5), (named[0], 0), (by_hand[1], 0), (by_hand[0], 0), (elsewhere[1], 1),
                            (told_else[0], 0), (blamed_else[0], 0), (more_dead[0], 0)]
    # The total counts rows; the suggestions they stand for are counted too.
    assert (found.page.total, found.page.pages, found.suggestions) == (8, 1, 14)
    # The row shown is the first of its fold in the queue's order.
    oldest = _queue(ws, sort="id")
    assert (copies[0], 5) in _rows(oldest) and (elsewhere[0], 1) in _rows(oldest)
    assert [i for i, _ in _rows(_queue(ws, sort="confidence"))].count(copies[0]) == 1
    # Unfolded, every suggestion is a row.
    assert _queue(ws, fold=False).page.total == 14 == _queue(ws, fold=False).suggestions


def test_pages_of_the_folded_queue_count_rows_and_leave_out_no_row(ws: Workspace) -> None:
    report = _source(ws, "c")
    copies = _add(ws, report, 30)
    singles = [i for day in range(1, 8) for i in _add(ws, report, date=IncidentDate(edtf=f"2019-06-{day:02d}"))]
    rows = []
    for number in (1, 2, 3):
        found = _queue(ws, sort="id", page=number, per_page=3)
        assert (found.page.total, found.page.pages, found.suggestions) == (8, 3, 37)
        rows += _rows(found)
    assert rows == [(copies[0], 29)] + [(i, 0) for i in singles]


def test_folding_reads_no_report_text_and_costs_the_same_for_ten_copies_or_sixty(ws: Workspace) -> None:
    costs = []
    for key, copies in (("d", 10), ("e", 60)):
        report = _source(ws, key)
        _add(ws, report, copies)
        with _selects(ws) as seen:
            found = _queue(ws, filters=IncidentFilter(source_id=report))
        assert _rows(found)[0][1] == copies - 1
        assert not any(re.search(r"sources\.text\b", s) for s in seen)
        costs.append(len(seen))
    assert costs[0] == costs[1]


def test_a_decision_on_the_identical_ones_decides_each_on_its_own_and_keeps_the_row(ws: Workspace) -> None:
    report = _source(ws, "f")
    copies = _add(ws, report, 6)
    lone = _add(ws, report, event_type="detention")[0]
    queue = IncidentFilter(source_id=report)
    row = _rows(_queue(ws, filters=queue))[1]
    assert row == (copies[-1], 5)
    # Reject the copies, keep the row for review.
    outcome = queue_work.decide_many(ws, user=DOCUMENTER, incident_ids=[], identical_to=[copies[-1]],
                                     verdict="reject", comment="the same account, repeated in the paste",
                                     filters=queue)
    assert sorted(outcome.done) == copies[:-1] and not outcome.refused and outcome.left == 0
    for i in copies[:-1]:
        incident = get_incident(ws.db, i)
        assert incident is not None and incident.status is IncidentStatus.REJECTED  # kept, not deleted
        last = incident_history(ws.db, i)[-1]
        assert (last.user, last.comment, (last.after or {}).get("status")) == (
            "amal", "the same account, repeated in the paste", "rejected")
    assert get_incident(ws.db, copies[-1]).status is IncidentStatus.SUGGESTED  # type: ignore[union-attr]
    # The queue at once: the row alone, nothing folded any more (no stale fold hides a suggestion).
    assert _rows(_queue(ws, filters=queue)) == [(lone, 0), (copies[-1], 0)]


def test_a_fold_decided_whole_and_the_refusals_of_what_was_decided_meanwhile(ws: Workspace) -> None:
    report = _source(ws, "g")
    copies = _add(ws, report, 4)
    reading_now = _rows(_queue(ws, sort="id"))
    assert reading_now == [(copies[0], 3)]
    queue_work.decide_many(ws, user=REVIEWER, incident_ids=[copies[2]], verdict="accept")  # someone else, meanwhile
    outcome = queue_work.decide_many(ws, user=DOCUMENTER, incident_ids=[copies[0]], identical_to=[copies[0]],
                                     verdict="accept", comment="checked against the report")
    assert sorted(outcome.done) == [copies[0], copies[1], copies[3]] and not outcome.refused
    assert all(get_incident(ws.db, i).status is IncidentStatus.CONFIRMED for i in copies)  # type: ignore[union-attr]
    assert _queue(ws).page.total == 0


def test_copies_kept_at_another_confidentiality_are_folded_apart(ws: Workspace) -> None:
    report = _source(ws, "h")
    shared = _add(ws, report, 3)
    closer = _add(ws, report, 2, confidentiality=Confidentiality.CONFIDENTIAL)
    for user in (REVIEWER, DOCUMENTER):
        assert _rows(reading.review_queue(ws, user=user)) == [(closer[-1], 1), (shared[-1], 2)]


def test_identical_ones_beyond_the_limit_are_left_folded_for_another_pass(ws: Workspace,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_work, "MAX_IDENTICAL", 2)
    copies = _add(ws, _source(ws, "k"), 5)
    outcome = queue_work.decide_many(ws, user=DOCUMENTER, incident_ids=[], identical_to=[copies[-1]],
                                     verdict="reject", comment="repeated")
    assert (len(outcome.done), outcome.left) == (2, 2)
    assert _rows(_queue(ws)) == [(copies[-1], 2)]
    again = queue_work.decide_many(ws, user=DOCUMENTER, incident_ids=[], identical_to=[copies[-1]],
                                   verdict="reject", comment="repeated")
    assert (len(again.done), again.left) == (2, 0) and _rows(_queue(ws)) == [(copies[-1], 0)]
