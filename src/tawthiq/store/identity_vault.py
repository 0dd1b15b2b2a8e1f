"""Field-by-field encryption of identifying values, and keyed blind indexes for exact look-ups.

A value is stored as ``tv1:`` + base64(nonce + AES-256-GCM ciphertext), with a random 96-bit
nonce per value and the column's name (``table.column``) as associated data, so a ciphertext
copied into another column does not open. Two sub-keys come from the vault key by HKDF-SHA256:
one encrypts, the other keys the HMAC-SHA256 blind index (a name's normalised words, each
HMAC'd and truncated, so an exact word can be found without the name being stored).

The vault reaches the column types per ENGINE, never as a global: :func:`attach` sets it on
the engine's dialect object (shared by the write engine and by a migration's connection), and
the types read it back from the dialect they are given. A connection with no vault attached
(a restore loading rows before its key file is written, a test's bare database) stores what it
is given as it is, and :func:`encrypt_plaintext` encrypts those rows once the key is there; a
value without the prefix is taken as such legacy plaintext when read. An encrypted value read
with no vault, or with the wrong key, raises :class:`VaultKeyError`: never garbage shown as a name.
Empty strings stay empty (there is nothing to hide, and "no alternative name" stays cheap).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import JSON, Engine, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator

from .dialect import json_dumps, scrub
from .textnorm import words
from .vault_key import KEY_BYTES, MISSING, VaultKeyError

PREFIX = "tv1:"
_NONCE = 12
_TOKEN_BYTES = 12  # 96 bits of HMAC per word: collisions are negligible at any list size
_ATTR = "tawthiq_identity_vault"
PERSON_RECORD_AUDIT = "audit_log.person_record"  # the values a person record's import-update entry records
WRONG_KEY = "the identity vault key does not open this database's names: restore the right key from a backup"


class IdentityVault:
    """Encrypts, decrypts and blind-indexes values with the sub-keys of one vault key."""

    __slots__ = ("_aead", "_index_key")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise VaultKeyError(f"an identity vault key is {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(_subkey(key, b"tawthiq identity vault v1: encryption"))
        self._index_key = _subkey(key, b"tawthiq identity vault v1: blind index")

    def __repr__(self) -> str:
        return "IdentityVault(<key hidden>)"

    def encrypt(self, value: str, *, context: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), context.encode("utf-8"))
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, stored: str, *, context: str) -> str:
        try:
            raw = base64.b64decode(stored[len(PREFIX):], validate=True)
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            raise VaultKeyError(WRONG_KEY) from None

    def token(self, word: str) -> str:
        """The blind index of one normalised word."""
        digest = hmac.digest(self._index_key, word.encode("utf-8"), "sha256")[:_TOKEN_BYTES]
        return base64.urlsafe_b64encode(digest).decode("ascii")

    def name_index(self, name: str) -> str:
        """The stored index of a name: its words' tokens, space-separated with a space at each end,
        so that ``contains(" token ")`` finds a whole word and nothing else."""
        tokens = sorted({self.token(w) for w in words(name)})
        return f" {' '.join(tokens)} " if tokens else ""

    def query_tokens(self, query: str) -> list[str]:
        """What a name search looks for: each normalised word of ``query`` as `` token ``."""
        return [f" {self.token(w)} " for w in dict.fromkeys(words(query))]


def _subkey(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


# ------------------------------------------------------------ per-engine key


def attach(engine: Engine, vault: IdentityVault | None) -> None:
    """Give ``engine`` (and every engine sharing its dialect) the vault its columns use."""
    setattr(engine.dialect, _ATTR, vault)


def of(dialect: Any) -> IdentityVault | None:
    """The vault attached to ``dialect`` (a dialect, or anything with ``.dialect``: an engine, a connection)."""
    return getattr(getattr(dialect, "dialect", dialect), _ATTR, None)


def is_encrypted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def _opened(value: str, dialect: Any, context: str) -> str:
    vault = of(dialect)
    if vault is None:
        raise VaultKeyError(MISSING)
    return vault.decrypt(value, context=context)


# ------------------------------------------------------------- column types


class VaultText(TypeDecorator[str]):
    """Text encrypted with the engine's identity vault; ``context`` is the column (``table.column``)."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if not isinstance(value, str) or value == "":
            return value
        value = scrub(value)
        vault = of(dialect)
        return vault.encrypt(value, context=self.context) if vault is not None else value

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return _opened(value, dialect, self.context) if is_encrypted(value) else value


class VaultJSON(TypeDecorator[Any]):
    """A JSON value stored as one encrypted JSON string (JSONB on PostgreSQL, like ``JSONType``).

    Nothing queries inside these columns, so the whole document is sealed as one value."""

    impl = JSON
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def load_dialect_impl(self, dialect: Any) -> Any:
        return dialect.type_descriptor(postgresql.JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        vault = of(dialect)
        return vault.encrypt(json_dumps(value), context=self.context) if vault is not None else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return json.loads(_opened(value, dialect, self.context)) if is_encrypted(value) else value
