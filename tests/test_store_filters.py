"""Each list filter on its own, date-range overlap, and paging."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tawthiq.domain import (
    Incident,
    IncidentDate,
    IncidentStatus,
    Involvement,
    InvolvementRole,
    Location,
    Source,
    SourceKind,
)
from tawthiq.domain.filters import IncidentFilter
from tawthiq.store import repository
from tawthiq.store.db import Database


def _incident(event_type: str, *, violations: tuple[str, ...] = (), actor: str | None = None,
              role: InvolvementRole = InvolvementRole.PERPETRATOR, place: Location | None = None,
              edtf: str | None = None) -> Incident:
    return Incident(
        event_type=event_type,
        violations=list(violations),
        involvements=[Involvement(actor=actor, role=role)] if actor else [],
        location=place,
        date=IncidentDate(edtf=edtf) if edtf else None,
    )


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    """Six incidents that each differ in one filtered field."""
    named = {
        "strike": _incident("air-drone-strike", violations=("killing",), actor="russia",
                            place=Location(name="Ariha", name_ar="أريحا", admin1="Idlib", admin2="Ariha"),
                            edtf="2015-10-07"),
        "shelling": _incident("shelling-artillery-missile-attack", violations=("indiscriminate-attack",),
                              actor="syrian-government",
                              place=Location(name="Douma", name_ar="دوما", admin1="Rif Dimashq"), edtf="2015-01"),
        "abduction": _incident("abduction-forced-disappearance", violations=("enforced-disappearance",),
                               actor="isis", place=Location(name="Raqqa", name_ar="الرقة", admin1="Ar-Raqqa"),
                               edtf="2014-06~"),
        "target-only": _incident("attack", actor="russia", role=InvolvementRole.TARGET, edtf="2016"),
        "no-date": _incident("attack", place=Location(name="Kobanî", admin1="Aleppo", admin2="Ain al Arab")),
        "unknown-date": _incident("attack", edtf="XXXX"),
    }
    source = Source(kind=SourceKind.TEXT, sha256="f" * 64, text="report")
    _, _, new_ids = repository.add_source_with_incidents(db, source, list(named.values()))
    return dict(zip(named, new_ids, strict=True))


def _find(db: Database, **filters: Any) -> list[Incident]:
    """The store's list of whole incidents (the CLI's) under one IncidentFilter."""
    return repository.list_incidents(db, filters=IncidentFilter(**filters))


def _ids(incidents: list[Incident]) -> list[int | None]:
    return [i.id for i in incidents]


def test_no_filter_lists_all_in_order(db: Database, ids: dict[str, int]) -> None:
    assert _ids(repository.list_incidents(db)) == sorted(ids.values())


def test_filter_event_type(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, event_type="air-drone-strike")) == [ids["strike"]]
    assert _ids(_find(db, event_type="attack")) == [
        ids["target-only"], ids["no-date"], ids["unknown-date"]]


def test_filter_violation(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, violation="enforced-disappearance")) == [ids["abduction"]]
    assert _find(db, violation="torture") == []


def test_filter_actor_counts_only_perpetrators(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, perpetrator="russia")) == [ids["strike"]]
    assert _ids(_find(db, perpetrator="isis")) == [ids["abduction"]]


def test_filter_actor_includes_factions(db: Database) -> None:
    from tawthiq.domain import Actor
    from tawthiq.store.db import seed_actors

    seed_actors(db, [Actor(code="fourth-division", label_en="Fourth Division", parent="syrian-government")])
    source = Source(kind=SourceKind.TEXT, sha256="e" * 64, text="x")
    _, _, [iid] = repository.add_source_with_incidents(db, source, [_incident("attack", actor="fourth-division")])
    assert _ids(_find(db, perpetrator="syrian-government")) == [iid]
    assert _ids(_find(db, perpetrator="fourth-division")) == [iid]
    assert _find(db, perpetrator="russia") == []


def test_filter_place_any_name_any_case(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, place="ariha")) == [ids["strike"]]
    assert _ids(_find(db, place="أريحا")) == [ids["strike"]]
    assert _ids(_find(db, place="IDLIB")) == [ids["strike"]]
    assert _ids(_find(db, place="Rif Dimashq")) == [ids["shelling"]]
    assert _ids(_find(db, place="Ain al Arab")) == [ids["no-date"]]
    assert _find(db, place="Homs") == []


def test_filter_place_folds_spelling_and_matches_whole_names(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, place="KOBANI")) == [ids["no-date"]]  # stored "Kobanî"
    assert _ids(_find(db, place="الرقه")) == [ids["abduction"]]  # stored "الرقة"
    assert _ids(_find(db, place="  rif   dimashq ")) == [ids["shelling"]]
    assert _find(db, place="Ari") == []  # not a substring search
    assert _find(db, place="%") == []
    assert _find(db, place="|") == []
    assert len(_find(db, place="")) == len(ids)  # empty means no filter


def test_filter_status(db: Database, ids: dict[str, int]) -> None:
    repository.set_incident_status(db, ids["shelling"], status=IncidentStatus.CONFIRMED, user="amal", comment="ok")
    assert _ids(_find(db, status=IncidentStatus.CONFIRMED)) == [ids["shelling"]]
    assert ids["shelling"] not in _ids(_find(db, status=IncidentStatus.SUGGESTED))


def test_merged_hidden_unless_asked(db: Database, ids: dict[str, int]) -> None:
    # The same default as the web list: a merged incident is shown inside the one it was merged into.
    repository.set_incident_status(db, ids["strike"], status=IncidentStatus.MERGED, user="amal", comment="same")
    assert _ids(_find(db)) == sorted(i for name, i in ids.items() if name != "strike")
    assert _ids(_find(db, status="merged")) == [ids["strike"]]
    assert _ids(_find(db, place="Ariha")) == []


def test_date_range_overlaps_month_precision(db: Database, ids: dict[str, int]) -> None:
    # "2015-01" means some day in January 2015: a range touching January matches.
    jan_15 = _find(db, date_from=date(2015, 1, 15), date_to=date(2015, 1, 15))
    assert _ids(jan_15) == [ids["shelling"]]
    assert _ids(_find(db, date_from=date(2014, 12, 1), date_to=date(2015, 1, 1))) == [
        ids["shelling"]]
    assert ids["shelling"] not in _ids(_find(db, date_from=date(2015, 2, 1)))
    assert ids["shelling"] not in _ids(_find(db, date_to=date(2014, 12, 31)))


def test_date_range_day_year_and_approximate(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, date_from=date(2015, 10, 7), date_to=date(2015, 10, 7))) == [
        ids["strike"]]
    assert _find(db, date_from=date(2015, 10, 8), date_to=date(2015, 10, 31)) == []
    assert _ids(_find(db, date_from=date(2016, 7, 1), date_to=date(2016, 7, 1))) == [
        ids["target-only"]]
    # "2014-06~" (about June 2014) reaches into the neighbouring months, not the next year.
    assert _ids(_find(db, date_from=date(2014, 7, 10), date_to=date(2014, 7, 10))) == [
        ids["abduction"]]
    assert _find(db, date_from=date(2014, 12, 1), date_to=date(2014, 12, 31)) == []


def test_unknown_dates_match_no_date_filter(db: Database, ids: dict[str, int]) -> None:
    everything = _find(db, date_from=date(1, 1, 1), date_to=date(9999, 12, 31))
    assert ids["no-date"] not in _ids(everything)
    assert ids["unknown-date"] not in _ids(everything)
    assert len(everything) == 4


def test_filters_combine(db: Database, ids: dict[str, int]) -> None:
    assert _ids(_find(db, perpetrator="russia", place="Idlib", violation="killing",
                      date_from=date(2015, 1, 1), date_to=date(2015, 12, 31))) == [ids["strike"]]
    assert _find(db, perpetrator="russia", place="Douma") == []


def test_paging(db: Database, ids: dict[str, int]) -> None:
    all_ids = sorted(ids.values())
    assert _ids(repository.list_incidents(db, limit=2)) == all_ids[:2]
    assert _ids(repository.list_incidents(db, limit=2, offset=2)) == all_ids[2:4]
    assert _ids(repository.list_incidents(db, offset=5)) == all_ids[5:]
    loaded = repository.list_incidents(db, limit=1)
    assert loaded[0].involvements and loaded[0].violations  # parts are loaded on lists too
