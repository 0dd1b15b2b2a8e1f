"""CLI command ``extract``: incidents from report text, without storing anything (the extraction contract)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .context import parse_date
from .output import say, say_json


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--jsonl", is_flag=True, help="Batch mode: JSON Lines reports on stdin, one result per line on stdout.")
    @click.option("--language", type=click.Choice(["en", "ar"]), default=None, help="Language of FILES (default: detect).")
    @click.option("--published", default=None, help="Publication date of FILES (YYYY-MM-DD), for relative dates.")
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
    def extract(jsonl: bool, language: str | None, published: str | None, files: tuple[Path, ...]) -> None:
        """Extract incidents from report text, without storing anything.

        With --jsonl, follows the extraction contract (one JSON object per input
        line). Otherwise reads plain-text FILES (or stdin) and prints one JSON
        object per file.
        """
        from ..services.extraction import extract_report, run_contract

        if jsonl:
            failures = run_contract(sys.stdin, sys.stdout)
            sys.exit(1 if failures else 0)
        pub = parse_date(published, "--published")
        inputs = [(str(f), f) for f in files] or [("-", None)]
        failed = 0
        for name, path in inputs:
            try:
                text = sys.stdin.read() if path is None else path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                say(f"error: {name}: cannot read as UTF-8 text ({type(exc).__name__})", err=True)
                failed += 1
                continue
            incidents = extract_report(text, language=language, published=pub)
            say_json(json.dumps({"id": name, "incidents": incidents}, ensure_ascii=False))
        sys.exit(1 if failed else 0)
