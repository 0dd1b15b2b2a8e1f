"""How the CLI prints: every line escaped, so no file name, title or message can forge or hide a line.

Names, titles, URLs and error messages come from outside (a file's name,
a report's title, a Telegram export, a web page). ``say`` prints one line
with every control character and bidi control written as a visible escape
(see domain.printable); ``say_json`` keeps JSON valid while escaping the
bidi controls ``json.dumps`` leaves raw; ``say_text`` is for a source's
body, whose line breaks are its own.
"""
from __future__ import annotations

import click

from .domain.printable import json_text, escaped_line, escaped_text


def say(text: object = "", *, err: bool = False) -> None:
    click.echo(escaped_line(text), err=err)


def say_fields(*fields: object) -> None:
    """One tab-separated line; a tab inside a field is escaped, so columns stay columns."""
    click.echo("\t".join(escaped_line(field) for field in fields))


def say_json(encoded: str) -> None:
    click.echo(json_text(encoded))


def say_text(text: object) -> None:
    click.echo(escaped_text(text))
