"""Sealing every write to the record at commit, and reading the seals back for ``tawthiq verify``.

How the written rows are found: every session the application opens carries two event hooks
(:func:`install`). ``do_orm_execute`` sees each INSERT, UPDATE and DELETE on a sealed table
before it runs: for an UPDATE or DELETE it reads the group keys its WHERE clause selects; for an
INSERT it takes the keys the parameters name and, for a table keyed by an autoincrement ``id``,
notes the highest id before the transaction's first insert (every row above it at commit is
new or another committed writer's, and sealing those again is harmless). ``before_commit`` then
reads each touched group's current content, hashes it (:func:`domain.seals.row_digest`) and
appends one chained seal per group, under a lock so two writers never fork the chain.

So a row can only change without a matching seal if someone writes to the database outside the
application, which is what verify reports. A later migration that rewrites sealed rows must
call :func:`seal_all` (or seal what it changed), or verify will name those rows.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, event, func, inspect, or_, select
from sqlalchemy.engine import Connection, Result
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from ..domain.seals import DELETED, GENESIS, row_digest, seal_hash
from . import dialect
from .tables import (
    audit_log,
    claims,
    derivatives,
    evidence_spans,
    incident_media,
    incident_tags,
    incident_violations,
    incidents,
    involvements,
    judgements,
    person_records,
    persons,
    record_seals,
    recorded_actors,
    review_assignments,
    source_tags,
    sources,
    tags,
    team_settings,
    users,
    victim_groups,
)

_CHUNK = 500
_PENDING = "tawthiq_seal_pending"  # session.info: table name -> set of group keys
_MARKS = "tawthiq_seal_marks"  # session.info: table name -> highest id before the first insert
_SUSPENDED = "tawthiq_seal_suspended"  # session.info: set by suspend()


@dataclass(frozen=True, slots=True)
class SealedTable:
    """A record table and how its rows group: ``key`` names the group, ``order`` sorts a group's rows."""

    table: Table
    key: str
    order: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def by_id(self) -> bool:
        return self.key == "id"


def _spec(table: Table) -> SealedTable:
    if "id" in table.c:
        return SealedTable(table=table, key="id", order=("id",))
    pk = tuple(col.name for col in table.primary_key.columns)
    return SealedTable(table=table, key=pk[0], order=pk)


# The record: what was said (sources), what was made of it (incidents and their parts, claims, persons,
# person records, attachments, tags) and who decided what (audit log, judgements, users, settings,
# vocabulary), plus the working copies' rows (derivatives: their tool and parameters). Sessions,
# sign-in attempts, saved searches and the search index are not evidence and change constantly.
SEALED: dict[str, SealedTable] = {spec.name: spec for spec in map(_spec, (
    sources, incidents, incident_violations, evidence_spans, involvements, victim_groups, persons, claims,
    audit_log, users, judgements, team_settings, derivatives, person_records, recorded_actors, incident_media,
    tags, incident_tags, source_tags, review_assignments,
))}


def install(maker: sessionmaker[Session]) -> None:
    """Seal every write made through sessions from ``maker``."""
    event.listen(maker, "do_orm_execute", _on_execute)
    event.listen(maker, "before_commit", _before_commit)
    event.listen(maker, "after_rollback", _forget)


def suspend(session: Session) -> None:
    """Write nothing to the seals for this session: a restore loads rows together with the seals their
    backup carries, and sealing them again would double the chain."""
    session.info[_SUSPENDED] = True


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_MARKS, None)


