"""``tawthiq fixity``: the verify checks run on demand or on a schedule, each run leaving a report.

A fixity run is what an archive shows an auditor: on this date, on this
machine, every original, working copy and ledger entry was checked, with
this result. So each run writes its report as a file (JSON with every
problem, plus a short text summary), atomically and read-only, and records
a ``fixity_runs`` row holding the report's SHA-256, so a report edited
later no longer matches its row.

Each run also holds the ledger to the heads earlier runs recorded (the
previous run's, and the last clean run's when the previous one was not
clean): a recorded entry that is gone, or now has another hash, means the
ledger was cut short or rewritten, which a valid shorter chain alone would
never show. Comparing with the last clean run too means such damage keeps
being reported by every later run instead of only by the first one that saw it.

In an encrypted workspace the report would otherwise be the one readable
thing on the disk: its problems name originals by their plaintext SHA-256
(which confirms that a known file is held) and sources by what they hold.
So there both files are sealed with the workspace's file key, like the
originals (:mod:`..store.vault.sealed`), and named ``….json.sealed`` and
``….txt.sealed``; the row's SHA-256 is still the plaintext JSON's, which
:func:`read_report` checks after decrypting (``tawthiq fixity --show ID``).

Writes that were killed leave ``.tmp-*`` files in the blob stores (see
ingest/blobs.py). They are never blobs (a blob's name is 64 hex digits),
so a run lists them and removes those older than an hour; younger ones may
be a write still in progress and are left alone.
"""
from __future__ import annotations

import json
import os
import platform
import re
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.custody import FixityRun, canonical_time
from ..domain.printable import escaped_line
from ..store.vault.blobs import BlobStore, sha256_bytes
from ..store.vault.derived import derived_store
from ..store.vault.once import TEMP_PREFIX as ONCE_TEMP_PREFIX
from ..store.vault.once import write_once as _write_once
from ..store.vault.private import private_dir
from ..store.vault.sealed import SealError, iter_plain
from .verify import ExpectedHead, VerifyReport, verify

if TYPE_CHECKING:
    from ..store.db import Database

FIXITY_DIR = "fixity"
STALE_AFTER_SECONDS = 3600
TEMP_PREFIX = ONCE_TEMP_PREFIX
SEALED_SUFFIX = ".sealed"
_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(slots=True)
class StaleTemp:
    """A leftover ``.tmp-*`` file of an interrupted write."""

    path: str
    size: int
    age_seconds: float
    removed: bool
    error: str = ""


@dataclass(slots=True)
class FixityResult:
    run: FixityRun
    report: VerifyReport
    stale: list[StaleTemp] = field(default_factory=list)
    json_path: Path | None = None
    text_path: Path | None = None
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.report.ok


def parse_interval(text: str) -> float:
    """``90s``, ``15m``, ``24h``, ``7d`` → seconds; ValueError with one line otherwise."""
    match = _INTERVAL_RE.match(text or "")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()] if match else 0.0
    if seconds <= 0:
        raise ValueError(f"expected a positive interval such as 90s, 15m, 24h or 7d, not {text!r}")
    return seconds


def default_report_dir(data_dir: Path) -> Path:
    return Path(data_dir) / FIXITY_DIR


