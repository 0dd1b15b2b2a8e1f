"""Reading ACLED's CSV export row by row, each row's bytes kept exactly as they were in the file.

Two layouts are read, told apart by their header (column names in any letter
case, in any order):

* the current one, 31 columns, with ``civilian_targeting`` and ``disorder_type``;
* the older one, with ``data_id``, ``event_id_no_cnty`` and ``iso3`` and no
  ``civilian_targeting``.

The file is never held whole: records are taken one at a time from the bytes
(a record ends at a line end where the double quotes seen so far balance, so a
``notes`` cell may hold line breaks), each at most ``MAX_RECORD_BYTES``. Each
record's own bytes are kept, so the original of an imported row is that row
verbatim, under the header line (a one-row ACLED file anyone can re-read).

A row that cannot be used is one :class:`RowProblem` (row number, line,
column, why); the rows after it are still read. Only a header that is not an
ACLED one, or a record with an unclosed quote running past the size limit,
stops the file.
"""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import BinaryIO

from ..errors import IngestError, one_line
from .csv_records import MAX_RECORD_BYTES as MAX_RECORD_BYTES  # the limit a row is read to
from .csv_records import Record, records
from .csv_records import cells as read_cells

CURRENT = "acled"  # the 31-column layout
OLDER = "acled-older"  # data_id, event_id_no_cnty, iso3; no civilian_targeting
CURRENT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
OLDER_MARKS = ("data_id", "event_id_no_cnty", "iso3")
# What coding a row needs; every other column is kept with the row but may be missing.
REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "timestamp",
)
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
TIME_PRECISIONS = (1, 2, 3)  # day, week, month
GEO_PRECISIONS = (1, 2, 3)  # town, near the town or its district, governorate
MAX_FATALITIES = 1_000_000


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row is not imported; ``column`` is "" when the row as a whole is wrong."""

    row: int  # 1 is the first row after the header
    line: int  # the file's line the row starts on
    column: str
    why: str

    def __str__(self) -> str:
        where = f"row {self.row} (line {self.line})" + (f", {self.column}" if self.column else "")
        return one_line(f"{where}: {self.why}", limit=300)


class RowError(Exception):
    """A cell that cannot be used; the row becomes a :class:`RowProblem`."""

    def __init__(self, column: str, why: str) -> None:
        super().__init__(f"{column}: {why}")
        self.column = column
        self.why = why


@dataclass(frozen=True, slots=True)
class AcledRow:
    """One row of an ACLED export, checked: the cells as written and the values coding needs."""

    row: int
    line: int
    layout: str
    cells: dict[str, str]  # every column, as written (names lower-cased)
    header: bytes  # the file's header record, byte for byte (a line end added when it had none)
    data: bytes  # this row's record, byte for byte (a line end added when the file's last row had none)
    event_id: str
    event_date: date
    time_precision: int
    geo_precision: int
    latitude: float | None
    longitude: float | None
    fatalities: int
    timestamp: int

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def civilian_targeting(self) -> bool:
        """ACLED says civilians were the target (only the current layout says it at all)."""
        return self.cell("civilian_targeting").strip().casefold() == "civilian targeting"

    @property
    def original(self) -> bytes:
        """What is kept as the row's original: the header and the row, a one-row ACLED file."""
        return self.header + self.data

    @property
    def record_text(self) -> str:
        """The row as written (without the header), for a source when the row has no notes."""
        return self.data.decode("utf-8").strip()

    @property
    def report_text(self) -> str:
        """The source's text: the notes, or the row as written when it has none (what spans point into)."""
        return self.cell("notes").strip() or self.record_text


def layout_of(columns: list[str]) -> str:
    """Which ACLED layout a header is; IngestError (one line) when it is none or lacks a needed column."""
    names = set(columns)
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise IngestError(f"not an ACLED export: the header lacks {', '.join(missing[:6])}"
                          + (f" and {len(missing) - 6} more" if len(missing) > 6 else ""), kind="acled.header")
    duplicated = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicated:
        raise IngestError(f"the header names {', '.join(duplicated)} twice", kind="acled.header")
    if "civilian_targeting" in names:
        return CURRENT
    if all(mark in names for mark in OLDER_MARKS):
        return OLDER
    raise IngestError("an ACLED header of neither known layout (no civilian_targeting, nor data_id, "
                      "event_id_no_cnty and iso3)", kind="acled.header")


