"""Encrypted backup files: one age-encrypted tar stream holding the record, the originals and a manifest.

People named in these records can be killed if a backup leaks, so the
plaintext never touches the disk: the tar stream is written into a pipe and
age (pyrage) encrypts it from the other end into a 0600 temporary file beside
the destination, renamed into place once complete. Reading is the same in
reverse: age decrypts into a pipe that the tar reader consumes, so verifying
a backup writes nothing and memory stays bounded (a table is cut into
members of at most ``CHUNK_BYTES``).

File layout: ``MAGIC``, a line with the length of the passphrase key, the
key itself (empty when no passphrase), then the age file. pyrage encrypts
with a passphrase only in memory, so for a passphrase a fresh X25519
identity is made per backup, the archive is encrypted to it (and to every
``age1…`` recipient given), and that identity, encrypted with the
passphrase (age's scrypt), is the key.

Tar members, in order: ``header.json`` (id, revision, previous backup),
``keys/<file>`` (the package-signing key: packages signed after a restore must
carry the same fingerprint; the identity vault's key, before the rows so a restore
stores names encrypted from the first one; backups made before the vault have the
keys after the blobs), ``database/<table>/<n>.jsonl`` (identity values in
plaintext: the age encryption protects them), ``originals/<sha256>``,
``derived/<sha256>`` and last ``manifest.json`` (the SHA-256 of every member before it, rows per
table, where each original is). age authenticates every 64 KiB chunk and the
end of the stream; the manifest's hashes catch a member left out or changed
before encryption.

Incremental: given the manifest of the backup before, originals it already
holds (directly or through its own predecessors) are left out and listed as
``in <backup id>``; a restore takes the chain of files, oldest first.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from ..store import seals, snapshot
from ..store.db import Database
from ..store.identity_vault import IdentityVault
from ..store.signing_key import KEY_DIR
from ..store.vault import keys as vault_keys
from ..store.vault.blobs import BlobStore, fsync_dir
from ..store.vault.derived import derived_store
from ..store.vault_key import KEY_BYTES as VAULT_KEY_BYTES
from ..store.vault_key import KEY_FILE as VAULT_KEY_FILE

MAGIC = b"TAWTHIQ-BACKUP-1\n"
FORMAT = "tawthiq-backup/1"
CHUNK_BYTES = 8 * 1024 * 1024
HEADER = "header.json"
MANIFEST = "manifest.json"
BLOB_KINDS = ("originals", "derived")
KEYS = "keys"
_MAX_KEY_FILE = 64 * 1024  # a PEM key is a few hundred bytes; anything bigger is not one
_MAX_KEY = 64 * 1024
# The passphrase-sealed identity (store.vault.keys.seal_secret) in the header; older backups hold age's scrypt one.
_KEY_BLOB_MAGIC = b"tawthiq-kw1:"
_KEY_BLOB_LABEL = b"backup identity"


class BackupError(Exception):
    """A backup that cannot be made, opened or trusted; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Keys:
    """What a backup is encrypted to, or opened with. ``identities`` are ``AGE-SECRET-KEY-1…`` strings."""

    recipients: tuple[str, ...] = ()
    identities: tuple[str, ...] = ()
    passphrase: str | None = None


@dataclass(slots=True)
class ReadResult:
    header: dict[str, Any]
    manifest: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)  # rows read per table
    blobs: int = 0  # originals and working copies held in this file


# ------------------------------------------------------------------ writing


