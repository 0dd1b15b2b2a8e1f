"""The workspace's package-signing key: an Ed25519 private key kept in the data folder.

Made the first time something needs it (a package, ``tawthiq key public``),
stored as unencrypted PKCS#8 PEM in ``<data_dir>/keys`` with the folder 0700
and the file 0600: anyone who can read the data folder can already rewrite
the evidence, so a passphrase would add a prompt and no protection. The key
is never printed; only its public half leaves this module's callers.
"""
from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .vault.private import create_private

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
    """A new key, or the one another process made at the same moment (then that one is the key)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(encoding=serialization.Encoding.PEM, format=serialization.PrivateFormat.PKCS8,
                            encryption_algorithm=serialization.NoEncryption())
    return key if create_private(path, pem) else signing_key(data_dir=path.parent.parent)
