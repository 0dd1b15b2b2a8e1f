"""Content-addressed store of original files, byte-for-byte.

Originals are evidence: they are written once, atomically, named by their
SHA-256, and made read-only, so a re-ingest is a no-op and a crash part-way
through a write never leaves a file under a real hash name.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ...domain.errors import IngestError

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
    """Originals under ``root/sha256/ab/cd/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        sha = _check_sha(sha)
        return self.root / "sha256" / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def get(self, sha: str) -> bytes:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            raise KeyError(sha) from None

    def verify(self, sha: str) -> bool:
        """True when the stored bytes still hash to their name."""
        target = self.path(sha)
        return target.is_file() and sha256_file(target) == sha

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256. A no-op when an intact copy is already there."""
        sha = sha256_bytes(data)
        target = self.path(sha)
        if target.is_file() and self.verify(sha):
            return sha
        self._write_atomic(target, [data])
        return sha

    def put_file(self, source: Path | BinaryIO, *, max_size: int | None = None,
                 check: Callable[[Path, str], None] | None = None) -> str:
        """Store a file (a path, or a handle opened by the caller), hashing it in chunks while copying it.

        Never holds the file in memory. ``max_size`` refuses (IngestError) a
        file that turns out larger than that while it is copied. ``check``
        is shown the complete temporary copy and its sha256 before the copy
        is given its name, and refuses it by raising: nothing is then stored,
        so a caller can inspect exactly the bytes that would be kept (a media
        probe) without reading the source twice.
        """
        target_dir = self.root / "sha256"
        target_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target_dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, _reading(source) as handle:
                copied = 0
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    copied += len(chunk)
                    if max_size is not None and copied > max_size:
                        raise IngestError(f"file grew past the size limit of {max_size:,} bytes while being read")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if check is not None:
                check(tmp, sha)
            target = self.path(sha)
            if target.is_file() and self.verify(sha):
                tmp.unlink()
                return sha
            target.parent.mkdir(parents=True, exist_ok=True)
            _replace_read_only(tmp, target)
            return sha
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def iter_shas(self) -> Iterator[str]:
        """Every stored blob name (temp files of interrupted writes are not blobs)."""
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for path in sorted(base.glob("??/??/*")):
            if _SHA_RE.match(path.name) and path.is_file():
                yield path.name

    def _write_atomic(self, target: Path, chunks: list[bytes]) -> None:
        # The temp file sits in the target's own directory so os.replace is a
        # same-filesystem rename: readers see either no file or the whole file.
        target.parent.mkdir(parents=True, exist_ok=True)
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


@contextmanager
def _reading(source: Path | BinaryIO) -> Iterator[BinaryIO]:
    """A handle on ``source``: opened here for a path (and closed), the caller's own otherwise."""
    if isinstance(source, Path | str):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


def _replace_read_only(tmp: Path, target: Path) -> None:
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
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
