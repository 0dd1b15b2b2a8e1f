"""Facet counts, all in one statement, checked against what a click on each value would list.

A facet's count for a value is, by definition, the number of incidents the
list shows once that value is chosen instead of the facet's own choice. The
oracle here is exactly that: the list's total for the filter with the facet
replaced. It is independent of how ``store.facets`` shares matching sets
between facets (the CTEs, the intersection, the arms read straight from the
table), so a wrong set under any combination of filters shows up as a count.
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, text
from test_store_queries import populate

from tawthiq.domain.filters import IncidentFilter
from tawthiq.services.place_search import resolve
from tawthiq.store import queries
from tawthiq.store.db import Database
from tawthiq.store.facets import FACETS, count_facets

SINGLE = {"victim_kind", "confidentiality"}  # one value, not a tuple
VISIBLE: list[tuple[str, ...] | None] = [None, ("public",), ("public", "restricted")]


def _total(db: Database, filters: IncidentFilter, visible: tuple[str, ...] | None) -> int:
    return queries.page_incidents(db, filters=filters, visible=visible, sort="id", limit=1, offset=0)[1]


def _clicked(filters: IncidentFilter, name: str, value: str) -> IncidentFilter:
    return replace(filters, **{name: value if name in SINGLE else (value,)})


def _combinations(facts: list[dict[str, Any]], rng: random.Random, count: int) -> list[IncidentFilter]:
    """Filters of one to four facets (and words or dates now and then), drawn from the stored values."""
    def value(name: str) -> Any:
        fact = rng.choice([f for f in facts if f["gov"] and f["actors"] and f["violations"] and f["victims"]])
        pick = {"event_type": fact["event_type"], "governorate": fact["gov"], "perpetrator": fact["actors"][0],
                "violation": fact["violations"][0], "victim_kind": fact["victims"][0][0],
                "status": fact["status"] if fact["status"] != "merged" else "confirmed",
                "confidentiality": fact["confidentiality"]}[name]
        return pick if name in SINGLE else (pick,)

    names = [n for n in FACETS if n != "tag"]
    found = [IncidentFilter()]
    for _ in range(count):
        chosen = {name: value(name) for name in rng.sample(names, rng.randint(1, 4))}
        if rng.random() < 0.2:
            chosen["q"] = "shelling"
        if rng.random() < 0.2:
            chosen["date_from"] = facts[0]["start"] or facts[1]["start"]
        found.append(IncidentFilter(**chosen))
    return found


def test_each_count_is_what_choosing_that_value_lists(db: Database) -> None:
    facts = populate(db, 300, seed=11)
    rng = random.Random(5)
    for filters in _combinations(facts, rng, 12):
        for visible in VISIBLE:
            queries.clear_cache()
            counted = queries.facet_counts(db, filters=filters, visible=visible)
            assert set(counted) == set(FACETS)
            for name, rows in counted.items():
                for value, count in rows:
                    assert count == _total(db, _clicked(filters, name, value), visible), (filters, visible, name,
                                                                                          value)
            # Every value a click would list something for is offered (nothing lost to a wrong set).
            for name in ("event_type", "governorate", "status"):
                offered = dict(counted[name])
                for fact_value in {str(f["gov"] if name == "governorate" else f[name]) for f in facts}:
                    if name == "status" and fact_value == "merged" or not fact_value:
                        continue
                    listed = _total(db, _clicked(filters, name, fact_value), visible)
                    assert offered.get(fact_value, 0) == listed, (filters, visible, name, fact_value)


def test_perpetrators_count_each_incident_once_under_its_top_actor(db: Database) -> None:
    facts = populate(db, 200, seed=3)
    filters = IncidentFilter(event_type=(facts[0]["event_type"],), governorate=("Aleppo",))
    counted = dict(queries.facet_counts(db, filters=filters)["perpetrator"])
    for actor, count in counted.items():
        assert count == _total(db, _clicked(filters, "perpetrator", actor), None)


def test_all_facets_are_one_statement(db: Database) -> None:
    facts = populate(db, 50, seed=2)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    filters = IncidentFilter(event_type=(facts[0]["event_type"],), governorate=("Homs",), perpetrator=("russia",))
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        queries.clear_cache()
        queries.facet_counts(db, filters=filters)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    counting = [s for s in statements if "GROUP BY" in s.upper()]
    assert len(counting) == 1, counting
    # The full match read once, for the five facets with no choice of their own.
    assert counting[0].count("matching AS") == 1 and counting[0].count("FROM matching") == 5


def test_sqlite_reads_a_filtered_list_s_facets_from_indexes_alone(db: Database) -> None:
    """Every read of ``incidents`` in the facets of a three-filter list is a covering index (the place id
    in the facet indexes, migration 0022): no incident row is fetched to test the governorate."""
    if db.dialect_name != "sqlite":
        pytest.skip("a SQLite plan (PostgreSQL needs a large table before it prefers index-only scans)")
    facts = populate(db, 400, seed=5)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    filters = resolve(db, IncidentFilter(event_type=(facts[0]["event_type"],), governorate=("Aleppo",),
                                         perpetrator=("russia",)))
    captured: list[Any] = []
    with db.session() as session:
        real = session.execute

        def keep(statement: Any, *args: Any, **kwargs: Any) -> Any:
            captured.append(statement)
            return real(statement, *args, **kwargs)

        session.execute = keep  # type: ignore[method-assign]
        count_facets(session, filters=filters, seen=None, wanted=FACETS)
        session.execute = real  # type: ignore[method-assign]
        sql = str(captured[-1].compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = [str(r[3]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    reads = [line for line in plan if " incidents " in f"{line} "]
    assert reads and all("COVERING INDEX" in line for line in reads), plan
