"""The custody ledger: entries on ingest, the hash chain, and `tawthiq verify` catching each kind of tampering."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from _ledger import drop_custody_guard
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tawthiq.domain.custody import GENESIS, hash_of
from tawthiq.evidence.verify import verify
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.db import Database, connect

REPORT = "Aleppo, 12 March 2016: an air strike on the al-Shaar district killed five civilians.\n"
OTHER = "حلب، 3 أيار 2016: قتل ثلاثة مدنيين جراء قصف مدفعي على حي الشعار.\n"


def _ingest(ws: Workspace, tmp_path: Path, name: str, body: str) -> list[int]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    (result,) = ingest_files(ws, [path], actor="cli:tester")
    return list(result.source_ids)


def test_ingest_records_received_and_ingested_chained(ws: Workspace, tmp_path: Path) -> None:
    (first,) = _ingest(ws, tmp_path, "a.txt", REPORT)
    (second,) = _ingest(ws, tmp_path, "b.txt", OTHER)
    entries = list(custody.iter_entries(ws.db))
    assert [(e.id, e.source_id, e.event) for e in entries] == [
        (1, first, "received"), (2, first, "ingested"), (3, second, "received"), (4, second, "ingested")]
    assert entries[0].prev_hash == GENESIS
    for before, after in zip(entries, entries[1:]):
        assert after.prev_hash == before.entry_hash
    for entry in entries:
        assert hash_of(entry) == entry.entry_hash and len(entry.entry_hash) == 64
        assert entry.actor == "cli:tester" and entry.machine
    assert entries[0].details["original_name"] == "a.txt" and entries[0].details["size"] == len(REPORT.encode())
    assert ws.blobs.verify(entries[2].item_sha256)  # the entry names the stored original


def test_reingest_adds_no_entries(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    before = custody.count_entries(ws.db)
    (result,) = ingest_files(ws, [tmp_path / "a.txt"], actor="cli:tester")
    assert result.status == "duplicate"
    assert custody.count_entries(ws.db) == before == 2


def test_verify_passes_on_a_clean_store(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    _ingest(ws, tmp_path, "b.txt", OTHER)
    report = verify(ws.db, blobs=ws.blobs)
    assert report.ok, report.problems
    assert (report.blobs_checked, report.sources_checked, report.entries_checked) == (2, 2, 4)
    assert report.head_id == 4


def test_flipped_byte_in_a_blob_is_named(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    (source_id,) = _ingest(ws, tmp_path, "b.txt", OTHER)
    sha = next(e.item_sha256 for e in custody.iter_entries(ws.db) if e.source_id == source_id)
    path = ws.blobs.path(sha)
    data = bytearray(path.read_bytes())
    data[5] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify(ws.db, blobs=ws.blobs)
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"original {sha}: bytes at {path} now hash to ")


def test_missing_blob_names_the_blob_and_its_source(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = _ingest(ws, tmp_path, "a.txt", REPORT)
    sha = next(custody.iter_entries(ws.db)).item_sha256
    ws.blobs.path(sha).unlink()
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert problems == [f"missing original {sha}: expected at {ws.blobs.path(sha)}",
                        f"source {source_id}: its original {sha} is missing"]


def test_changed_ledger_row_is_named(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    _ingest(ws, tmp_path, "b.txt", OTHER)
    drop_custody_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE custody_log SET reason = 'nothing to see' WHERE id = 3"))
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert len(problems) == 1 and problems[0].startswith("ledger entry 3: content does not match its hash")


def test_rehashed_changed_row_breaks_the_next_link(ws: Workspace, tmp_path: Path) -> None:
    """Forging the changed row's own hash too only moves the break to the next entry."""
    _ingest(ws, tmp_path, "a.txt", REPORT)
    drop_custody_guard(ws.db)
    (entry,) = [e for e in custody.iter_entries(ws.db) if e.id == 1]
    entry.actor = "someone else"
    with ws.db.engine.begin() as conn:
        conn.execute(text("UPDATE custody_log SET actor = :a, entry_hash = :h WHERE id = 1"),
                     {"a": entry.actor, "h": hash_of(entry)})
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert len(problems) == 1 and problems[0].startswith("ledger entry 2: prev_hash ")
    assert "does not link to entry 1" in problems[0]


