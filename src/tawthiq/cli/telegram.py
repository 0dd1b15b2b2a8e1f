"""CLI command ``tawthiq telegram``: import a Telegram Desktop export (folder, result.json or ZIP)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import cli_actor, workspace
from .output import say


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--reason", default="", help="Why this export is imported (kept with its sources).")
    def telegram(path: Path, reason: str) -> None:
        """Import a Telegram Desktop export ("Export chat history", JSON format).

        PATH is the export folder, its result.json, or a .zip of the folder.
        Each message becomes a source; its photos and files are stored as
        evidence and linked to it. One line per missing or refused file, then
        a summary; exits 1 when any file could not be imported.
        """
        from ..services.ingest import import_telegram

        outcome = import_telegram(workspace(), path, actor=cli_actor(), reason=reason.strip(),
                                  on_line=lambda line: say(line, err=True))
        if outcome.messages or outcome.ok:  # an export that could not be opened or read has its one line already
            say(outcome.summary())
        sys.exit(0 if outcome.ok else 1)