def write_backup(path: Path, *, db: Database, blobs: BlobStore, keys: Keys, version: str,
                 previous: dict[str, Any] | None = None, derived_keys: dict[str, bytes] | None = None
                 ) -> dict[str, Any]:
    """Write an encrypted backup of ``db``, ``blobs`` and the key folder beside them to ``path``; returns its manifest.

    ``blobs.root`` is the workspace's data folder, which also holds ``keys/``. ``derived_keys`` (file name ->
    bytes) are keys an encrypted workspace derives from its main key rather than keeps in that folder; the
    backup carries them as key files, so its restore (a plain workspace) opens what they encrypted.
    """
    recipients = [_recipient(value) for value in keys.recipients]
    key_blob = b""
    if keys.passphrase:
        ephemeral = x25519.Identity.generate()
        recipients.append(ephemeral.to_public())
        entry = vault_keys.seal_secret(str(ephemeral).encode("ascii"), passphrase=keys.passphrase,
                                       label=_KEY_BLOB_LABEL)
        key_blob = _KEY_BLOB_MAGIC + json.dumps(entry).encode("ascii")
    if not recipients:
        raise BackupError("give at least one --recipient or a --passphrase-env: a backup is never written in clear")
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-backup-", dir=path.parent)  # 0600 from the start
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + b"%d\n" % len(key_blob) + key_blob)
            out.flush()
            manifest = _encrypted_tar(out, recipients, lambda tar: _write_members(
                tar, db=db, blobs=blobs, version=version, previous=previous, derived_keys=derived_keys or {}))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _pipe_end(name: str, work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    """Run ``work`` (age at the other end of a pipe) in a thread; its exception is kept for the calling thread,
    which reads or writes the pipe and says why it stopped."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread
            failure.append(error)

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    return worker, failure


def _encrypted_tar(out: BinaryIO, recipients: list[Any], fill: Callable[[tarfile.TarFile], dict[str, Any]]
                   ) -> dict[str, Any]:
    """Run ``fill`` on a tar stream whose bytes go through a pipe into age, and from there to ``out``."""
    read_fd, write_fd = os.pipe()

    def encrypt() -> None:
        with os.fdopen(read_fd, "rb") as plain:
            pyrage.encrypt_io(plain, out, recipients)

    worker, failure = _pipe_end("backup-encrypt", encrypt)
    try:
        with os.fdopen(write_fd, "wb") as plain, tarfile.open(fileobj=plain, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            manifest = fill(tar)
    except BrokenPipeError:
        worker.join()  # age stopped reading: its error says why
        raise BackupError(f"encryption failed: {_first_line(failure[0]) if failure else 'pipe closed'}") from None
    finally:
        worker.join()  # the pipe is closed by now, so age reaches its end (or its error) and stops writing to out
    if failure:
        raise BackupError(f"encryption failed: {_first_line(failure[0])}")
    return manifest


def _write_members(tar: tarfile.TarFile, *, db: Database, blobs: BlobStore, version: str,
                   previous: dict[str, Any] | None, derived_keys: dict[str, bytes]) -> dict[str, Any]:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    header = {"format": FORMAT, "backup_id": uuid.uuid4().hex, "created_at": created, "tawthiq_version": version,
              "schema_revision": snapshot.schema_revision(db), "database": db.dialect_name,
              "previous": previous["backup_id"] if previous else None}
    members: dict[str, str] = {}
    _add_bytes(tar, HEADER, json.dumps(header, indent=1).encode(), members)
    for key_file in _key_files(blobs.root / KEY_DIR):
        # Small and secret: in every backup of a chain, so the newest file alone brings the key back. Before
        # the rows, so a restore has the identity vault's key before the first name (nothing in plaintext).
        _add_bytes(tar, f"{KEYS}/{key_file.name}", key_file.read_bytes(), members)
    on_disk = {p.name for p in _key_files(blobs.root / KEY_DIR)}
    for name, key in sorted(derived_keys.items()):
        if name not in on_disk:
            _add_bytes(tar, f"{KEYS}/{name}", bytes(key), members)
    tables: dict[str, int] = {}
    with snapshot.snapshot(db) as session:
        for name in snapshot.table_names():
            tables[name] = 0
            part, buffer = 0, bytearray()
            for line in snapshot.table_lines(session, name):
                buffer += line
                tables[name] += 1
                if len(buffer) >= CHUNK_BYTES:
                    _add_bytes(tar, f"database/{name}/{part:06d}.jsonl", bytes(buffer), members)
                    part, buffer = part + 1, bytearray()
            if buffer:
                _add_bytes(tar, f"database/{name}/{part:06d}.jsonl", bytes(buffer), members)
    known = _blob_homes(previous)
    where: dict[str, str] = {}
    for kind, store in zip(BLOB_KINDS, (blobs, derived_store(blobs)), strict=True):
        for sha in store.iter_shas():
            name = f"{kind}/{sha}"
            if name in known:
                where[name] = f"in {known[name]}"
                continue
            with store.open(sha) as handle:  # the plaintext of a sealed store: the backup is age-encrypted itself
                info = tarfile.TarInfo(name)
                info.size = store.size(sha)
                info.mode = 0o400
                digest = _HashingReader(handle)
                tar.addfile(info, digest)
            members[name] = digest.hexdigest()
            where[name] = "here"
    manifest = {**header, "tables": tables, "blobs": where, "members": members}
    _add_bytes(tar, MANIFEST, manifest_bytes(manifest), {})
    return manifest


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest member exactly as written: its SHA-256 names the backup in the custody ledger."""
    return json.dumps(manifest, indent=1).encode()


def manifest_sha256(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(manifest_bytes(manifest)).hexdigest()


def _key_files(folder: Path) -> list[Path]:
    """The key folder's files; dot-files are a key being written (store.signing_key), not a key.

    Not an encrypted workspace's main-key file: the backup holds the plaintext (it is age-encrypted
    itself), so its restore is a plain workspace, which that key file would wrongly mark as encrypted.
    """
    from ..store.vault.keys import KEY_FILE as MAIN_KEY_FILE

    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name != MAIN_KEY_FILE)


def _blob_homes(previous: dict[str, Any] | None) -> dict[str, str]:
    """Member name -> id of the backup that holds its bytes, for every blob the previous chain holds."""
    if not previous:
        return {}
    homes: dict[str, str] = {}
    for name, place in previous.get("blobs", {}).items():
        homes[name] = previous["backup_id"] if place == "here" else str(place).removeprefix("in ")
    return homes


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, members: dict[str, str]) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o400
    tar.addfile(info, io.BytesIO(data))
    members[name] = hashlib.sha256(data).hexdigest()


