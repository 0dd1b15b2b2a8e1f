"""Records written once: a new file, atomically, under a name no earlier file holds, never replaced.

Fixity reports and trained models are records of what was found or made at a
time: each run writes a new file (``stem.suffix``, then ``stem-2.suffix``…),
through a temporary file that is fsynced and then hard-linked into place (a
link fails on a taken name, unlike a rename). With ``files_key`` the file,
temporary file included, holds the data sealed: the plaintext never touches
the disk.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .blobs import fsync_dir
from .private import private_dir
from .sealed import SealingWriter

__all__ = ["TEMP_PREFIX", "write_once"]

TEMP_PREFIX = ".tmp-"  # never a record's name, so an interrupted write is never taken for one


def write_once(directory: Path, stem: str, suffix: str, data: bytes, *, files_key: bytes | None = None,
               mode: int = 0o400) -> Path:
    """Write ``data`` to a new file in ``directory`` (made private if missing); returns its path."""
    if not directory.is_dir():
        private_dir(directory)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if files_key is None:
                out.write(data)
            else:
                writer = SealingWriter(out, files_key=files_key)
                writer.write(data)
                writer.close_with_header()
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        for attempt in range(1, 1000):
            target = directory / (f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}")
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            fsync_dir(directory)
            return target
        raise FileExistsError(f"no free name for {stem}{suffix} in {directory}")
    finally:
        tmp.unlink(missing_ok=True)
