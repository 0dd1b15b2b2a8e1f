"""CLI commands ``persons``: victim lists imported, listed, shown and exported.

The CLI acts as the machine's operator (no sign-in): it sees the names that
in the web app only admins and reviewers see. An import's summary names no
one, so it can be pasted into a ticket; ``list``, ``show`` and ``export``
print names.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..domain.ids import MAX_ID
from .context import cli_actor, this_machine, workspace
from .output import say, say_fields, say_json


def register(cli: click.Group) -> None:
    @cli.group()
    def persons() -> None:
        """Victim lists: import a list, list, show and export its person records (names are confidential)."""

    @persons.command("import")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--list", "list_name", required=True, help="The list's name (e.g. vdc); re-importing updates it.")
    @click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
                  help="Read a person field from this column, e.g. --map given_name=الاسم (repeatable).")
    @click.option("--id-column", default=None, metavar="COLUMN",
                  help="The column holding each record's id in the list (default: a column named id/record_id, "
                       "else the row number).")
    @click.option("--reason", default="", help="Why the list is taken in; kept in its custody entry.")
    def import_(file: Path, list_name: str, mapping: tuple[str, ...], id_column: str | None, reason: str) -> None:
        """Import a victim list (CSV in UTF-8 or Windows-1256, JSON, JSON Lines) as LIST."""
        from ..services.persons import import_list

        s = import_list(workspace(), path=file, list_name=list_name, mapping=mapping, id_column=id_column,
                        actor=cli_actor(), reason=reason.strip())
        kept = "kept as new source" if s.source_new else "already stored as source"
        say(f"{s.file}: {kept} {s.source_id} ({s.format.upper()}, {s.encoding})")
        say("fields: " + ", ".join(f"{f} <- {c!r}" for f, c in s.field_columns.items()))
        row_number = "the row number (row-N); give --id-column if the list has ids"
        say(f"record id: {repr(s.id_column) if s.id_column else row_number}")
        if s.extra_columns:
            say("kept as extra attributes: " + ", ".join(repr(c) for c in s.extra_columns))
        for note in s.notes:
            say(f"note: {note}", err=True)
        for line in s.reasons:
            say(f"skipped {line}", err=True)
        if s.skipped > len(s.reasons):
            say(f"skipped … and {s.skipped - len(s.reasons)} more row(s)", err=True)
        say(f"list {s.list_name}: {s.added} added, {s.updated} updated, {s.unchanged} unchanged, {s.skipped} "
            f"skipped; {s.total} record(s) in the list"
            + (f", {s.missing} of them not in this file (kept as they were)" if s.missing else ""))

    @persons.command("export")
    @click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True)
    @click.option("--list", "lists", multiple=True, help="Only this list (repeatable).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="File to write (default stdout).")
    def export(fmt: str, lists: tuple[str, ...], output: Path | None) -> None:
        """Export person records: list, record_id, cluster_id, the person fields, extra (names included)."""
        from ..services.persons import export_persons

        count = export_persons(workspace(), out=sys.stdout if output is None else output, fmt=fmt, lists=lists,
                               actor=cli_actor(), machine=this_machine())
        if output is not None:
            say(f"wrote {count} person record(s) to {output}", err=True)

    @persons.command("list")
    @click.option("--list", "lists", multiple=True, help="Only this list (repeatable).")
    @click.option("--cluster", "cluster_id", type=click.IntRange(1, MAX_ID), default=None,
                  help="Only the records of this person cluster.")
    @click.option("--limit", type=click.IntRange(0, 1_000_000), default=100, show_default=True)
    @click.option("--offset", type=click.IntRange(0, None), default=0, show_default=True)
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def list_(lists: tuple[str, ...], cluster_id: int | None, limit: int, offset: int, fmt: str) -> None:
        """List person records (id, list, record id, cluster, name, date, place), then the lists' sizes."""
        from ..services.persons import cluster_of, export_row, list_counts, list_persons

        ws = workspace()
        found = list_persons(ws, lists=lists, cluster_id=cluster_id, limit=limit, offset=offset)
        if fmt == "json":
            say_json(json.dumps([{"id": r.id, **export_row(r)} for r in found], ensure_ascii=False, indent=2))
            return
        for r in found:
            say_fields(r.id, r.list_name, r.record_id, cluster_of(r), _name(r), r.get("date"),
                       r.get("place") or r.get("governorate"))
        counts = list_counts(ws)
        say(f"{len(found)} shown; lists: " + (", ".join(f"{name} ({n})" for name, n in counts.items()) or "none"),
            err=True)

    @persons.command("show")
    @click.argument("record", type=click.IntRange(1, MAX_ID))
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def show(record: int, fmt: str) -> None:
        """One person record and the records of its cluster side by side, with their sources."""
        from ..services.persons import cluster_of, export_row, show_person

        detail = show_person(workspace(), record_id=record)
        if fmt == "json":
            say_json(json.dumps({"record": {"id": detail.record.id, **export_row(detail.record),
                                            "incident_id": detail.record.incident_id,
                                            "span": [detail.record.span_start, detail.record.span_end]
                                            if detail.record.span_start is not None else None},
                                 "cluster": [{"id": r.id, "source_id": r.source_id, **export_row(r)}
                                             for r in detail.cluster],
                                 "sources": {str(k): v for k, v in detail.sources.items()}},
                                ensure_ascii=False, indent=2))
            return
        say(f"person record {detail.record.id}: cluster {cluster_of(detail.record)}, "
            f"{len(detail.cluster)} record(s)")
        for r in detail.cluster:
            source = f"source {r.source_id} ({detail.sources.get(r.source_id, '')})" if r.source_id else "no source"
            say(f"- {r.id}  {r.list_name} / {r.record_id}  {source}")
            if r.incident_id is not None:  # a person named in a report: where, and in which incident
                say_fields("", "incident", f"{r.incident_id} (characters {r.span_start}-{r.span_end} of the source's text)")
            for name, value in _values(r):
                say_fields("", name, value)


def _name(r: Any) -> str:
    from ..services.persons import display_name

    return display_name(r.fields)


def _values(r: Any) -> list[tuple[str, str]]:
    from ..domain.persons import PERSON_FIELDS

    return [(f, r.fields[f]) for f in PERSON_FIELDS if r.fields.get(f)] + \
        [(f"extra: {k}", v) for k, v in r.extra.items()]
