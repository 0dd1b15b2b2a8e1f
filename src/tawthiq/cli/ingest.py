"""CLI command ``ingest``: report files or folders into the store, with suggested incidents."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..domain.printable import escaped_line
from .context import cli_actor, workspace
from .output import say


def _parse_mapping(pairs: tuple[str, ...]) -> Any:
    if not pairs:
        return None
    from ..services.ingest import column_mapping

    return column_mapping(pairs)  # a bad pair is an IngestError: one line (see context.CommandLine)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
                  help="Column mapping for CSV/JSON batches, e.g. --map text=body --map published=date.")
    @click.option("--quiet", is_flag=True, help="Print only failures and the summary.")
    @click.option("--reason", default="", help="Why these files are taken in; kept in each one's custody entry.")
    @click.option("--no-link", is_flag=True,
                  help="Do not link the new incidents with the record after the batch (`tawthiq link incidents` "
                       "does it later).")
    def ingest(paths: tuple[Path, ...], mapping: tuple[str, ...], quiet: bool, reason: str, no_link: bool) -> None:
        """Ingest report files or folders (recursively), extracting suggested incidents."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from ..services.ingest import ingest_files as run_ingest
        from ..services.ingest import input_files

        ws = workspace()
        column_mapping = _parse_mapping(mapping)
        missing = [p for p in paths if not p.exists() and not p.is_symlink()]
        for p in missing:
            say(f"failed  {p}: no such file or folder", err=True)
        files = input_files(p for p in paths if p not in missing)
        counts = {"new": 0, "duplicate": 0, "failed": len(missing), "partial": 0}
        incidents = 0
        show_bar = len(files) > 20 and sys.stderr.isatty()
        progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            disable=not show_bar, transient=True)

        with progress:
            task = progress.add_task("ingest", total=len(files))

            def report(result: Any) -> None:
                nonlocal incidents
                counts[result.status] = counts.get(result.status, 0) + 1
                incidents += result.incidents
                progress.advance(task)
                if result.error:
                    failure = f"{result.status:<8}{result.path}: {result.error}"
                    progress.console.print(escaped_line(failure), markup=False, highlight=False, style=None,
                                           stderr=True) if show_bar else say(failure, err=True)
                for note in getattr(result, "notes", []):
                    say(f"note    {result.path}: {note}", err=True)
                if not result.error and not quiet:
                    line = f"{result.status:<8}{result.path}"
                    if result.status == "new":
                        line += f"  ({len(result.source_ids)} source(s), {result.incidents} suggested incident(s))"
                    progress.console.print(escaped_line(line), markup=False, highlight=False) if show_bar else say(line)

            run_ingest(ws, files, mapping=column_mapping, on_result=report, actor=cli_actor(), reason=reason.strip(),
                       link=not no_link, on_note=lambda line: say(f"note    {line}"))
        say(
            f"{counts['new']} new, {counts['duplicate']} already stored, "
            f"{counts['failed'] + counts.get('partial', 0)} failed; {incidents} suggested incident(s)"
        )
        if counts["failed"] or counts.get("partial"):
            sys.exit(1)
