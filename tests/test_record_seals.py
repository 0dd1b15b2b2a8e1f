"""Content seals: every write through the application seals the row, and `verify` finds edits made around it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from _users import REVIEWER
from alembic import command
from sqlalchemy import func, select, text

from tawthiq.domain.enums import IncidentStatus
from tawthiq.domain.seals import DELETED
from tawthiq.evidence.verify import verify
from tawthiq.evidence.verify_record import check_seals
from tawthiq.services import Workspace, review
from tawthiq.services.ingest import ingest_files
from tawthiq.services.review import IncidentChanges
from tawthiq.store import dialect
from tawthiq.store.db import Database, alembic_config, connect
from tawthiq.store.history import set_incident_status
from tawthiq.store.tables import derivatives, incidents, record_seals, victim_groups

PAGE = """<html><head><title>Raqqa</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


@dataclass(frozen=True, slots=True)
class Written:
    source_id: int
    incident_id: int
    victim_group_id: int
    derivative_id: int
    audit_id: int


def _latest_seal(db: Database, table: str, key: int) -> str | None:
    with db.session() as session:
        return session.scalar(select(record_seals.c.sha256)
                              .where(record_seals.c.table_name == table, record_seals.c.row_key == str(key))
                              .order_by(record_seals.c.id.desc()).limit(1))


