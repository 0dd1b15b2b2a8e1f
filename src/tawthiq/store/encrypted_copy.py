"""Copying a plain SQLite database into a new SQLCipher one, and bringing its identity values under a new vault key.

Used by ``tawthiq encrypt`` (services/encrypt_existing.py). The copy is SQLCipher's own
``sqlcipher_export``: the plain file is opened by the SQLCipher library without a key, the new
file is attached with the database key and every table, index, trigger and virtual table (the
search index) is recreated in it and filled with ``INSERT … SELECT``, page by page, so memory
stays bounded whatever the size of the record, and the plaintext never passes through Python.

The identity vault's values (names, authors, contact details, second-factor secrets, and the person
records' values kept in the audit log) were encrypted under the plain workspace's vault key;
the encrypted workspace derives its own from the main key, so :func:`rekey_identities` opens each
with the old key and writes it back under the new one, recomputing the keyed blind indexes.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Integer, Text, column, inspect, select, table, text, update
from sqlalchemy.engine import Connection

from . import dialect, identity_rows, identity_vault, seals
from .identity_vault import IdentityVault, is_encrypted
from .tables import audit_log, person_records

_BATCH = 500


class WorkspaceBusy(Exception):
    """Another process holds the plain database's write lock."""


@contextmanager
def hold_write_lock(path: Path) -> Iterator[None]:
    """Hold the plain database's write lock for the block, so nothing is written to it while it is copied.

    Taken without waiting: a lock already held means another process is writing (an ingest, a
    running server's request), and :class:`WorkspaceBusy` says so. Readers are not blocked. Nothing is
    written: the transaction is rolled back when the block ends.
    """
    import sqlite3

    conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise WorkspaceBusy(str(error)) from None
            raise
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
    finally:
        conn.close()


def export_encrypted(*, plain: Path, target: Path, key: bytes | bytearray) -> None:
    """Write every table of the SQLite database ``plain`` into the new file ``target``, encrypted with ``key``.

    ``target`` is made 0600 before SQLCipher writes a page to it. ``plain`` is only read.
    """
    from sqlcipher3 import dbapi2

    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = dbapi2.connect(str(plain), isolation_level=None, timeout=dialect.SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), f"x'{bytes(key).hex()}'"))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows of every table the database holds (the search index's own tables included)."""
    names = sorted(inspect(conn).get_table_names())
    return {name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()) for name in names}


@dataclass(slots=True)
class Rekeyed:
    """What :func:`rekey_identities` rewrote: values per table, and the rows whose seals it renewed."""

    values: dict[str, int] = field(default_factory=dict)
    resealed: int = 0


def rekey_identities(conn: Connection, *, old: IdentityVault, new: IdentityVault) -> Rekeyed:
    """Every identity-vault value opened with ``old`` and written back under ``new`` (``new`` must be the
    vault attached to ``conn``'s engine); blind indexes recomputed, the key check replaced.

    Plaintext does not change, so the seals of the rows (which hash values as read back) stay valid,
    except where the stored form itself is hashed: a person record's ``name_index`` and the audit log's
    encrypted values. Those rows are sealed again, and the audit log's append-only guard is lifted for
    the rewrite only (the database is a new copy nobody else has opened yet).
    """
    if identity_vault.of(conn) is not new:
        raise ValueError("the new identity vault must be attached to the connection's engine")
    conn.exec_driver_sql("PRAGMA secure_delete=ON")
    done = Rekeyed()
    reindexed: list[int] = []
    for real, texts, jsons in identity_rows.VAULT_COLUMNS:
        indexed = real is person_records
        extra = ("name_index",) if indexed else ()
        raw = table(real.name, column("id", Integer), *(column(n, Text) for n in texts + extra),
                    *(column(n, JSON) for n in jsons))
        count = 0
        for row in _pages(conn, raw):
            values: dict[str, Any] = {}
            for name in texts + jsons:
                stored = getattr(row, name)
                if stored in (None, ""):
                    continue
                plain = old.decrypt(stored, context=f"{real.name}.{name}") if is_encrypted(stored) else stored
                if name in jsons and is_encrypted(stored):
                    plain = json.loads(plain)
                values[name] = plain  # written through the vault column types: encrypted under ``new``
            if indexed:
                wanted = new.name_index(values.get("name") or "")
                if wanted != row.name_index:
                    values["name_index"] = wanted
                    reindexed.append(int(row.id))
            if values:
                conn.execute(update(real).where(real.c.id == row.id).values(**values))
                count += len(values)
        done.values[real.name] = count
    audit_ids = _rekey_audit(conn, old=old, new=new)
    done.values[audit_log.name] = len(audit_ids)
    for start in range(0, len(reindexed), 5000):
        done.resealed += seals.reseal(conn, person_records.name, reindexed[start:start + 5000])
    for start in range(0, len(audit_ids), 5000):
        done.resealed += seals.reseal(conn, audit_log.name, audit_ids[start:start + 5000])
    identity_rows.write_check(conn, new)
    return done


def _rekey_audit(conn: Connection, *, old: IdentityVault, new: IdentityVault) -> list[int]:
    """A person record's changed values in the audit log, encrypted under ``old``, re-encrypted under ``new``."""
    context = identity_vault.PERSON_RECORD_AUDIT

    def again(values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {k: new.encrypt(old.decrypt(v, context=context), context=context) if is_encrypted(v) else v
                for k, v in values.items()}

    mine = (audit_log.c.entity == "person_record")
    if conn.execute(select(audit_log.c.id).where(mine).limit(1)).first() is None:
        return []
    rewritten: list[int] = []
    # Lifted and put back in the caller's transaction: a failure rolls both back with the rewrite.
    dialect.drop_append_only_guard(conn, audit_log.name)
    after = 0
    while True:
        rows = conn.execute(select(audit_log.c.id, audit_log.c.before, audit_log.c.after)
                            .where(mine, audit_log.c.id > after).order_by(audit_log.c.id).limit(_BATCH)).all()
        if not rows:
            break
        after = int(rows[-1].id)
        for row in rows:
            before, later = again(row.before), again(row.after)
            if before != row.before or later != row.after:
                conn.execute(update(audit_log).where(audit_log.c.id == row.id).values(before=before, after=later))
                rewritten.append(int(row.id))
    dialect.create_append_only_guard(conn, audit_log.name)
    return rewritten


def _pages(conn: Connection, raw: Any) -> Iterator[Any]:
    """The rows of ``raw`` in id order, read a batch at a time (the batch is read whole before it is rewritten)."""
    after = 0
    while True:
        rows = conn.execute(select(raw).where(raw.c.id > after).order_by(raw.c.id).limit(_BATCH)).all()
        if not rows:
            return
        after = int(rows[-1].id)
        yield from rows
