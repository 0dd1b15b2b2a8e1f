"""`tawthiq verify` beyond originals: working copies, imported custody and heads recorded elsewhere."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from _ledger import drop_custody_guard
from click.testing import CliRunner, Result
from sqlalchemy import select, text

from tawthiq.domain.custody import entry_hash
from tawthiq.evidence.verify import ExpectedHead, parse_head, verify
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.db import Database
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.tables import imported_custody
from tawthiq.store.vault.blobs import BlobStore, sha256_file
from tawthiq.store.vault.derived import derived_store

PAGE = """<html><head><title>Raqqa</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""
REPORT = "Aleppo, 12 March 2016: an air strike on the al-Shaar district killed five civilians.\n"


def _ingest_page(ws: Workspace, tmp_path: Path) -> tuple[int, str, str]:
    """(source id, original sha, derived-copy sha) of an HTML page and its extracted text."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (result,) = ingest_files(ws, [page], actor="cli:tester")
    assert result.status == "new", result.error
    (copy,) = derivatives_of(ws.db, sha256_file(page))
    return result.source_ids[0], copy.original_sha256, copy.sha256


def _flip_byte(path: Path) -> str:
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x20
    path.write_bytes(bytes(data))
    return sha256_file(path)


def test_clean_store_counts_the_working_copies(ws: Workspace, tmp_path: Path) -> None:
    _ingest_page(ws, tmp_path)
    report = verify(ws.db, blobs=ws.blobs)
    assert report.ok, report.problems
    assert (report.blobs_checked, report.derivatives_checked, report.derived_blobs_checked) == (1, 1, 1)
    assert "1 derived copy re-hashed (1 derivative row(s))" in report.summary()


def test_one_flipped_byte_in_a_derived_copy_is_named(ws: Workspace, tmp_path: Path) -> None:
    source_id, _, copy_sha = _ingest_page(ws, tmp_path)
    path = derived_store(ws.blobs).path(copy_sha)
    actual = _flip_byte(path)
    assert verify(ws.db, blobs=ws.blobs).problems == [
        f"derived copy {copy_sha}: bytes at {path} now hash to {actual} (derivative 1; source {source_id})"]


def test_a_deleted_derived_copy_is_named_with_its_rows(ws: Workspace, tmp_path: Path) -> None:
    source_id, _, copy_sha = _ingest_page(ws, tmp_path)
    path = derived_store(ws.blobs).path(copy_sha)
    path.unlink()
    report = verify(ws.db, blobs=ws.blobs)
    assert report.problems == [f"missing derived copy {copy_sha}: expected at {path} "
                               f"(derivative 1; source {source_id})"]
    assert report.derived_blobs_checked == 0 and report.derivatives_checked == 1


def test_a_working_copy_whose_original_is_gone_is_reported(ws: Workspace, tmp_path: Path) -> None:
    source_id, original_sha, _ = _ingest_page(ws, tmp_path)
    originals = ws.blobs
    originals.path(original_sha).unlink()
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert f"source {source_id}: its original {original_sha} is missing" in problems
    assert (f"derived copies of {original_sha}: their original is missing from {originals.path(original_sha)} "
            f"(derivative 1; source {source_id})") in problems
    assert len(problems) == 3


def test_stray_derived_blobs_are_rehashed_too(ws: Workspace, tmp_path: Path) -> None:
    """A copy written just before a crash (no row yet) is still evidence-adjacent bytes: they must hash right."""
    _ingest_page(ws, tmp_path)
    store = derived_store(ws.blobs)
    stray = store.put(b"thumbnail bytes whose row was never written")
    assert verify(ws.db, blobs=ws.blobs).derived_blobs_checked == 2
    actual = _flip_byte(store.path(stray))
    assert verify(ws.db, blobs=ws.blobs).problems == [
        f"derived copy {stray}: bytes at {store.path(stray)} now hash to {actual} (named by no derivative row)"]


def test_a_flipped_original_names_the_sources(ws: Workspace, tmp_path: Path) -> None:
    source_id, original_sha, _ = _ingest_page(ws, tmp_path)
    path = ws.blobs.path(original_sha)
    actual = _flip_byte(path)
    assert verify(ws.db, blobs=ws.blobs).problems == [
        f"original {original_sha}: bytes at {path} now hash to {actual} (source {source_id})"]


def test_the_report_is_the_same_whatever_the_number_of_hashing_threads(ws: Workspace, tmp_path: Path) -> None:
    source_id, original_sha, copy_sha = _ingest_page(ws, tmp_path)
    originals = ws.blobs
    strays = [originals.put(f"stray original {n}".encode()) for n in range(300)]  # more than one batch
    for sha in (strays[7], strays[280], original_sha):
        _flip_byte(originals.path(sha))
    _flip_byte(derived_store(originals).path(copy_sha))
    serial = verify(ws.db, blobs=ws.blobs, workers=1)
    threaded = verify(ws.db, blobs=ws.blobs, workers=3)
    assert serial.problems == threaded.problems
    # The strays no source names are each an orphan too (verify_record.check_store_files), after the re-hashing.
    orphans = [p for p in serial.problems if "an interrupted ingest's orphan" in p]
    assert sorted(p.split()[1][:-1] for p in orphans) == sorted(strays)
    serial.problems = [p for p in serial.problems if p not in orphans]
    assert len(serial.problems) == 4
    assert serial.blobs_checked == threaded.blobs_checked == 301
    assert serial.problems[0].startswith(f"original {original_sha}: ") and f"(source {source_id})" in serial.problems[0]
    assert serial.problems[-1].startswith(f"derived copy {copy_sha}: ")


# --- heads recorded elsewhere -------------------------------------------------------------------------------

def _two_reports(ws: Workspace, tmp_path: Path) -> None:
    for name, body in (("a.txt", REPORT), ("b.txt", REPORT.replace("five", "six"))):
        (tmp_path / name).write_text(body, encoding="utf-8")
        ingest_files(ws, [tmp_path / name], actor="cli:tester")


def test_a_ledger_cut_from_the_end_is_caught_only_with_the_recorded_head(ws: Workspace, tmp_path: Path) -> None:
    _two_reports(ws, tmp_path)
    before = verify(ws.db, blobs=ws.blobs)
    assert before.ok and before.head_id == 4
    head = ExpectedHead(id=before.head_id, hash=str(before.head_hash))
    assert verify(ws.db, blobs=ws.blobs, expect=[head]).ok
    drop_custody_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_log WHERE id >= 3"))
    assert verify(ws.db, blobs=ws.blobs).ok  # a shorter chain is still a valid chain
    assert verify(ws.db, blobs=ws.blobs, expect=[head]).problems == [
        f"ledger: entry 4, the head recorded by --head (hash {head.hash}), is missing; "
        "the ledger now ends at entry 2: entries were cut from the end"]


def test_a_ledger_cut_and_regrown_is_caught_by_the_changed_head_hash(ws: Workspace, tmp_path: Path) -> None:
    _two_reports(ws, tmp_path)
    before = verify(ws.db, blobs=ws.blobs)
    drop_custody_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_log WHERE id >= 3"))
    custody.record(ws.db, item_sha256="a" * 64, event="viewed", actor="someone", machine="m")
    custody.record(ws.db, item_sha256="a" * 64, event="viewed", actor="someone", machine="m")
    after = verify(ws.db, blobs=ws.blobs, expect=[ExpectedHead(id=4, hash=str(before.head_hash),
                                                                                label="the operator's note")])
    assert after.head_id == 4 and after.head_hash != before.head_hash
    assert after.problems == [f"ledger entry 4: hash {after.head_hash} is not the head hash recorded by the "
                              f"operator's note ({before.head_hash}): the ledger was rewritten from there"]


def test_an_empty_ledger_with_a_recorded_head_is_caught(db: Database, tmp_path: Path) -> None:
    problems = verify(db, blobs=BlobStore(tmp_path), expect=[ExpectedHead(id=1, hash="b" * 64)]).problems
    assert problems == [f"ledger: entry 1, the head recorded by --head (hash {'b' * 64}), is missing; "
                        "the ledger is empty: entries were cut from the end"]


@pytest.mark.parametrize(("given", "expected"), [
    (f"12:{'AB' * 32}", (12, "ab" * 32)), (f" entry 7 {'c' * 64} ", (7, "c" * 64)), (f"3 : {'d' * 64}", (3, "d" * 64))])
def test_head_is_read_as_printed(given: str, expected: tuple[int, str]) -> None:
    head = parse_head(given)
    assert (head.id, head.hash) == expected


@pytest.mark.parametrize("bad", ["", "12", f"0:{'a' * 64}", f"x:{'a' * 64}", f"5:{'a' * 63}", f"5:{'g' * 64}"])
def test_a_malformed_head_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="expected ID:HASH"):
        parse_head(bad)


# --- custody imported with a package -----------------------------------------------------------------------

def _imported_entry(position: int) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": 40 + position, "at": "2026-01-02T03:04:05.000006Z", "item_sha256": "e" * 64, "source_id": 9,
        "event": "received", "actor": "web:نور", "machine": "field-laptop", "reason": "",
        "details": {"original_name": "دوما.jpg"}, "prev_hash": "f" * 64}
    at = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    fields["entry_hash"] = entry_hash(**fields | {"at": at})  # type: ignore[arg-type]
    return fields


def _import(db: Database, entry: dict[str, object], *, position: int, row_hash: str | None = None) -> None:
    with db.session(write=True) as session:
        session.execute(imported_custody.insert().values(
            package="bag-1", origin="instance-A", position=position, item_sha256=entry["item_sha256"],
            entry=entry, entry_hash=row_hash or entry["entry_hash"], imported_at=datetime.now(UTC)))


def test_imported_custody_entries_are_rehashed(db: Database, tmp_path: Path) -> None:
    good = _imported_entry(1)
    _import(db, good, position=1)
    report = verify(db, blobs=BlobStore(tmp_path))
    assert report.ok and report.imported_checked == 1
    forged = {**_imported_entry(2), "actor": "someone else"}  # changed after hashing
    _import(db, forged, position=2)
    lacking = {k: v for k, v in _imported_entry(3).items() if k != "machine"}
    _import(db, lacking, position=3)
    forged_hash = entry_hash(**{k: v for k, v in forged.items() if k != "entry_hash"}  # type: ignore[arg-type]
                             | {"at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)})
    assert verify(db, blobs=BlobStore(tmp_path)).problems == [
        f"imported custody row 2 (package 'bag-1', origin instance-A, position 2): entry hashes to {forged_hash}, "
        f"recorded {forged['entry_hash']}",
        "imported custody row 3 (package 'bag-1', origin instance-A, position 3): entry lacks machine, "
        "so its hash cannot be checked"]


def test_custody_imported_with_a_package_verifies_and_a_changed_entry_is_caught(ws: Workspace,
                                                                               tmp_path: Path) -> None:
    """A real package from another instance (A, SQLite) imported into ``ws`` (B, each engine)."""
    from sqlalchemy import update

    from tawthiq.services.packages import import_package, make_package, public_signing_key
    from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
    from tawthiq.store.db import connect, init_db

    url = f"sqlite:///{tmp_path / 'a.db'}"
    a = Workspace.open(Settings(database_url=url, data_dir=tmp_path / "a-data",
                                max_file_size=DEFAULT_MAX_FILE_SIZE), db=connect(url))
    try:
        init_db(a.db)
        source_id, _, _ = _ingest_page(a, tmp_path)
        make_package(a, out=tmp_path / "bag", source_ids=[source_id], actor="cli:alice", machine="a-box")
        key = public_signing_key(a).pem
    finally:
        a.db.dispose()
    import_package(ws, path=tmp_path / "bag", actor="cli:bob", machine="b-box", public_key=key)
    report = verify(ws.db, blobs=ws.blobs)
    assert report.ok, report.problems
    assert report.imported_checked >= 3 and report.derived_blobs_checked == 1  # received, ingested, derived…

    with ws.db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER imported_custody_no_update")
        else:
            conn.exec_driver_sql("DROP TRIGGER imported_custody_append_only ON imported_custody")
        row = conn.execute(select(imported_custody).order_by(imported_custody.c.id).limit(1)).one()
        conn.execute(update(imported_custody).where(imported_custody.c.id == row.id)
                     .values(entry={**row.entry, "actor": "cli:mallory"}))
    problems = verify(ws.db, blobs=ws.blobs).problems
    assert len(problems) == 1
    assert problems[0].startswith(f"imported custody row {row.id} (package ")
    assert problems[0].endswith(f", recorded {row.entry_hash}")


# --- the command --------------------------------------------------------------------------------------------

def _invoke(*args: str, env: dict[str, str]) -> Result:
    """The command in process (CliRunner): the same click command the `tawthiq` entry point runs."""
    from tawthiq.cli import cli

    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_verify_command_takes_the_printed_head_back(tmp_path: Path) -> None:
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}", "TAWTHIQ_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(PAGE, encoding="utf-8")
    assert _invoke("init", env=env).exit_code == 0
    assert _invoke("ingest", str(tmp_path / "in"), env=env).exit_code == 0
    clean = _invoke("verify", env=env)
    assert clean.exit_code == 0, clean.output
    assert "1 derived copy re-hashed" in clean.output
    head = clean.output.rsplit("(keep it for --head): ", 1)[1].strip()
    entry_id, entry_sha = head.split(":")
    assert _invoke("verify", "--head", head, env=env).exit_code == 0

    wrong = _invoke("verify", "--head", f"{entry_id}:{'0' * 64}", env=env)
    assert wrong.exit_code == 1 and wrong.output.splitlines()[0].startswith(
        f"ledger entry {entry_id}: hash {entry_sha} is not the head hash recorded by --head")
    gone = _invoke("verify", "--head", f"99:{'0' * 64}", env=env)
    assert gone.exit_code == 1 and "entries were cut from the end" in gone.output
    bad = _invoke("verify", "--head", "99", env=env)
    assert bad.exit_code == 2 and "expected ID:HASH" in bad.output
