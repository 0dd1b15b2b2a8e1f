"""The restore drill for encrypted backups (services.backups), on SQLite and PostgreSQL.

A workspace with a text source, a web page (and its working copy), a binary
original, incidents, claims and custody entries is backed up, destroyed,
restored and verified: same rows per table, same hashes. Wrong keys, cut and
altered files are refused with one line; planted strings never appear in
the backup's bytes.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pyrage import x25519
from sqlalchemy import create_engine

from tawthiq.cli.main import cli
from tawthiq.evidence.backup_archive import manifest_sha256, table_counts
from tawthiq.export.bag_signature import fingerprint
from tawthiq.services import ServiceError, Workspace, backups, integrity
from tawthiq.services.ingest import ingest_files
from tawthiq.store.custody import iter_entries
from tawthiq.store.signing_key import key_path, signing_key
from tawthiq.store.vault.derived import derived_store

MARKER = "PLANTEDMARKER7731"
PERSON = "Zubayr Qaswarani"
PERSON_AR = "زبير القصوراني"
PASSPHRASE = backups.Keys(passphrase="correct horse battery staple")
WHO = {"actor": "cli:tester", "machine": "test-host"}


def _build(ws: Workspace, folder: Path) -> None:
    folder.mkdir()
    (folder / "report.en.txt").write_text(
        f"On 3 March 2016 an air strike hit the market in Ariha, killing 12 civilians including {PERSON}. "
        f"Witness code {MARKER}. The Syrian government forces were responsible.\n", encoding="utf-8")
    (folder / "report.ar.txt").write_text(
        f"قتل {PERSON_AR} وسبعة مدنيين في قصف على دوما يوم 5 نيسان 2017.\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Shelling</title></head><body><article><p>On 4 May 2016 shelling of al-Mashlab "
        "killed 5 civilians, according to witnesses who saw it happen from the street.</p></article></body></html>",
        encoding="utf-8")
    # Noise does not compress: a photo big enough that leaving it out of an incremental shows in its size.
    Image.frombytes("RGB", (256, 256), os.urandom(256 * 256 * 3)).save(folder / "photo.png")
    results = ingest_files(ws, sorted(folder.iterdir()), actor="cli:tester")
    assert all(result.status == "new" for result in results), [r.error for r in results]


@pytest.fixture
def other_database_url(database_url: str, tmp_path: Path) -> Iterator[str | None]:
    """An empty database of the same engine to restore into (None: a SQLite file in the target)."""
    if database_url.startswith("sqlite"):
        yield None
        return
    with _empty_pg_schema(os.environ["TAWTHIQ_TEST_DATABASE_URL"]) as url:
        yield url


@contextmanager
def _empty_pg_schema(base: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _blob_hashes(ws_root: Path) -> set[str]:
    return {p.name for p in ws_root.rglob("*") if p.is_file() and len(p.name) == 64}


def test_the_restore_drill(ws: Workspace, tmp_path: Path, other_database_url: str | None) -> None:
    _build(ws, tmp_path / "in")
    before = table_counts(ws.db)
    assert before["claims"] and before["incidents"] and before["custody_log"] and before["derivatives"]
    hashes = _blob_hashes(ws.blobs.root)
    assert list(derived_store(ws.blobs).iter_shas())
    target = tmp_path / "backups" / "full.age"
    made = backups.create(ws, output=target, **WHO, keys=PASSPHRASE)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert made.manifest["tables"] == before and made.left_out == 0
    data = target.read_bytes()
    for planted in (MARKER, PERSON, PERSON_AR, "Ariha"):
        assert planted.encode("utf-8") not in data
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".tmp")]
    # Destroy, then restore into an empty place.
    shutil.rmtree(ws.blobs.root)
    restored = backups.restore([target], to=tmp_path / "restored", keys=PASSPHRASE,
                               database_url=other_database_url)
    assert restored.ok, restored.report.problems + restored.count_problems()
    assert restored.counts == before
    assert _blob_hashes(restored.data_dir) == hashes
    working = {name for name, place in made.manifest["blobs"].items() if name.startswith("derived/")}
    assert restored.report.blobs_checked == len(hashes) - len(working) and restored.report.entries_checked


def test_recipients_and_identity_files(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    identity, other = x25519.Identity.generate(), x25519.Identity.generate()
    target = tmp_path / "b.age"
    backups.create(ws, output=target, **WHO, keys=backups.Keys(recipients=(str(identity.to_public()),)))
    (tmp_path / "key.txt").write_text(f"# created: now\n{identity}\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text(f"{other}\n", encoding="utf-8")
    ok = backups.verify(target, keys=backups.keys(identity_files=[tmp_path / "key.txt"]))
    assert ok.blobs >= 4 and ok.rows["claims"] == ok.manifest["tables"]["claims"]
    with pytest.raises(ServiceError, match="wrong key"):
        backups.verify(target, keys=backups.keys(identity_files=[tmp_path / "other.txt"]))
    with pytest.raises(ServiceError, match="not made with a passphrase"):
        backups.verify(target, keys=PASSPHRASE)
    with pytest.raises(ServiceError, match="wrong key"):
        backups.restore([target], to=tmp_path / "r", keys=backups.keys(identity_files=[tmp_path / "other.txt"]))
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_backup_is_refused_and_nothing_stays(ws: Workspace, tmp_path: Path, damage: str) -> None:
    _build(ws, tmp_path / "in")
    target = tmp_path / "b.age"
    backups.create(ws, output=target, **WHO, keys=PASSPHRASE)
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 3000]
    else:
        data[len(data) // 2] ^= 0x01
    target.chmod(0o600)
    target.write_bytes(bytes(data))
    with pytest.raises(ServiceError, match="damaged|altered|cut short") as caught:
        backups.verify(target, keys=PASSPHRASE)
    assert "\n" not in str(caught.value)
    with pytest.raises(ServiceError, match="damaged|altered|cut short"):
        backups.restore([target], to=tmp_path / "r", keys=PASSPHRASE)
    assert not (tmp_path / "r").exists()


def test_wrong_passphrase(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    target = tmp_path / "b.age"
    backups.create(ws, output=target, **WHO, keys=PASSPHRASE)
    with pytest.raises(ServiceError, match="wrong passphrase"):
        backups.verify(target, keys=backups.Keys(passphrase="wrong"))


def test_incremental_leaves_known_originals_out_and_the_chain_restores(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    full = tmp_path / "full.age"
    first = backups.create(ws, output=full, **WHO, keys=PASSPHRASE)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "later.en.txt").write_text(
        "On 9 June 2018 an air strike on Raqqa killed 7 civilians.\n", encoding="utf-8")
    ingest_files(ws, [tmp_path / "more" / "later.en.txt"], actor="cli:tester")
    inc = tmp_path / "inc.age"
    counts = table_counts(ws.db)  # the record the incremental holds (its own ledger entry comes after it)
    second = backups.create(ws, output=inc, **WHO, keys=PASSPHRASE, previous=full)
    held = {name for name, place in first.manifest["blobs"].items() if place == "here"}
    assert second.manifest["previous"] == first.manifest["backup_id"]
    assert {n for n, p in second.manifest["blobs"].items() if p == f"in {first.manifest['backup_id']}"} == held
    assert [n for n, p in second.manifest["blobs"].items() if p == "here"]
    assert not held & set(second.manifest["members"])  # the bytes of known originals are not in the file
    assert inc.stat().st_size < full.stat().st_size - 150_000
    with pytest.raises(ServiceError, match="not a full backup"):
        backups.restore([inc], to=tmp_path / "alone", keys=PASSPHRASE)
    with pytest.raises(ServiceError, match="oldest first"):
        backups.restore([inc, full], to=tmp_path / "reversed", keys=PASSPHRASE)
    restored = backups.restore([full, inc], to=tmp_path / "chain", keys=PASSPHRASE)
    assert restored.ok, restored.report.problems
    assert restored.counts == counts
    assert _blob_hashes(restored.data_dir) == _blob_hashes(ws.blobs.root)


def test_cli_refusals_are_one_line(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.blobs.root),
           "BACKUP_PW": "s3cret passphrase"}
    runner = CliRunner()
    out = tmp_path / "cli.age"
    bare = runner.invoke(cli, ["backup", "create", "-o", str(out)], env=env)
    assert bare.exit_code != 0 and "never written in clear" in bare.output and not out.exists()
    unset = runner.invoke(cli, ["backup", "create", "-o", str(out), "--passphrase-env", "NOT_SET_ANYWHERE"], env=env)
    assert unset.exit_code != 0 and "NOT_SET_ANYWHERE" in unset.output
    made = runner.invoke(cli, ["backup", "create", "-o", str(out), "--passphrase-env", "BACKUP_PW"], env=env)
    assert made.exit_code == 0, made.output
    assert "s3cret" not in made.output
    checked = runner.invoke(cli, ["backup", "verify", str(out), "--passphrase-env", "BACKUP_PW"], env=env)
    assert checked.exit_code == 0 and checked.output.startswith("OK:"), checked.output
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(cli, ["backup", "restore", str(out), "--to", str(busy), "--passphrase-env", "BACKUP_PW"],
                            env=env)
    assert refused.exit_code != 0 and "not an empty directory" in refused.output
    assert "Traceback" not in refused.output and (busy / "keep.txt").read_text(encoding="utf-8") == "mine"
    wrong = runner.invoke(cli, ["backup", "verify", str(out), "--passphrase-env", "BACKUP_PW"],
                          env={**env, "BACKUP_PW": "nope"})
    assert wrong.exit_code != 0 and "wrong passphrase" in wrong.output
    restored = runner.invoke(cli, ["backup", "restore", str(out), "--to", str(tmp_path / "r"),
                                   "--passphrase-env", "BACKUP_PW"], env=env)
    assert restored.exit_code == 0, restored.output
    assert "OK:" in restored.output


def test_the_signing_key_comes_back_with_the_same_fingerprint(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    before = fingerprint(signing_key(data_dir=ws.settings.data_dir).public_key())
    full = tmp_path / "full.age"
    backups.create(ws, output=full, **WHO, keys=PASSPHRASE)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "later.en.txt").write_text("On 9 June 2018 shelling killed 2 civilians.\n", encoding="utf-8")
    ingest_files(ws, [tmp_path / "more" / "later.en.txt"], actor="cli:tester")
    inc = tmp_path / "inc.age"
    backups.create(ws, output=inc, **WHO, keys=PASSPHRASE, previous=full)
    pem = key_path(ws.settings.data_dir).read_bytes()
    assert pem not in full.read_bytes() and b"PRIVATE KEY" not in full.read_bytes()
    shutil.rmtree(ws.blobs.root)
    for name, chain in (("full", [full]), ("chain", [full, inc])):
        restored = backups.restore(chain, to=tmp_path / name, keys=PASSPHRASE)
        assert restored.ok, restored.report.problems
        path = key_path(restored.data_dir)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert fingerprint(signing_key(data_dir=restored.data_dir).public_key()) == before


def test_a_workspace_without_a_key_restores_without_one(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    if key_path(ws.settings.data_dir).exists():  # ingest does not make it, but be sure the case is real
        key_path(ws.settings.data_dir).unlink()
    target = tmp_path / "b.age"
    made = backups.create(ws, output=target, **WHO, keys=PASSPHRASE)
    # The identity vault's key is always there; the signing key is not.
    assert [name for name in made.manifest["members"] if name.startswith("keys/")] == ["keys/identity-vault.key"]
    restored = backups.restore([target], to=tmp_path / "r", keys=PASSPHRASE)
    assert restored.ok and not key_path(restored.data_dir).exists()


def test_each_backup_leaves_one_custody_entry(ws: Workspace, tmp_path: Path) -> None:
    _build(ws, tmp_path / "in")
    signing_key(data_dir=ws.settings.data_dir)
    identity = x25519.Identity.generate()
    both = backups.Keys(recipients=(str(identity.to_public()),), passphrase=PASSPHRASE.passphrase)
    entries_before = list(iter_entries(ws.db))
    made = backups.create(ws, output=tmp_path / "b.age", actor="cli:amira", machine="field-laptop", keys=both)
    added = list(iter_entries(ws.db))[len(entries_before):]
    assert [entry.event for entry in added] == ["backed-up"]
    entry = added[0]
    opened = backups.verify(tmp_path / "b.age", keys=PASSPHRASE)
    assert entry.item_sha256 == manifest_sha256(opened.manifest) == manifest_sha256(made.manifest)
    assert (entry.actor, entry.machine, entry.source_id) == ("cli:amira", "field-laptop", None)
    assert entry.details["backup_id"] == made.manifest["backup_id"]
    assert entry.details["recipients"] == [str(identity.to_public()), "passphrase"]
    assert entry.details["signing_key"] is True and entry.details["previous"] is None
    assert PASSPHRASE.passphrase not in json.dumps(entry.details) and "AGE-SECRET" not in json.dumps(entry.details)
    assert backups.restore([tmp_path / "b.age"], to=tmp_path / "r", keys=PASSPHRASE).ok
    assert integrity.verify(ws).ok  # the ledger still chains with the entry on it
    refused = tmp_path / "refused.age"
    with pytest.raises(ServiceError):
        backups.create(ws, output=refused, **WHO, keys=backups.Keys())
    assert len(list(iter_entries(ws.db))) == len(entries_before) + 1  # no backup, no entry


@pytest.fixture
def cross_engine_url(database_url: str) -> Iterator[str | None]:
    """The other engine's empty database: a PostgreSQL schema for a SQLite workspace, a SQLite file for a PostgreSQL one."""
    if not database_url.startswith("sqlite"):
        yield None
        return
    base = os.environ.get("TAWTHIQ_TEST_DATABASE_URL")
    if not base:
        pytest.skip("set TAWTHIQ_TEST_DATABASE_URL to restore a SQLite backup into PostgreSQL")
    with _empty_pg_schema(base) as url:
        yield url


def test_a_backup_restores_into_the_other_engine_postgresql(ws: Workspace, tmp_path: Path,
                                                             cross_engine_url: str | None) -> None:
    """A group moving from a laptop (SQLite) to a server (PostgreSQL), or back, keeps every row, hash and seal."""
    _build(ws, tmp_path / "in")
    before = table_counts(ws.db)
    hashes = _blob_hashes(ws.blobs.root)
    target = tmp_path / "move.age"
    backups.create(ws, output=target, **WHO, keys=PASSPHRASE)
    restored = backups.restore([target], to=tmp_path / "moved", keys=PASSPHRASE, database_url=cross_engine_url)
    assert restored.ok, restored.report.problems + restored.count_problems()
    assert restored.counts == before
    assert _blob_hashes(restored.data_dir) == hashes
    # The record seals made on one engine still verify on the other: the rows' hashes do not depend on it.
    url = cross_engine_url or f"sqlite:///{tmp_path / 'moved' / 'tawthiq.db'}"
    result = CliRunner().invoke(cli, ["verify"], env={"TAWTHIQ_DATABASE_URL": url,
                                                      "TAWTHIQ_DATA_DIR": str(restored.data_dir)})
    assert result.exit_code == 0, result.output
