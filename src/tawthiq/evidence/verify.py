"""``tawthiq verify``: are the originals and the custody ledger still what was recorded?

Two independent checks, both reporting every problem rather than stopping
at the first, because whoever reads the report needs to know the full
extent of any damage:

* every original a source names is re-hashed from disk (streamed) and must
  still hash to its name; originals in the store that no source names are
  re-hashed too;
* every ledger entry must hash to its stored hash, link to the entry
  before it, and the ids must run 1, 2, 3… with no gap (a deleted row).

Removing entries from the *end* of the ledger leaves a valid shorter chain;
only a copy of the head hash kept elsewhere can show that, so the report
gives the head (id and hash) for the operator to record.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..ingest.blobs import BlobStore
from .custody import GENESIS, hash_of

if TYPE_CHECKING:
    from ..store.db import Database

CHUNK = 1024 * 1024


@dataclass(slots=True)
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    sources_checked: int = 0
    entries_checked: int = 0
    head_id: int | None = None
    head_hash: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = f"; ledger head: entry {self.head_id} {self.head_hash}" if self.head_id is not None else ""
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return (f"{verdict}: {self.blobs_checked} original(s) re-hashed, {self.sources_checked} source(s), "
                f"{self.entries_checked} ledger entr{'y' if self.entries_checked == 1 else 'ies'} checked{head}")


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(db: Database, *, data_dir: Path) -> VerifyReport:
    report = VerifyReport()
    _check_originals(db, BlobStore(data_dir), report)
    _check_ledger(db, report)
    return report


def _check_originals(db: Database, blobs: BlobStore, report: VerifyReport) -> None:
    from ..store.tables import sources

    named: dict[str, list[int]] = defaultdict(list)
    with db.session() as session:
        for source_id, sha in session.execute(select(sources.c.id, sources.c.sha256).order_by(sources.c.id)):
            named[str(sha)].append(int(source_id))
            report.sources_checked += 1
    for sha, source_ids in named.items():
        try:
            path = blobs.path(sha)
        except ValueError:
            report.problems.extend(f"source {sid}: names an invalid sha256 {sha!r}" for sid in source_ids)
            continue
        if not path.is_file():
            report.problems.append(f"missing original {sha}: expected at {path}")
            report.problems.extend(f"source {sid}: its original {sha} is missing" for sid in source_ids)
            continue
        _rehash(sha, path, report)
    for sha in blobs.iter_shas():
        if sha not in named:
            _rehash(sha, blobs.path(sha), report)


def _rehash(sha: str, path: Path, report: VerifyReport) -> None:
    report.blobs_checked += 1
    try:
        actual = hash_file(path)
    except OSError as error:
        report.problems.append(f"original {sha}: cannot read {path}: {error.strerror or error}")
        return
    if actual != sha:
        report.problems.append(f"original {sha}: bytes at {path} now hash to {actual}")


def _check_ledger(db: Database, report: VerifyReport) -> None:
    from ..store.custody import iter_entries

    expected_id = 1
    previous_hash: str | None = None
    previous_id: int | None = None
    for entry in iter_entries(db):
        report.entries_checked += 1
        if entry.id != expected_id:
            missing = f"{expected_id}" if entry.id == expected_id + 1 else f"{expected_id}-{entry.id - 1}"
            report.problems.append(f"ledger: entr{'y' if entry.id == expected_id + 1 else 'ies'} {missing} "
                                   f"missing (deleted?) before entry {entry.id}")
        if previous_hash is None:
            if entry.prev_hash != GENESIS:
                report.problems.append(f"ledger entry {entry.id}: first entry does not start from the zero hash "
                                       f"(prev_hash {entry.prev_hash})")
        elif entry.prev_hash != previous_hash:
            report.problems.append(f"ledger entry {entry.id}: prev_hash {entry.prev_hash[:16]}… does not link to "
                                   f"entry {previous_id} (hash {previous_hash[:16]}…)")
        computed = hash_of(entry)
        if computed != entry.entry_hash:
            report.problems.append(f"ledger entry {entry.id}: content does not match its hash "
                                   f"(stored {entry.entry_hash[:16]}…, computed {computed[:16]}…)")
        previous_hash, previous_id = entry.entry_hash, entry.id
        expected_id = entry.id + 1
    report.head_id, report.head_hash = previous_id, previous_hash
