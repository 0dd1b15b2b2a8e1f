"""Reading ZIP archives that an attacker may have built: WACZ files, zipped exports, zipped bags.

A ZIP received as evidence is hostile input. Its member names can point outside
the folder it is unpacked into (``../../etc``, ``/abs``, ``C:\\``), its members
can be symlinks or devices, its headers can declare small sizes for members that
inflate to gigabytes, and two members can share bytes (overlapping "zip bombs").
Everything is checked from the central directory before a byte is inflated, and
the sizes are enforced again while inflating, because headers can lie.

Every refusal is an :class:`IngestError` naming the member, so that a batch
reports one line for the archive and goes on.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from .errors import IngestError, one_line

_MiB = 1024 * 1024
_CHUNK = _MiB
# Unix "made by" system in the ZIP spec; only then does external_attr carry st_mode bits.
_UNIX = 3
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What an archive may hold before it is refused whole.

    ``max_ratio`` applies only to members bigger than ``ratio_floor``: a small
    file of repeated text can compress 200:1 harmlessly; a bomb has to be big.
    """

    max_members: int = 20_000
    max_member_size: int = 512 * _MiB
    max_total_size: int = 2048 * _MiB
    max_ratio: float = 100.0
    ratio_floor: int = _MiB
    max_name_length: int = 1024

    @classmethod
    def for_max_file_size(cls, max_file_size: int) -> ArchiveLimits:
        """Limits following the configured ingest file limit.

        A member is a file to be ingested, so it may be no bigger than any other
        file; the whole archive may unpack to 20 such files' worth (a Telegram
        export is many photos and videos), and never less than 64 MiB.
        """
        return cls(max_member_size=max_file_size, max_total_size=max(20 * max_file_size, 64 * _MiB))


DEFAULT_LIMITS = ArchiveLimits()


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """A regular file in the archive, as its (checked) central-directory entry declares it."""

    name: str
    size: int
    compressed_size: int


class SafeZip:
    """A ZIP archive whose members have all passed the checks; use :func:`open_zip`.

    Directory entries are accepted but not listed: only regular files are members.
    """

    def __init__(self, archive: zipfile.ZipFile, handle: IO[bytes], limits: ArchiveLimits) -> None:
        self._zip = archive
        self._handle = handle
        self._limits = limits
        self._members: dict[str, zipfile.ZipInfo] = {}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._handle.close()

    def names(self) -> list[str]:
        """Member names in archive order, without directory entries."""
        return list(self._members)

    def members(self) -> list[ArchiveMember]:
        return [ArchiveMember(name, info.file_size, info.compress_size) for name, info in self._members.items()]

    def __contains__(self, name: object) -> bool:
        return name in self._members

    def read(self, name: str) -> bytes:
        """The member's bytes, inflated under the size limits."""
        return b"".join(self._chunks(name))

    def extract_to(self, directory: Path) -> list[Path]:
        """Unpack every member into ``directory``, which must not exist yet; the paths written.

        The members are unpacked into a hidden sibling folder that is renamed to
        ``directory`` only when all of them are written and synced, so a failure
        (a lying header found halfway, a full disk) leaves nothing behind.
        """
        directory = Path(directory)
        if directory.exists() or directory.is_symlink():
            raise IngestError(f"cannot unpack into {directory}: it already exists")
        if not directory.parent.is_dir():
            raise IngestError(f"cannot unpack into {directory}: its parent folder does not exist")
        # Imported here: reading a web archive (warc.py) must not load the store (verify-package runs without one).
        from ..store.vault.blobs import fsync_dir

        staging = directory.parent / f".{directory.name}.partial-{uuid.uuid4().hex}"
        staging.mkdir(mode=0o700)
        try:
            relative = [self._write_member(name, staging) for name in self._members]
            fsync_dir(staging)
            os.rename(staging, directory)
            fsync_dir(directory.parent)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return [directory / part for part in relative]

    def _write_member(self, name: str, root: Path) -> Path:
        relative = Path(*name.split("/"))
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL|O_NOFOLLOW: the staging folder is ours and fresh, but never write through a link.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in self._chunks(name):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return relative

    def _chunks(self, name: str) -> Iterator[bytes]:
        info = self._members.get(name)
        if info is None:
            raise IngestError(f"archive has no member {name!r}")
        limits = self._limits
        produced = 0
        try:
            with self._zip.open(info) as member:
                # No member inflates past its declared size, and the declared sizes were
                # checked against the member and total limits, so these two checks bound both.
                while chunk := member.read(_CHUNK):
                    produced += len(chunk)
                    if produced > info.file_size:
                        raise IngestError(f"archive member {name!r} inflates beyond the size its header declares")
                    if produced > limits.max_member_size:
                        raise IngestError(f"archive member {name!r} is larger than {limits.max_member_size} bytes")
                    yield chunk
        except IngestError:
            raise
        except zipfile.BadZipFile as error:
            # zipfile stops at the declared size and then finds the CRC wrong.
            raise IngestError(f"archive member {name!r} is corrupt or its header lies: {one_line(str(error), limit=120)}") from None
        except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
            raise IngestError(f"archive member {name!r} cannot be read: {type(error).__name__}: {one_line(str(error), limit=120)}") from None
        except Exception as error:  # noqa: BLE001 - zlib/bz2/lzma raise their own types on hostile streams
            raise IngestError(f"archive member {name!r} cannot be read: {type(error).__name__}") from None
        if produced != info.file_size:
            raise IngestError(f"archive member {name!r} is {produced} bytes, its header says {info.file_size}")


