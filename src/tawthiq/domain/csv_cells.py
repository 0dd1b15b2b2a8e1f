"""CSV cells that a spreadsheet opens as text, never as a formula (CSV injection).

A report's text is written by whoever wrote the report: a description that
starts with ``=HYPERLINK(...)`` would become a live formula in Excel or
LibreOffice when a documenter opens the export. Following OWASP's advice, a
text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with a single quote (``'``), which spreadsheets show as
text and hide. Numbers (ints and floats, e.g. a longitude of -3.5) are not
text and are written as they are; a text cell such as ``"-3"`` is prefixed.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV cell: text that a spreadsheet would evaluate gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_written(value: str) -> str:
    """A cell read back from a CSV Tawthiq (or any tool following the same advice) made safe: the ``'``
    added before a formula start taken off again, so an exported and re-imported text is the same text."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


def write_rows(out: TextIO, *, fieldnames: list[str] | tuple[str, ...], rows: Iterable[Mapping[str, Any]],
               second_row: Mapping[str, str] | None = None) -> int:
    """Header and rows, every text cell made safe; the number of rows written.

    Every CSV Tawthiq writes goes through here, so none can carry a formula.
    ``second_row`` is written under the header, made safe too (HXL's hashtag row).
    """
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), extrasaction="ignore")
    writer.writeheader()
    if second_row is not None:
        writer.writerow(safe_row(second_row))
    n = 0
    for row in rows:
        writer.writerow(safe_row(row))
        n += 1
    return n
