"""How the CLI prints: every line escaped, so no file name, title or message can forge or hide a line.

Names, titles, URLs and error messages come from outside (a file's name,
a report's title, a Telegram export, a web page). ``say`` prints one line
with every control character and bidi control written as a visible escape
(see domain.printable); ``say_json`` keeps JSON valid while escaping the
bidi controls ``json.dumps`` leaves raw; ``say_text`` is for a source's
body, whose line breaks are its own. ``emit`` prints a list of rows as a
table, JSON or CSV (``--format``).
"""
from __future__ import annotations

import json
import shutil
import sys
from typing import Any

import click

from ..domain.printable import escaped_line, escaped_text, json_text

LIST_FORMATS = click.Choice(["table", "json", "csv"])


def say(text: object = "", *, err: bool = False) -> None:
    click.echo(escaped_line(text), err=err)


def say_fields(*fields: object) -> None:
    """One tab-separated line; a tab inside a field is escaped, so columns stay columns."""
    click.echo("\t".join(escaped_line(field) for field in fields))


def say_json(encoded: str) -> None:
    click.echo(json_text(encoded))


def say_text(text: object) -> None:
    click.echo(escaped_text(text))


def emit(rows: list[dict[str, Any]], *, fmt: str, title: str) -> None:
    """Rows as ``fmt`` (one of :data:`LIST_FORMATS`); ``title`` names them in a table or when there are none."""
    if fmt == "json":
        say_json(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from ..domain.csv_cells import write_rows

        if rows:  # text cells that could start a spreadsheet formula get a leading "'"
            write_rows(sys.stdout, fieldnames=list(rows[0]), rows=rows)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        if not rows:
            say(f"no {title}")
            return
        table = Table(title=title, show_lines=False)
        for col in rows[0]:
            table.add_column(col, overflow="fold")
        for row in rows:
            # Text, not str: rich would read "[...]" in a title as markup
            table.add_row(*(Text("" if v is None else escaped_line(v)) for v in row.values()))
        Console(width=max(120, shutil.get_terminal_size((160, 24)).columns)).print(table)
