"""The ``tawthiq`` command line. Thin: every command calls a service function."""
from __future__ import annotations

import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Tawthiq: document human-rights violations from reports, in Arabic and English."""


@cli.command()
@click.option("--jsonl", is_flag=True, help="Batch mode: JSON Lines reports on stdin, one result per line on stdout.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def extract(jsonl: bool, files: tuple[str, ...]) -> None:
    """Extract incidents from report text (see ../shared/eval/CONTRACT.md)."""
    from .extract.contract import run_jsonl

    if jsonl:
        failures = run_jsonl(sys.stdin, sys.stdout)
        sys.exit(1 if failures else 0)
    raise click.UsageError("give --jsonl (other modes are not written yet)")


def main() -> None:
    cli()
