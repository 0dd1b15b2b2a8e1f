"""Content-addressed store of original files, byte-for-byte.

Originals are evidence: they are written once, atomically, named by their
SHA-256, and made read-only (0400, the owner's only), so a re-ingest is a
no-op and a crash part-way through a write never leaves a file under a real
hash name.

In an encrypted workspace (``keys`` given) each file is sealed
(:mod:`.sealed`) and named by HMAC-SHA256(name key, sha256) instead, so the
names do not confirm that a known file is held; the store still answers by
the plaintext's sha256. Readers go through :meth:`BlobStore.open`,
:meth:`~BlobStore.iter_chunks`, :meth:`~BlobStore.get` or
:meth:`~BlobStore.local_path` (a tool that needs a real file), which work on
both kinds of store.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ...domain.errors import IngestError
from .keys import SubKeys
from .private import private_dir, scratch_dir
from .sealed import PlainReader, SealError, SealingWriter, iter_plain, plain_size, read_header

CHUNK = 1024 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_TEMP_PREFIX = ".tmp-"  # never a valid sha256 name, so a crashed write is never taken for a blob


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Same digest as ``sha256sum``, read in chunks so large files do not fill memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore:
    """Originals under ``root/sha256/ab/cd/<name>``: the sha256 itself, or its HMAC when encrypted."""

    def __init__(self, root: Path, *, keys: SubKeys | None = None) -> None:
        self.root = Path(root)
        self.keys = keys

    def __repr__(self) -> str:
        return f"BlobStore({str(self.root)!r}, encrypted={self.encrypted})"

    @property
    def encrypted(self) -> bool:
        return self.keys is not None

    def with_root(self, root: Path) -> BlobStore:
        """A store at another folder sealed (or not) like this one: the working copies beside the originals."""
        return BlobStore(root, keys=self.keys)

    def path(self, sha: str) -> Path:
        """Where the stored file is. Encrypted: sealed bytes, so read through :meth:`open`, never directly."""
        name = self._name(_check_sha(sha))
        return self.root / "sha256" / name[:2] / name[2:4] / name

    def _name(self, sha: str) -> str:
        if self.keys is None:
            return sha
        import hmac

        return hmac.new(self.keys.names, sha.encode("ascii"), hashlib.sha256).hexdigest()

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def get(self, sha: str) -> bytes:
        try:
            if self.keys is None:
                return self.path(sha).read_bytes()
            return b"".join(self.iter_chunks(sha))
        except FileNotFoundError:
            raise KeyError(sha) from None

    @contextmanager
    def open(self, sha: str) -> Iterator[BinaryIO]:
        """The stored file's bytes (the plaintext when sealed, checked as it is read); FileNotFoundError if absent."""
        handle = open(self.path(sha), "rb")
        if self.keys is None:
            with handle:
                yield handle
            return
        reader = io.BufferedReader(PlainReader(handle, files_key=self.keys.files), buffer_size=CHUNK)
        with reader:
            yield reader

    def iter_chunks(self, sha: str) -> Iterator[bytes]:
        """The stored bytes in chunks; a sealed file's chunks are each checked before they are given."""
        with open(self.path(sha), "rb") as handle:
            if self.keys is None:
                yield from iter(lambda: handle.read(CHUNK), b"")
            else:
                yield from iter_plain(handle, files_key=self.keys.files)

    def size(self, sha: str) -> int:
        """The size of the stored file's bytes (the plaintext's when sealed)."""
        stored = self.path(sha).stat().st_size
        return stored if self.keys is None else plain_size(stored)

    @contextmanager
    def local_path(self, sha: str, *, suffix: str = "") -> Iterator[Path]:
        """A path a tool can open: the file itself, or a decrypted copy outside the workspace, removed after."""
        if self.keys is None:
            yield self.path(sha)
            return
        with scratch_dir(prefix="tawthiq-open-", size_hint=self.size(sha)) as folder:
            target = folder / f"file{suffix}"
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                for chunk in self.iter_chunks(sha):
                    out.write(chunk)
            yield target

    def rehash(self, sha: str) -> str:
        """The sha256 of the stored bytes now (of the checked plaintext when sealed).

        OSError when the file cannot be read; for a sealed file, SealError when
        its header or any chunk fails authentication.
        """
        if self.keys is None:
            return sha256_file(self.path(sha))
        digest = hashlib.sha256()
        for chunk in self.iter_chunks(sha):
            digest.update(chunk)
        return digest.hexdigest()

    def verify(self, sha: str) -> bool:
        """True when the stored bytes still hash to their name."""
        target = self.path(sha)
        if not target.is_file():
            return False
        try:
            return self.rehash(sha) == sha
        except SealError:
            return False

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256. A no-op when an intact copy is already there."""
        sha = sha256_bytes(data)
        target = self.path(sha)
        if target.is_file() and self.verify(sha):
            return sha
        if self.keys is None:
            self._write_atomic(target, [data])
        else:
            self._put_sealed(io.BytesIO(data))
        return sha

    def put_file(self, source: Path | BinaryIO, *, max_size: int | None = None,
                 check: Callable[[Path, str], None] | None = None) -> str:
        """Store a file (a path, or a handle opened by the caller), hashing it in chunks while copying it.

        Never holds the file in memory. ``max_size`` refuses (IngestError) a
        file that turns out larger than that while it is copied. ``check``
        is shown the complete temporary copy and its sha256 before the copy
        is given its name, and refuses it by raising: nothing is then stored,
        so a caller can inspect exactly the bytes that would be kept (a media
        probe) without reading the source twice. In an encrypted store that
        copy is plaintext, so it is made outside the workspace (in memory
        where the system allows) and removed when the call ends.
        """
        if self.keys is not None:
            return self._put_file_sealed(source, max_size=max_size, check=check)
        digest = hashlib.sha256()
        with self._temp_blob() as (fd, tmp):
            with os.fdopen(fd, "wb") as out, _reading(source) as handle:
                _copy_limited(handle, out, digest, max_size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if check is not None:
                check(tmp, sha)
            return self._name_temp(tmp, sha)

    def _put_file_sealed(self, source: Path | BinaryIO, *, max_size: int | None,
                         check: Callable[[Path, str], None] | None) -> str:
        if check is None:
            with _reading(source) as handle:
                return self._put_sealed(handle, max_size=max_size)
        with scratch_dir(prefix="tawthiq-spool-", size_hint=_size_of(source)) as folder:
            spool = folder / "spool"
            digest = hashlib.sha256()
            fd = os.open(spool, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out, _reading(source) as handle:
                _copy_limited(handle, out, digest, max_size)
            sha = digest.hexdigest()
            check(spool, sha)
            if self.path(sha).is_file() and self.verify(sha):
                return sha
            with open(spool, "rb") as handle:
                return self._put_sealed(handle)

    def _put_sealed(self, handle: BinaryIO, *, max_size: int | None = None) -> str:
        """Seal ``handle``'s bytes into a temp file beside the blobs, then name it by the HMAC of their hash."""
        assert self.keys is not None
        with self._temp_blob() as (fd, tmp):
            with os.fdopen(fd, "w+b") as out:
                writer = SealingWriter(out, files_key=self.keys.files)
                _copy_limited(handle, writer, None, max_size)
                sha = writer.close_with_header()
                out.flush()
                os.fsync(out.fileno())
            return self._name_temp(tmp, sha)

    @contextmanager
    def _temp_blob(self) -> Iterator[tuple[int, Path]]:
        """A new temp file beside the blobs (the same file system, so naming it is a rename), removed when the
        write fails; its name is what :meth:`_name_temp` gives it once its hash is known."""
        fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=private_dir(self.root / "sha256"))
        tmp = Path(tmp_name)
        try:
            yield fd, tmp
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _name_temp(self, tmp: Path, sha: str) -> str:
        """Give a complete temp file its blob name, read-only; when an intact copy is there already, drop it."""
        target = self.path(sha)
        if target.is_file() and self.verify(sha):
            tmp.unlink()
            return sha
        private_dir(target.parent)
        _replace_read_only(tmp, target)
        return sha

    def iter_shas(self) -> Iterator[str]:
        """Every stored blob's sha256 (temp files of interrupted writes are not blobs).

        A sealed file's sha256 is read from its header and must match its
        name; one whose header fails is left out here (verify reports it).
        """
        for path in self._stored_files():
            if self.keys is None:
                yield path.name
                continue
            sha = self.sealed_sha(path)
            if sha is not None:
                yield sha

    def _stored_files(self) -> Iterator[Path]:
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for path in sorted(base.glob("??/??/*")):
            if _SHA_RE.match(path.name) and path.is_file():
                yield path

    def sealed_sha(self, path: Path) -> str | None:
        """The plaintext sha256 a sealed file's header names, when the header opens and matches the file's name."""
        assert self.keys is not None
        try:
            with open(path, "rb") as handle:
                _key, sha = read_header(handle, files_key=self.keys.files)
        except (OSError, SealError):
            return None
        return sha if self._name(sha) == path.name else None

    def unreadable(self) -> Iterator[Path]:
        """Sealed files whose header does not open or does not match their name (none in a plain store)."""
        if self.keys is None:
            return
        for path in self._stored_files():
            if self.sealed_sha(path) is None:
                yield path

    def _write_atomic(self, target: Path, chunks: list[bytes]) -> None:
        # The temp file sits in the target's own directory so os.replace is a
        # same-filesystem rename: readers see either no file or the whole file.
        private_dir(target.parent)
        fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            _replace_read_only(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _size_of(source: Path | BinaryIO) -> int | None:
    """The size of what is about to be read, when the file system can tell; None when it cannot."""
    try:
        if isinstance(source, Path | str):
            return os.stat(source).st_size
        return os.fstat(source.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return None


def _copy_limited(handle: BinaryIO, out: Any, digest: Any, max_size: int | None) -> None:
    copied = 0
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        copied += len(chunk)
        if max_size is not None and copied > max_size:
            raise IngestError(f"file grew past the size limit of {max_size:,} bytes while being read")
        if digest is not None:
            digest.update(chunk)
        out.write(chunk)


@contextmanager
def _reading(source: Path | BinaryIO) -> Iterator[BinaryIO]:
    """A handle on ``source``: opened here for a path (and closed), the caller's own otherwise."""
    if isinstance(source, Path | str):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


def _replace_read_only(tmp: Path, target: Path) -> None:
    os.chmod(tmp, stat.S_IRUSR)  # read-only, and the owner's only
    os.replace(tmp, target)
    fsync_dir(target.parent)


def fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; not every platform lets a directory be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _check_sha(sha: str) -> str:
    # The name becomes a path: anything but 64 hex digits could walk out of root.
    if not isinstance(sha, str) or not _SHA_RE.match(sha):
        raise IngestError(f"not a SHA-256 hex digest: {sha!r}")
    return sha
