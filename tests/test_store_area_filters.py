"""The governorate filter as the index reads it: the same incidents, and no scan of every incident.

A governorate is matched on ``loc_admin1`` wherever an incident names one, and
by gazetteer id only where it names none (see ``store.conditions.area_condition``).
The plan tests guard the 100,000-incident figures in docs/web-benchmark.md:
an OR across two columns had made every facet of a governorate filter read
every incident.
"""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from test_store_queries import populate

from tawthiq.domain import vocab
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services.place_search import resolve
from tawthiq.store import queries
from tawthiq.store.conditions import incident_conditions
from tawthiq.store.db import Database
from tawthiq.store.history import record
from tawthiq.store.mapping import now
from tawthiq.store.tables import incidents

TABQA = "gn:172374"  # a town of Raqqa governorate in the shipped gazetteer


def _incident(i: int, *, admin1: str, place_id: str, event_type: str = "air-drone-strike") -> dict[str, Any]:
    when = now()
    return {"id": i, "source_id": None, "event_type": event_type, "status": "confirmed",
            "confidentiality": "public", "description": f"incident {i}", "confidence": 0.5, "date_edtf": None,
            "date_text": "", "date_precision": None, "date_start": None, "date_end": None,
            "has_location": bool(admin1 or place_id), "loc_name": admin1, "loc_text": "", "loc_name_ar": "",
            "loc_country": "SY", "loc_admin1": admin1, "loc_admin2": "", "loc_admin3": "", "loc_lat": None,
            "loc_lon": None, "loc_precision": None, "loc_place_id": place_id, "loc_keys": "",
            "merged_into_id": None, "created_at": when, "updated_at": when}


@pytest.fixture
def placed(db: Database) -> Database:
    rows = [
        _incident(1, admin1="Raqqa", place_id=""),  # named the governorate
        _incident(2, admin1="", place_id=TABQA),  # placed in one of its towns, naming no governorate
        _incident(3, admin1="Ar-Raqqa", place_id=""),  # an import's own spelling
        _incident(4, admin1="Aleppo", place_id=""),
        _incident(5, admin1="", place_id=""),  # nowhere
        _incident(6, admin1="Raqqa", place_id=TABQA, event_type="arrests"),
    ]
    with db.session(write=True) as session:
        session.execute(insert(incidents), rows)
        if db.dialect_name == "postgresql":
            session.execute(text("SELECT setval(pg_get_serial_sequence('incidents', 'id'), MAX(id)) FROM incidents"))
        record(session, user="test", entity="incident", entity_id=1, action="create")
    queries.clear_cache()
    return db


def _ids(db: Database, filters: IncidentFilter) -> set[int]:
    found, total = queries.page_incidents(db, filters=resolve(db, filters), sort="id", limit=50, offset=0)
    assert total == len(found)
    return {int(s.id) for s in found}


@pytest.mark.parametrize("name", ["Raqqa", "الرقة", "Ar-Raqqa"])
def test_a_governorate_finds_what_names_it_and_what_is_placed_inside_it(placed: Database, name: str) -> None:
    assert _ids(placed, IncidentFilter(governorate=(name,))) == {1, 2, 3, 6}
    assert _ids(placed, IncidentFilter(governorate=(name,), event_type=("air-drone-strike",))) == {1, 2, 3}
    assert _ids(placed, IncidentFilter(governorate=("Aleppo",))) == {4}


def test_facets_and_totals_agree_with_the_list(placed: Database) -> None:
    wanted = resolve(placed, IncidentFilter(event_type=("air-drone-strike",), governorate=("Raqqa",)))
    facets = queries.facet_counts(placed, filters=wanted)
    assert dict(facets["event_type"]) == {"air-drone-strike": 3, "arrests": 1}  # the governorate's, both types
    raqqa = [n for g, n in facets["governorate"] if g in ("Raqqa", "Ar-Raqqa")]
    assert sum(raqqa) == 2  # by stored name; the town-placed one has no admin1 to be counted under
    only = queries.facet_counts(placed, filters=wanted, names=("event_type",))
    assert set(only) == {"event_type"} and only["event_type"] == facets["event_type"]


def test_three_facets_match_a_plain_count(db: Database) -> None:
    facts = populate(db, 400, seed=11)
    actor = sorted(vocab.actors())[3]
    for gov in ("Aleppo", "Homs"):
        for event_type in sorted({f["event_type"] for f in facts})[:3]:
            wanted = IncidentFilter(event_type=(event_type,), governorate=(gov,), perpetrator=(actor,))
            expected = {f["id"] for f in facts if f["status"] != "merged" and f["gov"] == gov
                        and f["event_type"] == event_type and actor in f["actors"]}
            _, total = queries.page_incidents(db, filters=resolve(db, wanted), sort="-date", limit=5, offset=0)
            assert total == len(expected)
            facets = queries.facet_counts(db, filters=resolve(db, wanted))
            assert dict(facets["governorate"]).get(gov, 0) == len(expected)


def _plan(db: Database, filters: IncidentFilter, **kwargs: Any) -> str:
    with db.session() as session:
        stmt = select(incidents.c.event_type, func.count()).where(
            *incident_conditions(session, resolve(db, filters), **kwargs)).group_by(incidents.c.event_type)
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        return "\n".join(str(r[3]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_sqlite_reads_a_governorate_from_an_index(db: Database) -> None:
    if db.dialect_name != "sqlite":
        pytest.skip("a SQLite plan (PostgreSQL plans the same conditions with its bitmap scans)")
    populate(db, 400, seed=5)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    plan = _plan(db, IncidentFilter(status=("suggested",), governorate=("Idlib",)))
    assert "SCAN incidents" not in plan and "loc_admin1" in plan, plan
    # Beside a type and a governorate the perpetrator's incidents are probed, not walked one by one.
    actor = sorted(vocab.actors())[3]
    plan = _plan(db, IncidentFilter(event_type=("armed-clash",), governorate=("Aleppo",), perpetrator=(actor,)))
    assert "INTEGER PRIMARY KEY" not in plan and "USING COVERING INDEX ix_involvements_actor_role_incident" in plan, plan


def test_sqlite_reads_search_words_naming_a_place_from_indexes(db: Database) -> None:
    if db.dialect_name != "sqlite":
        pytest.skip("a SQLite plan")
    populate(db, 400, seed=5)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    for words in ("Aleppo", "حلب", "Tabqa", "shelling Aleppo"):  # a district's plan depends on its size
        plan = _plan(db, IncidentFilter(q=words))
        # The incidents inside the place are one arm of a UNION with the word matches, read by index
        # (how the outer query walks 400 incidents is SQLite's choice).
        assert "UNION" in plan and "SCAN incidents" not in plan.split("UNION", 1)[1], (words, plan)


def test_search_words_naming_a_place_find_what_is_inside_it(placed: Database) -> None:
    # None of these descriptions says "Raqqa": the words find them through the governorate.
    assert _ids(placed, IncidentFilter(q="Raqqa")) == {1, 2, 3, 6}
    assert _ids(placed, IncidentFilter(q="الرقة")) == {1, 2, 3, 6}
    assert _ids(placed, IncidentFilter(q="Tabqa")) == {2, 6}
