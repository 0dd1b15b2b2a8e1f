"""`tawthiq encrypt --to NEW_DIR`: a workspace that began in the clear copied into a new encrypted one.

The done-when test builds a plain workspace through the real CLI with marker names planted in a
person list, a report, a source's author and a photo's EXIF, converts it, then reads every byte
under the new folder for the markers (UTF-8 and UTF-16): none may be there. With the passphrase
the new workspace lists the same incidents, names, sources and originals, verifies, and its
custody ledger is the plain one's with one "encrypted" entry at the end. The plain workspace is
left byte for byte as it was. Then every refusal, and a failed conversion leaving nothing behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from _encrypted import (
    FAST_KDF,
    MARK_AUTHOR,
    MARK_PERSON,
    MARK_PERSON_AR,
    MARK_REPORT,
    cli_env,
    files_holding,
    one_line_error,
    plant_markers,
    run,
)
from _media import exif, jpeg, photo
from test_identity_vault import _plant, _shown

from tawthiq.services import ServiceError, Workspace
from tawthiq.services.encrypt_existing import encrypt_workspace
from tawthiq.services.encryption import unlock
from tawthiq.settings import Settings
from tawthiq.store import custody
from tawthiq.store.vault.derived import derived_store

PASS = "a long enough new passphrase"
MARK_CAMERA = "Quillcam Nightjar"
MARKERS = [MARK_PERSON, MARK_PERSON_AR, MARK_REPORT, MARK_AUTHOR, MARK_CAMERA, "Douma"]
_env = cli_env


def _fingerprint(*roots: Path) -> dict[str, str]:
    """Every file's sha256 (the database's -wal and -shm aside: SQLite's own, they come and go)."""
    out = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file() and not path.name.endswith(("-wal", "-shm")):
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _json(proc: subprocess.CompletedProcess) -> object:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_plain_workspace_becomes_an_encrypted_one_with_the_same_record(tmp_path: Path) -> None:
    plain_dir, inputs, target = tmp_path / "plain", tmp_path / "inputs", tmp_path / "encrypted"
    plain_dir.mkdir()
    inputs.mkdir()
    plain_db, plain_data = plain_dir / "tawthiq.db", plain_dir / "data"
    env = _env(plain_db, plain_data)
    assert run(["init"], env=env).returncode == 0
    picture = inputs / "IMG_0001.JPG"
    picture.write_bytes(jpeg(photo(1), exif_data=exif(make=MARK_CAMERA)))
    plant_markers(inputs, env=env, also=[picture])
    assert files_holding(plain_dir, [MARK_PERSON, MARK_REPORT, MARK_CAMERA])  # the markers are there in the clear

    incidents = _json(run(["incidents", "list", "--format", "json"], env=env))
    names = sorted(row["name"] for row in _json(run(["persons", "list", "--format", "json"], env=env)))
    sources = _json(run(["sources", "list", "--format", "json"], env=env))
    shown = {s["id"]: _json(run(["sources", "show", str(s["id"]), "--format", "json"], env=env)) for s in sources}
    assert MARK_PERSON in names and any(MARK_AUTHOR in json.dumps(s) for s in shown.values())
    before = _fingerprint(plain_db, plain_data)

    made = run(["encrypt", "--to", str(target)], env={**env, "TAWTHIQ_PASSPHRASE": PASS})
    assert made.returncode == 0, made.stdout + made.stderr
    out = made.stdout
    (recovery,) = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Recovery key:")]
    assert "verify: OK" in out and "rm -rf" in out and str(plain_db) in out and "SSD" in out
    assert "Full-disk encryption" in out
    assert _fingerprint(plain_db, plain_data) == before  # the plain workspace is left as it was

    # Nothing under the new folder holds a marker, in UTF-8 or UTF-16.
    new_db, new_data = target / "tawthiq.db", target / "tawthiq-data"
    assert new_db.is_file() and any((new_data / "sha256").rglob("*")) and any((new_data / "derived").rglob("*"))
    assert files_holding(target, MARKERS) == []
    assert not (new_data / "keys" / "identity-vault.key").exists()

    # With the passphrase: the same incidents, names, sources (authors and texts) and originals; verify OK.
    new_env = _env(new_db, new_data, PASS)
    assert _json(run(["incidents", "list", "--format", "json"], env=new_env)) == incidents
    assert sorted(row["name"] for row in _json(run(["persons", "list", "--format", "json"], env=new_env))) == names
    assert _json(run(["sources", "list", "--format", "json"], env=new_env)) == sources
    for source_id, page in shown.items():
        assert _json(run(["sources", "show", str(source_id), "--format", "json"], env=new_env)) == page
    found = run(["search", "Douma"], env=new_env)  # the search index (an FTS5 table) came over too
    assert found.returncode == 0 and "Douma" in found.stdout, found.stderr
    verified = run(["verify"], env=new_env)
    assert verified.returncode == 0 and verified.stdout.startswith("OK"), verified.stdout + verified.stderr

    plain_settings = Settings.from_env(env)
    new_settings = unlock(Settings.from_env(new_env), passphrase=PASS)
    old, new = Workspace.open(plain_settings), Workspace.open(new_settings)
    try:
        assert new.blobs.encrypted and not old.blobs.encrypted
        for mine, theirs in ((old.blobs, new.blobs), (derived_store(old.blobs), derived_store(new.blobs))):
            shas = sorted(mine.iter_shas())
            assert shas and sorted(theirs.iter_shas()) == shas
            for sha in shas:
                assert theirs.get(sha) == mine.get(sha)
        # The ledger carried over whole, then one entry: who, when, from where.
        carried, added = list(custody.iter_entries(old.db)), list(custody.iter_entries(new.db))
        assert [e.entry_hash for e in added[:-1]] == [e.entry_hash for e in carried]
        last = added[-1]
        assert last.event == "encrypted" and last.actor.startswith("cli:") and last.machine
        assert last.prev_hash == carried[-1].entry_hash
        assert last.details["from_database"] == str(plain_db) and last.details["to"] == str(target)
    finally:
        old.db.dispose()
        new.db.dispose()

    # A wrong passphrase opens nothing; the recovery key printed once does.
    one_line_error(run(["incidents", "list"], env=_env(new_db, new_data, "not the passphrase")), "wrong passphrase")
    reset = run(["passphrase", "reset", "--recovery-key", recovery],
                env={**_env(new_db, new_data), "TAWTHIQ_NEW_PASSPHRASE": "another passphrase"})
    assert reset.returncode == 0, reset.stderr

    # Refusals, one line each: an encrypted workspace, a folder not empty, a folder inside the data folder.
    one_line_error(run(["encrypt", "--to", str(tmp_path / "again")], env=new_env), "already an encrypted")
    one_line_error(run(["encrypt", "--to", str(target)], env={**env, "TAWTHIQ_PASSPHRASE": PASS}), "not an empty")
    one_line_error(run(["encrypt", "--to", str(plain_data / "enc")], env={**env, "TAWTHIQ_PASSPHRASE": PASS}),
                   "inside")
    assert not (tmp_path / "again").exists() and not (plain_data / "enc").exists()

    # A workspace another process is writing (it holds the write lock): refused, nothing made.
    writer = sqlite3.connect(plain_db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        one_line_error(run(["encrypt", "--to", str(tmp_path / "busy")], env={**env, "TAWTHIQ_PASSPHRASE": PASS}),
                       "another process is writing")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not (tmp_path / "busy").exists()

    # A damaged plain original: the conversion fails and removes what it made.
    original = next(p for p in (plain_data / "sha256").rglob("*") if p.is_file())
    saved = original.read_bytes()
    os.chmod(original, 0o600)
    original.write_bytes(saved[:-1] + bytes([saved[-1] ^ 1]))
    try:
        one_line_error(run(["encrypt", "--to", str(tmp_path / "damaged")], env={**env, "TAWTHIQ_PASSPHRASE": PASS}),
                       "does not hash to its name")
        assert not (tmp_path / "damaged").exists()
    finally:
        original.write_bytes(saved)


def test_postgresql_and_short_passphrases_are_refused(tmp_path: Path) -> None:
    env = {**_env(tmp_path / "x.db", tmp_path / "pg-data", PASS),
           "TAWTHIQ_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test"}
    one_line_error(run(["encrypt", "--to", str(tmp_path / "out")], env=env), "PostgreSQL")
    plain = _env(tmp_path / "tawthiq.db", tmp_path / "data")
    assert run(["init"], env=plain).returncode == 0
    one_line_error(run(["encrypt", "--to", str(tmp_path / "out")], env={**plain, "TAWTHIQ_PASSPHRASE": "short"}),
                   "at least 8")
    one_line_error(run(["encrypt", "--to", str(tmp_path / "out")], env=_env(tmp_path / "none.db", tmp_path / "d2",
                                                                            PASS)), "no database")
    assert not (tmp_path / "out").exists()


def test_names_history_and_blind_indexes_come_under_the_new_vault_key(ws: Workspace, tmp_path: Path) -> None:
    """Service level: every identity value (the audit log's person-record values and the name search's blind
    index included) opens with the encrypted workspace's derived key, and the record's seals still hold."""
    if ws.db.dialect_name != "sqlite":  # a real PostgreSQL workspace: refused, nothing made
        with pytest.raises(ServiceError, match="PostgreSQL"):
            encrypt_workspace(ws.settings, to=tmp_path / "enc", passphrase=PASS, actor="test", machine="here",
                              kdf=FAST_KDF)
        assert not (tmp_path / "enc").exists()
        return
    got = _plant(ws, tmp_path)
    ws.db.dispose()
    made = encrypt_workspace(ws.settings, to=tmp_path / "enc", passphrase=PASS, actor="test", machine="here",
                             kdf=FAST_KDF)
    assert made.verify_summary.startswith("OK") and made.originals >= 2
    new = Workspace.open(unlock(Settings(database_url=made.database_url, data_dir=made.data_dir,
                                         max_file_size=ws.settings.max_file_size), passphrase=PASS))
    try:
        _shown(new, got)  # names, the audit log's values, an e-mail's author, a TOTP secret, name search
    finally:
        new.db.dispose()
    with pytest.raises(ServiceError, match="wrong passphrase"):
        unlock(Settings(database_url=made.database_url, data_dir=made.data_dir, max_file_size=0),
               passphrase="not the passphrase")
