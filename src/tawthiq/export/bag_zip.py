"""A package that arrives as a .zip: unpacked safely into a scratch folder, then treated as a bag folder.

The archive is hostile until checked, so it goes through
``ingest.safe_archive`` (no traversal, links, devices, bombs or lying
headers) and is unpacked whole or not at all; the bag inside is then checked
like any other. The scratch folder is removed afterwards, whatever happens.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_MiB = 1024 * 1024


class BagZipError(Exception):
    """The zip could not be unpacked as a package; one line."""


def is_zip(path: Path) -> bool:
    return Path(path).is_file() and not Path(path).is_symlink() and zipfile.is_zipfile(path)


@contextmanager
def unpacked(path: Path, *, scratch: Path | None = None, max_file_size: int = 512 * _MiB) -> Iterator[Path]:
    """The bag folder inside a zipped package (at its root, or in its one top folder)."""
    from ..ingest.errors import IngestError
    from ..ingest.safe_archive import ArchiveLimits, open_zip

    # A package holds originals (each within the ingest limit) and the copies made from them.
    limits = ArchiveLimits(max_members=200_000, max_member_size=max(2 * max_file_size, 512 * _MiB),
                           max_total_size=64 * 1024 * _MiB)
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".package-unzip-", dir=scratch))
    try:
        try:
            with open_zip(Path(path), limits=limits) as archive:
                archive.extract_to(folder / "bag")
        except IngestError as exc:
            raise BagZipError(f"{Path(path).name}: {exc}") from None
        root = folder / "bag"
        if not (root / "bagit.txt").is_file():
            inner = [p for p in root.iterdir() if p.is_dir()]
            if len(inner) == 1 and (inner[0] / "bagit.txt").is_file() and len(list(root.iterdir())) == 1:
                root = inner[0]
            else:
                raise BagZipError(f"{Path(path).name}: no bag inside (no bagit.txt at its root or in one top folder)")
        yield root
    finally:
        shutil.rmtree(folder, ignore_errors=True)
