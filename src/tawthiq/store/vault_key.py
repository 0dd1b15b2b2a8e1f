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

import contextlib
import os
import secrets
from pathlib import Path

from .signing_key import KEY_DIR

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
    """Write a new key with O_EXCL so two first uses at once cannot each keep a different key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the key first: then that one is the key
        except FileExistsError:
            return load_key(data_dir=path.parent.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key