def open_zip(source: Path | bytes, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> SafeZip:
    """Open a ZIP from a path or bytes and check every member before anything is read.

    Raises :class:`IngestError` for anything that is not a well-formed ZIP of
    regular files with safe, unique relative names within ``limits``.
    """
    handle: BinaryIO
    if isinstance(source, bytes | bytearray | memoryview):
        handle = io.BytesIO(bytes(source))
    else:
        try:
            fd = os.open(Path(source), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            raise IngestError(f"cannot open archive {Path(source).name}: {error.strerror or error}") from None
        handle = os.fdopen(fd, "rb")
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as error:
        handle.close()
        raise IngestError(f"not a ZIP archive or a corrupt one: {one_line(str(error), limit=120)}") from None
    except Exception as error:  # noqa: BLE001 - a hostile central directory trips many parsers
        handle.close()
        raise IngestError(f"corrupt ZIP archive: {type(error).__name__}") from None
    safe = SafeZip(archive, handle, limits)
    try:
        safe._members = _checked_members(archive.infolist(), limits)
    except BaseException:
        safe.close()
        raise
    return safe


def _checked_members(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > limits.max_members:
        raise IngestError(f"archive has {len(infos)} members, more than {limits.max_members}")
    members: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}  # folded name -> name as written, for duplicates
    folders: set[str] = set()
    total = 0
    for info in infos:
        raw = info.orig_filename  # zipfile cuts ``filename`` at a NUL; the original keeps it
        name = _checked_name(raw, limits)
        is_dir = raw.endswith("/")
        _check_kind(info, name, is_dir=is_dir)
        folded = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
        if folded in seen:
            raise IngestError(f"archive member {name!r} is a duplicate of {seen[folded]!r}")
        seen[folded] = name
        parts = name.rstrip("/").split("/")
        folders.update("/".join(parts[:i]).casefold() for i in range(1, len(parts)))
        if is_dir:
            continue
        if info.flag_bits & 0x1:
            raise IngestError(f"archive member {name!r} is encrypted")
        if info.file_size > limits.max_member_size:
            raise IngestError(f"archive member {name!r} is {info.file_size} bytes, more than {limits.max_member_size}")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise IngestError(f"archive member {name!r} compresses {ratio:.0f}:1, more than {limits.max_ratio:.0f}:1 (a zip bomb?)")
        total += info.file_size
        if total > limits.max_total_size:
            raise IngestError(f"archive unpacks to more than {limits.max_total_size} bytes (at member {name!r})")
        members[name] = info
    for name in members:
        if name.casefold() in folders:
            raise IngestError(f"archive member {name!r} is both a file and a folder")
    _check_no_overlap(list(members.values()))
    return members


def _checked_name(raw: str, limits: ArchiveLimits) -> str:
    shown = repr(raw[:200])
    if not raw or len(raw) > limits.max_name_length:
        raise IngestError(f"archive member name {shown} is empty or too long")
    if _CONTROL.search(raw):
        raise IngestError(f"archive member {shown} has a NUL or control character in its name")
    if "\\" in raw:
        raise IngestError(f"archive member {shown} has a backslash in its name")
    if raw.startswith("/") or _DRIVE.match(raw):
        raise IngestError(f"archive member {shown} has an absolute path")
    parts = raw.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise IngestError(f"archive member {shown} has an empty, '.' or '..' path component")
    return raw


def _check_kind(info: zipfile.ZipInfo, name: str, *, is_dir: bool) -> None:
    if info.create_system != _UNIX:
        return
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        raise IngestError(f"archive member {name!r} is a symlink")
    if kind == 0 or (is_dir and stat.S_ISDIR(mode)) or (not is_dir and stat.S_ISREG(mode)):
        return  # kind 0: the archiver recorded permissions only
    raise IngestError(f"archive member {name!r} is not a regular file (mode {oct(kind)})")


def _check_no_overlap(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse members whose data share bytes: the trick behind non-recursive zip bombs."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for before, after in zip(ordered, ordered[1:], strict=False):
        # 30 bytes of fixed local header precede the name and the data.
        name_bytes = len(before.orig_filename.encode("utf-8")) if before.flag_bits & 0x800 else len(before.orig_filename)
        end = before.header_offset + 30 + name_bytes + before.compress_size
        if after.header_offset < end:
            raise IngestError(f"archive members {before.orig_filename!r} and {after.orig_filename!r} overlap (a zip bomb?)")
