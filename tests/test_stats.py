"""Statistics on SQLite and PostgreSQL: groups, victim ranges with open maxima, months."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.domain.enums import (
    Confidentiality,
    CountingUnit,
    DatePrecision,
    IncidentStatus,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.stats import (
    UNCERTAIN,
    UNDATED,
    by_event_type,
    by_governorate,
    by_month,
    by_outcome,
    by_outcome_kind,
    by_perpetrator,
    by_violation,
    format_range,
    month_histogram,
    totals,
)
from tawthiq.stats.governorates import lookup
from tawthiq.store import repository
from tawthiq.store.db import Database

PUBLIC = (Confidentiality.PUBLIC,)
ALL = tuple(Confidentiality)


def _incident(*, event: str = "air-drone-strike", edtf: str | None = "2015-03-04",
              precision: DatePrecision = DatePrecision.DAY, gov: str = "Aleppo", perps: tuple[str, ...] = (),
              violations: tuple[str, ...] = (), victims: tuple[VictimGroup, ...] = (),
              status: IncidentStatus = IncidentStatus.CONFIRMED,
              conf: Confidentiality = Confidentiality.PUBLIC) -> Incident:
    return Incident(
        event_type=event, status=status, confidentiality=conf, violations=list(violations),
        involvements=[Involvement(actor=a) for a in perps], victims=list(victims),
        date=IncidentDate(edtf=edtf, precision=precision) if edtf else None,
        location=Location(name=gov, admin1=gov, lat=36.2, lon=37.15, precision=LocationPrecision.TOWN),
    )


def _killed(lo: int | None, hi: int | None, unit: CountingUnit = CountingUnit.INDIVIDUAL) -> VictimGroup:
    return VictimGroup(outcome=VictimOutcome.KILLED, count_min=lo, count_max=hi, unit=unit)


def _injured(lo: int | None, hi: int | None) -> VictimGroup:
    return VictimGroup(outcome=VictimOutcome.INJURED, count_min=lo, count_max=hi)


@pytest.fixture
def record(db: Database) -> Database:
    add = repository.add_incident
    # Aleppo, exact day, government: 10–12 killed, 4 injured.
    add(db, _incident(perps=("syrian-government",), violations=("killing",),
                      victims=(_killed(10, 12), _injured(4, 4))))
    # Aleppo, month precision, government and Russia: 3 killed; injured "several" (no maximum).
    add(db, _incident(event="shelling-artillery-missile-attack", edtf="2015-03", precision=DatePrecision.MONTH,
                      perps=("syrian-government", "russia"), victims=(_killed(3, 3), _injured(2, None))))
    # Idlib, a whole year, nobody named: two families killed (people unknown, so the maximum is open).
    add(db, _incident(event="attack", edtf="2015", precision=DatePrecision.YEAR, gov="Idlib",
                      victims=(_killed(2, 2, CountingUnit.FAMILY),)))
    # Idlib, no date at all, ISIS named twice (carried out and claimed): no victims recorded.
    add(db, _incident(event="attack", edtf=None, gov="Idlib", perps=("isis", "isis"), violations=("killing",)))
    # Restricted: only staff see it.
    add(db, _incident(edtf="2015-04-01", gov="Hama", perps=("isis",), victims=(_killed(100, 100),),
                      conf=Confidentiality.RESTRICTED))
    # Rejected and merged: never counted by default.
    add(db, _incident(perps=("syrian-government",), victims=(_killed(50, 50),), status=IncidentStatus.REJECTED))
    add(db, _incident(perps=("syrian-government",), victims=(_killed(70, 70),), status=IncidentStatus.MERGED))
    return db


def _by_key(counts: list) -> dict:
    return {c.key: c for c in counts}


def test_totals_sum_ranges_per_outcome_and_keep_an_open_maximum_open(record: Database) -> None:
    t = totals(record, visible=PUBLIC)
    assert t.incidents == 4
    assert (t.killed_min, t.killed_max) == (10 + 3 + 2, None)  # two families have no upper bound
    assert (t.injured_min, t.injured_max) == (4 + 2, None)  # "several" injured has none either
    assert not hasattr(t, "victims_min")  # killed and injured are never added together
    staff = totals(record, visible=ALL)
    assert staff.incidents == 5 and staff.killed_min == 115


def test_closed_maxima_add_up(record: Database) -> None:
    gov = by_perpetrator(record, visible=PUBLIC, filters=IncidentFilter(event_type="air-drone-strike"))
    assert [(c.key, c.incidents, c.killed_min, c.killed_max, c.injured_min, c.injured_max) for c in gov] == [
        ("syrian-government", 1, 10, 12, 4, 4)]


def test_by_perpetrator_counts_each_incident_once_per_actor(record: Database) -> None:
    rows = _by_key(by_perpetrator(record, visible=PUBLIC))
    assert rows["syrian-government"].incidents == 2
    assert (rows["syrian-government"].killed_min, rows["syrian-government"].killed_max) == (13, 15)
    assert rows["syrian-government"].injured_max is None  # the open injured group of the shelling
    assert rows["russia"].incidents == 1 and rows["russia"].killed_max == 3
    assert rows["isis"].incidents == 1  # named twice, counted once
    assert rows[""].incidents == 1  # nobody named: still counted, as unattributed
    assert list(rows)[0] == "syrian-government"  # most incidents first


def test_viewer_numbers_leave_out_restricted_rejected_and_merged(record: Database) -> None:
    assert "Hama" not in _by_key(by_governorate(record, visible=PUBLIC))
    assert _by_key(by_governorate(record, visible=ALL))["Hama"].killed_min == 100
    aleppo = _by_key(by_governorate(record, visible=ALL))["Aleppo"]
    assert aleppo.incidents == 2 and aleppo.killed_min == 13  # not the rejected 50 nor the merged 70
    rejected = totals(record, visible=ALL, filters=IncidentFilter(status="rejected"))
    assert (rejected.incidents, rejected.killed_min) == (1, 50)


def test_months_keep_uncertain_dates_out_of_january(record: Database) -> None:
    months = _by_key(by_month(record, visible=PUBLIC))
    assert months["2015-03"].incidents == 2  # a day and a month-precision date in March
    assert months[UNCERTAIN].incidents == 1  # "2015" is not January 2015
    assert "2015-01" not in months
    assert months[UNDATED].incidents == 1
    assert [c.key for c in by_month(record, visible=ALL)] == ["2015-03", "2015-04", UNCERTAIN, UNDATED]


def test_violation_and_type_groups(record: Database) -> None:
    violations = _by_key(by_violation(record, visible=PUBLIC))
    assert violations["killing"].incidents == 2 and violations[""].incidents == 2
    types = _by_key(by_event_type(record, visible=PUBLIC))
    assert types["attack"].incidents == 2 and types["air-drone-strike"].incidents == 1


def test_outcomes(record: Database) -> None:
    out = {o.outcome: o for o in by_outcome(record, visible=PUBLIC)}
    assert list(out) == ["killed", "injured"]  # the enum's order
    assert (out["killed"].incidents, out["killed"].victims_min, out["killed"].victims_max) == (3, 15, None)
    assert (out["injured"].victims_min, out["injured"].victims_max) == (6, None)
    aleppo_killing = IncidentFilter(governorate="Aleppo", violation="killing")
    closed = {o.outcome: o for o in by_outcome(record, visible=PUBLIC, filters=aleppo_killing)}
    assert (closed["injured"].victims_min, closed["injured"].victims_max) == (4, 4)


def test_filters_apply_like_the_list(record: Database) -> None:
    assert totals(record, visible=PUBLIC, filters=IncidentFilter(perpetrator="russia")).incidents == 1
    assert totals(record, visible=PUBLIC, filters=IncidentFilter(date_from=date(2015, 3, 10))).incidents == 2
    assert totals(record, visible=ALL, filters=IncidentFilter(confidentiality="restricted")).incidents == 1
    assert totals(record, visible=()).incidents == 0


def test_place_and_words_count_what_the_list_shows(record: Database) -> None:
    assert totals(record, visible=PUBLIC, filters=IncidentFilter(place="idlib")).incidents == 2
    assert totals(record, visible=PUBLIC, filters=IncidentFilter(place="?")).incidents == 0
    assert totals(record, visible=PUBLIC, filters=IncidentFilter(q="?!")).incidents == 0  # only punctuation


def test_histogram_keeps_exact_days_and_ranges_apart(record: Database) -> None:
    h = month_histogram(record, visible=PUBLIC)
    bars = {b.month: b for b in h.bars}
    assert [b.month for b in h.bars] == [f"2015-{m:02d}" for m in range(1, 13)]
    assert (bars["2015-03"].day, bars["2015-03"].month_only, bars["2015-03"].range) == (1, 1, 1)
    assert all(b.range == 1 for b in h.bars)  # the year-precision incident may be in any month
    assert sum(b.day + b.month_only for b in h.bars) == 2
    assert h.undated == 1 and h.too_wide == 0


def test_empty_record(db: Database) -> None:
    assert totals(db, visible=ALL).incidents == 0
    assert by_month(db, visible=ALL) == [] and month_histogram(db, visible=ALL).bars == []


def test_format_range() -> None:
    assert format_range(3, 3) == "3"
    assert format_range(3, 5) == "3–5"
    assert format_range(3, None) == "≥ 3"


def test_governorate_names_map_to_basemap_pcodes() -> None:
    assert lookup("Rif Dimashq").pcode == "SY03"  # type: ignore[union-attr]
    assert lookup("Rural Damascus").name_ar == "ريف دمشق"  # type: ignore[union-attr]
    assert lookup("إدلب").pcode == "SY07"  # type: ignore[union-attr]
    assert lookup("Deir ez-Zor").pcode == lookup("Deir-ez-Zor").pcode == "SY09"  # type: ignore[union-attr]
    assert lookup("") is None and lookup("Paris") is None


# ------------------------------------------- reviewed by default, kinds apart


@pytest.fixture
def noisy(record: Database) -> Database:
    """One unreviewed machine suggestion: 180–200 combatants killed, read from one noisy sentence."""
    repository.add_incident(record, _incident(
        perps=("hts",), status=IncidentStatus.SUGGESTED,
        victims=(VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.COMBATANT, count_min=180,
                             count_max=200),)))
    return record


def test_statistics_count_reviewed_incidents_unless_asked_for_suggestions(noisy: Database) -> None:
    reviewed = totals(noisy, visible=PUBLIC)
    assert (reviewed.incidents, reviewed.killed_min) == (4, 15)  # as before the suggestion came in
    assert "hts" not in _by_key(by_perpetrator(noisy, visible=PUBLIC))
    assert not [k for k in by_outcome_kind(noisy, visible=PUBLIC) if k.kind == "combatant"]
    both = totals(noisy, visible=PUBLIC, filters=IncidentFilter(unreviewed=True))
    assert (both.incidents, both.killed_min) == (5, 15 + 180)
    assert _by_key(by_perpetrator(noisy, visible=PUBLIC, filters=IncidentFilter(unreviewed=True)))["isis"].incidents == 1
    # Choosing a status counts that status, whatever the box says.
    chosen = totals(noisy, visible=PUBLIC, filters=IncidentFilter(status="suggested"))
    assert (chosen.incidents, chosen.killed_min, chosen.killed_max) == (1, 180, 200)
    # A verified incident is a reviewed one.
    repository.add_incident(noisy, _incident(status=IncidentStatus.VERIFIED, victims=(_killed(1, 1),)))
    assert totals(noisy, visible=PUBLIC).incidents == 5


def test_victim_kinds_are_counted_apart(noisy: Database) -> None:
    kinds = {(k.outcome, k.kind): (k.incidents, k.victims_min, k.victims_max)
             for k in by_outcome_kind(noisy, visible=PUBLIC, filters=IncidentFilter(unreviewed=True))}
    # The fixture's groups are of unknown status; the suggestion's are combatants: never one "killed" figure.
    assert kinds[("killed", "combatant")] == (1, 180, 200)
    assert kinds[("killed", "unknown")] == (3, 15, None)
    assert kinds[("injured", "unknown")] == (2, 6, None)
    assert list(kinds)[0][0] == "killed"


def test_an_unknown_number_is_not_at_least_zero() -> None:
    assert format_range(0, None, unknown="unknown number") == "unknown number"
    assert format_range(3, None, unknown="unknown number") == "≥ 3"
    assert format_range(0, 0) == "0" and format_range(2, 5) == "2–5"
