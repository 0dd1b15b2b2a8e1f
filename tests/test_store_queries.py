"""Incident lists at the store level: generated data checked against a plain-Python count.

``populate`` writes a seeded random record straight into the tables (fast
enough for 100,000 incidents, used by hand for the timing and query-plan
check described in the module's notes); the tests use a few hundred.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text

from tawthiq.domain import vocab
from tawthiq.domain.filters import IncidentFilter
from tawthiq.store import dialect, queries
from tawthiq.store.db import Database
from tawthiq.store.history import record
from tawthiq.store.mapping import now
from tawthiq.store.tables import incident_violations, incidents, involvements, victim_groups
from tawthiq.store.textnorm import index_text

GOVERNORATES = [("Aleppo", "حلب", "بحلب"), ("Idlib", "إدلب", "في إدلب"), ("Homs", "حمص", "بحمص"),
                ("Daraa", "درعا", "في درعا"), ("", "", "")]
STATUSES = ["suggested", "confirmed", "verified", "rejected", "merged"]
CONFS = ["public", "restricted", "confidential"]


def populate(db: Database, n: int, *, seed: int = 7, batch: int = 2000) -> list[dict[str, Any]]:
    """``n`` random incidents with parts; returns their facts for checking counts."""
    rng = random.Random(seed)
    event_types = sorted(vocab.event_types())[:8]
    violation_codes = sorted(vocab.violations())[:6]
    actor_codes = sorted(vocab.actors())
    facts: list[dict[str, Any]] = []
    with db.session(write=True) as session:
        first = session.scalar(text("SELECT COALESCE(MAX(id), 0) FROM incidents")) + 1
        for lo in range(0, n, batch):
            rows, viols, invs, victims = [], [], [], []
            for i in range(first + lo, first + min(n, lo + batch)):
                gov, gov_ar, written = rng.choice(GOVERNORATES)
                start = date(2012, 1, 1) + timedelta(days=rng.randrange(4000)) if rng.random() > 0.05 else None
                end = start + timedelta(days=rng.choice([0, 0, 30, 365])) if start else None
                fact = {
                    "id": i, "event_type": rng.choice(event_types), "status": rng.choice(STATUSES),
                    "confidentiality": rng.choice(CONFS), "gov": gov, "start": start, "end": end,
                    "violations": rng.sample(violation_codes, rng.randrange(3)),
                    "actors": rng.sample(actor_codes, rng.randrange(3)),
                    "victims": [(rng.choice(["civilian", "combatant", "unknown"]), rng.choice(["killed", "injured"]),
                                 rng.randrange(20), rng.choice([None, 25])) for _ in range(rng.randrange(3))],
                }
                desc = f"Incident {i}: shelling reported {written} ({gov})" if gov else f"Incident {i} somewhere"
                fact["description"] = desc
                facts.append(fact)
                when = now()
                rows.append({
                    "id": i, "source_id": None, "event_type": fact["event_type"], "status": fact["status"],
                    "confidentiality": fact["confidentiality"], "description": desc, "confidence": 0.5,
                    "date_edtf": start.isoformat() if start else None, "date_text": "", "date_precision":
                    "day" if start else None, "date_start": start, "date_end": end, "has_location": bool(gov),
                    "loc_name": gov, "loc_text": written, "loc_name_ar": gov_ar, "loc_country": "SY",
                    "loc_admin1": gov, "loc_admin2": "", "loc_admin3": "", "loc_lat": 36.0 if gov else None,
                    "loc_lon": 37.0 if gov else None, "loc_precision": "governorate" if gov else None,
                    "loc_place_id": "", "loc_keys": "", "merged_into_id": None, "created_at": when,
                    "updated_at": when,
                })
                viols += [{"incident_id": i, "position": p, "code": c} for p, c in enumerate(fact["violations"])]
                invs += [{"incident_id": i, "position": p, "actor": a, "role": "perpetrator",
                          "degree": "carried-out", "text": ""} for p, a in enumerate(fact["actors"])]
                victims += [{"incident_id": i, "position": p, "outcome": o, "kind": k, "unit": "individual",
                             "count_min": lo_, "count_max": hi, "sex": "unknown", "age": "unknown", "text": ""}
                            for p, (k, o, lo_, hi) in enumerate(fact["victims"])]
            session.execute(insert(incidents), rows)
            for table, items in ((incident_violations, viols), (involvements, invs), (victim_groups, victims)):
                if items:
                    session.execute(insert(table), items)
            for row in rows:
                dialect.index_document(session, kind="incident", ref_id=row["id"],
                                       body=index_text(row["description"], row["loc_text"], row["loc_name_ar"]))
        if db.dialect_name == "postgresql":  # explicit ids leave the sequence behind
            session.execute(text("SELECT setval(pg_get_serial_sequence('incidents', 'id'), MAX(id)) FROM incidents"))
        record(session, user="test", entity="incident", entity_id=first, action="create")
    queries.clear_cache()
    return facts


@pytest.fixture
def facts(db: Database) -> list[dict[str, Any]]:
    return populate(db, 400)


def _expected(facts: list[dict[str, Any]], **want: Any) -> list[dict[str, Any]]:
    out = []
    for f in facts:
        if "confs" in want and f["confidentiality"] not in want["confs"]:
            continue
        if want.get("status") is None and f["status"] == "merged":
            continue
        if want.get("status") and f["status"] != want["status"]:
            continue
        if want.get("gov") and f["gov"] != want["gov"]:
            continue
        if want.get("violation") and want["violation"] not in f["violations"]:
            continue
        if want.get("victim_kind") and all(v[0] != want["victim_kind"] for v in f["victims"]):
            continue
        if want.get("date_from") and (f["end"] is None or f["end"] < want["date_from"]):
            continue
        out.append(f)
    return out


def test_total_and_page_match_a_plain_count(db: Database, facts: list[dict[str, Any]]) -> None:
    q = IncidentFilter(governorate="Aleppo")
    items, total = queries.page_incidents(db, filters=q, visible=("public", "restricted"), sort="id", limit=10,
                                          offset=20)
    expected = _expected(facts, confs=("public", "restricted"), gov="Aleppo")
    assert total == len(expected) and total > 30
    assert [s.id for s in items] == [f["id"] for f in expected][20:30]
    assert all(s.confidentiality != "confidential" and s.loc_admin1 == "Aleppo" for s in items)


def test_summary_parts_for_the_page(db: Database, facts: list[dict[str, Any]]) -> None:
    items, _ = queries.page_incidents(db, filters=IncidentFilter(status="confirmed"), sort="id", limit=200, offset=0)
    by_id = {f["id"]: f for f in facts}
    assert items
    for s in items:
        f = by_id[s.id]
        assert s.perpetrators == f["actors"] and s.violations == f["violations"]
        # Per outcome, never added across outcomes (killed first, as VictimOutcome orders them).
        expected = []
        for outcome in ("killed", "injured"):
            groups = [v for v in f["victims"] if v[1] == outcome]
            if groups:
                his = [v[3] for v in groups]
                expected.append((outcome, sum(v[2] for v in groups), None if None in his else sum(his)))
        assert s.outcomes == expected
        killed = [v for v in f["victims"] if v[1] == "killed"]
        assert s.killed_min == (sum(v[2] for v in killed) if killed else None)


def test_filters_combine(db: Database, facts: list[dict[str, Any]]) -> None:
    code = facts[0]["violations"][0] if facts[0]["violations"] else sorted(vocab.violations())[0]
    q = IncidentFilter(violation=code, victim_kind="civilian", date_from=date(2015, 1, 1))
    _, total = queries.page_incidents(db, filters=q, sort="-date", limit=5, offset=0)
    assert total == len(_expected(facts, violation=code, victim_kind="civilian", date_from=date(2015, 1, 1)))


def test_merged_hidden_unless_asked(db: Database, facts: list[dict[str, Any]]) -> None:
    _, total = queries.page_incidents(db, filters=IncidentFilter(), sort="id", limit=1, offset=0)
    assert total == sum(1 for f in facts if f["status"] != "merged")
    items, merged = queries.page_incidents(db, filters=IncidentFilter(status="merged"), sort="id", limit=500,
                                           offset=0)
    assert merged == sum(1 for f in facts if f["status"] == "merged") and all(s.status == "merged" for s in items)


@pytest.mark.parametrize("sort", ["date", "-date", "id", "-id", "updated", "-updated"])
def test_sorts(db: Database, facts: list[dict[str, Any]], sort: str) -> None:
    items, _ = queries.page_incidents(db, filters=IncidentFilter(), sort=sort, limit=500, offset=0)
    if sort.endswith("date"):
        dated = [s.date_start for s in items if s.date_start is not None]
        assert dated == sorted(dated, reverse=sort.startswith("-"))
        assert all(s.date_start is None for s in items[len(dated):])  # unknown dates last either way
    elif sort.endswith("id"):
        ids = [s.id for s in items]
        assert ids == sorted(ids, reverse=sort.startswith("-"))
    else:
        stamps = [s.updated_at for s in items]
        assert stamps == sorted(stamps, reverse=sort.startswith("-"))


def test_full_text_arabic_clitic_and_relevance(db: Database, facts: list[dict[str, Any]]) -> None:
    q = IncidentFilter(q="حلب")
    items, total = queries.page_incidents(db, filters=q, sort="relevance", limit=500, offset=0)
    assert total == sum(1 for f in facts if f["gov"] == "Aleppo" and f["status"] != "merged")
    assert {s.loc_admin1 for s in items} == {"Aleppo"}
    assert len(items) == total


def test_relevance_pages_from_the_kept_ranking_match_the_full_query(
        db: Database, facts: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    q = IncidentFilter(q="shelling")
    full, total = queries.page_incidents(db, filters=q, sort="relevance", limit=500, offset=0)
    assert total == len(full) == sum(1 for f in facts if f["gov"] and f["status"] != "merged")
    queries.clear_cache()
    monkeypatch.setattr(queries, "RANKED_IDS", 20)  # pages past the 20th match take the uncached query
    paged: list[int] = []
    for offset in range(0, total + 7, 7):
        items, page_total = queries.page_incidents(db, filters=q, sort="relevance", limit=7, offset=offset)
        assert page_total == total
        paged += [s.id for s in items]
    assert paged == [s.id for s in full]


def test_kept_ranking_follows_writes(db: Database, facts: list[dict[str, Any]]) -> None:
    q = IncidentFilter(q="shelling")
    first, total = queries.page_incidents(db, filters=q, sort="relevance", limit=5, offset=0)
    with db.session(write=True) as session:
        session.execute(incidents.update().where(incidents.c.id == first[0].id).values(status="merged"))
        record(session, user="test", entity="incident", entity_id=first[0].id, action="merge")
    again, fewer = queries.page_incidents(db, filters=q, sort="relevance", limit=5, offset=0)
    assert fewer == total - 1
    assert [s.id for s in again][:4] == [s.id for s in first][1:]


def test_facets_count_under_the_other_filters(db: Database, facts: list[dict[str, Any]]) -> None:
    q = IncidentFilter(status="confirmed", governorate="Homs")
    facets = queries.facet_counts(db, filters=q, visible=("public", "restricted"))
    # The status facet ignores the status filter, but keeps the governorate one.
    for status, n in facets["status"]:
        assert n == len(_expected(facts, confs=("public", "restricted"), gov="Homs", status=status))
    for gov, n in facets["governorate"]:
        assert n == len(_expected(facts, confs=("public", "restricted"), status="confirmed", gov=gov))
    assert "" not in dict(facets["governorate"])
    for code, n in facets["violation"]:
        assert n == len(_expected(facts, confs=("public", "restricted"), status="confirmed", gov="Homs",
                                  violation=code))
    expected_top: dict[str, int] = {}
    for f in _expected(facts, confs=("public", "restricted"), status="confirmed", gov="Homs"):
        for top in {vocab.top_actor(a) for a in f["actors"]}:
            expected_top[top] = expected_top.get(top, 0) + 1
    assert dict(facets["perpetrator"]) == expected_top
    counts = [n for _, n in facets["event_type"]]
    assert counts == sorted(counts, reverse=True)


def test_cached_counts_follow_writes(db: Database, facts: list[dict[str, Any]],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    q = IncidentFilter(status="suggested")
    stale_facets = dict(queries.facet_counts(db, filters=q)["status"])["suggested"]
    _, total = queries.page_incidents(db, filters=q, sort="id", limit=1, offset=0)
    target = next(f["id"] for f in facts if f["status"] == "confirmed")
    with db.session(write=True) as session:  # a change the audit log does not know of …
        session.execute(incidents.update().where(incidents.c.id == target).values(status="suggested"))
    _, cached = queries.page_incidents(db, filters=q, sort="id", limit=1, offset=0)
    assert cached == total  # … is not seen: the count came from the cache
    with db.session(write=True) as session:  # every real write records itself, which moves the version
        record(session, user="test", entity="incident", entity_id=target, action="status")
    _, fresh = queries.page_incidents(db, filters=q, sort="id", limit=1, offset=0)
    assert fresh == total + 1
    # Facets may lag a write for FACET_STALE_SECONDS, then follow it.
    assert dict(queries.facet_counts(db, filters=q)["status"])["suggested"] == stale_facets == total
    monkeypatch.setattr(queries, "FACET_STALE_SECONDS", 0.0)
    assert dict(queries.facet_counts(db, filters=q)["status"])["suggested"] == fresh


def test_source_filter_includes_cited_sources(db: Database) -> None:
    from tawthiq.domain import Claim, ClaimField, Incident, Source, SourceKind
    from tawthiq.store import repository

    sid, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256="a" * 64, text="report"))
    other, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256="b" * 64, text="second"))
    own = repository.add_incident(db, Incident(event_type="attack", source_id=sid))
    cited = repository.add_incident(db, Incident(event_type="attack", source_id=other, claims=[
        Claim(field=ClaimField.EVENT_TYPE, value="attack", span=None, method="human", source_id=sid)]))
    repository.add_incident(db, Incident(event_type="attack", source_id=other))
    assert queries.matching_ids(db, filters=IncidentFilter(source_id=sid)) == [own, cited]
