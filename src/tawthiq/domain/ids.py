"""Record ids: the range the databases can hold, and reading one from text.

SQLite's and PostgreSQL's integer keys are signed 64-bit. An id outside
1..2**63-1 names no record; passed to the database it is an error (SQLite's
driver raises OverflowError), so every edge checks the range first and
answers "not found" or "bad request", never a server error.
"""
from __future__ import annotations

MAX_ID = 2**63 - 1


def is_id(value: int) -> bool:
    return 1 <= value <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """The id ``raw`` spells (ASCII digits only), or None when it is not one a record could have."""
    if raw is None:
        return None
    text = raw.strip()
    # ASCII digits only: str.isdigit() also accepts "²" and Arabic-Indic digits int() may refuse.
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if is_id(value) else None
