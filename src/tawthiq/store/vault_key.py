"""The identity vault's key: 32 random bytes kept in the data folder beside the signing key.

Person names, witness and source contact details, source authors and second-factor secrets are
encrypted field by field with this key (see :mod:`identity_vault`), so the database alone (a
PostgreSQL server's disk or backups, a copied SQLite file) does not give them. The key is made
once, by ``tawthiq init`` (``create=True``), in ``<data_dir>/keys`` with the folder 0700 and the
file 0600, written with O_EXCL like :mod:`signing_key`. Every later open only reads it: a key
made afresh for a database already holding encrypted names would open none of them, so a
missing key is an error that says to restore it, never a reason to make a new one.

The key source is injectable (``Settings.vault_key``) so that a workspace whose passphrase
unwraps a main key can derive this one from it instead of reading the file.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from .signing_key import KEY_DIR
from .vault.private import create_private

KEY_FILE = "identity-vault.key"
KEY_BYTES = 32
MISSING = "the identity vault key is missing: restore it from a backup"


class VaultKeyError(Exception):
    """The key is missing, unreadable or does not open the database's names; one line for the operator."""


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_DIR / KEY_FILE


def load_key(*, data_dir: Path, create: bool = False) -> bytes:
    """The workspace's vault key; made (once, race-free) only when ``create`` is set."""
    path = key_path(data_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise VaultKeyError(f"{MISSING} (expected {path})") from None
        return _create(path)
    except OSError as exc:
        raise VaultKeyError(f"cannot read the identity vault key {path}: {exc.strerror or exc}") from None
    if len(data) != KEY_BYTES:
        raise VaultKeyError(f"{path} is not an identity vault key ({len(data)} bytes, not {KEY_BYTES}): "
                            "restore it from a backup")
    return data


def _create(path: Path) -> bytes:
    """A new key, or the one another process made at the same moment (then that one is the key)."""
    key = secrets.token_bytes(KEY_BYTES)
    return key if create_private(path, key) else load_key(data_dir=path.parent.parent)
