"""Schema, migrations, connection settings and the append-only history."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tawthiq.domain import Credibility, IncidentStatus, Reliability, Source, SourceKind, vocab
from tawthiq.domain.model import Incident
from tawthiq.store import dialect, repository
from tawthiq.store.db import Database, alembic_config, connect, init_db
from tawthiq.store.tables import metadata


def test_init_db_is_idempotent(db: Database) -> None:
    sid, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256="1" * 64, text="kept"))
    init_db(db)
    init_db(db)
    head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
    with db.session() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
        assert session.execute(text("SELECT count(*) FROM actors")).scalar_one() == len(vocab.actors())
    stored = repository.get_source(db, sid)
    assert stored is not None and stored.text == "kept"


def test_migration_creates_exactly_the_declared_tables(db: Database) -> None:
    def skip_search(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
        if type_ == "index" and name in dialect.POSTGRESQL_ONLY_INDEXES:
            return False  # not in tables.py on purpose; checked below
        return not (type_ == "table" and name is not None and name.startswith("search_index"))

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": skip_search, "compare_type": True})
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_dialect_specific_sort_indexes(db: Database) -> None:
    """PostgreSQL gets the "newest first, unknown dates last" indexes; SQLite needs and has none."""
    found = {ix["name"] for ix in inspect(db.engine).get_indexes("incidents")}
    expected = set(dialect.POSTGRESQL_ONLY_INDEXES) if db.engine.dialect.name == "postgresql" else set()
    assert found & set(dialect.POSTGRESQL_ONLY_INDEXES) == expected
    if expected:
        with db.engine.connect() as conn:
            # This test's own schema: an interrupted run elsewhere may have left one with the same index.
            definition = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n "
                                           "AND schemaname = current_schema()"),
                                      {"n": "ix_incidents_date_desc_pg"}).scalar_one()
        assert "date_start DESC NULLS LAST, id DESC" in definition


def test_actors_seeded_with_labels(db: Database) -> None:
    with db.session() as session:
        rows = {r.code: r for r in session.execute(text("SELECT code, label_ar, parent FROM actors"))}
    assert set(rows) == set(vocab.actors())
    assert rows["russia"].label_ar == vocab.actors()["russia"].label_ar
    for code, actor in vocab.actors().items():
        assert rows[code].parent == actor.parent


def test_migrations_are_packaged() -> None:
    versions = resources.files("tawthiq.store.migrations").joinpath("versions")
    assert versions.joinpath("0001_initial.py").is_file()
    assert resources.files("tawthiq.store.migrations").joinpath("script.py.mako").is_file()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = connect(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        init_db(db)
        with db.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert session.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000
    finally:
        db.dispose()


def test_concurrent_ingest_of_the_same_source_stores_it_once(db: Database) -> None:
    def ingest(_: int) -> tuple[int, bool, list[int]]:
        src = Source(kind=SourceKind.TEXT, sha256="2" * 64, text="same bytes")
        return repository.add_source_with_incidents(db, src, [Incident(event_type="attack")])

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(ingest, range(12)))
    assert sum(created for _, created, _ in results) == 1
    assert len({sid for sid, _, _ in results}) == 1
    assert repository.count_incidents(db) == 1


def _incident_id(db: Database) -> int:
    src = Source(kind=SourceKind.TEXT, sha256="3" * 64, text="report")
    return repository.add_source_with_incidents(db, src, [Incident(event_type="attack")])[2][0]


def test_status_change_is_recorded(db: Database) -> None:
    iid = _incident_id(db)
    repository.set_incident_status(db, iid, status=IncidentStatus.CONFIRMED, user="amal", comment="two sources")
    repository.set_incident_status(db, iid, status=IncidentStatus.REJECTED, user="omar", comment="duplicate of 7")

    got = repository.get_incident(db, iid)
    assert got is not None and got.status is IncidentStatus.REJECTED  # rejected, still there
    history = repository.incident_history(db, iid)
    assert [(h.action, h.user) for h in history] == [("create", "system"), ("status", "amal"), ("status", "omar")]
    assert history[1].before == {"status": "suggested"} and history[1].after == {"status": "confirmed"}
    assert history[2].before == {"status": "confirmed"} and history[2].after == {"status": "rejected"}
    assert history[2].comment == "duplicate of 7"
    assert history[1].at <= history[2].at and history[2].at.tzinfo is not None
    assert repository.count_incidents(db) == 1


def test_status_change_needs_a_person_and_an_incident(db: Database) -> None:
    iid = _incident_id(db)
    with pytest.raises(ValueError):
        repository.set_incident_status(db, iid, status=IncidentStatus.CONFIRMED, user=" ", comment="")
    with pytest.raises(repository.NotFoundError):
        repository.set_incident_status(db, iid + 100, status=IncidentStatus.CONFIRMED, user="amal", comment="")
    with pytest.raises(ValueError):
        repository.set_incident_status(db, iid, status="deleted", user="amal", comment="")  # type: ignore[arg-type]
    assert [h.action for h in repository.incident_history(db, iid)] == ["create"]
    got = repository.get_incident(db, iid)
    assert got is not None and got.status is IncidentStatus.SUGGESTED


def test_grading_a_source_is_recorded(db: Database) -> None:
    sid, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256="4" * 64, text="report"))
    repository.grade_source(db, sid, reliability=Reliability.B, credibility=Credibility.POSSIBLY_TRUE,
                            user="amal", note="known local network, single witness")
    source = repository.get_source(db, sid)
    assert source is not None
    ev = source.evaluation
    assert (ev.reliability, ev.credibility, ev.graded_by) == (Reliability.B, Credibility.POSSIBLY_TRUE, "amal")
    assert ev.note == "known local network, single witness" and ev.graded_at is not None
    [entry] = repository.history(db, entity="source", entity_id=sid)
    assert entry.before == {"reliability": "F", "credibility": "6", "note": ""}
    assert entry.after is not None and entry.after["reliability"] == "B" and entry.at == ev.graded_at
    with pytest.raises(repository.NotFoundError):
        repository.grade_source(db, sid + 1, reliability=Reliability.A, credibility=Credibility.CONFIRMED,
                                user="amal")


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET comment = 'forged'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only(db: Database, statement: str) -> None:
    iid = _incident_id(db)
    repository.set_incident_status(db, iid, status=IncidentStatus.VERIFIED, user="amal", comment="checked")
    with pytest.raises(DBAPIError), db.session(write=True) as session:
        session.execute(text(statement))
    assert [h.comment for h in repository.incident_history(db, iid)] == ["", "checked"]


def test_concurrent_first_init_creates_the_schema_once(database_url: str) -> None:
    databases = [connect(database_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(init_db, databases))
        with databases[0].session() as session:
            assert session.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
            assert session.execute(text("SELECT count(*) FROM actors")).scalar_one() == len(vocab.actors())
    finally:
        for database in databases:
            database.dispose()
