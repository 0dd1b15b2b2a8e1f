"""Every figure counts events (clusters), not reports: a cluster's victims are its sources' documented range."""
from __future__ import annotations

from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision, VictimOutcome
from tawthiq.domain.judgements import Judgement, Subject, Verdict
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.stats import by_governorate, by_month, by_outcome, by_perpetrator, month_histogram, totals
from tawthiq.store import judgements, repository
from tawthiq.store.db import Database
from tawthiq.store.statistics import dated_rows, placed_rows

ALL = tuple(Confidentiality)


def _add(db: Database, *, killed: tuple[int, int | None] | None, perps: tuple[str, ...] = ("russia",),
         edtf: str = "2015-10-07", precision: DatePrecision = DatePrecision.DAY, gov: str = "Idlib",
         injured: tuple[int, int | None] | None = None) -> int:
    victims = []
    if killed is not None:
        victims.append(VictimGroup(outcome=VictimOutcome.KILLED, count_min=killed[0], count_max=killed[1]))
    if injured is not None:
        victims.append(VictimGroup(outcome=VictimOutcome.INJURED, count_min=injured[0], count_max=injured[1]))
    return repository.add_incident(db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        involvements=[Involvement(actor=a) for a in perps], victims=victims,
        date=IncidentDate(edtf=edtf, precision=precision),
        location=Location(name="Ariha", admin1=gov, lat=35.8, lon=36.6, precision=LocationPrecision.TOWN)))


def _same(db: Database, a: int, b: int) -> int:
    return judgements.record(db, Judgement(subject=Subject.INCIDENT, left_id=a, right_id=b, verdict=Verdict.SAME,
                                           actor="rana", by_person=True))


def test_three_reports_of_one_strike_are_one_event_with_the_documented_range(db: Database) -> None:
    # One strike told three times (5, 7 and "at least 6" killed; one says nothing of the dead),
    # and another strike with 3 killed.
    a = _add(db, killed=(5, 5), injured=(10, 10))
    b = _add(db, killed=(7, 7), perps=("russia", "syrian-government"), edtf="2015-10", precision=DatePrecision.MONTH)
    c = _add(db, killed=None, injured=(12, 14))
    other = _add(db, killed=(3, 3), gov="Aleppo", edtf="2016-01-02")
    before = totals(db, visible=ALL)
    assert (before.incidents, before.killed_min, before.killed_max) == (4, 15, 15)  # reports, summed
    _same(db, a, b)
    _same(db, b, c)
    t = totals(db, visible=ALL)
    # Two events; the strike's dead are 5–7 (never 5 + 7 + 0), plus 3.
    assert (t.incidents, t.killed_min, t.killed_max) == (2, 8, 10)
    # Injured: only a and c speak of them: 10–14.
    assert (t.injured_min, t.injured_max) == (10, 14)
    perps = {x.key: x for x in by_perpetrator(db, visible=ALL)}
    assert perps["russia"].incidents == 2 and perps["syrian-government"].incidents == 1
    assert (perps["syrian-government"].killed_min, perps["syrian-government"].killed_max) == (5, 7)
    assert "" not in perps  # c names no perpetrator, but its cluster does
    govs = {x.key: x.incidents for x in by_governorate(db, visible=ALL)}
    assert govs == {"Idlib": 1, "Aleppo": 1}
    months = {x.key: x.incidents for x in by_month(db, visible=ALL)}
    assert months == {"2015-10": 1, "2016-01": 1}  # the cluster's day and month agree on October
    outcomes = {o.outcome: (o.incidents, o.victims_min, o.victims_max) for o in by_outcome(db, visible=ALL)}
    assert outcomes["killed"] == (2, 8, 10) and outcomes["injured"] == (1, 10, 14)
    # The map and the timeline draw each event once, through its most precise member.
    drawn, unmapped = placed_rows(db, visible=ALL, filters=None, limit=100)
    assert sorted(r.id for r in drawn) == sorted([a, other]) and unmapped == 0
    timeline, total = dated_rows(db, visible=ALL, filters=None, limit=100)
    assert total == 2 and sorted(r.id for r in timeline) == sorted([a, other])
    bars = {bar.month: (bar.day, bar.month_only) for bar in month_histogram(db, visible=ALL).bars}
    assert bars["2015-10"] == (1, 0) and bars["2016-01"] == (1, 0)  # the event by its exact day, once


def test_an_open_count_keeps_the_clusters_maximum_open_and_undo_splits_the_event(db: Database) -> None:
    a = _add(db, killed=(5, 5))
    b = _add(db, killed=(6, None))  # "at least six"
    j = _same(db, a, b)
    t = totals(db, visible=ALL)
    assert (t.incidents, t.killed_min, t.killed_max) == (1, 5, None)
    judgements.withdraw(db, j, by="rana", why="two strikes")
    t = totals(db, visible=ALL)
    assert (t.incidents, t.killed_min, t.killed_max) == (2, 11, None)
