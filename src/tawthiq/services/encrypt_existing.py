"""Encrypting a workspace that began in the clear: ``tawthiq encrypt --to NEW_DIR``.

A new encrypted workspace is made beside the plain one, never in place: the plain database is
copied into SQLCipher (store.encrypted_copy), the identity vault's values are brought under the
new workspace's derived vault key, every original and working copy is streamed into the sealed
stores, the custody ledger is carried over whole with one "encrypted" entry at its end, and
then the checks of ``tawthiq verify`` run on the new workspace and its rows and files are
compared with the plain one's. Anything that differs removes what was made. The plain workspace
is only read (its write lock is held meanwhile, so nothing changes under the copy); removing it
is left to the operator, with the caveat that deleting a file does not erase it everywhere.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import Settings, default_data_dir
from . import Workspace
from .errors import ServiceError
from .made_place import is_empty_place, remove_made

if TYPE_CHECKING:
    from ..store.identity_vault import IdentityVault
    from ..store.vault.keys import SubKeys

DATABASE_FILE = "tawthiq.db"
# Files of the key folder that are not carried over: the plain vault key (the new workspace derives its
# own from the main key) and a main-key file (a plain workspace has none).
_NOT_CARRIED = {"identity-vault.key", "main-key.json"}
# Tables whose counts are expected to grow by the conversion itself: its ledger entry, and the seals
# of rows whose stored form the new vault key changes.
_GROWING = {"custody_log", "record_seals"}


@dataclass(slots=True)
class EncryptedCopy:
    database_url: str
    data_dir: Path
    recovery_key: str  # shown once, never stored
    originals: int
    working_copies: int
    counts: dict[str, int] = field(default_factory=dict)
    verify_summary: str = ""
    plain_database: Path | None = None
    plain_data_dir: Path | None = None


def encrypt_workspace(settings: Settings, *, to: Path, passphrase: str, actor: str, machine: str,
                      kdf: dict[str, int] | None = None) -> EncryptedCopy:
    """Make an encrypted copy of the plain workspace of ``settings`` in the empty folder ``to``.

    Refused, in one line, for a PostgreSQL database, an already encrypted workspace, a ``to`` that is
    not empty (or lies inside the plain workspace's data folder) and a database another process is
    writing. The returned recovery key is shown once.
    """
    from ..store.encrypted_copy import WorkspaceBusy, hold_write_lock

    plain_db, to = check_convertible(settings, to=to)
    if len(passphrase) < 8:  # before anything is made or locked
        raise ServiceError("the passphrase must be at least 8 characters long")
    made_dir = not to.exists()
    try:
        with hold_write_lock(plain_db):
            return _convert(settings, plain_db=plain_db, to=to, passphrase=passphrase, actor=actor,
                            machine=machine, kdf=kdf)
    except WorkspaceBusy:
        remove_made(to, made_dir=made_dir)
        raise ServiceError("another process is writing to this workspace (an ingest, a running server?): "
                           "stop it and try again") from None
    except BaseException:
        remove_made(to, made_dir=made_dir)
        raise


def check_convertible(settings: Settings, *, to: Path) -> tuple[Path, Path]:
    """The plain database file and the absolute target folder, or the one-line refusal (asked before the
    passphrase, so a command that cannot run does not ask for one)."""
    from ..store.vault import keys

    plain_db = _plain_database(settings)
    if keys.is_encrypted(settings.data_dir):
        raise ServiceError(f"{settings.data_dir} is already an encrypted workspace")
    to = Path(to).absolute()
    if not is_empty_place(to):
        raise ServiceError(f"{to} is not an empty folder: the encrypted workspace is made in a new or empty one")
    if _inside(to, settings.data_dir.absolute()):
        raise ServiceError(f"{to} is inside the plain workspace's data folder: choose a folder outside it")
    return plain_db, to


def _plain_database(settings: Settings) -> Path:
    url = settings.database_url
    if not url.startswith("sqlite"):
        raise ServiceError("this workspace's database is PostgreSQL: its files are the server's to protect "
                           "(encrypt its disk); 'tawthiq encrypt' converts a SQLite workspace")
    if not url.startswith("sqlite:///") or url in ("sqlite:///", "sqlite:///:memory:"):
        raise ServiceError(f"{url} is not a database file")
    path = Path(url.removeprefix("sqlite:///"))
    if not path.is_file() or path.stat().st_size == 0:
        raise ServiceError(f"no database at {path}: there is nothing to encrypt")
    return path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _convert(settings: Settings, *, plain_db: Path, to: Path, passphrase: str, actor: str, machine: str,
             kdf: dict[str, int] | None) -> EncryptedCopy:
    from ..store.vault import keys
    from ..store.vault.private import private_dir

    plain = Workspace.open(settings)  # checks the schema is current and the vault key opens its names
    try:
        old_vault = plain.db.vault
        if old_vault is None:
            raise ServiceError("the plain workspace's identity vault key is missing: restore it first")
        before = _counts(plain)
        private_dir(to)
        url = f"sqlite:///{to / DATABASE_FILE}"
        data_dir = default_data_dir(url)
        private_dir(data_dir)
        try:
            main_key, recovery = keys.create(data_dir, passphrase=passphrase, kdf=kdf)
        except keys.KeyError_ as error:
            raise ServiceError(str(error)) from None
        sub = keys.derive(main_key)
        try:
            return _fill(settings, plain=plain, plain_db=plain_db, to=to, url=url, data_dir=data_dir,
                         main_key=main_key, sub=sub, recovery=recovery, actor=actor, machine=machine, before=before,
                         old_vault=old_vault)
        finally:
            sub.wipe()
            keys.wipe(main_key)
    finally:
        plain.db.dispose()


def _fill(settings: Settings, *, plain: Workspace, plain_db: Path, to: Path, url: str, data_dir: Path,
          main_key: bytearray, sub: SubKeys, recovery: str, actor: str, machine: str, before: dict[str, int],
          old_vault: IdentityVault) -> EncryptedCopy:
    """The new workspace's database, files and ledger entry, then the checks."""
    from ..store.encrypted_copy import export_encrypted

    export_encrypted(plain=plain_db, target=to / DATABASE_FILE, key=sub.database)
    resealed = _rekey(url, key=sub.database, old_vault=old_vault, new_key=bytes(sub.identities))
    originals, copies, shas = _copy_files(plain, data_dir=data_dir, sub=sub)
    _carry_keys(settings.data_dir, data_dir)
    new = Workspace.open(dataclasses.replace(settings, database_url=url, data_dir=data_dir, main_key=main_key,
                                             vault_key=None))
    try:
        _record(new, plain_db=plain_db, plain_dir=settings.data_dir, to=to, actor=actor, machine=machine,
                counts=before, originals=originals, copies=copies)
        summary = _check(new, before=before, shas=shas, resealed=resealed)
        counts = _counts(new)
    finally:
        new.db.dispose()
    return EncryptedCopy(database_url=url, data_dir=data_dir, recovery_key=recovery, originals=originals,
                         working_copies=copies, counts=counts, verify_summary=summary,
                         plain_database=plain_db, plain_data_dir=settings.data_dir)


def _counts(ws: Workspace) -> dict[str, int]:
    from ..store.encrypted_copy import row_counts

    with ws.db.engine.connect() as conn:
        return row_counts(conn)


def _rekey(url: str, *, key: bytes | bytearray, old_vault: IdentityVault, new_key: bytes) -> int:
    """The identity values under the new vault key, in one transaction; returns the seals it added."""
    from ..store.db import connect
    from ..store.dialect import write_engine
    from ..store.encrypted_copy import rekey_identities
    from ..store.identity_rows import drop_old_pages
    from ..store.identity_vault import IdentityVault, VaultKeyError

    new_vault = IdentityVault(new_key)
    db = connect(url, vault=new_vault, key=key)
    try:
        with write_engine(db.engine).begin() as conn:
            done = rekey_identities(conn, old=old_vault, new=new_vault)
        drop_old_pages(db.engine)
    except VaultKeyError as error:
        raise ServiceError(f"cannot open the plain workspace's names: {error}") from None
    finally:
        db.dispose()
    return done.resealed


def _copy_files(plain: Workspace, *, data_dir: Path, sub: SubKeys) -> tuple[int, int, dict[str, set[str]]]:
    """Every original and working copy streamed into the sealed stores; each one's plaintext must hash to its
    name as it is sealed. Returns how many of each, and their sha256s."""
    from ..store.vault.blobs import BlobStore
    from ..store.vault.derived import derived_store

    sealed = BlobStore(data_dir, keys=sub)
    pairs = {"originals": (plain.blobs, sealed), "derived": (derived_store(plain.blobs), derived_store(sealed))}
    shas: dict[str, set[str]] = {}
    for label, (source, target) in pairs.items():
        shas[label] = set()
        for sha in source.iter_shas():
            with source.open(sha) as handle:
                got = target.put_file(handle)
            if got != sha:
                raise ServiceError(f"{source.path(sha)} does not hash to its name ({got}): the plain workspace "
                                   "has a damaged file; run 'tawthiq verify' on it first")
            shas[label].add(sha)
    return len(shas["originals"]), len(shas["derived"]), shas


def _carry_keys(plain_dir: Path, data_dir: Path) -> None:
    """The key folder's other keys (the package-signing key: packages signed later name the same signer)."""
    from ..store.signing_key import KEY_DIR
    from ..store.vault.private import private_dir, write_private

    folder = plain_dir / KEY_DIR
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.name not in _NOT_CARRIED:
            private_dir(data_dir / KEY_DIR)
            write_private(data_dir / KEY_DIR / path.name, path.read_bytes())


def _record(ws: Workspace, *, plain_db: Path, plain_dir: Path, to: Path, actor: str, machine: str,
            counts: dict[str, int], originals: int, copies: int) -> None:
    """One custody entry at the end of the carried-over ledger: who converted, when, from where."""
    from ..store.custody import record

    details = {"from_database": str(plain_db.absolute()), "from_data_dir": str(plain_dir.absolute()),
               "to": str(to), "originals": originals, "working_copies": copies, "rows": counts}
    item = hashlib.sha256(json.dumps(details, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()
    record(ws.db, item_sha256=item, event="encrypted", actor=actor, machine=machine,
           reason="plain workspace copied into an encrypted one (tawthiq encrypt)", details=details)


def _check(ws: Workspace, *, before: dict[str, int], shas: dict[str, set[str]], resealed: int) -> str:
    """The checks of ``tawthiq verify``, then the rows per table and every file's plaintext against the plain
    workspace's; any difference is a ServiceError (and the caller removes what was made)."""
    from ..store.vault.derived import derived_store
    from . import integrity

    report = integrity.verify(ws)
    if not report.ok:
        raise ServiceError(f"the encrypted copy fails verification ({len(report.problems)} problem(s)): "
                           f"{report.problems[0]}")
    after = _counts(ws)
    expected = dict(before)
    expected["custody_log"] = before.get("custody_log", 0) + 1
    expected["record_seals"] = before.get("record_seals", 0) + resealed
    differ = sorted(name for name in set(expected) | set(after) if expected.get(name) != after.get(name))
    if differ:
        name = differ[0]
        raise ServiceError(f"the encrypted copy's table {name} has {after.get(name)} row(s) where "
                           f"{expected.get(name)} were expected")
    for label, store in (("originals", ws.blobs), ("derived", derived_store(ws.blobs))):
        held = set(store.iter_shas())
        if held != shas[label]:
            raise ServiceError(f"the encrypted copy holds {len(held)} {label} where the plain workspace "
                               f"holds {len(shas[label])}")
        for sha in sorted(held):
            if not store.verify(sha):
                raise ServiceError(f"the encrypted copy of {sha} does not decrypt to the same bytes")
    return report.summary()
