"""The workspace's package-signing key: an Ed25519 private key kept in the data folder.

Made the first time something needs it (a package, ``tawthiq key public``),
stored as unencrypted PKCS#8 PEM in ``<data_dir>/keys`` with the folder 0700
and the file 0600: anyone who can read the data folder can already rewrite
the evidence, so a passphrase would add a prompt and no protection. The key
is never printed; only its public half leaves this module's callers.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_DIR = "keys"
KEY_FILE = "package-signing.ed25519"


class SigningKeyError(Exception):
    """The key file is there but unusable; one line for the operator."""


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_DIR / KEY_FILE


def signing_key(*, data_dir: Path) -> Ed25519PrivateKey:
    """The workspace's key, made and stored on first need."""
    path = key_path(data_dir)
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        return _create(path)
    except OSError as exc:
        raise SigningKeyError(f"cannot read the signing key {path}: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise SigningKeyError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key


def _create(path: Path) -> Ed25519PrivateKey:
    """Write a new key with O_EXCL so two first uses at once cannot each keep a different key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(encoding=serialization.Encoding.PEM, format=serialization.PrivateFormat.PKCS8,
                            encryption_algorithm=serialization.NoEncryption())
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the key first: then that one is the key
        except FileExistsError:
            return signing_key(data_dir=path.parent.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return key
