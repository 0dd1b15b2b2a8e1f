"""Encrypted workspaces (issue 13 §1): nothing readable on disk without the passphrase, everything readable with it.

The done-when test plants marker names through the real CLI (a victim list, a
report, a source's author), then reads every byte under the workspace (database,
-wal, -shm, originals, working copies, keys, anything else) looking for the
markers in UTF-8 and UTF-16: none may be there, and the same workspace must
still list, show and verify with the passphrase.
"""
from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import tempfile
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

from tawthiq.store.vault import keys, sealed
from tawthiq.store.vault.blobs import BlobStore, sha256_bytes
from tawthiq.store.vault.private import scratch_root

PASS = "correct horse battery staple"


def _env(workspace: Path, passphrase: str | None = PASS) -> dict[str, str]:
    return cli_env(workspace / "tawthiq.db", workspace / "data", passphrase)


# ---------------------------------------------------------------- sealed files


@pytest.fixture()
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "data", keys=keys.derive(os.urandom(32)))


@pytest.mark.parametrize("size", [0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK + 1, 3 * sealed.CHUNK + 7])
def test_sealed_round_trip_and_sizes(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    sha = store.put(data)
    assert sha == sha256_bytes(data) and store.get(sha) == data and store.size(sha) == size
    assert store.verify(sha) and list(store.iter_shas()) == [sha]
    with store.open(sha) as handle:
        assert handle.read() == data
    with store.local_path(sha, suffix=".bin") as path:
        assert path.read_bytes() == data and not path.is_relative_to(store.root)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.exists()  # the decrypted copy is gone with the block
    # The stored name is not the hash: a known file's presence cannot be confirmed from the names.
    assert store.path(sha).name != sha and sha not in str(store.path(sha))
    if size >= 32:
        assert data[:32] not in store.path(sha).read_bytes()


def _tampered(store: BlobStore, sha: str, change) -> bool:  # noqa: ANN001 - a bytes -> bytes function
    path = store.path(sha)
    os.chmod(path, 0o600)
    path.write_bytes(change(path.read_bytes()))
    return store.verify(sha)


def test_a_changed_cut_or_reordered_file_fails(store: BlobStore) -> None:
    data = os.urandom(3 * sealed.CHUNK + 5)
    chunk = sealed.CHUNK + sealed.TAG
    sha = store.put(data)
    original = store.path(sha).read_bytes()

    def flip(b: bytes) -> bytes:
        return b[:sealed.PREFIX + 10] + bytes([b[sealed.PREFIX + 10] ^ 1]) + b[sealed.PREFIX + 11:]

    assert not _tampered(store, sha, flip)
    assert not _tampered(store, sha, lambda b: original[:sealed.PREFIX + 2 * chunk])  # cut at a chunk boundary
    assert not _tampered(store, sha, lambda b: original[:-1])
    body = [original[sealed.PREFIX + i * chunk:sealed.PREFIX + (i + 1) * chunk] for i in range(4)]
    assert not _tampered(store, sha, lambda b: original[:sealed.PREFIX] + body[1] + body[0] + body[2] + body[3])
    assert not _tampered(store, sha, lambda b: original[:sealed.PREFIX] + b"".join(body[:3]))  # last chunk dropped
    assert _tampered(store, sha, lambda b: original)  # and the untouched bytes still verify
    with pytest.raises(sealed.SealError):
        _tampered(store, sha, flip)
        b"".join(store.iter_chunks(sha))


def test_another_workspace_key_opens_nothing(store: BlobStore) -> None:
    sha = store.put(b"witness statement")
    other = BlobStore(store.root, keys=keys.derive(os.urandom(32)))
    assert not other.exists(sha) and list(other.iter_shas()) == []
    with open(store.path(sha), "rb") as handle, pytest.raises(sealed.SealError):
        sealed.read_header(handle, files_key=other.keys.files)  # type: ignore[union-attr]


def test_put_file_check_sees_plaintext_outside_the_workspace(store: BlobStore) -> None:
    seen: list[tuple[Path, bytes]] = []
    sha = store.put_file(io.BytesIO(b"x" * 100_000), check=lambda path, _sha: seen.append((path, path.read_bytes())))
    ((path, data),) = seen
    assert data == b"x" * 100_000 and not path.is_relative_to(store.root) and not path.exists()
    assert store.get(sha) == data


def test_plain_store_is_unchanged(tmp_path: Path) -> None:
    plain = BlobStore(tmp_path / "data")
    sha = plain.put(b"report")
    assert plain.path(sha).name == sha and plain.path(sha).read_bytes() == b"report"
    assert stat.S_IMODE(plain.path(sha).stat().st_mode) == 0o400
    assert stat.S_IMODE(plain.path(sha).parent.stat().st_mode) == 0o700


# ---------------------------------------------------------------- the key file


def test_key_file_wraps_unwraps_changes_and_resets(tmp_path: Path) -> None:
    main_key, recovery = keys.create(tmp_path, passphrase=PASS, kdf=FAST_KDF)
    path = keys.key_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    document = json.loads(path.read_text())
    assert document["passphrase"]["kdf"] == {"name": "argon2id", **FAST_KDF}
    assert main_key.hex() not in path.read_text() and PASS not in path.read_text()
    assert keys.unlock(tmp_path, passphrase=PASS) == main_key
    with pytest.raises(keys.KeyError_, match="wrong passphrase"):
        keys.unlock(tmp_path, passphrase="not the passphrase")
    keys.rewrap(tmp_path, main_key=main_key, new_passphrase="a new passphrase")
    with pytest.raises(keys.KeyError_):
        keys.unlock(tmp_path, passphrase=PASS)
    assert keys.unlock(tmp_path, passphrase="a new passphrase") == main_key
    assert keys.unlock_with_recovery(tmp_path, recovery_key=recovery.lower().replace("-", " ")) == main_key
    with pytest.raises(keys.KeyError_, match="wrong recovery key"):
        keys.unlock_with_recovery(tmp_path, recovery_key=keys.new_recovery_key())
    with pytest.raises(keys.KeyError_, match="not a recovery key"):
        keys.unlock_with_recovery(tmp_path, recovery_key="nonsense!")
    with pytest.raises(keys.KeyError_, match="already"):
        keys.create(tmp_path, passphrase=PASS, kdf=FAST_KDF)
    sub = keys.derive(main_key)
    assert len({bytes(k) for k in (sub.database, sub.files, sub.names, main_key)}) == 4 and "hidden" in repr(sub)
    database_key = sub.database
    sub.wipe()  # overwritten in place: every holder of the buffer sees zeros
    assert database_key == bytes(32) and sub.files == bytes(32) and sub.names == bytes(32)


# ---------------------------------------------------------------- the CLI, end to end


def test_encrypted_workspace_leaks_no_marker_and_reads_back(tmp_path: Path) -> None:
    workspace, inputs = tmp_path / "workspace", tmp_path / "inputs"
    workspace.mkdir()
    inputs.mkdir()
    env = _env(workspace)
    made = run(["init", "--encrypt"], env=env)
    assert made.returncode == 0, made.stderr
    (recovery,) = [line.split(": ", 1)[1] for line in made.stdout.splitlines() if line.startswith("Recovery key:")]

    plant_markers(inputs, env=env)

    # With the key: everything reads back.
    listed = run(["incidents", "list", "--format", "json"], env=env)
    assert listed.returncode == 0 and {row["place"] for row in json.loads(listed.stdout)} >= {"Douma", "Harasta"}
    sources = json.loads(run(["sources", "list", "--format", "json"], env=env).stdout)
    texts = {s["id"]: run(["sources", "show", str(s["id"]), "--format", "json"], env=env).stdout for s in sources}
    assert any(MARK_REPORT in t for t in texts.values()) and any(MARK_AUTHOR in t for t in texts.values())
    persons = run(["persons", "list", "--format", "json"], env=env)
    assert {MARK_PERSON, MARK_PERSON_AR} <= {row["name"] for row in json.loads(persons.stdout)}
    verified = run(["verify"], env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # On disk: no marker anywhere under the workspace, in UTF-8 or UTF-16.
    markers = [MARK_PERSON, MARK_PERSON_AR, MARK_REPORT, MARK_AUTHOR, "Douma"]
    assert (workspace / "tawthiq.db").is_file() and any((workspace / "data" / "sha256").rglob("*"))
    assert files_holding(workspace, markers) == []
    for scratch in {scratch_root(), Path(tempfile.gettempdir())}:  # decrypted work files are gone too
        assert not [p for pattern in ("tawthiq-open-*", "tawthiq-spool-*") for p in scratch.glob(pattern)]
    # Private whatever the umask: files 0600 (originals 0400), folders 0700.
    for path in [workspace / "tawthiq.db", *workspace.glob("tawthiq.db-*"), *(workspace / "data").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o700 if path.is_dir() else mode in (0o600, 0o400), (path, oct(mode))

    # A changed sealed original is found by verify.
    original = next(p for p in (workspace / "data" / "sha256").rglob("*") if p.is_file())
    saved = original.read_bytes()
    os.chmod(original, 0o600)
    original.write_bytes(saved[:-3] + bytes([saved[-3] ^ 1]) + saved[-2:])
    broken = run(["verify"], env=env)
    assert broken.returncode != 0 and "fails authentication" in broken.stdout + broken.stderr
    original.write_bytes(saved)

    # Wrong or missing passphrase: one line, non-zero.
    one_line_error(run(["incidents", "list"], env=_env(workspace, "not the passphrase")), "wrong passphrase")
    one_line_error(run(["incidents", "list"], env=_env(workspace, None), stdin=""), "TAWTHIQ_PASSPHRASE")

    # Change the passphrase, then open with the new one only.
    changed = run(["passphrase", "change"], env={**env, "TAWTHIQ_NEW_PASSPHRASE": "second passphrase here"})
    assert changed.returncode == 0, changed.stderr
    one_line_error(run(["incidents", "list"], env=env), "wrong passphrase")
    assert run(["incidents", "list"], env=_env(workspace, "second passphrase here")).returncode == 0

    # The recovery key sets a new one.
    one_line_error(run(["passphrase", "reset", "--recovery-key", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"],
                       env={**_env(workspace, None), "TAWTHIQ_NEW_PASSPHRASE": "third passphrase here"}),
                   "wrong recovery key")
    reset = run(["passphrase", "reset", "--recovery-key", recovery],
                env={**_env(workspace, None), "TAWTHIQ_NEW_PASSPHRASE": "third passphrase here"})
    assert reset.returncode == 0, reset.stderr
    again = run(["incidents", "list", "--format", "json"], env=_env(workspace, "third passphrase here"))
    assert again.returncode == 0 and len(json.loads(again.stdout)) == len(json.loads(listed.stdout))


def test_init_encrypt_refuses_postgresql_and_an_existing_plain_workspace(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "TAWTHIQ_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
           "TAWTHIQ_DATA_DIR": str(tmp_path / "pg-data")}
    one_line_error(run(["init", "--encrypt"], env=env), "SQLite")
    assert not (tmp_path / "pg-data" / "keys").exists()

    plain = _env(tmp_path, None)
    assert run(["init"], env=plain).returncode == 0
    one_line_error(run(["init", "--encrypt"], env={**plain, "TAWTHIQ_PASSPHRASE": PASS}), "in the clear")
    one_line_error(run(["passphrase", "change"], env={**plain, "TAWTHIQ_PASSPHRASE": PASS}), "not encrypted")
    for path in [tmp_path / "tawthiq.db", tmp_path / "data"]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600)


def test_short_passphrase_is_refused(tmp_path: Path) -> None:
    one_line_error(run(["init", "--encrypt"], env=_env(tmp_path, "short")), "at least 8")
    assert not keys.is_encrypted(tmp_path / "data")


# ---------------------------------------------------------------- tawthiq lock


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lock_ends_sessions_and_stops_the_server(tmp_path: Path) -> None:
    import time
    import urllib.request

    from tawthiq.services import Workspace, accounts
    from tawthiq.services.encryption import unlock
    from tawthiq.settings import Settings

    env = _env(tmp_path)
    assert run(["init", "--encrypt"], env=env).returncode == 0
    settings = unlock(Settings.from_env(env), passphrase=PASS)
    ws = Workspace.open(settings)
    user = accounts.create_user(ws, actor=None, username="layla", password="a long enough password 77",
                                role="documenter")
    token, _csrf = accounts.start_session(ws, user=user)
    assert accounts.check_session(ws, token) is not None

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr
                time.sleep(0.3)
        # No passphrase needed to lock.
        locked = run(["lock", "--wait", "20"], env=_env(tmp_path, None))
        assert locked.returncode == 0 and locked.stdout.startswith("locked:"), locked.stdout + locked.stderr
        assert server.wait(timeout=30) is not None
    finally:
        if server.poll() is None:
            server.kill()
    assert accounts.check_session(ws, token) is None  # the server ended it
    assert not (tmp_path / "data" / "lock-request").exists()

    # A lock asked while no server runs: the next start ends the sessions before it serves.
    token, _csrf = accounts.start_session(ws, user=user)
    asked = run(["lock", "--wait", "0"], env=_env(tmp_path, None))
    assert asked.returncode == 0 and "no server took it" in asked.stdout
    from tawthiq.services.locking import end_sessions_if_asked

    assert end_sessions_if_asked(ws) == 1 and accounts.check_session(ws, token) is None
    ws.db.dispose()
    one_line_error(run(["lock"], env={**_env(tmp_path / "plain", None)}), "not encrypted")


def test_serve_refuses_workers_on_an_encrypted_workspace(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert run(["init", "--encrypt"], env=env).returncode == 0
    refused = run(["serve", "--workers", "2"], env=env)
    one_line_error(refused, "one worker process")
    assert refused.stdout == ""  # refused before announcing a server


def test_an_encrypted_workspace_keeps_no_vault_key_in_the_clear_and_its_backup_restores(tmp_path: Path) -> None:
    """The identity vault's key is derived from the main key (no keys/identity-vault.key on disk), and a backup of
    the encrypted workspace restores (as a plain one, the backup being encrypted itself) with every name readable."""
    workspace, inputs = tmp_path / "workspace", tmp_path / "inputs"
    workspace.mkdir()
    inputs.mkdir()
    env = _env(workspace)
    assert run(["init", "--encrypt"], env=env).returncode == 0
    people = inputs / "list.csv"
    people.write_text(f"id,name\n1,{MARK_PERSON}\n2,{MARK_PERSON_AR}\n", encoding="utf-8")
    proc = run(["persons", "import", str(people), "--list", "council"], env=env)
    assert proc.returncode == 0, proc.stderr
    assert not list((workspace / "data").rglob("identity-vault.key"))
    backup = tmp_path / "b.age"
    made = run(["backup", "create", "-o", str(backup), "--passphrase-env", "BACKUP_PASS"],
               env={**env, "BACKUP_PASS": "a backup passphrase of some length"})
    assert made.returncode == 0, made.stdout + made.stderr
    assert MARK_PERSON.encode() not in backup.read_bytes()
    restored = tmp_path / "restored"
    done = run(["backup", "restore", str(backup), "--to", str(restored), "--passphrase-env", "BACKUP_PASS"],
               env={**_env(tmp_path / "elsewhere", None), "BACKUP_PASS": "a backup passphrase of some length"})
    assert done.returncode == 0, done.stdout + done.stderr
    restored_env = {**_env(restored, None), "TAWTHIQ_DATABASE_URL": f"sqlite:///{restored / 'tawthiq.db'}",
                    "TAWTHIQ_DATA_DIR": str(restored / "tawthiq-data")}
    listed = run(["persons", "list", "--format", "json"], env=restored_env)
    assert listed.returncode == 0, listed.stderr
    assert {MARK_PERSON, MARK_PERSON_AR} <= {row["name"] for row in json.loads(listed.stdout)}
    # Restored as a plain workspace: the names are in the vault (its own key file now), not in the clear.
    assert MARK_PERSON.encode() not in (restored / "tawthiq.db").read_bytes()