def test_deleted_ledger_row_is_caught(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    _ingest(ws, tmp_path, "b.txt", OTHER)
    drop_custody_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_log WHERE id = 2"))
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert problems[0] == "ledger: entry 2 missing (deleted?) before entry 3"
    assert problems[1].startswith("ledger entry 3: prev_hash ") and "does not link to entry 1" in problems[1]
    assert len(problems) == 2


def test_deleted_first_row_is_caught(ws: Workspace, tmp_path: Path) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    drop_custody_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_log WHERE id = 1"))
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert problems[0] == "ledger: entry 1 missing (deleted?) before entry 2"
    assert problems[1].startswith("ledger entry 2: first entry does not start from the zero hash")


@pytest.mark.parametrize("statement", ["UPDATE custody_log SET reason = 'x' WHERE id = 1",
                                       "DELETE FROM custody_log WHERE id = 1"])
def test_the_database_refuses_update_and_delete(ws: Workspace, tmp_path: Path, statement: str) -> None:
    _ingest(ws, tmp_path, "a.txt", REPORT)
    with pytest.raises(DBAPIError, match="append-only"):
        with ws.db.engine.begin() as conn:
            conn.execute(text(statement))
    assert verify(ws.db, blobs=ws.blobs).ok


def test_concurrent_appends_never_fork_the_chain(db: Database) -> None:
    def write(worker: int) -> None:
        for n in range(15):
            custody.record(db, item_sha256=f"{worker:02d}{n:062d}", event="viewed", actor=f"w{worker}",
                           machine="test")

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(write, range(3)))
    entries = list(custody.iter_entries(db))
    assert [e.id for e in entries] == list(range(1, 46))
    assert len({e.prev_hash for e in entries}) == 45


def test_unknown_event_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="unknown custody event"):
        custody.record(db, item_sha256="0" * 64, event="lost", actor="x", machine="y")


def _tawthiq(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)


def test_verify_and_export_commands(tmp_path: Path) -> None:
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}", "TAWTHIQ_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(REPORT, encoding="utf-8")
    assert _tawthiq("init", env=env).returncode == 0
    assert _tawthiq("ingest", str(tmp_path / "in"), env=env).returncode == 0
    clean = _tawthiq("verify", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith("OK: 1 original(s) re-hashed, 1 source(s), 2 ledger entries checked")

    exported = _tawthiq("export", "--format", "json", "-o", str(tmp_path / "out.json"), env=env)
    assert exported.returncode == 0, exported.stderr
    db = connect(env["TAWTHIQ_DATABASE_URL"])
    try:
        last = list(custody.iter_entries(db))[-1]
    finally:
        db.dispose()
    assert last.event == "exported" and last.source_id is None and last.actor.startswith("cli:")
    assert last.item_sha256 == hashlib.sha256((tmp_path / "out.json").read_bytes()).hexdigest()
    assert last.details["incidents"] == len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8")))

    blob = next((tmp_path / "data" / "sha256").glob("*/*/*"))
    blob.write_bytes(blob.read_bytes() + b"x")
    broken = _tawthiq("verify", env=env)
    assert broken.returncode == 1
    lines = broken.stdout.splitlines()
    assert lines[0].startswith(f"original {blob.name}: bytes at ") and lines[-1].startswith("1 problem(s): ")
    assert "Traceback" not in broken.stderr


def test_ingest_reason_is_the_received_entrys_why(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    (result,) = ingest_files(ws, [path], actor="cli:tester", reason="witness statement for case 7")
    entries = custody.entries_for_source(ws.db, result.source_ids[0])
    assert [(e.event, e.reason) for e in entries] == [
        ("received", "witness statement for case 7"), ("ingested", "")]
    assert entries[0].details["how"] == "tawthiq ingest"
