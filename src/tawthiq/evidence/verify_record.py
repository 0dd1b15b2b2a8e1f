"""The record half of ``tawthiq verify``: does every row still hold what the application sealed, and
does the originals store hold only what ingests put there?

* the seal chain (``record_seals``) must run 1, 2, 3… with each entry hashing to its stored hash
  and linking to the one before, like the custody ledger;
* every current row group of every sealed table is re-hashed and must match its latest seal:
  a changed row, a row with no seal (inserted outside the application) and a sealed row that is
  gone without a deletion seal (deleted outside it) are each named by table and id;
* the originals and derived stores' ``sha256`` trees may hold only blobs (``sha256/ab/cd/<sha256>``)
  and the temporary files of writes (in progress, or interrupted: fixity removes those); anything else
  is a planted file. A blob no source
  names is an interrupted ingest's orphan (the file is stored before its source row is), named so.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.seals import DELETED, GENESIS, seal_hash
from ..store.vault.blobs import BlobStore
from ..store.vault.derived import DERIVED_DIR

if TYPE_CHECKING:
    from ..store.db import Database

_TEMP_PREFIX = ".tmp-"  # blobs.py: a write in progress (or one a crash interrupted)


def check_seals(db: Database, problems: list[str]) -> tuple[int, int]:
    """Append one line per problem; returns (seal entries checked, row groups re-hashed)."""
    from ..store.seals import SEALED, iter_digests, iter_seals

    latest: dict[tuple[str, str], str] = {}
    entries = 0
    expected_id, previous = 1, GENESIS
    with db.session() as session:
        for seal in iter_seals(session):
            entries += 1
            if seal.id != expected_id:
                problems.append(f"seals: entries {expected_id}-{seal.id - 1} missing (deleted?) before entry {seal.id}"
                                if seal.id > expected_id + 1 else
                                f"seals: entry {expected_id} missing (deleted?) before entry {seal.id}")
            if seal.prev_hash != previous:
                problems.append(f"seal entry {seal.id}: prev_hash {seal.prev_hash[:16]}… does not link to the "
                                f"entry before it ({previous[:16]}…)")
            computed = seal_hash(id=seal.id, table_name=seal.table_name, row_key=seal.row_key, sha256=seal.sha256,
                                 sealed_at=seal.sealed_at, prev_hash=seal.prev_hash)
            if computed != seal.entry_hash:
                problems.append(f"seal entry {seal.id}: content does not match its hash "
                                f"(stored {seal.entry_hash[:16]}…, computed {computed[:16]}…)")
            latest[(seal.table_name, seal.row_key)] = seal.sha256
            expected_id, previous = seal.id + 1, seal.entry_hash
        groups = 0
        for name in sorted(SEALED):
            spec = SEALED[name]
            what = "incident" if not spec.by_id else "row"
            for key, digest in iter_digests(session, spec):
                groups += 1
                sealed = latest.pop((name, key), None)
                if sealed is None:
                    problems.append(f"{name} {what} {key}: has no seal (written outside the application)")
                elif sealed == DELETED:
                    problems.append(f"{name} {what} {key}: sealed as deleted but present (restored or inserted "
                                    "outside the application)")
                elif sealed != digest:
                    problems.append(f"{name} {what} {key}: content does not match its seal (edited outside the "
                                    f"application; sealed {sealed[:16]}…, now {digest[:16]}…)")
    for (name, key), sealed in sorted(latest.items(), key=lambda item: (item[0][0], _numeric(item[0][1]))):
        if sealed != DELETED and name in SEALED:
            what = "row" if SEALED[name].by_id else "incident"
            problems.append(f"{name} {what} {key}: sealed but missing (deleted outside the application)")
    return entries, groups


def _numeric(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def check_store_files(blobs: BlobStore, *, named: Callable[[str], bool], problems: list[str]) -> int:
    """Planted files in the originals and derived stores, and originals no source names; returns the
    files looked at. Only the stores' own ``sha256`` trees are walked: the data directory around
    them holds other things (the database, keys, backups)."""
    seen = 0
    for store, label in ((blobs.root, "originals store"), (blobs.root / DERIVED_DIR, "derived store")):
        for path in _files(store / "sha256"):
            seen += 1
            rel = path.relative_to(store)
            if path.name.startswith(_TEMP_PREFIX):
                continue  # a write in progress, or one a crash interrupted (fixity removes those an hour old)
            if not _is_blob_place(rel) or path.is_symlink():
                problems.append(f"{label}: planted file {rel} (not a file the store wrote)")
            elif blobs.encrypted and _sealed_sha(blobs, store, path) is None:
                problems.append(f"{label}: sealed file {rel} does not open with this workspace's key, or its "
                                "header names other bytes (changed or planted)")
            elif store == blobs.root and not named(_sealed_sha(blobs, store, path) or path.name):
                problems.append(f"original {path.name}: an interrupted ingest's orphan (no source names it; "
                                "if no ingest was interrupted, it was planted)")
    return seen


def _sealed_sha(blobs: BlobStore, store: Path, path: Path) -> str | None:
    """The sha256 a sealed file's header names (its name is an HMAC of it); None in a plain store."""
    if not blobs.encrypted:
        return None
    return blobs.with_root(store).sealed_sha(path)


def _files(root: Path) -> Iterable[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() or path.is_symlink():
            yield path


def _is_blob_place(rel: Path) -> bool:
    """``sha256/ab/cd/<64 hex digits starting abcd>``, as BlobStore.path lays a blob out."""
    parts = rel.parts
    if len(parts) != 4 or parts[0] != "sha256":
        return False
    name = parts[3]
    return (len(name) == 64 and all(c in "0123456789abcdef" for c in name)
            and parts[1] == name[:2] and parts[2] == name[2:4])
