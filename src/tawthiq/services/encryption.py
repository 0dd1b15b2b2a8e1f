"""Encrypted workspaces: making one, unlocking it, changing or resetting its passphrase.

The edge (CLI) asks for the passphrase once and calls :func:`unlock`, which
returns the settings with the unwrapped main key in them; everything inward
(:meth:`Workspace.open`) derives its keys from that. See docs/encryption.md.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..settings import Settings
from .errors import ServiceError

if TYPE_CHECKING:
    from . import Workspace


@dataclass(slots=True)
class EncryptedInit:
    workspace: Workspace
    recovery_key: str  # shown once, never stored


def is_encrypted(settings: Settings) -> bool:
    from ..store.vault.keys import is_encrypted as has_key_file

    return has_key_file(settings.data_dir)


def init_encrypted(settings: Settings, *, passphrase: str, kdf: dict[str, int] | None = None) -> EncryptedInit:
    """Make a new encrypted workspace: key file, SQLCipher database, sealed stores.

    Refused for a PostgreSQL database (its files are the server's) and for a
    workspace that already has a database or stored files in the clear:
    encrypting one in place is not done here.
    """
    from pathlib import Path

    from ..store.vault import keys
    from . import init_workspace

    if not settings.database_url.startswith("sqlite"):
        raise ServiceError("--encrypt needs a SQLite database: a PostgreSQL database is the server's to protect "
                           "(encrypt its disk); Tawthiq does not encrypt it")
    if keys.is_encrypted(settings.data_dir):
        raise ServiceError(f"{settings.data_dir} is already an encrypted workspace")
    if settings.database_url.startswith("sqlite:///"):
        db_path = Path(settings.database_url.removeprefix("sqlite:///"))
        if db_path.exists() and db_path.stat().st_size > 0:
            raise ServiceError(f"{db_path} already holds a database in the clear: --encrypt makes a new workspace "
                               "(set TAWTHIQ_DATABASE_URL to a new file)")
    if any((settings.data_dir / folder).exists() for folder in ("sha256", "derived")):
        raise ServiceError(f"{settings.data_dir} already holds files in the clear: --encrypt makes a new workspace")
    try:
        main_key, recovery = keys.create(settings.data_dir, passphrase=passphrase, kdf=kdf)
    except keys.KeyError_ as error:
        raise ServiceError(str(error)) from None
    ws = init_workspace(dataclasses.replace(settings, main_key=main_key))
    return EncryptedInit(workspace=ws, recovery_key=recovery)


def unlock(settings: Settings, *, passphrase: str) -> Settings:
    """The settings with the main key in them; a wrong passphrase is a one-line ServiceError."""
    from ..store.vault import keys

    try:
        main_key = keys.unlock(settings.data_dir, passphrase=passphrase)
    except keys.KeyError_ as error:
        raise ServiceError(str(error), kind="workspace.wrong_passphrase") from None
    return dataclasses.replace(settings, main_key=main_key)


def change_passphrase(settings: Settings, *, old: str, new: str) -> None:
    """Seal the main key under ``new``; nothing is re-encrypted."""
    from ..store.vault import keys

    try:
        main_key = keys.unlock(settings.data_dir, passphrase=old)
        keys.rewrap(settings.data_dir, main_key=main_key, new_passphrase=new)
    except keys.KeyError_ as error:
        raise ServiceError(str(error)) from None


def reset_passphrase(settings: Settings, *, recovery_key: str, new: str) -> None:
    """A forgotten passphrase: the recovery key opens the main key, which is sealed under ``new``."""
    from ..store.vault import keys

    try:
        main_key = keys.unlock_with_recovery(settings.data_dir, recovery_key=recovery_key)
        keys.rewrap(settings.data_dir, main_key=main_key, new_passphrase=new)
    except keys.KeyError_ as error:
        raise ServiceError(str(error)) from None