def read_rows(handle: BinaryIO) -> Iterator[AcledRow | RowProblem]:
    """Each row of the export on ``handle``, checked, or the problem that keeps it out; in file order.

    Raises IngestError for a file that is not an ACLED export at all.
    """
    records_ = records(handle, kind="acled")
    header_record = next(records_, None)
    if header_record is None:
        raise IngestError("empty file", kind="ingest.empty")
    header_bytes = header_record.data.removeprefix(b"\xef\xbb\xbf")
    try:
        header = read_cells(header_bytes)
    except (UnicodeDecodeError, csv.Error, ValueError) as error:
        raise IngestError(f"the header cannot be read ({one_line(str(error), limit=100)})",
                          kind="acled.header") from None
    columns = [name.strip().casefold() for name in header]
    layout = layout_of(columns)
    if not header_bytes.endswith(b"\n"):
        header_bytes += b"\n"
    number = 0
    for record in records_:
        if not record.data.strip():
            continue  # a blank line is no row
        number += 1
        yield _row(record, number=number, columns=columns, layout=layout, header=header_bytes)


def _row(record: Record, *, number: int, columns: list[str], layout: str, header: bytes) -> AcledRow | RowProblem:
    def problem(column: str, why: str) -> RowProblem:
        return RowProblem(row=number, line=record.line, column=column, why=why)

    try:
        values = read_cells(record.data)
    except UnicodeDecodeError:
        return problem("", "not UTF-8 text")
    except (csv.Error, ValueError) as error:
        return problem("", f"not one CSV row ({one_line(str(error), limit=100)})")
    if len(values) != len(columns):
        return problem("", f"has {len(values)} cells where the header has {len(columns)} columns")
    cells = dict(zip(columns, values))
    data = record.data if record.data.endswith(b"\n") else record.data + b"\n"
    try:
        return AcledRow(
            row=number, line=record.line, layout=layout, cells=cells, header=header, data=data,
            event_id=_event_id(cells), event_date=_date(cells), time_precision=_code(cells, "time_precision",
                                                                                    TIME_PRECISIONS),
            geo_precision=_code(cells, "geo_precision", GEO_PRECISIONS),
            latitude=_coordinate(cells, "latitude", 90), longitude=_coordinate(cells, "longitude", 180),
            fatalities=_fatalities(cells), timestamp=_timestamp(cells))
    except RowError as error:
        return problem(error.column, error.why)


def _event_id(cells: dict[str, str]) -> str:
    value = cells["event_id_cnty"].strip()
    if not value:
        raise RowError("event_id_cnty", "empty: every ACLED event has an id")
    if len(value) > 64 or not all(ch.isalnum() or ch in "-_." for ch in value):
        raise RowError("event_id_cnty", f"{value[:40]!r} is not an ACLED event id")
    return value


def _date(cells: dict[str, str]) -> date:
    value = cells["event_date"].strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError("event_date", f"{value[:40]!r} is not a date (year-month-day)")


def _code(cells: dict[str, str], column: str, allowed: tuple[int, ...]) -> int:
    value = cells[column].strip()
    if value.isdigit() and int(value) in allowed:
        return int(value)
    raise RowError(column, f"{value[:20]!r} is not one of {', '.join(map(str, allowed))}")


def _coordinate(cells: dict[str, str], column: str, limit: float) -> float | None:
    value = cells[column].strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError(column, f"{value[:20]!r} is not a number") from None
    if not -limit <= number <= limit:  # also refuses nan
        raise RowError(column, f"{value[:20]} is outside -{limit:g}..{limit:g}")
    return number


def _fatalities(cells: dict[str, str]) -> int:
    value = cells["fatalities"].strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > MAX_FATALITIES:
        raise RowError("fatalities", f"{value[:20]!r} is not a count of people")
    return int(value)


def _timestamp(cells: dict[str, str]) -> int:
    value = cells["timestamp"].strip()
    if not value.isdigit():
        raise RowError("timestamp", f"{value[:20]!r} is not ACLED's upload time (seconds since 1970)")
    number = int(value)
    try:
        datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        raise RowError("timestamp", f"{value[:20]} is not a time") from None
    return number
