"""``tawthiq import acled``: ACLED's CSV export as sources with ACLED's own coding as incidents.

Each row becomes a source (its notes as the text, the row itself as the
original) and one suggested incident coded from its columns through the
mapping table (``ingest/formats/acled.toml``). The file is read as a stream, a
row at a time, and each row is stored in its own transaction, so a large
export runs in bounded memory and an interruption leaves whole rows.

A row is known by ACLED's event id (``event_id_cnty``): importing the file
again changes nothing ("unchanged"). A row ACLED has revised since (another
``timestamp``) is reported as "changed" and skipped; the stored row and its
incident stay as they are (Tawthiq keeps no versions of a source), for a
person to compare. A row that cannot be used is one line (row, column, why)
and the import goes on. ``dry_run`` reads and codes every row and says what
would be stored, writing nothing.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import IngestError, ProblemLine
from . import Workspace

if TYPE_CHECKING:  # imported where used: `tawthiq --help` loads no gazetteer
    from ..extract.gazetteer import Gazetteer
    from ..ingest.formats.acled import AcledRow
    from ..ingest.formats.acled_coding import MappingTable
    from ..ingest.stages import IngestResult

VIA = "tawthiq import acled"
# ACLED's exports are large (a country's history is hundreds of megabytes); they are streamed a row at a time,
# so the whole-file limit of other ingests does not apply, only the per-row one of the reader.
MAX_EXPORT_BYTES = 64 * 1024 ** 3


@dataclass(slots=True)
class AcledImport:
    """What one import did (or, with ``dry_run``, would do)."""

    path: Path
    dry_run: bool = False
    layout: str = ""
    rows: int = 0
    created: int = 0  # rows stored now (with dry_run: rows that would be)
    unchanged: int = 0
    changed: int = 0  # revised by ACLED since they were stored: skipped
    bad: int = 0  # rows that cannot be used, one line each
    failed: int = 0  # rows that could not be stored (a database or disk problem)
    incidents: int = 0
    unmatched: Counter[str] = field(default_factory=Counter)  # actor names the mapping table does not know
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verb = "would be added" if self.dry_run else "added"
        line = (f"{self.rows} row(s): {self.created} {verb}, {self.unchanged} unchanged, "
                f"{self.changed} changed since imported (skipped), {self.bad} bad, {self.failed} failed; "
                f"{self.incidents} incident(s) {'would be ' if self.dry_run else ''}suggested")
        if self.unmatched:
            top = ", ".join(f"{name} ({n})" for name, n in self.unmatched.most_common(5))
            line += (f"; {sum(self.unmatched.values())} actor name(s) not in the mapping table, kept as written "
                     f"under 'other': {top}" + (" …" if len(self.unmatched) > 5 else ""))
        return line


def import_acled(ws: Workspace, path: Path, *, actor: str, reason: str = "", dry_run: bool = False,
                 table: Path | None = None, on_line: Callable[[str, bool], None] | None = None) -> AcledImport:
    """Import the ACLED export at ``path`` (see the module); never raises for bad input.

    ``table`` is a mapping table to use instead of the shipped one. Each row's
    line goes to ``on_line`` as it happens, with whether it is a problem (a bad or failed row).
    """
    from ..extract.gazetteer import Gazetteer
    from ..ingest.files import open_input_file
    from ..ingest.formats.acled import RowProblem, read_rows
    from ..ingest.formats.acled_coding import MappingTable

    outcome = AcledImport(path=Path(path), dry_run=dry_run)

    def say(line: str, *, problem: bool = False) -> None:
        if problem:
            outcome.problems.append(line)
        if on_line is not None:
            on_line(line, problem)

    try:
        mapping = MappingTable.load(table)
        gazetteer = Gazetteer.load()
        handle = open_input_file(Path(path), max_file_size=MAX_EXPORT_BYTES)
    except IngestError as error:
        say(ProblemLine(f"{path}: {error}", kind=getattr(error, "kind", ""), reason=str(error)), problem=True)
        return outcome
    # A dry run stores nothing, so a row twice in the file is known from this run's own rows (event id ->
    # original's hash, timestamp); an import finds it in the database, and keeps nothing per row in memory.
    seen: dict[str, tuple[str, int]] = {}
    try:
        with handle:
            for item in read_rows(handle):
                outcome.rows += 1
                if isinstance(item, RowProblem):
                    outcome.bad += 1
                    say(f"bad       {item}", problem=True)
                    continue
                outcome.layout = item.layout
                _one_row(ws, item, outcome=outcome, mapping=mapping, gazetteer=gazetteer, seen=seen, actor=actor,
                         reason=reason, say=say)
    except IngestError as error:  # not an ACLED header, or a runaway quote: the rows before it stay imported
        say(ProblemLine(f"{path}: {error}", kind=getattr(error, "kind", ""), reason=str(error)), problem=True)
    return outcome


def _one_row(ws: Workspace, row: AcledRow, *, outcome: AcledImport, mapping: MappingTable, gazetteer: Gazetteer,
             seen: dict[str, tuple[str, int]], actor: str, reason: str, say: Callable[..., None]) -> None:
    """Code one row and store it, unless this run or an earlier one already has its event."""
    from ..ingest.formats.acled import RowError, RowProblem
    from ..ingest.formats.acled_coding import code_row
    from ..ingest.formats.acled_stages import record_key, store_row
    from ..store.sources import sources_keyed
    from ..store.vault.blobs import sha256_bytes

    where = f"row {row.row} {row.event_id}"
    try:
        coded = code_row(row, table=mapping, gazetteer=gazetteer)
    except RowError as error:
        outcome.bad += 1
        say(f"bad       {RowProblem(row=row.row, line=row.line, column=error.column, why=error.why)}", problem=True)
        return
    sha = sha256_bytes(row.original)
    key = record_key(row)
    before = seen.get(key)
    stored = sources_keyed(ws.db, record_key=key) if before is None else []
    if before is not None or stored:
        same = before == (sha, row.timestamp) if before is not None else any(
            s.sha256 == sha or _timestamp(s.metadata) == row.timestamp for s in stored)
        if same:
            outcome.unchanged += 1
            say(f"unchanged {where}" + (f" (source {stored[0].id})" if stored else " (twice in this file)"))
            return
        outcome.changed += 1
        was = before[1] if before is not None else _timestamp(stored[-1].metadata)
        say(f"changed   {where}: ACLED revised it (timestamp {was} → {row.timestamp}); skipped, the stored row "
            f"and its incident are kept" + (f" (source {stored[-1].id})" if stored else ""))
        return
    if outcome.dry_run:
        seen[key] = (sha, row.timestamp)
    outcome.unmatched.update(coded.unmatched)
    incident = coded.incident
    what = (f"{incident.event_type}" + (f", {incident.location.name}" if incident.location else "")
            + (f", {incident.date.edtf}" if incident.date else "")
            + (f", {incident.victims[0].count_min} killed" if incident.victims else ""))
    if outcome.dry_run:
        outcome.created += 1
        outcome.incidents += 1
        say(f"would add {where}: a source and an incident ({what})")
        return
    result = store_row(row, coded, file_name=Path(outcome.path).name, db=ws.db, blobs=ws.blobs,
                       max_file_size=ws.settings.max_file_size, actor=actor, via=VIA,
                       extra_metadata={"received_reason": reason} if reason else None)
    tell_stored(result, where=where, what=what, outcome=outcome, say=say)


def tell_stored(result: IngestResult, *, where: str, what: str, outcome: AcledImport, say: Callable[..., None]) -> None:
    """Count a stored row (or a row that could not be stored) and say so in its one line."""
    if result.status in ("new", "partial"):  # partial: stored, with a problem after the commit (its line follows)
        outcome.created += 1
        outcome.incidents += result.incidents
        say(f"new       {where}: source {result.source_ids[0]} ({what})")
        if result.error:
            say(f"failed    {where}: {result.error}", problem=True)
    elif result.status == "duplicate":  # stored by another import in the meantime
        outcome.unchanged += 1
        say(f"unchanged {where} (source {result.source_ids[0]})")
    else:
        outcome.failed += 1
        say(f"failed    {where}: {result.error}", problem=True)


def _timestamp(metadata: dict[str, object] | None) -> int | None:
    value = (metadata or {}).get("acled_timestamp")
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None
