"""Bringing stored rows under the identity vault: encrypting legacy plaintext in place, and the key check.

Used by migration 0029 (an existing database's names, when the key is there at migration time),
by a restore (rows loaded before their key file was written) and by every workspace open that
finds plaintext left over. The rows are read with plain column types (to see what is stored)
and written back through the vault types (which encrypt). Plaintext does not change, so the
seals (which hash rows as read back) stay valid; only a recomputed ``name_index`` changes a
row's content, and those records are returned for the caller to seal.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Engine, Integer, Text, column, select, table, update
from sqlalchemy.engine import Connection

from . import identity_vault
from .identity_vault import IdentityVault, is_encrypted
from .tables import instance_meta, person_records, persons, sources, users

_BATCH = 500
CHECK_KEY = "identity_vault_check"
_CHECK_TEXT = "tawthiq identity vault"
_CHECK_CONTEXT = "instance_meta.identity_vault_check"

# (table, columns holding text, columns holding JSON); every one is a vault column in tables.py.
VAULT_COLUMNS: tuple[tuple[Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (persons, ("name", "name_alt"), ()),
    (person_records, ("name",), ("fields", "extra")),
    (sources, ("author",), ("metadata",)),
    (users, ("totp_secret",), ()),
)


def encrypt_plaintext(conn: Connection) -> list[int]:
    """Encrypt every vault value still stored in plaintext and fill missing blind indexes, a batch at a
    time; returns the ids of the person records whose ``name_index`` changed. Needs the vault attached."""
    vault = identity_vault.of(conn)
    if vault is None:
        return []
    if conn.dialect.name == "sqlite":
        # The plaintext a row held is overwritten with zeros, not left in a freed part of its page.
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    reindexed: list[int] = []
    for real, texts, jsons in VAULT_COLUMNS:
        indexed = real is person_records
        extra = ("name_index",) if indexed else ()
        raw = table(real.name, column("id", Integer), *(column(n, Text) for n in texts + extra),
                    *(column(n, JSON) for n in jsons))
        after = 0
        while True:
            rows = conn.execute(select(raw).where(raw.c.id > after).order_by(raw.c.id).limit(_BATCH)).all()
            if not rows:
                break
            after = int(rows[-1].id)
            for row in rows:
                values = {n: getattr(row, n) for n in texts + jsons
                          if getattr(row, n) not in (None, "") and not is_encrypted(getattr(row, n))}
                if indexed:
                    name = values.get("name", row.name)
                    if is_encrypted(name):
                        name = real.c.name.type.process_result_value(name, conn.dialect)
                    wanted = vault.name_index(name or "")
                    if row.name_index != wanted:
                        values["name_index"] = wanted
                        reindexed.append(int(row.id))
                if values:
                    conn.execute(update(real).where(real.c.id == row.id).values(**values))
    return reindexed


def drop_old_pages(engine: Engine) -> None:
    """SQLite: copy the WAL's pages into the database file and empty it, so page images from before an
    encryption pass do not stay in ``-wal``. (PostgreSQL: old row versions go at the next VACUUM.)"""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def write_check(conn: Connection, vault: IdentityVault) -> None:
    """Store a value only this key opens, so a wrong key is told at open rather than at the first name."""
    conn.execute(instance_meta.delete().where(instance_meta.c.key == CHECK_KEY))
    conn.execute(instance_meta.insert().values(key=CHECK_KEY,
                                               value=vault.encrypt(_CHECK_TEXT, context=_CHECK_CONTEXT)))


def has_check(conn: Connection) -> bool:
    return conn.execute(select(instance_meta.c.value).where(instance_meta.c.key == CHECK_KEY)).first() is not None


def check(conn: Connection, vault: IdentityVault) -> bool:
    """Whether ``vault`` opens this database's check value (True when it has none yet)."""
    stored = conn.scalar(select(instance_meta.c.value).where(instance_meta.c.key == CHECK_KEY))
    if stored is None:
        return True
    try:
        return vault.decrypt(stored, context=_CHECK_CONTEXT) == _CHECK_TEXT
    except identity_vault.VaultKeyError:
        return False
