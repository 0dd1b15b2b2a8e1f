"""Content seals: the SHA-256 of a record row as it was written, and the chain the seals form.

A seal says "row K of table T held exactly this when the application wrote it". Verify
recomputes the digest of every current row and compares it with the row's latest seal, so an
edit made behind the application's back (sqlite3, psql) is found and named.

The digest covers one *row group*: the rows of a table that share the group key. For most
tables the key is the row's ``id`` (one row); for the two tables whose rows have no id of their
own (an incident's violations and evidence spans, keyed by incident and position) it is the
incident id, and the group is all of that incident's rows, ordered by position. So each table is
sealed on its own, and an incident's parts are found by (table, incident id).

The canonical form is fixed here, independent of the engine: column names sorted, datetimes as
ISO UTC with microseconds, dates as ISO, bytes as hex, JSON values with sorted keys, floats by
Python's shortest repr. Both engines read back the same values, so the same row hashes alike.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64
# The digest recorded when the application deleted a row group: verify then expects it gone.
DELETED = "deleted"


_AS_IS = frozenset({str, int, bool, type(None)})


def _canonical(value: Any) -> Any:
    if type(value) in _AS_IS:  # most columns: checked first, since every written row is hashed at commit
        return value
    if isinstance(value, datetime):
        at = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN never equals itself; keep it stable
        return "NaN"
    return value


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True)


def row_digest(rows: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of a row group's canonical JSON (the rows in the order given, each with sorted columns)."""
    document = [{name: _canonical(row[name]) for name in sorted(row)} for row in rows]
    return hashlib.sha256(_dumps(document).encode("utf-8")).hexdigest()


def seal_hash(*, id: int, table_name: str, row_key: str, sha256: str, sealed_at: datetime, prev_hash: str) -> str:
    """SHA-256 of one seal entry's fields, chained to the entry before it by ``prev_hash``."""
    body = {"id": id, "table_name": table_name, "row_key": row_key, "sha256": sha256,
            "sealed_at": _canonical(sealed_at), "prev_hash": prev_hash}
    return hashlib.sha256(_dumps(body).encode("utf-8")).hexdigest()