def _on_execute(state: ORMExecuteState) -> Result[Any] | None:
    if not (state.is_insert or state.is_update or state.is_delete) or state.session.info.get(_SUSPENDED):
        return None
    table = getattr(state.statement, "table", None)
    spec = SEALED.get(getattr(table, "name", ""))
    if spec is None or table is not spec.table:
        return None
    session = state.session
    keys: set[Any] = session.info.setdefault(_PENDING, {}).setdefault(spec.name, set())
    keys.update(_keys_named(state, spec.key))
    if state.is_insert:
        if not spec.by_id:
            return None
        if _one_row(state):
            # One row: run it here and take the id the database gave it, rather than reading the
            # table's highest id first (a query per table per transaction, most of sealing's cost
            # on a short report).
            result: Any = state.invoke_statement()
            if result.rowcount == 0:  # a skipped INSERT (ON CONFLICT DO NOTHING): SQLite's lastrowid is another row's
                return result
            try:
                new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
            except (InvalidRequestError, TypeError, IndexError):
                new_id = None
                # Not expected for a one-row INSERT; then seal every row above the lowest mark possible.
                session.info.setdefault(_MARKS, {})[spec.name] = 0
            if new_id is not None:
                keys.add(new_id)
            return result
        marks: dict[str, int] = session.info.setdefault(_MARKS, {})
        if spec.name not in marks:
            marks[spec.name] = int(session.scalar(select(func.coalesce(func.max(spec.table.c.id), 0))) or 0)
        return None
    where = state.statement.whereclause
    query = select(spec.table.c[spec.key]).distinct()
    if where is not None:
        query = query.where(where)
    # The statement's own parameters, once per set of an executemany, so a WHERE with bound names reads right.
    params = state.parameters
    for one in (params if isinstance(params, list | tuple) else [params or {}]):
        keys.update(session.scalars(query, dict(one)))


def _one_row(state: ORMExecuteState) -> bool:
    """An INSERT of exactly one row given by its values (not a list of parameter sets, several VALUES rows or
    a SELECT) and returning nothing, so the database's answer names the one id it made."""
    stmt: Any = state.statement
    if getattr(stmt, "select", None) is not None or getattr(stmt, "_multi_values", ()):
        return False
    if getattr(stmt, "_returning", ()):  # the caller reads the rows it asked for; reading the id here could take them
        return False
    params = state.parameters
    return not isinstance(params, list | tuple) or len(params) <= 1


def _keys_named(state: ORMExecuteState, key: str) -> set[Any]:
    """The group keys a statement's own values and its parameters give (an insert's new rows)."""
    found: set[Any] = set()
    params = state.parameters
    for one in (params if isinstance(params, list | tuple) else [params] if params else []):
        if isinstance(one, dict) and one.get(key) is not None:
            found.add(one[key])
    stmt: Any = state.statement
    value_sets = [getattr(stmt, "_values", None) or {}]
    for multi in getattr(stmt, "_multi_values", ()) or ():
        value_sets.extend(row for row in multi if isinstance(row, dict))
    for values in value_sets:
        for column, value in values.items():
            if getattr(column, "name", column) == key:
                value = getattr(value, "value", value)
                if isinstance(value, int | str):
                    found.add(value)
    return found


def _before_commit(session: Session) -> None:
    pending: dict[str, set[Any]] = session.info.pop(_PENDING, {})
    marks: dict[str, int] = session.info.pop(_MARKS, {})
    if not pending:
        return
    digests: list[tuple[str, str, str]] = []
    for name in sorted(pending):
        spec = SEALED[name]
        keys = {_as_key(spec, k) for k in pending[name]}
        found = dict(_digests(session, spec, keys=sorted(keys), above=marks.get(name)))
        digests.extend((name, str(k), found.get(k, DELETED)) for k in sorted(keys | set(found)))
    append(session, digests)


def _as_key(spec: SealedTable, key: Any) -> Any:
    column_type = spec.table.c[spec.key].type.python_type
    return column_type(key)


def _digests(bind: Session | Connection, spec: SealedTable, *, keys: list[Any] | None = None,
             above: int | None = None, columns: frozenset[str] | None = None) -> Iterator[tuple[Any, str]]:
    """(key, digest) of each group named by ``keys`` or with a key above ``above``, in key order.
    ``columns`` limits the read to the columns a database being migrated has so far. One query when the
    keys fit one chunk: a commit reads each table it touched once."""
    col = spec.table.c[spec.key]
    order = [spec.table.c[name] for name in spec.order]
    read = select(*(c for c in spec.table.c if columns is None or c.name in columns)).order_by(*order)
    chunks = [keys[start:start + _CHUNK] for start in range(0, len(keys or ()), _CHUNK)]
    if above is not None and len(chunks) <= 1:
        wanted = col > above if not chunks else or_(col > above, col.in_(chunks[0]))
        yield from _grouped(spec, bind.execute(read.where(wanted)))
        return
    for chunk in chunks:
        yield from _grouped(spec, bind.execute(read.where(col.in_(chunk))))
    if above is not None:
        yield from _grouped(spec, bind.execute(read.where(col > above)))