class _HashingReader:
    """A file read through: hashes what tar copies out of it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


# ------------------------------------------------------------------ reading


TableSink = Callable[[str, list[bytes]], None]
BlobSink = Callable[[str, str, IO[bytes]], None]
KeySink = Callable[[str, bytes], None]


def read_backup(path: Path, *, keys: Keys, on_rows: TableSink | None = None,
                on_blob: BlobSink | None = None, on_key: KeySink | None = None) -> ReadResult:
    """Decrypt ``path`` as a stream, hand each table chunk and blob to the sinks, and check every hash.

    Without sinks nothing is written anywhere (``backup verify``). Raises
    :class:`BackupError` on a wrong key, a damaged or cut file, or a member
    whose hash is not the manifest's; the sinks have then seen data that is
    not to be trusted, and the caller throws their work away.
    """
    seen: dict[str, str] = {}
    header: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    result_rows: dict[str, int] = {}
    blobs = 0
    with _decrypted_tar(Path(path), keys) as tar:
        for info in tar:
            if manifest is not None:
                raise BackupError(f"{path}: members after the manifest: the file was altered")
            if not info.isfile():
                raise BackupError(f"{path}: unexpected member {info.name!r}")
            handle = tar.extractfile(info)
            assert handle is not None  # a regular file always has one
            name = info.name
            if name == MANIFEST:
                manifest = json.loads(handle.read())
                continue
            if name == HEADER:
                data = handle.read()
                seen[name] = hashlib.sha256(data).hexdigest()
                header = json.loads(data)
                if header.get("format") != FORMAT:
                    raise BackupError(f"{path}: not a Tawthiq backup of a known format")
                continue
            if header is None:
                raise BackupError(f"{path}: the header is missing: the file was altered")
            kind, _, rest = name.partition("/")
            if kind == "database":
                data = handle.read()
                seen[name] = hashlib.sha256(data).hexdigest()
                table = rest.partition("/")[0]
                lines = data.splitlines()
                result_rows[table] = result_rows.get(table, 0) + len(lines)
                if on_rows is not None:
                    on_rows(table, lines)
            elif kind in BLOB_KINDS:
                reader = _HashingReader(handle)
                if on_blob is not None:
                    on_blob(kind, rest, reader)  # type: ignore[arg-type]
                for _ in iter(lambda: reader.read(1024 * 1024), b""):
                    pass
                seen[name] = reader.hexdigest()
                if seen[name] != rest:
                    raise BackupError(f"{path}: {name} does not hash to its name: the file was altered")
                blobs += 1
            elif kind == KEYS:
                # A plain file name only: the name becomes a path on restore.
                if not rest or "/" in rest or rest.startswith(".") or info.size > _MAX_KEY_FILE:
                    raise BackupError(f"{path}: unexpected member {name!r}")
                data = handle.read()
                seen[name] = hashlib.sha256(data).hexdigest()
                if on_key is not None:
                    on_key(rest, data)
            else:
                raise BackupError(f"{path}: unexpected member {name!r}")
    if header is None or manifest is None:
        raise BackupError(f"{path}: the backup is incomplete (cut short?)")
    _check_manifest(path, header, manifest, seen, result_rows)
    return ReadResult(header=header, manifest=manifest, rows=result_rows, blobs=blobs)


def _check_manifest(path: Path, header: dict[str, Any], manifest: dict[str, Any], seen: dict[str, str],
                    rows: dict[str, int]) -> None:
    listed = manifest.get("members", {})
    if listed != seen:
        wrong = sorted(set(listed) ^ set(seen)) or sorted(k for k in listed if listed[k] != seen.get(k))
        raise BackupError(f"{path}: member {wrong[0]} does not match the manifest: the file was altered")
    if any(manifest.get(key) != value for key, value in header.items()):
        raise BackupError(f"{path}: the manifest does not match the header: the file was altered")
    for table, count in manifest.get("tables", {}).items():
        if rows.get(table, 0) != count:
            raise BackupError(f"{path}: table {table} has {rows.get(table, 0)} rows, the manifest says {count}")


@contextmanager
def _decrypted_tar(path: Path, keys: Keys) -> Iterator[tarfile.TarFile]:
    try:
        source = open(path, "rb")
    except OSError as error:
        raise BackupError(f"cannot open {path}: {error.strerror}") from None
    with source:
        identities = _identities(path, source, keys)
        read_fd, write_fd = os.pipe()

        def decrypt() -> None:
            with os.fdopen(write_fd, "wb") as plain:
                pyrage.decrypt_io(source, plain, identities)

        worker, failure = _pipe_end("backup-decrypt", decrypt)
        plain = os.fdopen(read_fd, "rb")
        try:
            try:
                with tarfile.open(fileobj=plain, mode="r|") as tar:
                    yield tar
            except (tarfile.TarError, EOFError, json.JSONDecodeError, BackupError) as error:
                plain.close()  # the decrypting thread, if still writing, stops on a closed pipe
                worker.join()
                if failure:
                    raise _decrypt_error(path, failure[0]) from None
                if isinstance(error, BackupError):
                    raise
                raise BackupError(f"{path}: damaged backup ({_first_line(error)})") from None
        finally:
            plain.close()
            worker.join()
        if failure:
            raise _decrypt_error(path, failure[0])


def _identities(path: Path, source: BinaryIO, keys: Keys) -> list[Any]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError(f"{path}: not a Tawthiq backup")
    length_line = source.readline(16)
    try:
        length = int(length_line)
    except ValueError:
        raise BackupError(f"{path}: damaged backup header") from None
    if not 0 <= length <= _MAX_KEY:
        raise BackupError(f"{path}: damaged backup header")
    key_blob = source.read(length)
    identities = []
    for value in keys.identities:
        try:
            identities.append(x25519.Identity.from_str(value.strip()))
        except (pyrage.IdentityError, ValueError):
            raise BackupError("the identity is not an age X25519 secret key (AGE-SECRET-KEY-1…)") from None
    if keys.passphrase:
        if not key_blob:
            raise BackupError(f"{path} was not made with a passphrase: give --identity")
        identities.append(x25519.Identity.from_str(_open_key_blob(path, key_blob, keys.passphrase)))
    if not identities:
        raise BackupError("give --identity or --passphrase-env to open the backup")
    return identities


def _open_key_blob(path: Path, key_blob: bytes, passphrase: str) -> str:
    """The backup's X25519 identity, sealed under the passphrase (Argon2id, or age's scrypt in older backups)."""
    if key_blob.startswith(_KEY_BLOB_MAGIC):
        try:
            entry = json.loads(key_blob[len(_KEY_BLOB_MAGIC):])
            return bytes(vault_keys.open_secret(entry, passphrase=passphrase, label=_KEY_BLOB_LABEL,
                                                refusal="wrong passphrase")).decode("ascii")
        except vault_keys.KeyError_ as error:
            raise BackupError(f"{path}: {error}") from None
        except (ValueError, UnicodeDecodeError):
            raise BackupError(f"{path}: damaged backup header") from None
    try:
        return age_passphrase.decrypt(key_blob, passphrase).decode("ascii")
    except pyrage.DecryptError as error:
        # age refuses a scrypt cost far above what it times this machine at: say so, not "wrong passphrase".
        if "work" in str(error).lower():
            raise BackupError(f"{path}: this machine is too busy to open the passphrase now ({error}); "
                              "try again when it is less loaded") from None
        raise BackupError(f"{path}: wrong passphrase") from None


def _decrypt_error(path: Path, error: BaseException) -> BackupError:
    if isinstance(error, pyrage.DecryptError) and "No matching keys" in str(error):
        return BackupError(f"{path}: the identity given cannot open this backup (wrong key)")
    return BackupError(f"{path}: decryption failed, the file is damaged, altered or cut short")


def _recipient(value: str) -> Any:
    try:
        return x25519.Recipient.from_str(value.strip())
    except (pyrage.RecipientError, ValueError):
        raise BackupError(f"not an age X25519 recipient (age1…): {value[:20]!r}") from None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


# ------------------------------------------------------------------ restoring


def restore_chain(paths: list[Path], *, db: Database, blobs: BlobStore, keys: Keys) -> dict[str, Any]:
    """Restore a chain of backups (a full one, then each incremental, oldest first) into ``db`` and ``blobs``.

    ``db`` has just been set up at the newest revision and ``blobs`` is
    empty. The record comes from the last file, the originals from all of
    them. Every file is checked against its manifest before the record is
    committed; on any failure nothing is committed (the caller removes the
    blobs). The key folder comes from the last file, written once every file
    has been checked. Returns the last manifest.
    """
    originals, working = blobs, derived_store(blobs)
    key_files: dict[str, bytes] = {}

    def put_blob(kind: str, sha: str, handle: IO[bytes]) -> None:
        stored = (originals if kind == "originals" else working).put_file(handle)  # type: ignore[arg-type]
        if stored != sha:
            raise BackupError(f"{kind}/{sha} does not hash to its name: the file was altered")

    previous_id: str | None = None
    last: dict[str, Any] = {}
    with db.session(write=True) as session:
        seals.suspend(session)  # the backup's rows come with their own seals
        snapshot.clear_seeded_rows(session)
        snapshot.defer_foreign_keys(session)
        for index, path in enumerate(paths):
            is_last = index == len(paths) - 1

            def load(table: str, lines: list[bytes], *, _load: bool = is_last) -> None:
                if _load:
                    snapshot.load_lines(session, table, lines)

            def keep_key(name: str, data: bytes, *, _keep: bool = is_last) -> None:
                if _keep:
                    key_files[name] = data
                    if name == VAULT_KEY_FILE and len(data) == VAULT_KEY_BYTES:
                        # The rows that follow are stored encrypted from the start (a backup made before
                        # keys came first has them after the rows: the caller encrypts those in place).
                        db.attach_vault(IdentityVault(data))

            result = read_backup(path, keys=keys, on_rows=load, on_blob=put_blob, on_key=keep_key)
            if result.header.get("previous") != previous_id:
                expected = "a full backup" if previous_id is None else f"the backup after {previous_id}"
                raise BackupError(f"{path} is not {expected}: give the chain oldest first, starting at a full one")
            if is_last and result.header["schema_revision"] != snapshot.head_revision(db):
                raise BackupError(f"{path} was made at schema revision {result.header['schema_revision']}, "
                                  f"this Tawthiq is at {snapshot.head_revision(db)}: restore with a matching version")
            previous_id = result.header["backup_id"]
            last = result.manifest
        for name in last.get("blobs", {}):
            kind, _, sha = name.partition("/")
            if not (originals if kind == "originals" else working).exists(sha):
                raise BackupError(f"{name} is in none of the files given ({last['blobs'][name]}): "
                                  "give the whole chain")
        snapshot.reset_sequences(session)
        _write_keys(blobs.root / KEY_DIR, key_files)
    return last


def _write_keys(folder: Path, files: dict[str, bytes]) -> None:
    """The key folder as store.signing_key keeps it: 0700, each file 0600 (written before the record commits)."""
    if not files:
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    for name, data in files.items():
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(folder / name, 0o600)
    fsync_dir(folder)


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table of the record now (compared with a manifest's after a restore)."""
    with snapshot.snapshot(db) as session:
        return {name: snapshot.count_rows(session, name) for name in snapshot.table_names()}
