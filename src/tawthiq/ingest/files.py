"""Input files: which files a batch names, and opening each one safely.

Paths given to ``tawthiq ingest`` are walked here, and each file is opened
only if it is a regular file under the size limit (links, devices and
oversized files are refused by name, before a byte is read). The
database's own files and the evidence store are never inputs.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..domain.printable import human_size
from .errors import IngestError

if TYPE_CHECKING:
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under ``paths``, recursively, in sorted order, skipping hidden files and folders.

    A folder's ``README`` (any extension) is skipped too: it describes the
    collection, it is not a report, and its words ("demonstration", a
    group's name) would otherwise become suggested incidents. A README named
    explicitly is ingested like any file.

    Symbolic links are yielded, not followed, so that ingest can refuse them
    by name: following them could read files outside the folder given.
    Paths that do not exist are yielded too, to be reported as missing.
    """
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        try:
            info = os.lstat(path)
        except OSError:
            yield path
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, seen)
        elif path not in seen:
            seen.add(path)
            yield path


def _walk(directory: Path, seen: set[Path]) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        yield directory  # unreadable folder: reported as a failure, the batch goes on
        return
    for entry in entries:
        if entry.name.startswith(".") or _is_readme(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, seen)
        elif path not in seen:
            seen.add(path)
            yield path


def _is_readme(name: str) -> bool:
    return name.split(".", 1)[0].upper() == "README"


def lstat_input(path: Path) -> os.stat_result:
    """The path's own status (a link is not followed), or one line saying why it cannot be read."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        raise IngestError("no such file or folder") from None
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror or error}") from None


def open_input_file(path: Path, *, max_file_size: int) -> BinaryIO:
    """A regular file opened for reading, refusing links, devices and files over the size limit first."""
    info = lstat_input(path)
    if stat.S_ISLNK(info.st_mode):
        raise IngestError("is a symbolic link; links are not followed, ingest the file it points to instead")
    if stat.S_ISDIR(info.st_mode):
        raise IngestError("cannot read this folder")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file (a device, pipe or socket)")
    check_size(info.st_size, max_file_size)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror or error}") from None
    handle = os.fdopen(fd, "rb")
    try:
        # The file can change between lstat and open; check what was opened (readers never read past the limit).
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise IngestError("not a regular file (a device, pipe or socket)")
        check_size(opened.st_size, max_file_size)
    except BaseException:
        handle.close()
        raise
    return handle


def read_all(handle: BinaryIO, *, max_file_size: int) -> bytes:
    """Everything left in ``handle``, refusing it (without reading further) once it passes the limit."""
    data = handle.read(max_file_size + 1)
    check_size(len(data), max_file_size)
    return data


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise IngestError(f"file is {human_size(size)}, over the size limit of {human_size(limit)}", kind="ingest.too_large",
                          size_bytes=size, limit_bytes=limit)


class OwnFiles:
    """The evidence store and the SQLite database files, which are never reports.

    ``tawthiq ingest .`` run beside the database must not ingest it, nor
    the stored originals.
    """

    def __init__(self, *, db: Database, blobs: BlobStore) -> None:
        self.files: set[Path] = set()
        url = str(getattr(db, "url", ""))
        if url.startswith("sqlite:///"):
            database = Path(url.removeprefix("sqlite:///").split("?", 1)[0]).resolve()
            self.files = {database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
        self.root = blobs.root.resolve()

    def __contains__(self, path: object) -> bool:
        try:
            resolved = Path(str(path)).resolve()
        except (OSError, RuntimeError):
            return False
        return resolved in self.files or resolved.is_relative_to(self.root)
