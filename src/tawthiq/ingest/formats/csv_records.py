"""CSV records taken one at a time from a byte stream, each record's own bytes kept.

Shared by the imports of other systems' tables (ACLED, HXL): a record ends at
a line end where the double quotes seen so far balance, so a cell may hold
line breaks, and each is at most ``MAX_RECORD_BYTES``. The bytes are kept so
that the original of an imported row is that row verbatim.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import IngestError

# A row is one event: its notes run to a few hundred words. A record this long is an unclosed quote
# swallowing the rest of the file, not a row.
MAX_RECORD_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Record:
    line: int  # the file's line the record starts on
    data: bytes


def records(handle: BinaryIO, *, kind: str) -> Iterator[Record]:
    """The records on ``handle`` in file order; IngestError (``<kind>.runaway``) for an unclosed quote."""
    line_no = 0
    buffer = bytearray()
    quotes = 0
    start = 1
    while True:
        line = handle.readline(MAX_RECORD_BYTES + 1 - len(buffer))
        if not line:
            break
        if not buffer:
            start = line_no + 1
        if line.endswith(b"\n"):
            line_no += 1
        buffer += line
        quotes += line.count(b'"')
        if quotes % 2 == 0 and line.endswith(b"\n"):
            yield Record(line=start, data=bytes(buffer))
            buffer.clear()
            quotes = 0
        elif len(buffer) > MAX_RECORD_BYTES:
            raise IngestError(f"the row starting on line {start} runs past {MAX_RECORD_BYTES:,} bytes "
                              "(an unclosed quote?); the rest of the file was not read", kind=f"{kind}.runaway")
    if buffer:
        if quotes % 2:
            raise IngestError(f"the row starting on line {start} has an unclosed quote at the end of the file",
                              kind=f"{kind}.runaway")
        yield Record(line=start, data=bytes(buffer))


def cells(data: bytes) -> list[str]:
    """The cells of one record; UnicodeDecodeError, csv.Error or ValueError when it is not one CSV row."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))
    if len(rows) != 1:
        raise ValueError(f"{len(rows)} records where one was expected")
    return rows[0]
