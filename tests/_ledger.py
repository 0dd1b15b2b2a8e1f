"""What someone with raw database access could do to the custody ledger, for tamper tests."""
from __future__ import annotations

from tawthiq.store.db import Database


def drop_custody_guard(db: Database) -> None:
    """Remove the append-only triggers of custody_log (the shared PostgreSQL function stays for audit_log)."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER custody_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER custody_log_no_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER custody_log_append_only ON custody_log")
