"""The package signature: the workspace's Ed25519 key signs the bag's final ``tagmanifest-sha256.txt``.

That tag manifest lists the hash of every payload manifest and tag file
(bag-info, timestamp token...), and the payload manifests list every file,
so one signature covers the whole bag: resealing a changed bag with fresh
manifests changes the bytes signed. The signature lives in a tag file of
its own, outside every manifest (it cannot list itself), and names the key
only by fingerprint: a public key carried in the package would prove
nothing, so the checker must be given the key it trusts.

Nothing here touches the database: ``verify-package`` runs with the bag alone.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_FILE = "tawthiq-signature.txt"
SIGNED = "tagmanifest-sha256.txt"
ALGORITHM = "Ed25519"
_MAX_SIGNATURE_FILE = 4096


class SignatureError(Exception):
    """A key or signature file that cannot be used; one line."""


@dataclass(slots=True, frozen=True)
class Signature:
    fingerprint: str
    signature: bytes


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, hex in groups of four: short enough to read out by phone."""
    raw = key.public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(encoding=serialization.Encoding.PEM,
                                         format=serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in ``pem``; SignatureError for anything else (a private key included)."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise SignatureError("not a PEM public key (give the file 'tawthiq key public' wrote)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError("not an Ed25519 public key")
    return key


def sign_bag(root: Path, *, key: Ed25519PrivateKey) -> str:
    """Sign the bag's tag manifest as it is now (the last step: after any timestamp); returns the fingerprint."""
    signed = (Path(root) / SIGNED).read_bytes()
    mark = fingerprint(key.public_key())
    text = (f"Algorithm: {ALGORITHM}\nSigns: {SIGNED}\nKey-Fingerprint: {mark}\n"
            f"Signature: {base64.b64encode(key.sign(signed)).decode('ascii')}\n")
    (Path(root) / SIGNATURE_FILE).write_text(text, encoding="ascii")
    return mark


def read_signature(root: Path) -> Signature | None:
    """The signature file's content, None when the bag has none; SignatureError when it is malformed."""
    path = Path(root) / SIGNATURE_FILE
    if not path.exists():
        return None
    try:
        if path.stat().st_size > _MAX_SIGNATURE_FILE:
            raise SignatureError(f"{SIGNATURE_FILE}: too large")
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        raise SignatureError(f"{SIGNATURE_FILE}: not readable as text") from None
    fields = dict(line.split(": ", 1) for line in lines if ": " in line)
    if fields.get("Algorithm") != ALGORITHM or fields.get("Signs") != SIGNED:
        raise SignatureError(f"{SIGNATURE_FILE}: not an {ALGORITHM} signature of {SIGNED}")
    try:
        raw = base64.b64decode(fields.get("Signature", ""), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 64:
        raise SignatureError(f"{SIGNATURE_FILE}: the signature is not 64 bytes of base64")
    mark = fields.get("Key-Fingerprint", "")
    if len(mark.replace(" ", "")) != 64 or any(c not in "0123456789abcdef " for c in mark):
        raise SignatureError(f"{SIGNATURE_FILE}: no key fingerprint")
    return Signature(fingerprint=mark, signature=raw)


def check_signature(root: Path, signature: Signature, *, key: Ed25519PublicKey) -> str | None:
    """None when ``key`` signed this tag manifest, else the one-line reason."""
    given = fingerprint(key)
    if given != signature.fingerprint:
        return f"signed by key {signature.fingerprint}, not by the key given ({given})"
    try:
        key.verify(signature.signature, (Path(root) / SIGNED).read_bytes())
    except InvalidSignature:
        return f"the signature of key {given} does not match {SIGNED}: the bag changed after it was signed"
    except OSError:
        return f"{SIGNED}: not readable"
    return None
