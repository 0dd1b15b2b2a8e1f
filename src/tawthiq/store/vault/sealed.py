"""Files sealed with authenticated encryption, written and read as a stream of chunks.

Layout of a sealed file::

    "TWQS1\\n" | header nonce (12) | header (80: AEAD of file key (32) + plaintext sha256 (32))
              | chunk 0 | chunk 1 | ... | last chunk

Each file has its own random 32-byte key, sealed in the header under the
workspace's file key (so a copy of one file's key opens nothing else).
Chunks are AES-256-GCM (with AES-NI, four times ChaCha20-Poly1305's speed
here) over 64 KiB of plaintext each; the nonce is the chunk's counter and a
last-chunk flag (the STREAM construction of Hoang,
Reyhanitabar, Rogaway and Vizár, as ``age`` uses it), so a chunk moved,
dropped, repeated or a file cut short fails to open. The header keeps the
SHA-256 of the plaintext: custody is about the evidence's own bytes, and the
store can list what it holds without the database. The header is written
last (its place reserved), once the hash is known.
"""
from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from typing import BinaryIO

MAGIC = b"TWQS1\n"
CHUNK = 64 * 1024
TAG = 16
HEADER_NONCE = 12
HEADER = 32 + 32 + TAG
PREFIX = len(MAGIC) + HEADER_NONCE + HEADER
_HEADER_AAD = b"tawthiq sealed file header"


class SealError(ValueError):
    """Bytes that are not a sealed file, or that were changed since they were sealed."""


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealingWriter:
    """Encrypts what is written to it into ``out`` (a seekable file), hashing the plaintext as it goes.

    ``close_with_header`` writes the last chunk and then the header in the
    space reserved at the start; it returns the plaintext's sha256.
    """

    def __init__(self, out: BinaryIO, *, files_key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._out = out
        self._files_key = files_key
        self._file_key = os.urandom(32)
        self._aead = AESGCM(self._file_key)
        self._buffer = bytearray()
        self._counter = 0
        self._digest = hashlib.sha256()
        self.size = 0
        out.write(b"\x00" * PREFIX)

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        self._buffer += data
        # A full chunk is held back until more arrives: only then is it known not to be the last.
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), chunk, None))
        self._counter += 1

    def close_with_header(self) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        sha = self._digest.hexdigest()
        nonce = os.urandom(HEADER_NONCE)
        header = AESGCM(self._files_key).encrypt(nonce, self._file_key + bytes.fromhex(sha), _HEADER_AAD)
        self._out.seek(0)
        self._out.write(MAGIC + nonce + header)
        self._out.seek(0, os.SEEK_END)
        return sha


def read_header(handle: BinaryIO, *, files_key: bytes) -> tuple[bytes, str]:
    """The file's own key and the sha256 of its plaintext; SealError when the header was changed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    prefix = handle.read(PREFIX)
    if len(prefix) != PREFIX or not prefix.startswith(MAGIC):
        raise SealError("not a sealed file (no header)")
    nonce = prefix[len(MAGIC):len(MAGIC) + HEADER_NONCE]
    try:
        opened = AESGCM(files_key).decrypt(nonce, prefix[len(MAGIC) + HEADER_NONCE:], _HEADER_AAD)
    except InvalidTag:
        raise SealError("its header fails authentication (changed, or sealed under another key)") from None
    return opened[:32], opened[32:].hex()


def iter_plain(handle: BinaryIO, *, files_key: bytes) -> Iterator[bytes]:
    """The plaintext, chunk by chunk, each checked before it is given out; SealError on any change."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    file_key, _sha = read_header(handle, files_key=files_key)
    aead = AESGCM(file_key)
    counter = 0
    current = handle.read(CHUNK + TAG)
    while True:
        following = handle.read(CHUNK + TAG) if len(current) == CHUNK + TAG else b""
        last = not following
        try:
            yield aead.decrypt(_nonce(counter, last), current, None)
        except InvalidTag:
            raise SealError(f"chunk {counter} fails authentication (the file was changed, cut short or "
                            "reordered)") from None
        if last:
            return
        counter, current = counter + 1, following


def plain_size(sealed_size: int) -> int:
    """The plaintext's size from the sealed file's, without opening it."""
    body = max(0, sealed_size - PREFIX)
    chunks = max(1, -(-body // (CHUNK + TAG)))
    return max(0, body - chunks * TAG)


class PlainReader(io.RawIOBase):
    """A read-only file object over a sealed file's plaintext (checked chunk by chunk)."""

    def __init__(self, handle: BinaryIO, *, files_key: bytes) -> None:
        super().__init__()
        self._handle = handle
        self._chunks = iter_plain(handle, files_key=files_key)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        try:
            self._handle.close()
        finally:
            super().close()