def _grouped(spec: SealedTable, rows: Iterable[Any]) -> Iterator[tuple[Any, str]]:
    current: Any = None
    group: list[dict[str, Any]] = []
    for row in rows:
        values = dict(row._mapping)
        if group and values[spec.key] != current:
            yield current, row_digest(group)
            group = []
        current = values[spec.key]
        group.append(values)
    if group:
        yield current, row_digest(group)


def iter_digests(bind: Session | Connection, spec: SealedTable, *, batch: int = 5000,
                 columns: frozenset[str] | None = None) -> Iterator[tuple[str, str]]:
    """(key as text, digest) of every current group of one table, read in pages by key."""
    col = spec.table.c[spec.key]
    after: Any = None
    while True:
        page = select(col).distinct().order_by(col).limit(batch)
        if after is not None:
            page = page.where(col > after)
        keys = list(bind.scalars(page))
        if not keys:
            return
        for key, digest in _digests(bind, spec, keys=keys, columns=columns):
            yield str(key), digest
        after = keys[-1]


def append(bind: Session | Connection, digests: list[tuple[str, str, str]]) -> int:
    """Append one chained seal per (table, key, digest), in the caller's transaction; returns how many."""
    if not digests:
        return 0
    dialect.lock_record_seals(bind)
    last = bind.execute(select(record_seals.c.id, record_seals.c.entry_hash)
                        .order_by(record_seals.c.id.desc()).limit(1)).first()
    next_id, prev = (int(last.id) + 1, str(last.entry_hash)) if last else (1, GENESIS)
    at = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for table_name, row_key, sha in digests:
        entry = seal_hash(id=next_id, table_name=table_name, row_key=row_key, sha256=sha, sealed_at=at,
                          prev_hash=prev)
        rows.append({"id": next_id, "table_name": table_name, "row_key": row_key, "sha256": sha,
                     "sealed_at": at, "prev_hash": prev, "entry_hash": entry})
        next_id, prev = next_id + 1, entry
    for start in range(0, len(rows), _CHUNK):
        bind.execute(record_seals.insert(), rows[start:start + _CHUNK])
    return len(rows)


def reseal(bind: Session | Connection, table_name: str, keys: list[Any]) -> int:
    """Seal the current content of the groups ``keys`` of one table (rows a migration or repair rewrote
    outside a sealing session); returns how many seals were appended."""
    spec = SEALED[table_name]
    batch = [(table_name, str(key), digest) for key, digest in _digests(bind, spec, keys=sorted(set(keys)))]
    return append(bind, batch)


def seal_all(bind: Connection) -> int:
    """Seal every current row group of every sealed table (for migrations: the first seals in 0025, and
    again after any later migration that rewrites sealed rows). Only the columns the database has at
    that revision are read, so an older database migrated by newer code seals what it holds."""
    total = 0
    inspector = inspect(bind)
    for name in sorted(SEALED):
        columns = frozenset(c["name"] for c in inspector.get_columns(name))
        batch: list[tuple[str, str, str]] = []
        for key, digest in iter_digests(bind, SEALED[name], columns=columns):
            batch.append((name, key, digest))
            if len(batch) >= 5000:
                total += append(bind, batch)
                batch = []
        total += append(bind, batch)
    return total


@dataclass(frozen=True, slots=True)
class SealEntry:
    id: int
    table_name: str
    row_key: str
    sha256: str
    sealed_at: datetime
    prev_hash: str
    entry_hash: str


def iter_seals(bind: Session | Connection, *, batch: int = 5000) -> Iterator[SealEntry]:
    """Every seal in id order, read in pages."""
    after = 0
    while True:
        rows = bind.execute(select(record_seals).where(record_seals.c.id > after)
                            .order_by(record_seals.c.id).limit(batch)).all()
        if not rows:
            return
        for r in rows:
            yield SealEntry(id=int(r.id), table_name=r.table_name, row_key=r.row_key, sha256=r.sha256,
                            sealed_at=r.sealed_at, prev_hash=r.prev_hash, entry_hash=r.entry_hash)
        after = int(rows[-1].id)
