"""Integrity services: re-hash the stores and check the ledger (verify), record it (fixity), and make
working copies an earlier run could not (derive again). What ``tawthiq verify``, ``fixity`` and
``derive`` call; the CLI acts as the machine's operator, so no permission is asked.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.custody import FixityRun
from ..evidence import fixity as _fixity
from ..evidence import verify as _verify
from ..evidence.fixity import FixityResult, parse_interval
from ..evidence.verify import ExpectedHead, VerifyReport, parse_head
from ..ingest import derive as _derive
from ..ingest.derive import DeriveOutcome
from . import Workspace
from .errors import NotFound, ServiceError

__all__ = ["DeriveRun", "ExpectedHead", "FixityResult", "FixityRun", "VerifyReport", "derive_again",
           "fixity_report", "fixity_runs", "parse_head", "parse_interval", "run_fixity", "verify"]


def verify(ws: Workspace, *, expect: Sequence[ExpectedHead] = ()) -> VerifyReport:
    """Re-hash every original and working copy, check every ledger link and each head in ``expect``.

    ``expect`` holds ledger heads recorded earlier (see :func:`parse_head`),
    which catch a ledger cut short at its end or rewritten.
    """
    return _verify.verify(ws.db, blobs=ws.blobs, expect=expect)


@dataclass(slots=True)
class DeriveRun:
    source_ids: list[int]  # every source the run goes through, in order
    outcomes: Iterator[DeriveOutcome]  # one per source, made as it is read (a long run reports as it goes)


def derive_again(ws: Workspace, *, source_ids: Sequence[int] | None, actor: str, reason: str = "") -> DeriveRun:
    """Run the derive stage again on the stored originals of ``source_ids`` (None: every source)."""
    from ..store.sources import all_source_ids

    ids = all_source_ids(ws.db) if source_ids is None else list(source_ids)
    outcomes = _derive.derive_again(ws.db, blobs=ws.blobs, source_ids=ids, actor=actor, reason=reason)
    return DeriveRun(source_ids=ids, outcomes=outcomes)


def run_fixity(ws: Workspace, *, actor: str, machine: str, report_dir: Path | None = None) -> FixityResult:
    """One fixity run: verify held to the heads earlier runs recorded, write its report, record the run."""
    return _fixity.run_fixity(ws.db, blobs=ws.blobs,
                              report_dir=report_dir, actor=actor, machine=machine)


def fixity_runs(ws: Workspace, *, limit: int = 50) -> list[FixityRun]:
    """The latest ``limit`` fixity runs, newest first."""
    from ..store.fixity import list_runs

    return list_runs(ws.db, limit=limit)


def fixity_report(ws: Workspace, *, run_id: int) -> bytes:
    """The JSON report of fixity run ``run_id``, decrypted in an encrypted workspace and checked against the
    SHA-256 the run recorded; a missing, unreadable or changed report is a one-line ServiceError."""
    from ..store.fixity import get_run

    run = get_run(ws.db, run_id)
    if run is None:
        raise NotFound(f"no fixity run {run_id}", kind="fixity.run_missing", value=str(run_id))
    try:
        return _fixity.read_report(run, files_key=ws.blobs.keys.files if ws.blobs.keys is not None else None)
    except _fixity.ReportError as error:
        raise ServiceError(str(error), kind="fixity.report") from None