def run_fixity(db: Database, *, blobs: BlobStore, actor: str, machine: str, report_dir: Path | None = None,
               clock: Callable[[], datetime] | None = None) -> FixityResult:
    """One run: verify against earlier runs' heads, sweep stale temp files, write the report, record the run."""
    from .. import __version__
    from ..store.fixity import insert_run, last_clean_run, last_run

    now = clock or (lambda: datetime.now(UTC))
    started = now()
    previous = last_run(db)
    expect = _heads_to_hold(previous, last_clean_run(db))
    report = verify(db, blobs=blobs, expect=expect)
    originals = blobs
    target_dir = Path(report_dir) if report_dir is not None else default_report_dir(blobs.root)
    stale = sweep_temp_files([originals.root / "sha256", derived_store(originals).root / "sha256", target_dir])
    finished = now()
    run = FixityRun(started_at=started, finished_at=finished, ok=report.ok, problems=len(report.problems),
                    originals_checked=report.blobs_checked, derivatives_checked=report.derived_blobs_checked,
                    entries_checked=report.entries_checked, head_id=report.head_id, head_hash=report.head_hash,
                    actor=actor, machine=machine)
    document = _document(run, report, stale, expect=expect, previous=previous, version=__version__, db=db)
    data = (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    # Sealed in an encrypted workspace: the problems name originals by their plaintext hash.
    files_key = blobs.keys.files if blobs.keys is not None else None
    sealed = SEALED_SUFFIX if files_key is not None else ""
    if report_dir is None:
        private_dir(target_dir)  # the workspace's own folder: 0700 like the rest of it
    json_path = write_once(target_dir, f"fixity-{stamp}", ".json" + sealed, data, files_key=files_key)
    run.report_path, run.report_sha256 = str(json_path.absolute()), sha256_bytes(data)
    summary = summary_text(run, report, stale)
    stem = json_path.name.removesuffix(".json" + sealed)
    text_path = write_once(target_dir, stem, ".txt" + sealed, summary.encode("utf-8"), files_key=files_key)
    run.id = insert_run(db, run)
    return FixityResult(run=run, report=report, stale=stale, json_path=json_path, text_path=text_path,
                        summary=summary)


def _heads_to_hold(previous: FixityRun | None, clean: FixityRun | None) -> list[ExpectedHead]:
    heads: list[ExpectedHead] = []
    for run in (previous, clean):
        if run is None or run.head_id is None or not run.head_hash:
            continue
        if any(h.id == run.head_id and h.hash == run.head_hash for h in heads):
            continue
        heads.append(ExpectedHead(id=run.head_id, hash=run.head_hash, label=run.label()))
    return heads


def _document(run: FixityRun, report: VerifyReport, stale: list[StaleTemp], *, expect: list[ExpectedHead],
              previous: FixityRun | None, version: str, db: Database) -> dict[str, Any]:
    return {
        "report": "tawthiq fixity",
        "tawthiq_version": version,
        "started_at": canonical_time(run.started_at),
        "finished_at": canonical_time(run.finished_at),
        "duration_seconds": round((run.finished_at - run.started_at).total_seconds(), 3),
        "ok": report.ok,
        "actor": run.actor,
        "machine": {"hostname": run.machine, "platform": platform.platform(),
                    "python": platform.python_version(), "cpus": os.cpu_count()},
        "database": db.dialect_name,  # never the URL: it may hold a password
        "counts": report.counts(),
        "head": {"id": report.head_id, "hash": report.head_hash},
        "heads_held_to": [asdict(head) for head in expect],
        "previous_run": None if previous is None else {
            "id": previous.id, "started_at": canonical_time(previous.started_at), "ok": previous.ok,
            "head_id": previous.head_id, "head_hash": previous.head_hash,
            "report_sha256": previous.report_sha256},
        "problems": list(report.problems),
        "stale_temporary_files": [asdict(item) for item in stale],
    }


def summary_text(run: FixityRun, report: VerifyReport, stale: list[StaleTemp]) -> str:
    """The few lines a person reads first; the JSON beside it has everything."""
    removed = sum(1 for item in stale if item.removed)
    lines = [
        f"tawthiq fixity {canonical_time(run.started_at)} on {run.machine} by {run.actor}: "
        f"{'OK' if report.ok else f'{len(report.problems)} PROBLEM(S)'}",
        report.summary(),
        f"stale temporary files: {len(stale)} found, {removed} removed (older than "
        f"{STALE_AFTER_SECONDS // 60} min), {len(stale) - removed} left",
    ]
    lines += [f"problem: {escaped_line(problem)}" for problem in report.problems[:20]]  # one line each, names escaped
    if len(report.problems) > 20:
        lines.append(f"… and {len(report.problems) - 20} more in the JSON report")
    if run.report_path:
        lines.append(f"report: {run.report_path} (sha256 {run.report_sha256})")
    return "\n".join(lines) + "\n"


def sweep_temp_files(roots: list[Path], *, older_than: float = STALE_AFTER_SECONDS,
                     now: float | None = None) -> list[StaleTemp]:
    """List ``.tmp-*`` regular files under ``roots``; remove those older than ``older_than`` seconds.

    Symbolic links are never followed nor removed, and a name that could be
    a blob (anything not starting with ``.tmp-``) is never touched.
    """
    moment = time.time() if now is None else now
    found: list[StaleTemp] = []
    for root in roots:
        if not root.is_dir():
            continue
        for directory, subdirs, files in os.walk(root, followlinks=False):
            subdirs.sort()
            for name in sorted(files):
                if not name.startswith(TEMP_PREFIX):
                    continue
                path = Path(directory) / name
                try:
                    info = path.lstat()
                except OSError:
                    continue  # finished (renamed) or removed meanwhile
                if not stat.S_ISREG(info.st_mode):
                    continue
                age = max(0.0, moment - info.st_mtime)
                item = StaleTemp(path=str(path), size=info.st_size, age_seconds=round(age, 1), removed=False)
                if age > older_than:
                    try:
                        path.unlink()
                        item.removed = True
                    except OSError as error:
                        item.error = error.strerror or str(error)
                found.append(item)
    return found


def write_once(directory: Path, stem: str, suffix: str, data: bytes, *, files_key: bytes | None = None) -> Path:
    """A report written once (``store/vault/once.py``): a second report in the same second gets ``-2``…
    rather than overwriting the first, a report being a record; the owner's only and read-only (0400)."""
    return _write_once(directory, stem, suffix, data, files_key=files_key, mode=stat.S_IRUSR)


class ReportError(ValueError):
    """A fixity report that cannot be read back, or no longer matches the SHA-256 its run recorded."""


def read_report(run: FixityRun, *, files_key: bytes | None) -> bytes:
    """The JSON report of ``run`` (decrypted when sealed), checked against the SHA-256 the run recorded."""
    path = Path(run.report_path)
    if not run.report_path:
        raise ReportError(f"fixity run {run.id} recorded no report")
    try:
        with open(path, "rb") as handle:
            if not path.name.endswith(SEALED_SUFFIX):
                data = handle.read()
            elif files_key is None:
                raise ReportError(f"the report of fixity run {run.id} is sealed: open the encrypted workspace "
                                  "it belongs to")
            else:
                data = b"".join(iter_plain(handle, files_key=files_key))
    except OSError as error:
        raise ReportError(f"the report of fixity run {run.id} cannot be read: {error.strerror or error}") from None
    except SealError as error:
        raise ReportError(f"the report of fixity run {run.id} fails authentication: {error}") from None
    actual = sha256_bytes(data)
    if actual != run.report_sha256:
        raise ReportError(f"the report of fixity run {run.id} was changed: it hashes to {actual}, the run "
                          f"recorded {run.report_sha256}")
    return data
