"""``tawthiq import hxl``: any HXL-tagged incident table as sources with the table's own coding as incidents.

The ACLED import's structure (:mod:`.acled_import`), for any table HXL tags
(hxlstandard.org): each row becomes a source (its description as the text,
the row itself under the table's header rows as the original, with custody
entries) and one suggested incident coded from its hashtag columns
(:mod:`tawthiq.ingest.formats.hxl_coding`). Read as a stream, a row at a
time, each row stored in its own transaction.

A row is known by its ``#event+id`` (else ``#meta+id``), kept as the record
key ``hxl:<id>``: importing the file again changes nothing ("unchanged"). A
row with a stored id but other bytes (the table was revised since, or another
table uses the same id) is reported as "changed" and skipped; the stored row
and its incident stay, for a person to compare. A row that cannot be used is
one line (row, hashtag, why) and the import goes on. ``dry_run`` reads and
codes every row and says what would be stored, writing nothing.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import IngestError, ProblemLine
from . import Workspace
from .acled_import import MAX_EXPORT_BYTES, AcledImport, tell_stored

if TYPE_CHECKING:
    from ..extract.gazetteer import Gazetteer
    from ..ingest.formats.acled_coding import MappingTable
    from ..ingest.formats.hxl_table import HxlRow

VIA = "tawthiq import hxl"


@dataclass(slots=True)
class HxlImport(AcledImport):
    """What one import did (or, with ``dry_run``, would do); the ACLED import's counts, and event types no
    table knows (kept as written under "other")."""

    unknown_types: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        line = AcledImport.summary(self).replace("changed since imported", "changed since imported or id reused")
        if self.unknown_types:
            top = ", ".join(f"{name} ({n})" for name, n in self.unknown_types.most_common(5))
            line += (f"; {sum(self.unknown_types.values())} event type(s) not known, kept as written under "
                     f"'other': {top}" + (" …" if len(self.unknown_types) > 5 else ""))
        return line


def import_hxl(ws: Workspace, path: Path, *, actor: str, reason: str = "", dry_run: bool = False,
               table: Path | None = None, on_line: Callable[[str, bool], None] | None = None) -> HxlImport:
    """Import the HXL table at ``path`` (see the module); never raises for bad input.

    ``table`` is an ACLED mapping table to name actors and event types by instead of the shipped one.
    """
    from ..extract.gazetteer import Gazetteer
    from ..ingest.files import open_input_file
    from ..ingest.formats.acled import RowProblem
    from ..ingest.formats.acled_coding import MappingTable
    from ..ingest.formats.hxl_table import read_rows

    outcome = HxlImport(path=Path(path), dry_run=dry_run, layout="hxl")

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
    seen: dict[str, str] = {}  # a dry run's own rows: record key -> original's hash
    try:
        with handle:
            for item in read_rows(handle):
                outcome.rows += 1
                if isinstance(item, RowProblem):
                    outcome.bad += 1
                    say(f"bad       {item}", problem=True)
                    continue
                _one_row(ws, item, outcome=outcome, mapping=mapping, gazetteer=gazetteer, seen=seen, actor=actor,
                         reason=reason, say=say)
    except IngestError as error:  # no hashtag row, no id column, a runaway quote: rows before it stay imported
        say(ProblemLine(f"{path}: {error}", kind=getattr(error, "kind", ""), reason=str(error)), problem=True)
    return outcome


def _one_row(ws: Workspace, row: HxlRow, *, outcome: HxlImport, mapping: MappingTable, gazetteer: Gazetteer,
             seen: dict[str, str], actor: str, reason: str, say: Callable[..., None]) -> None:
    """Code one row and store it, unless this run or an earlier one already has its id."""
    from ..ingest.formats.acled import RowError, RowProblem
    from ..ingest.formats.hxl_coding import code_row, record_key, store_row
    from ..store.sources import sources_keyed
    from ..store.vault.blobs import sha256_bytes

    where = f"row {row.row} {row.event_id}"
    try:
        coded, words = code_row(row, table=mapping, gazetteer=gazetteer)
    except RowError as error:
        outcome.bad += 1
        say(f"bad       {RowProblem(row=row.row, line=row.line, column=error.column, why=error.why)}", problem=True)
        return
    sha = sha256_bytes(row.original)
    key = record_key(row)
    before = seen.get(key)
    stored = sources_keyed(ws.db, record_key=key) if before is None else []
    if before is not None or stored:
        if before == sha or any(s.sha256 == sha for s in stored):
            outcome.unchanged += 1
            say(f"unchanged {where}" + (f" (source {stored[0].id})" if stored else " (twice in this file)"))
        else:
            outcome.changed += 1
            say(f"changed   {where}: a row with this id was imported with other values; skipped, the stored row "
                f"and its incident are kept" + (f" (source {stored[-1].id})" if stored else ""))
        return
    if outcome.dry_run:
        seen[key] = sha
    outcome.unmatched.update(coded.unmatched)
    if words.event_type:
        outcome.unknown_types[words.event_type] += 1
    incident = coded.incident
    what = (f"{incident.event_type}" + (f", {incident.location.name}" if incident.location else "")
            + (f", {incident.date.edtf}" if incident.date else ""))
    if outcome.dry_run:
        outcome.created += 1
        outcome.incidents += 1
        say(f"would add {where}: a source and an incident ({what})")
        return
    result = store_row(row, coded, words, file_name=Path(outcome.path).name, db=ws.db, blobs=ws.blobs,
                       max_file_size=ws.settings.max_file_size, actor=actor, via=VIA,
                       extra_metadata={"received_reason": reason} if reason else None)
    tell_stored(result, where=where, what=what, outcome=outcome, say=say)
