"""``tawthiq verify``: are the originals, their working copies and the custody ledger still what was recorded?

Independent checks, all reporting every problem rather than stopping at
the first, because whoever reads the report needs to know the full extent
of any damage, one precise line per problem (which file, expected and
actual hash, which source ids name it):

* every original a source names is re-hashed from disk (streamed) and must
  still hash to its name; originals in the store that no source names are
  re-hashed too;
* every working copy a ``derivatives`` row names must be in the derived
  store and hash to its name, and the original it was made from must still
  be there; derived blobs no row names are re-hashed too;
* every ledger entry must hash to its stored hash, link to the entry
  before it, and the ids must run 1, 2, 3… with no gap (a deleted row);
* custody entries imported with a package must still hash to the hash
  their writing instance gave them;
* every row of the record must still hold what its latest content seal says, and
  the stores must hold no planted file and no orphan original (verify_record.py).

Removing entries from the *end* of the ledger leaves a valid shorter chain;
only a copy of the head hash kept elsewhere can show that, so the report
gives the head (id and hash) for the operator to record, and ``expect``
takes heads recorded earlier (``--head``, the previous fixity run) and
reports one that is gone or changed.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.custody import GENESIS, entry_hash, hash_of
from ..store.vault.blobs import BlobStore, sha256_file
from ..store.vault.derived import derived_store
from .verify_record import check_seals, check_store_files

if TYPE_CHECKING:
    from ..store.db import Database

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_HEAD_RE = re.compile(r"^\s*(?:entry\s+)?(\d{1,18})(?:\s*:\s*|\s+)([0-9a-fA-F]{64})\s*$")
# The fields domain.custody.entry_hash covers: an imported entry must carry them all.
ENTRY_FIELDS = ("id", "at", "item_sha256", "source_id", "event", "actor", "machine", "reason", "details",
                "prev_hash")


@dataclass(frozen=True, slots=True)
class ExpectedHead:
    """A ledger head recorded earlier, outside the chain: entry ``id`` must still exist with ``hash``.

    ``label`` says where the record came from ("--head", "fixity run 7 of …"),
    so the problem line tells the reader which record disagrees.
    """

    id: int
    hash: str
    label: str = "--head"


def parse_head(text: str, *, label: str = "--head") -> ExpectedHead:
    """``ID:HASH`` as verify prints it (``entry ID HASH`` is taken too); ValueError with one line."""
    match = _HEAD_RE.match(text or "")
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"expected ID:HASH (an entry id and its 64-hex-digit hash), got {text!r}")
    return ExpectedHead(id=int(match.group(1)), hash=match.group(2).lower(), label=label)


@dataclass(slots=True)
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    sources_checked: int = 0
    derivatives_checked: int = 0  # derivatives rows
    derived_blobs_checked: int = 0  # files re-hashed in the derived store
    imported_checked: int = 0
    entries_checked: int = 0
    seals_checked: int = 0  # record_seals entries
    rows_checked: int = 0  # row groups of the record re-hashed against their seals
    head_id: int | None = None
    head_hash: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = (f"; ledger head (keep it for --head): {self.head_id}:{self.head_hash}"
                if self.head_id is not None else "")
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        imported = (f", {self.imported_checked} imported entr{_y(self.imported_checked)}"
                    if self.imported_checked else "")
        return (f"{verdict}: {self.blobs_checked} original(s) re-hashed, {self.sources_checked} source(s), "
                f"{self.entries_checked} ledger entr{_y(self.entries_checked)} checked, "
                f"{self.derived_blobs_checked} derived cop{_y(self.derived_blobs_checked)} re-hashed "
                f"({self.derivatives_checked} derivative row(s)), {self.rows_checked} record row(s) checked "
                f"against {self.seals_checked} seal(s){imported}{head}")

    def counts(self) -> dict[str, int]:
        return {"originals_checked": self.blobs_checked, "sources_checked": self.sources_checked,
                "derivatives_checked": self.derivatives_checked,
                "derived_blobs_checked": self.derived_blobs_checked,
                "imported_entries_checked": self.imported_checked, "entries_checked": self.entries_checked,
                "seals_checked": self.seals_checked, "rows_checked": self.rows_checked,
                "problems": len(self.problems)}


def _y(count: int) -> str:
    return "y" if count == 1 else "ies"


def hash_file(path: Path) -> str:
    """The streamed SHA-256 the store itself uses (same digest as ``sha256sum``)."""
    return sha256_file(path)


def verify(db: Database, *, blobs: BlobStore, expect: Sequence[ExpectedHead] = (),
           workers: int | None = None) -> VerifyReport:
    """Every check, every problem. ``workers`` threads re-hash files side by side (hashlib
    releases the GIL), which matters for many small files; the order of the report does not
    depend on it."""
    report = VerifyReport()
    originals = blobs
    rehash = _Rehasher(report, workers=workers or min(4, os.cpu_count() or 1))
    try:
        named = _check_originals(db, originals, report, rehash)
        _check_derivatives(db, originals, report, rehash)
        rehash.drain()
    finally:
        rehash.close()
    check_store_files(originals, named=named.__contains__, problems=report.problems)
    _check_ledger(db, report, expect)
    _check_imported(db, report)
    report.seals_checked, report.rows_checked = check_seals(db, report.problems)
    return report


@dataclass(frozen=True, slots=True)
class _Job:
    what: str
    sha: str
    path: Path
    named_by: str
    store: BlobStore | None = None  # re-hashed through the store: a sealed file's plaintext, checked


class _Rehasher:
    """Queues files to re-hash and runs them in batches on a thread pool, reporting in queue order."""

    BATCH = 256

    def __init__(self, report: VerifyReport, *, workers: int) -> None:
        self.report = report
        self.jobs: list[_Job] = []
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify") if workers > 1 else None

    def add(self, what: str, sha: str, path: Path, *, named_by: str, store: BlobStore | None = None) -> None:
        self.jobs.append(_Job(what, sha, path, named_by, store))
        if len(self.jobs) >= self.BATCH:
            self.drain()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def drain(self) -> None:
        jobs, self.jobs = self.jobs, []
        outcomes = self.pool.map(_hash_or_error, jobs) if self.pool else map(_hash_or_error, jobs)
        for job, (actual, error) in zip(jobs, outcomes, strict=True):
            if error is not None:
                self.report.problems.append(f"{job.what} {job.sha}: cannot read {job.path}: {error} ({job.named_by})")
            elif actual != job.sha:
                self.report.problems.append(f"{job.what} {job.sha}: bytes at {job.path} now hash to {actual} "
                                            f"({job.named_by})")


def _hash_or_error(job: _Job) -> tuple[str | None, str | None]:
    from ..store.vault.sealed import SealError

    try:
        if job.store is not None and job.store.encrypted:
            return job.store.rehash(job.sha), None
        return hash_file(job.path), None
    except OSError as error:
        return None, error.strerror or str(error)
    except SealError as error:
        return None, f"it fails authentication: {error}"


def _ids(label: str, ids: Iterable[int]) -> str:
    unique = sorted(set(ids))
    if not unique:
        return f"named by no {label}"
    return f"{label}{'s' if len(unique) > 1 else ''} {', '.join(map(str, unique))}"


def _check_originals(db: Database, blobs: BlobStore, report: VerifyReport, rehash: _Rehasher) -> set[str]:
    """Every original, named or not, queued for re-hashing; returns the hashes sources name."""
    from ..store.sources import source_hashes

    named: dict[str, list[int]] = defaultdict(list)
    for source_id, sha in source_hashes(db):
        named[sha].append(source_id)
        report.sources_checked += 1
    for sha, source_ids in named.items():
        if not _SHA_RE.match(sha):
            report.problems.extend(f"source {sid}: names an invalid sha256 {sha!r}" for sid in source_ids)
            continue
        path = blobs.path(sha)
        if not path.is_file():
            report.problems.append(f"missing original {sha}: expected at {path}")
            report.problems.extend(f"source {sid}: its original {sha} is missing" for sid in source_ids)
            continue
        rehash.add("original", sha, path, named_by=_ids("source", source_ids), store=blobs)
        report.blobs_checked += 1
    for sha in blobs.iter_shas():
        if sha not in named:
            rehash.add("original", sha, blobs.path(sha), named_by=_ids("source", ()), store=blobs)
            report.blobs_checked += 1
    return set(named)


def _check_derivatives(db: Database, originals: BlobStore, report: VerifyReport, rehash: _Rehasher) -> None:
    """Each working copy where its row says, with its bytes, and its original still there."""
    from ..store.derivatives import derivative_hashes

    store = derived_store(originals)
    named: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    made_from: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    for derivative_id, sha, original_sha, source_id in derivative_hashes(db):
        report.derivatives_checked += 1
        key = (derivative_id, source_id)
        named[sha].append(key)
        made_from[original_sha].append(key)
    for sha, keys in named.items():
        names = _naming(keys)
        if not _SHA_RE.match(sha):
            report.problems.append(f"derived copy {sha!r}: not a sha256 ({names})")
            continue
        path = store.path(sha)
        if not path.is_file():
            report.problems.append(f"missing derived copy {sha}: expected at {path} ({names})")
            continue
        rehash.add("derived copy", sha, path, named_by=names, store=store)
        report.derived_blobs_checked += 1
    for original_sha, keys in made_from.items():
        if not _SHA_RE.match(original_sha):
            report.problems.append(f"derived copies of {original_sha!r}: their original is not a sha256 "
                                   f"({_naming(keys)})")
        elif not originals.path(original_sha).is_file():
            report.problems.append(f"derived copies of {original_sha}: their original is missing from "
                                   f"{originals.path(original_sha)} ({_naming(keys)})")
    for sha in store.iter_shas():
        if sha not in named:
            rehash.add("derived copy", sha, store.path(sha), named_by="named by no derivative row", store=store)
            report.derived_blobs_checked += 1


def _naming(keys: list[tuple[int, int | None]]) -> str:
    return f"{_ids('derivative', (d for d, _ in keys))}; {_ids('source', (s for _, s in keys if s is not None))}"


def _check_ledger(db: Database, report: VerifyReport, expect: Sequence[ExpectedHead]) -> None:
    from ..store.custody import iter_entries

    wanted = {head.id for head in expect}
    seen: dict[int, str] = {}
    expected_id = 1
    previous_hash: str | None = None
    previous_id: int | None = None
    for entry in iter_entries(db):
        report.entries_checked += 1
        if entry.id in wanted:
            seen[entry.id] = entry.entry_hash
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
    for head in expect:
        report.problems.extend(_head_problem(head, seen.get(head.id), report.head_id))


def _head_problem(head: ExpectedHead, actual: str | None, head_id: int | None) -> list[str]:
    if actual is None:
        now = "the ledger is empty" if head_id is None else f"the ledger now ends at entry {head_id}"
        cut = ": entries were cut from the end" if head_id is None or head.id > head_id else ""
        return [f"ledger: entry {head.id}, the head recorded by {head.label} (hash {head.hash}), is missing; "
                f"{now}{cut}"]
    if actual != head.hash:
        return [f"ledger entry {head.id}: hash {actual} is not the head hash recorded by {head.label} "
                f"({head.hash}): the ledger was rewritten from there"]
    return []


def _check_imported(db: Database, report: VerifyReport) -> None:
    """Each imported entry re-hashed from the fields it was packaged with (see custody.entry_hash)."""
    from ..store.packages import imported_rows

    for row in imported_rows(db):
        report.imported_checked += 1
        where = (f"imported custody row {row.id} (package {row.package!r}, origin {row.origin}, "
                 f"position {row.position})")
        entry: Any = row.entry
        if not isinstance(entry, dict):
            report.problems.append(f"{where}: entry is not a JSON object")
            continue
        lacking = [name for name in ENTRY_FIELDS if name not in entry]
        if lacking:
            report.problems.append(f"{where}: entry lacks {', '.join(lacking)}, so its hash cannot be checked")
            continue
        try:
            computed = _imported_hash(entry)
        except (TypeError, ValueError) as error:
            report.problems.append(f"{where}: entry cannot be hashed: {error}")
            continue
        recorded = str(entry.get("entry_hash") or row.entry_hash)
        if computed != row.entry_hash or computed != recorded:
            report.problems.append(f"{where}: entry hashes to {computed}, recorded {row.entry_hash}")
        if entry.get("item_sha256") != row.item_sha256:
            report.problems.append(f"{where}: row names item {row.item_sha256} but its entry names "
                                   f"{entry.get('item_sha256')}")


def _imported_hash(entry: dict[str, Any]) -> str:
    at = entry["at"]
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if not isinstance(at, datetime):
        raise ValueError(f"'at' is not a time: {entry['at']!r}")
    source_id = entry["source_id"]
    if source_id is not None and not isinstance(source_id, int):
        raise ValueError(f"'source_id' is not a number: {source_id!r}")
    details = entry["details"]
    if not isinstance(details, dict):
        raise ValueError("'details' is not an object")
    return entry_hash(id=int(entry["id"]), at=at, item_sha256=str(entry["item_sha256"]), source_id=source_id,
                      event=str(entry["event"]), actor=str(entry["actor"]), machine=str(entry["machine"]),
                      reason=str(entry["reason"]), details=details, prev_hash=str(entry["prev_hash"]))