@pytest.fixture
def written(ws: Workspace, tmp_path: Path) -> Written:
    """A page ingested, its incident corrected by a reviewer (violations replaced) and confirmed."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (result,) = ingest_files(ws, [page], actor="cli:tester")
    assert result.status == "new", result.error
    source_id = result.source_ids[0]
    with ws.db.session() as session:
        incident_id = session.scalar(select(incidents.c.id).where(incidents.c.source_id == source_id))
        group_id = session.scalar(select(victim_groups.c.id).where(victim_groups.c.incident_id == incident_id))
        derivative_id = session.scalar(select(derivatives.c.id).where(derivatives.c.source_id == source_id))
    assert incident_id and group_id and derivative_id
    review.update_incident(ws, user=REVIEWER, incident_id=incident_id, comment="the report names the strike",
                           changes=IncidentChanges(violations=["killing", "execution"], description="Air strike."))
    set_incident_status(ws.db, incident_id, status=IncidentStatus.CONFIRMED, user="rana", comment="checked")
    with ws.db.session() as session:
        audit_id = session.scalar(select(func.min(text("id"))).select_from(text("audit_log")))
    return Written(source_id=source_id, incident_id=incident_id, victim_group_id=group_id,
                   derivative_id=derivative_id, audit_id=int(audit_id))


def test_writes_through_the_services_verify_clean(ws: Workspace, written: Written) -> None:
    report = verify(ws.db, blobs=ws.blobs)
    assert report.ok, report.problems
    assert report.rows_checked > 5 and report.seals_checked >= report.rows_checked
    for table, key in (("sources", written.source_id), ("incidents", written.incident_id),
                       ("victim_groups", written.victim_group_id), ("derivatives", written.derivative_id),
                       ("incident_violations", written.incident_id), ("audit_log", written.audit_id)):
        sealed = _latest_seal(ws.db, table, key)
        assert sealed is not None and len(sealed) == 64, (table, key)


def test_a_rolled_back_write_seals_nothing(ws: Workspace, written: Written) -> None:
    with ws.db.session() as session:
        before = session.scalar(select(func.count()).select_from(record_seals))
    with pytest.raises(RuntimeError), ws.db.session(write=True) as session:
        session.execute(victim_groups.update().where(victim_groups.c.id == written.victim_group_id)
                        .values(count_min=99))
        raise RuntimeError("abandoned")
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(record_seals)) == before
    assert verify(ws.db, blobs=ws.blobs).ok


def test_a_deletion_by_the_application_is_sealed_as_such(ws: Workspace, written: Written) -> None:
    with ws.db.session(write=True) as session:
        session.execute(victim_groups.delete().where(victim_groups.c.id == written.victim_group_id))
    assert _latest_seal(ws.db, "victim_groups", written.victim_group_id) == DELETED
    assert verify(ws.db, blobs=ws.blobs).ok


def _drop_guard(db: Database, table: str) -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"DROP TRIGGER {table}_no_update")
            conn.exec_driver_sql(f"DROP TRIGGER {table}_no_delete")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER {table}_append_only ON {table}")


TAMPERING = {
    "source text": ("UPDATE sources SET text = text || ' (and one more)' WHERE id = {source_id}",
                    "sources row {source_id}: content does not match its seal"),
    "victim count": ("UPDATE victim_groups SET count_min = 40, count_max = 40 WHERE id = {victim_group_id}",
                     "victim_groups row {victim_group_id}: content does not match its seal"),
    "working copy params": ("UPDATE derivatives SET params = '{{\"tool\": \"other\"}}' WHERE id = {derivative_id}",
                            "derivatives row {derivative_id}: content does not match its seal"),
    "violation": ("UPDATE incident_violations SET code = 'torture' WHERE incident_id = {incident_id}",
                  "incident_violations incident {incident_id}: content does not match its seal"),
    "status": ("UPDATE incidents SET status = 'verified' WHERE id = {incident_id}",
               "incidents row {incident_id}: content does not match its seal"),
    "deleted row": ("DELETE FROM victim_groups WHERE id = {victim_group_id}",
                    "victim_groups row {victim_group_id}: sealed but missing (deleted outside the application)"),
    "inserted row": ("INSERT INTO persons (id, incident_id, name, name_alt, sex, confidentiality, created_at) "
                     "VALUES (900, {incident_id}, 'x', '', 'male', 'confidential', CURRENT_TIMESTAMP)",
                     "persons row 900: has no seal (written outside the application)"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_an_edit_outside_the_application_is_named(ws: Workspace, written: Written, kind: str) -> None:
    statement, expected = (part.format(**vars_of(written)) for part in TAMPERING[kind])
    with ws.db.engine.begin() as conn:
        conn.execute(text(statement))
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert problems == [expected] or (len(problems) == 1 and problems[0].startswith(expected)), problems


def vars_of(written: Written) -> dict[str, int]:
    return {name: getattr(written, name) for name in Written.__slots__}


def test_an_audit_entry_edited_after_dropping_its_trigger_is_named(ws: Workspace, written: Written) -> None:
    _drop_guard(ws.db, "audit_log")
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET comment = 'nobody decided this' WHERE id = :i"),
                     {"i": written.audit_id})
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert len(problems) == 1
    assert problems[0].startswith(f"audit_log row {written.audit_id}: content does not match its seal")


def test_a_rewritten_seal_breaks_the_seal_chain(ws: Workspace, written: Written) -> None:
    _drop_guard(ws.db, "record_seals")
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE record_seals SET sha256 = :s WHERE id = 1"), {"s": "0" * 64})
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert any(p.startswith("seal entry 1: content does not match its hash") for p in problems), problems


def test_the_database_refuses_to_change_a_seal(ws: Workspace, written: Written) -> None:
    with pytest.raises(Exception, match="append-only"), ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM record_seals WHERE id = 1"))


def test_a_planted_file_and_an_orphan_original_are_named(ws: Workspace, written: Written) -> None:
    planted = ws.blobs.root / "sha256" / "ab" / "notes.txt"
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text("not from any ingest", encoding="utf-8")
    orphan = ws.blobs.put(b"the original of an ingest that was killed before its source row")
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert problems == [
        "originals store: planted file sha256/ab/notes.txt (not a file the store wrote)",
        f"original {orphan}: an interrupted ingest's orphan (no source names it; if no ingest was interrupted, "
        "it was planted)",
    ]


def test_the_migration_seals_the_rows_already_written(database_url: str) -> None:
    db = connect(database_url)
    try:
        cfg = alembic_config(db)
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0024")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO sources (id, kind, sha256, text, metadata, created_at) VALUES "
                              "(7, 'text', :sha, 'written before seals', '{}', CURRENT_TIMESTAMP)"), {"sha": "a" * 64})
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        assert _latest_seal(db, "sources", 7) is not None
        problems: list[str] = []
        assert check_seals(db, problems) == (1, 1) and problems == []
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE sources SET text = 'rewritten' WHERE id = 7"))
        check_seals(db, problems)
        assert problems and problems[0].startswith("sources row 7: content does not match its seal")
    finally:
        db.dispose()
