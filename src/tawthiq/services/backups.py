"""Encrypted backups of a workspace: make one, check one, restore a chain of them into an empty place.

What ``tawthiq backup create | verify | restore`` call. The format and the
encryption are in :mod:`tawthiq.evidence.backup_archive`; here the workspace
is opened or made, the refusals become :class:`ServiceError` lines, and a
restore ends with the same checks as ``tawthiq verify``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..evidence import backup_archive as archive
from ..evidence.backup_archive import BackupError, Keys
from ..evidence.verify import VerifyReport
from ..settings import Settings, default_data_dir
from . import Workspace
from .errors import ServiceError
from .identity_vault import open_vault, secure_identities
from .made_place import is_empty_place, remove_made

__all__ = ["CreateResult", "Keys", "RestoreResult", "create", "keys", "restore", "verify"]


@dataclass(slots=True)
class CreateResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def left_out(self) -> int:
        """Originals and working copies held by an earlier backup of the chain."""
        return sum(1 for place in self.manifest["blobs"].values() if place != "here")


@dataclass(slots=True)
class RestoreResult:
    database_url: str
    data_dir: Path
    manifest: dict[str, Any]
    counts: dict[str, int]  # rows per table after the restore
    report: VerifyReport  # the checks of ``tawthiq verify`` on the restored workspace

    @property
    def ok(self) -> bool:
        return self.report.ok and self.counts == self.manifest["tables"]

    def count_problems(self) -> list[str]:
        expected = self.manifest["tables"]
        return [f"table {name}: {self.counts.get(name, 0)} rows restored, the backup has {expected.get(name, 0)}"
                for name in sorted(set(expected) | set(self.counts))
                if self.counts.get(name, 0) != expected.get(name, 0)]


def create(ws: Workspace, *, output: Path, keys: Keys, actor: str, machine: str, previous: Path | None = None,
           previous_keys: Keys | None = None) -> CreateResult:
    """Back ``ws`` up to ``output``; with ``previous``, leave out what that backup (and its chain) holds.

    The ledger then gets one "backed-up" entry naming the backup by its
    manifest's hash. It is appended after the file is complete, so it is not
    in this backup (the next one carries it).
    """
    try:
        manifest_before = None
        if previous is not None:
            manifest_before = archive.read_backup(previous, keys=previous_keys or keys).manifest
        from ..store.vault_key import KEY_FILE as VAULT_KEY_FILE

        # An encrypted workspace derives its identity vault key from the main key (none on disk).
        derived = {VAULT_KEY_FILE: ws.settings.vault_key} if ws.settings.vault_key is not None else {}
        manifest = archive.write_backup(output, db=ws.db, blobs=ws.blobs, keys=keys, version=__version__,
                                        previous=manifest_before, derived_keys=derived)
    except BackupError as error:
        raise ServiceError(str(error)) from None
    except OSError as error:
        raise ServiceError(f"cannot write {output}: {error.strerror or error}") from None
    _record_backup(ws, manifest=manifest, output=output, keys=keys, actor=actor, machine=machine)
    return CreateResult(path=output, manifest=manifest)


def _record_backup(ws: Workspace, *, manifest: dict[str, Any], output: Path, keys: Keys, actor: str,
                   machine: str) -> None:
    """Who copied the whole record where, and who can open it: public keys only, never the passphrase."""
    from ..store.custody import record

    opened_by = list(keys.recipients) + (["passphrase"] if keys.passphrase else [])
    stored = sum(1 for place in manifest["blobs"].values() if place == "here")
    details = {"backup_id": manifest["backup_id"], "created_at": manifest["created_at"],
               "previous": manifest["previous"], "file": Path(output).name, "recipients": opened_by,
               "rows": sum(manifest["tables"].values()), "files_stored": stored,
               "files_left_out": len(manifest["blobs"]) - stored,
               "signing_key": any(name.startswith(f"{archive.KEYS}/") for name in manifest["members"])}
    record(ws.db, item_sha256=archive.manifest_sha256(manifest), event="backed-up", actor=actor, machine=machine,
           details=details)


def verify(path: Path, *, keys: Keys) -> archive.ReadResult:
    """Decrypt ``path`` as a stream and check every member against the manifest; nothing is written."""
    try:
        return archive.read_backup(path, keys=keys)
    except BackupError as error:
        raise ServiceError(str(error)) from None


def restore(paths: Sequence[Path], *, to: Path, keys: Keys, database_url: str | None = None) -> RestoreResult:
    """Restore the chain ``paths`` (oldest first) into the empty directory ``to`` (and ``database_url``).

    The database is a SQLite file in ``to`` unless ``database_url`` names
    another (which must hold no tables). On any failure what was made is
    removed (a server database keeps the empty schema set up for it).
    """
    from ..store.db import connect, init_db
    from ..store.snapshot import has_tables
    from ..store.vault.blobs import BlobStore
    from . import integrity

    if not paths:
        raise ServiceError("give the backup file(s) to restore")
    to = Path(to)
    if not is_empty_place(to):
        raise ServiceError(f"{to} is not an empty directory: a restore goes into an empty place only")
    url = database_url or f"sqlite:///{to / 'tawthiq.db'}"
    settings = Settings(database_url=url, data_dir=default_data_dir(url) if database_url is None else to / "data",
                        max_file_size=0)
    made_dir = not to.exists()
    to.mkdir(parents=True, exist_ok=True)
    db = connect(url)
    try:
        try:
            if has_tables(db):
                raise ServiceError(f"the database {db.engine.url.render_as_string()} is not empty: "
                                   "a restore goes into an empty one only")
            init_db(db)
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            manifest = archive.restore_chain(list(paths), db=db, blobs=BlobStore(settings.data_dir), keys=keys)
            if db.vault is None:  # a backup from before the identity vault: its key is made now
                db.attach_vault(open_vault(settings, create=True))
            secure_identities(db)  # rows a backup carried before its key are encrypted in place
        except BackupError as error:
            raise ServiceError(str(error)) from None
        except ValueError as error:  # a row this version cannot read
            raise ServiceError(f"cannot restore: {error}") from None
        counts = archive.table_counts(db)
        report = integrity.verify(Workspace(settings=settings, db=db, blobs=BlobStore(settings.data_dir)))
    except BaseException:
        db.dispose()
        remove_made(to, made_dir=made_dir)
        raise
    db.dispose()
    return RestoreResult(database_url=url, data_dir=settings.data_dir, manifest=manifest, counts=counts,
                         report=report)


def keys(*, recipients: Sequence[str] = (), identity_files: Sequence[Path] = (),
         passphrase: str | None = None) -> Keys:
    """The keys of a command: recipients as given, identities read from age identity files (comments skipped)."""
    identities: list[str] = []
    for path in identity_files:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise ServiceError(f"cannot read the identity file {path}: {getattr(error, 'strerror', None) or error}"
                               ) from None
        found = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
        if not found:
            raise ServiceError(f"{path} holds no age secret key (AGE-SECRET-KEY-1…)")
        identities.extend(found)
    return Keys(recipients=tuple(recipients), identities=tuple(identities), passphrase=passphrase or None)
