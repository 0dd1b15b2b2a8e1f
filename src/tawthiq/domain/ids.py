"""Record ids: the range the databases can hold, and reading one from text.

SQLite's and PostgreSQL's integer keys are signed 64-bit. An id outside
1..2**63-1 names no record; passed to the database it is an error (SQLite's
driver raises OverflowError), so every edge checks the range first and
answers "not found" or "bad request", never a server error.
"""
from __future__ import annotations

from .typed_numbers import MAX_TYPED_NUMBER, ascii_number

MAX_ID = 2**63 - 1


def is_id(value: int) -> bool:
    return 1 <= value <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """The id ``raw`` spells (typed in Western, Arabic-Indic or Persian digits: "١٢" is 12), or None when it
    is not one a record could have."""
    if raw is None or len(raw) > MAX_TYPED_NUMBER:
        return None
    text = ascii_number(raw)
    # ASCII digits only from here: str.isdigit() also accepts "²", which int() refuses.
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if is_id(value) else None
