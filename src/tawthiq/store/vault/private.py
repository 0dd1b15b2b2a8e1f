"""Files and folders only their owner can read, whatever the umask, and scratch space outside the workspace.

A seized laptop's other accounts, a backup tool running as another user or a
shared machine must not read evidence, keys or the database: every folder
the workspace makes is 0700 and every file 0600 from the moment it exists
(``os.open`` with an explicit mode, then ``chmod`` because the umask can only
remove bits, never be trusted to).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
# Memory-backed where the system has it: plaintext a tool needs as a file never reaches a disk. Only for
# files of known, moderate size with room to spare: a video spooled into RAM could exhaust the machine.
_RAM_DIRS = ("/dev/shm", "/run/shm")
RAM_SCRATCH_MAX = 256 * 1024 * 1024


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) 0700; an existing folder is tightened to 0700 too."""
    path = Path(path)
    missing: list[Path] = []
    cursor = path
    while not cursor.exists():
        missing.append(cursor)
        if cursor.parent == cursor:
            break
        cursor = cursor.parent
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for made in [*missing, path]:
        try:
            os.chmod(made, DIR_MODE)
        except OSError:
            pass
    return path


def private_file(path: Path) -> None:
    """Tighten an existing file to 0600 (no error when it has gone)."""
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, 0600 from the start."""
    path = Path(path)
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)  # mkstemp makes 0600 files
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_private(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` only if nothing is there yet, 0600 from the start; False when another
    writer made the file first (its file is kept: two first uses at once must not each keep a different key).

    The data goes to an O_EXCL temporary file, is fsynced, then hard-linked into place: a link fails on a taken
    name where a rename would silently replace it.
    """
    path = Path(path)
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def scratch_root(size_hint: int | None = 0) -> Path:
    """Where plaintext work files of an encrypted workspace go: never the workspace; RAM when the file's size
    is known, moderate and fits twice over, else the system's temporary folder (removed after use)."""
    if size_hint is not None and size_hint <= RAM_SCRATCH_MAX:
        for candidate in _RAM_DIRS:
            if os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
                try:
                    info = os.statvfs(candidate)
                except OSError:
                    continue
                if info.f_bavail * info.f_frsize > 2 * size_hint + 16 * 1024 * 1024:
                    return Path(candidate)
    return Path(tempfile.gettempdir())


@contextmanager
def scratch_dir(prefix: str = "tawthiq-", *, size_hint: int | None = 0) -> Iterator[Path]:
    """A 0700 folder outside the workspace, removed with everything in it when the block ends."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch_root(size_hint)))  # mkdtemp makes 0700 folders
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
