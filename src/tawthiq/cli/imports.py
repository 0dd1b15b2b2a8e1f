"""CLI command group ``tawthiq import``: other systems' data exports, with their own coding (ACLED, HXL)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import cli_actor, workspace
from .output import say


def register(cli: click.Group) -> None:
    @cli.group(name="import")
    def import_group() -> None:
        """Import another system's coded events (their coding kept, not re-extracted)."""

    @import_group.command(name="acled")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Read and code every row and say what would be added; store nothing.")
    @click.option("--mapping", "table", type=click.Path(path_type=Path), default=None, metavar="TOML",
                  help="A mapping table of ACLED names to Tawthiq codes to use instead of the shipped one.")
    @click.option("--reason", default="", help="Why this export is imported; kept in each row's custody entry.")
    @click.option("--quiet", is_flag=True, help="Print only problems and the summary.")
    def acled(path: Path, dry_run: bool, table: Path | None, reason: str, quiet: bool) -> None:
        """Import an ACLED CSV export: each row a source and an incident coded from ACLED's columns.

        Importing the same export again changes nothing; a row ACLED revised since is reported and
        skipped. One line per bad row (row, column, why); exits 1 when any row could not be imported.
        """
        from ..services.acled_import import import_acled

        def line(text: str, problem: bool) -> None:
            if problem:
                say(text, err=True)
            elif not quiet:
                say(text)

        outcome = import_acled(workspace(), path, actor=cli_actor(), reason=reason.strip(), dry_run=dry_run,
                               table=table, on_line=line)
        say(("dry run, nothing stored: " if dry_run else "") + outcome.summary())
        sys.exit(0 if outcome.ok else 1)

    @import_group.command(name="hxl")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Read and code every row and say what would be added; store nothing.")
    @click.option("--mapping", "table", type=click.Path(path_type=Path), default=None, metavar="TOML",
                  help="An ACLED-style mapping table of names to Tawthiq codes to use instead of the shipped one.")
    @click.option("--reason", default="", help="Why this table is imported; kept in each row's custody entry.")
    @click.option("--quiet", is_flag=True, help="Print only problems and the summary.")
    def hxl(path: Path, dry_run: bool, table: Path | None, reason: str, quiet: bool) -> None:
        """Import an HXL-tagged incident table: each row a source and an incident coded from its hashtags.

        Rows are known by #event+id (or #meta+id): importing the same table again changes nothing.
        One line per bad row (row, hashtag, why); exits 1 when any row could not be imported.
        """
        from ..services.hxl_import import import_hxl

        def line(text: str, problem: bool) -> None:
            if problem:
                say(text, err=True)
            elif not quiet:
                say(text)

        outcome = import_hxl(workspace(), path, actor=cli_actor(), reason=reason.strip(), dry_run=dry_run,
                             table=table, on_line=line)
        say(("dry run, nothing stored: " if dry_run else "") + outcome.summary())
        sys.exit(0 if outcome.ok else 1)
