"""Reading any HXL-tagged table (hxlstandard.org) row by row, each row's bytes kept as they were in the file.

HXL is CSV with a row of hashtags (``#event+id``, ``#adm1+name``,
``#affected+killed`` …) somewhere among its first rows, under zero or more
rows of headers. The hashtag row is found as libhxl finds it
(:meth:`hxl.model.Column.parse_list` over the first 25 rows: at least half of
a row's cells are hashtags), and the values are looked up by libhxl's tag
patterns, so ``#affected+killed`` finds ``#affected+killed+min`` too and the
column order and the other attributes do not matter.

The file is never held whole: records are taken one at a time from the bytes
(:mod:`.csv_records`, as the ACLED import does), so the original of an
imported row is that row verbatim under the file's rows down to the hashtag
row: a one-row HXL table anyone can re-read.

A row is known by its ``#event+id`` (or, without one, ``#meta+id``): a table
with neither is refused, since importing it again could not be told from new
rows. A row that cannot be used is one :class:`~.acled.RowProblem` (row, line,
column, why) and the rows after it are still read.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

from ...domain.csv_cells import as_written
from ..errors import IngestError, one_line
from .acled import RowProblem
from .csv_records import cells as read_cells
from .csv_records import records

HASHTAG_ROWS = 25  # how far down libhxl's own reader looks for the hashtag row
ID_PATTERNS = ("#event+id", "#meta+id")
MAX_ID_CHARS = 128


@dataclass(frozen=True, slots=True)
class HxlRow:
    """One row of an HXL table: its cells under the table's hashtag columns, and its bytes."""

    row: int  # 1 is the first row after the hashtag row
    line: int
    columns: tuple[Any, ...]  # hxl.model.Column, one per cell of the hashtag row
    values: tuple[str, ...]  # as written, one per column ("" past the row's end)
    header: bytes  # the file's rows down to the hashtag row, byte for byte
    data: bytes  # this row's record, byte for byte (a line end added when the file's last row had none)
    event_id: str
    id_tag: str  # the hashtag that gave event_id

    def get(self, pattern: str) -> str:
        """The first cell whose column matches the libhxl tag ``pattern`` (stripped, a formula guard taken off)."""
        index = _pattern(pattern).find_column_index(self.columns)
        return "" if index is None else as_written(self.values[index].strip())

    def column_of(self, pattern: str) -> str:
        """The hashtag (with attributes) of the column ``pattern`` finds; "" when there is none."""
        index = _pattern(pattern).find_column_index(self.columns)
        return "" if index is None else str(self.columns[index].display_tag)

    def tagged(self) -> dict[str, str]:
        """Every non-empty tagged cell, by its hashtag as written (the first of two columns with one tag)."""
        out: dict[str, str] = {}
        for column, value in zip(self.columns, self.values):
            if column.tag and value.strip():
                out.setdefault(str(column.display_tag), value.strip())
        return out

    @property
    def original(self) -> bytes:
        return self.header + self.data

    @property
    def record_text(self) -> str:
        return self.data.decode("utf-8").strip()


class NotHxl(IngestError):
    pass


@lru_cache(maxsize=256)
def _pattern(text: str) -> Any:
    import hxl.model

    return hxl.model.TagPattern.parse(text)


def read_rows(handle: BinaryIO) -> Iterator[HxlRow | RowProblem]:
    """Each row under the hashtag row, checked, or the problem that keeps it out; in file order.

    Raises IngestError for a file with no hashtag row or no id column.
    """
    import hxl.model

    found = records(handle, kind="hxl")
    header = bytearray()
    previous: list[str] | None = None
    columns: tuple[Any, ...] | None = None
    for _ in range(HASHTAG_ROWS):
        record = next(found, None)
        if record is None:
            break
        data = record.data.removeprefix(b"\xef\xbb\xbf") if not header else record.data
        header += data if data.endswith(b"\n") else data + b"\n"
        try:
            raw = read_cells(data)
        except (UnicodeDecodeError, csv.Error, ValueError) as error:
            raise IngestError(f"line {record.line} above the hashtag row cannot be read "
                              f"({one_line(str(error), limit=100)})", kind="hxl.header") from None
        parsed = hxl.model.Column.parse_list(raw, previous)
        if parsed is not None:
            columns = tuple(parsed)
            break
        previous = raw
    if columns is None:
        raise NotHxl(f"no HXL hashtag row (#event+id, #adm1+name …) in the first {HASHTAG_ROWS} rows",
                     kind="hxl.no_hashtags")
    id_column = next((i for i in (_pattern(p).find_column_index(columns) for p in ID_PATTERNS) if i is not None),
                     None)
    if id_column is None:
        raise NotHxl("the table has no #event+id or #meta+id column: without the other system's id a second "
                     "import could not be told from new rows", kind="hxl.no_id")
    number = 0
    for record in found:
        if not record.data.strip():
            continue
        number += 1
        yield _row(record.data, line=record.line, number=number, columns=columns, header=bytes(header),
                   id_column=id_column)


def _row(data: bytes, *, line: int, number: int, columns: tuple[Any, ...], header: bytes,
         id_column: int) -> HxlRow | RowProblem:
    def problem(column: str, why: str) -> RowProblem:
        return RowProblem(row=number, line=line, column=column, why=why)

    try:
        values = read_cells(data)
    except UnicodeDecodeError:
        return problem("", "not UTF-8 text")
    except (csv.Error, ValueError) as error:
        return problem("", f"not one CSV row ({one_line(str(error), limit=100)})")
    if not any(v.strip() for v in values):
        return problem("", "every cell is empty")  # commas only: no row
    if len(values) > len(columns) and any(v.strip() for v in values[len(columns):]):
        return problem("", f"has {len(values)} cells where the hashtag row has {len(columns)} columns")
    values = (values + [""] * len(columns))[:len(columns)]
    id_tag = str(columns[id_column].display_tag)
    event_id = as_written(values[id_column].strip())
    if not event_id:
        return problem(id_tag, "empty: each row needs the other system's id, so a second import changes nothing")
    if len(event_id) > MAX_ID_CHARS or not event_id.isprintable():
        return problem(id_tag, f"{event_id[:40]!r} is not an id (at most {MAX_ID_CHARS} printable characters)")
    return HxlRow(row=number, line=line, columns=columns, values=tuple(values), header=header,
                  data=data if data.endswith(b"\n") else data + b"\n", event_id=event_id, id_tag=id_tag)
