"""The identity vault at the edge: which key a workspace uses, and bringing a database's rows under it.

See docs/identity-vault.md. The key comes from ``Settings.vault_key`` when something injected it
(a main key unwrapped by a passphrase, later), else from ``<data dir>/keys/identity-vault.key``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..settings import Settings
from .errors import ServiceError

if TYPE_CHECKING:
    from ..store.db import Database
    from ..store.identity_vault import IdentityVault


def open_vault(settings: Settings, *, create: bool) -> IdentityVault:
    """The identity vault of ``settings``: its injected key, else the key file (made only by ``create``)."""
    from ..store.identity_vault import IdentityVault
    from ..store.vault_key import VaultKeyError, load_key

    try:
        key = settings.vault_key if settings.vault_key is not None else load_key(data_dir=settings.data_dir,
                                                                                 create=create)
        return IdentityVault(key)
    except VaultKeyError as error:
        raise ServiceError(str(error)) from None


def secure_identities(db: Database, *, check_only: bool = False) -> None:
    """Check the vault opens this database's names, and encrypt any stored in plaintext (a database set
    up without the key, a restore). ``check_only`` skips the scan when the database has its key check
    already: every open checks, and a scan of every row is for set-up and restores."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..store import identity_rows, seals
    from ..store.dialect import write_engine
    from ..store.identity_vault import WRONG_KEY

    vault = db.vault
    if vault is None:
        return
    try:
        with db.engine.connect() as conn:
            checked = identity_rows.has_check(conn)
            if not identity_rows.check(conn, vault):
                raise ServiceError(WRONG_KEY)
        if checked and check_only:
            return
        with write_engine(db.engine).begin() as conn:
            reindexed = identity_rows.encrypt_plaintext(conn)
            for start in range(0, len(reindexed), 5000):
                seals.reseal(conn, "person_records", reindexed[start:start + 5000])
            if not checked:
                identity_rows.write_check(conn, vault)
        identity_rows.drop_old_pages(db.engine)
    except SQLAlchemyError:
        # Not set up yet (a package being verified, an upgrade to come): the next open after init checks.
        pass
