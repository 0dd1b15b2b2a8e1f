"""CLI commands for the evidence store: ``verify``."""
from __future__ import annotations

import sys
from typing import Any

import click


def _cli() -> Any:
    from . import cli

    return cli


def register(cli: click.Group) -> None:
    @cli.command()
    def verify() -> None:
        """Re-hash every stored original and check every link of the custody ledger.

        One line per problem on stdout, then a summary; exits 1 when anything is wrong.
        """
        from .evidence.verify import verify as run_verify

        ws = _cli()._workspace()
        report = run_verify(ws.db, data_dir=ws.settings.data_dir)
        for problem in report.problems:
            click.echo(problem)
        click.echo(report.summary())
        sys.exit(0 if report.ok else 1)
