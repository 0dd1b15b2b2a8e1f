"""The workspace's main key, wrapped by a passphrase and by a recovery key, and the keys derived from it.

An encrypted workspace has ``<data dir>/keys/main-key.json`` (0600). It holds
a random 32-byte main key twice, each copy sealed (ChaCha20-Poly1305) under a
key-encryption key: one derived from the passphrase with Argon2id (its
parameters and salt recorded beside it, so they can be raised later without
breaking older files), one from the recovery key printed once at ``init``.
Changing the passphrase re-seals the main key; no data is re-encrypted.

The main key never encrypts anything itself: HKDF-SHA256 derives one sub-key
per use (the SQLCipher database key, the key sealing each file's own key, the
key naming stored files), so no two uses share a key.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.errors import IngestError
from .private import private_dir, write_private

KEY_DIR = "keys"
KEY_FILE = "main-key.json"
FORMAT = "tawthiq-main-key/1"
MAIN_KEY_BYTES = 32
RECOVERY_BYTES = 20  # 160 bits, 32 base32 letters in eight groups of four
# OWASP's second Argon2id setting (m=64 MiB, t=3, p=4): about a fifth of a second here, once per command.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4


class KeyError_(IngestError):  # noqa: N801 - IngestError becomes one line at every edge
    """A passphrase or recovery key that does not open the key file, or a key file that cannot be read."""


@dataclass(frozen=True, slots=True)
class SubKeys:
    """The keys derived from the main key, one per use.

    Mutable buffers, so that :meth:`wipe` overwrites the one copy every holder
    shares (the stores, the database's connection hook) rather than dropping
    one reference among several.
    """

    database: bytearray = field(default_factory=bytearray)
    files: bytearray = field(default_factory=bytearray)
    names: bytearray = field(default_factory=bytearray)
    identities: bytearray = field(default_factory=bytearray)  # the identity vault's (store.identity_vault)

    def __repr__(self) -> str:  # never print a key, not even in a traceback's locals
        return "SubKeys(<hidden>)"

    def wipe(self) -> None:
        for key in (self.database, self.files, self.names, self.identities):
            key[:] = bytes(len(key))


def wipe(key: bytearray | bytes | None) -> None:
    """Overwrite a key held in a mutable buffer (a ``bytes`` cannot be, and is left to the collector)."""
    if isinstance(key, bytearray):
        key[:] = bytes(len(key))


def key_file(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_DIR / KEY_FILE


def is_encrypted(data_dir: Path) -> bool:
    """An encrypted workspace is one whose data directory has a main-key file."""
    return key_file(data_dir).is_file()


def derive(main_key: bytes | bytearray) -> SubKeys:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def one(info: bytes) -> bytearray:
        return bytearray(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(bytes(main_key)))

    return SubKeys(database=one(b"tawthiq/sqlcipher"), files=one(b"tawthiq/file-keys"), names=one(b"tawthiq/file-names"),
                   identities=one(b"tawthiq/identity-vault"))


def new_recovery_key() -> str:
    letters = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def _recovery_secret(recovery_key: str) -> bytes:
    cleaned = "".join(recovery_key.split()).replace("-", "").upper()
    try:
        raw = base64.b32decode(cleaned)
    except (ValueError, base64.binascii.Error):  # type: ignore[attr-defined]
        raise KeyError_("that is not a recovery key (eight groups of four letters and digits)") from None
    if len(raw) != RECOVERY_BYTES:
        raise KeyError_("that is not a recovery key (eight groups of four letters and digits)")
    return raw


def create(data_dir: Path, *, passphrase: str, kdf: dict[str, int] | None = None) -> tuple[bytearray, str]:
    """Write a new key file; returns the main key and the recovery key (shown once, never stored)."""
    target = key_file(data_dir)
    if target.exists():
        raise KeyError_(f"{target} already exists: this workspace is already encrypted")
    _check_passphrase(passphrase)
    main_key = bytearray(secrets.token_bytes(MAIN_KEY_BYTES))
    recovery = new_recovery_key()
    params = dict(kdf or default_kdf())
    document = {"format": FORMAT, "passphrase": _wrap(main_key, passphrase.encode("utf-8"), params, b"passphrase"),
                "recovery": _wrap(main_key, _recovery_secret(recovery), params, b"recovery")}
    _save(target, document)
    return main_key, recovery


def unlock(data_dir: Path, *, passphrase: str) -> bytearray:
    """The main key, in a buffer that :func:`wipe` can overwrite when the workspace is locked."""
    return _unwrap(_load(key_file(data_dir))["passphrase"], passphrase.encode("utf-8"), b"passphrase",
                   refusal="wrong passphrase")


def unlock_with_recovery(data_dir: Path, *, recovery_key: str) -> bytearray:
    return _unwrap(_load(key_file(data_dir))["recovery"], _recovery_secret(recovery_key), b"recovery",
                   refusal="wrong recovery key")


def rewrap(data_dir: Path, *, main_key: bytes | bytearray, new_passphrase: str) -> None:
    """Seal the main key under a new passphrase (fresh salt); the recovery copy stays as it is."""
    _check_passphrase(new_passphrase)
    target = key_file(data_dir)
    document = _load(target)
    params = {k: int(v) for k, v in document["passphrase"]["kdf"].items() if k != "name"}
    document["passphrase"] = _wrap(main_key, new_passphrase.encode("utf-8"), params, b"passphrase")
    _save(target, document)


def seal_secret(value: bytes, *, passphrase: str, label: bytes) -> dict[str, Any]:
    """``value`` encrypted under a passphrase (Argon2id at fixed cost, ChaCha20-Poly1305), as a JSON-able entry.

    The cost is recorded in the entry, never measured on the machine, so the entry opens the same on a
    loaded machine as on an idle one (age's scrypt passphrases refuse work above what the machine times).
    """
    return _wrap(value, passphrase.encode("utf-8"), default_kdf(), label)


def open_secret(entry: dict[str, Any], *, passphrase: str, label: bytes, refusal: str) -> bytearray:
    """The value :func:`seal_secret` sealed; :class:`KeyError_` with ``refusal`` for a wrong passphrase."""
    if not isinstance(entry, dict):
        raise KeyError_("the sealed entry is damaged")
    params = entry.get("kdf") if isinstance(entry.get("kdf"), dict) else {}
    # A hostile file must not make the KDF take the machine: never more than 8 times the default cost.
    try:
        if int(params.get("memory_cost", 0)) > 8 * ARGON2_MEMORY_KIB or int(params.get("time_cost", 0)) > 8 * \
                ARGON2_TIME_COST or int(params.get("parallelism", 0)) > 64:
            raise KeyError_("the sealed entry asks for more work than this program allows")
    except (TypeError, ValueError):
        raise KeyError_("the sealed entry is damaged") from None
    return _unwrap(entry, passphrase.encode("utf-8"), label, refusal=refusal)


def default_kdf() -> dict[str, int]:
    return {"time_cost": ARGON2_TIME_COST, "memory_cost": ARGON2_MEMORY_KIB, "parallelism": ARGON2_PARALLELISM}


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise KeyError_("the passphrase must be at least 8 characters long")


def _kek(secret: bytes, salt: bytes, params: dict[str, int]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(secret, salt, time_cost=params["time_cost"], memory_cost=params["memory_cost"],
                           parallelism=params["parallelism"], hash_len=32, type=Type.ID)


def _wrap(main_key: bytes | bytearray, secret: bytes, params: dict[str, int], label: bytes) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = ChaCha20Poly1305(_kek(secret, salt, params)).encrypt(nonce, bytes(main_key), b"tawthiq main key/" + label)
    return {"kdf": {"name": "argon2id", **params}, "salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(sealed)}


def _unwrap(entry: dict[str, Any], secret: bytes, label: bytes, *, refusal: str) -> bytearray:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        params = {k: int(v) for k, v in entry["kdf"].items() if k != "name"}
        kek = _kek(secret, base64.b64decode(entry["salt"]), params)
        return bytearray(ChaCha20Poly1305(kek).decrypt(base64.b64decode(entry["nonce"]),
                                                       base64.b64decode(entry["sealed"]), b"tawthiq main key/" + label))
    except InvalidTag:
        raise KeyError_(refusal) from None
    except (KeyError, TypeError, ValueError) as error:
        raise KeyError_(f"the key file is damaged: {error}") from None


def _load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyError_(f"no key file at {path}: this workspace is not encrypted") from None
    except (OSError, ValueError) as error:
        raise KeyError_(f"cannot read the key file {path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KeyError_(f"{path} is not a Tawthiq key file ({FORMAT})")
    return document


def _save(path: Path, document: dict[str, Any]) -> None:
    private_dir(path.parent)
    write_private(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
