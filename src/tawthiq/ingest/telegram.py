"""Importing a Telegram Desktop export: its messages, then the photos and files they carry.

The export (a folder, or a ZIP of it) is hostile input like any other. Its
``result.json`` names media by relative path, and a path can be absolute,
climb out with ``..``, or pass through a symbolic link planted in the
folder; each is refused for that message and the import goes on. Folder
paths are walked one component at a time from a descriptor of the export
folder with ``O_NOFOLLOW``, so a link swapped in while importing is refused
too. A ZIP is read through :mod:`.safe_archive`, which refuses the archive
whole when its member names or kinds are unsafe.

Everything goes through the ordinary pipeline (``via="telegram export"``),
so originals, custody ("received", how: telegram export), duplicates and
derived copies follow the same rules as ``tawthiq ingest``. A message's
source is linked to each of its media sources ("attachment"), so the photo
is found from the message and the message from the photo.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from ..domain.errors import ProblemLine
from ..domain.originals import SourceLink
from ..store.vault.blobs import BlobStore
from .errors import IngestError, one_line
from .files import lstat_input
from .pipeline import IngestResult, ingest_bytes
from .readers.telegram import (
    MEDIA_FIELDS,
    TelegramMessage,
    is_not_included,
    iter_messages,
    load_export,
    message_metadata,
)
from .safe_archive import ArchiveLimits, SafeZip, open_zip

if TYPE_CHECKING:
    from ..extract.base import Extractor
    from ..store.db import Database
    from .stages import Stated

VIA = "telegram export"
RESULT_JSON = "result.json"
# Chat names and paths are the sender's text: never let them drive the terminal (escape sequences).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class MissingFile(IngestError):
    """A path the export names that is not in it (the export was copied incompletely, or edited)."""


@dataclass(slots=True)
class TelegramImport:
    """What one import did; ``problems`` are errors (exit 1), ``notes`` are facts about the export."""

    export: Path
    messages: int = 0
    new_sources: int = 0
    duplicates: int = 0
    media_stored: int = 0
    media_already: int = 0
    media_missing: int = 0
    media_refused: int = 0
    media_failed: int = 0
    media_not_included: int = 0
    service_skipped: int = 0
    unsupported_skipped: int = 0
    links_added: int = 0
    incidents: int = 0  # suggested from the messages' text (and the media's, when read)
    source_ids: list[int] = field(default_factory=list)  # the messages' sources, new or already stored
    media_ids: list[int] = field(default_factory=list)  # the media's sources, new or already stored
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"{self.messages} message(s): {self.new_sources} new source(s), {self.duplicates} already stored; "
                f"media: {self.media_stored} stored, {self.media_already} already stored, "
                f"{self.media_missing} missing, {self.media_refused} refused, {self.media_failed} unreadable, "
                f"{self.media_not_included} not included in the export; "
                f"{self.service_skipped} service message(s) skipped"
                + (f", {self.unsupported_skipped} that Telegram could not export" if self.unsupported_skipped else ""))


class ExportFiles(Protocol):
    """The files of one export, read by the relative paths its ``result.json`` gives."""

    name: str

    def read(self, parts: tuple[str, ...]) -> bytes:
        """The bytes of a regular file inside the export; :class:`MissingFile` or :class:`IngestError` if not."""
        ...

    def close(self) -> None: ...


def import_export(
    path: Path,
    *,
    db: Database,
    blobs: BlobStore,
    extractor: Extractor | None,
    max_file_size: int,
    actor: str = "system",
    reason: str = "",
    on_line: Callable[[str], None] | None = None,
    extra_metadata: dict[str, Any] | None = None,
    stated: Stated | None = None,
    url: str = "",
) -> TelegramImport:
    """Import the export at ``path`` (a folder, its ``result.json``, or a ZIP of the folder).

    Never raises for bad input: what could not be done is a line in
    ``problems`` (and passed to ``on_line`` as it happens). ``extra_metadata``
    and ``stated`` (what the person adding it said, from the web) are kept on
    every message and media source, as for an upload; ``url`` where a message
    has no link of its own.
    """
    outcome = TelegramImport(export=Path(path))

    def problem(line: str) -> None:
        outcome.problems.append(_shown(line))
        if on_line is not None:
            on_line(outcome.problems[-1])

    def note(line: str) -> None:
        outcome.notes.append(_shown(line))
        if on_line is not None:
            on_line(outcome.notes[-1])

    try:
        files = open_export(Path(path), max_file_size=max_file_size)
    except IngestError as error:
        problem(f"{path}: {error}")
        return outcome
    try:
        _import(files, outcome, db=db, blobs=blobs, extractor=extractor, max_file_size=max_file_size,
                actor=actor, reason=reason, problem=problem, note=note,
                given=_Given(extra=dict(extra_metadata or {}), stated=stated, url=url))
    finally:
        files.close()
    return outcome


@dataclass(frozen=True, slots=True)
class _Given:
    """What the person importing said about the export, kept on each of its sources."""

    extra: dict[str, Any] = field(default_factory=dict)
    stated: Stated | None = None
    url: str = ""  # kept where a message has no link of its own (a public channel's messages do)


def _import(files: ExportFiles, outcome: TelegramImport, *, db: Database, blobs: BlobStore,
            extractor: Extractor | None, max_file_size: int, actor: str, reason: str,
            problem: Callable[[str], None], note: Callable[[str], None], given: _Given) -> None:
    from ..store import repository
    from ..store.derivatives import add_link

    try:
        data = files.read((RESULT_JSON,))
    except MissingFile:
        problem(f"{files.name}: no {RESULT_JSON} here; is it a Telegram Desktop export in JSON format?")
        return
    except IngestError as error:
        problem(f"{files.name}: {RESULT_JSON} {error}")
        return
    try:
        export = load_export(data)
    except IngestError as error:
        problem(f"{files.name}: {RESULT_JSON}: {error}")
        return
    counts: dict[str, int] = {}
    messages = list(iter_messages(export, counts=counts))
    outcome.messages = len(messages)
    outcome.service_skipped = counts.get("service", 0)
    outcome.unsupported_skipped = counts.get("unsupported", 0)
    extra = {**given.extra, **({"received_reason": reason} if reason else {})} or None
    before = repository.count_sources(db)
    result = ingest_bytes(data, name=RESULT_JSON, db=db, blobs=blobs, extractor=extractor,
                          max_file_size=max_file_size, actor=actor, via=VIA, extra_metadata=extra,
                          stated=given.stated, url=given.url)
    outcome.source_ids = list(result.source_ids)
    outcome.incidents += int(result.incidents or 0)
    outcome.new_sources = max(0, repository.count_sources(db) - before)
    outcome.duplicates = max(0, len(result.source_ids) - outcome.new_sources)
    if result.error:  # some messages could not be read or stored: ingest's own line says which
        problem(ProblemLine(f"{files.name}/{RESULT_JSON}: {result.error}", kind="telegram.messages_problem",
                            reason=result.error))
    if not result.sha256 or not result.source_ids:
        return
    for message in messages:
        for field_name in MEDIA_FIELDS:
            value = message.data.get(field_name)
            if value in (None, ""):
                continue
            where = f"message {message.id} (chat {message.chat.label()})"
            # Which message and chat, and which of its media, for an interface that says the line in its language.
            said = {"message": message.id, "chat": message.chat.label(), "media": field_name}
            if is_not_included(value):
                outcome.media_not_included += 1
                note(ProblemLine(f"{where}: {field_name} not included in the export {value}",
                                 kind="telegram.media_not_included", **said, value=str(value)))
                continue
            try:
                stored = repository.find_source(db, sha256=result.sha256, record_key=message.record_key)
                if stored is None or stored.id is None:
                    continue  # the message itself was not stored; the pipeline already said why
                media = _import_media(files, message, field_name, value, db=db, blobs=blobs, extractor=extractor,
                                      max_file_size=max_file_size, actor=actor, reason=reason, outcome=outcome,
                                      where=where, said=said, problem=problem, given=given)
                outcome.media_ids += [media_id for media_id in media if media_id not in outcome.media_ids]
                details = {"message_id": message.id, "chat_id": message.chat.id, "field": field_name,
                           "path": str(value)}
                for media_id in media:
                    if media_id != stored.id and add_link(db, SourceLink(
                            from_source_id=stored.id, to_source_id=media_id, relation="attachment",
                            details=details)):
                        outcome.links_added += 1
            except Exception as error:  # noqa: BLE001 - a database or disk failure on one message; the rest goes on
                detail = f"{type(error).__name__}: {one_line(str(error), limit=160)}"
                problem(ProblemLine(f"{where}: {field_name} {value}: {detail}", kind="telegram.media_error", **said,
                                    path=str(value), detail=detail))


def _import_media(files: ExportFiles, message: TelegramMessage, field_name: str, value: object, *,
                  db: Database, blobs: BlobStore, extractor: Extractor | None, max_file_size: int, actor: str,
                  reason: str, outcome: TelegramImport, where: str, said: dict[str, Any],
                  problem: Callable[[str], None], given: _Given) -> list[int]:
    shown = str(value)
    try:
        parts = relative_parts(value)
        data = files.read(parts)
    except MissingFile:
        outcome.media_missing += 1
        problem(ProblemLine(f"{where}: {shown} is missing from the export", kind="telegram.media_missing", **said,
                            path=shown))
        return []
    except IngestError as error:  # phrased to follow the path: "is a symbolic link; ..."
        outcome.media_refused += 1
        problem(ProblemLine(f"{where}: {shown} {error}", kind="telegram.media_refused", **said, path=shown,
                            reason=ProblemLine.of(error)))
        return []
    telegram = {**message_metadata(message), "attachment_field": field_name, "attachment_path": "/".join(parts)}
    extra: dict[str, Any] = {**given.extra, "telegram": telegram}
    if reason:
        extra["received_reason"] = reason
    result: IngestResult = ingest_bytes(data, name=parts[-1], db=db, blobs=blobs, extractor=extractor,
                                        max_file_size=max_file_size, actor=actor, via=VIA, extra_metadata=extra,
                                        stated=given.stated, url=given.url)
    outcome.incidents += int(result.incidents or 0)
    if result.status == "new":
        outcome.media_stored += 1
    elif result.status == "duplicate":
        outcome.media_already += 1
    elif result.status == "failed":
        outcome.media_failed += 1
    if result.error:
        problem(ProblemLine(f"{where}: {shown}: {result.error}", kind="telegram.media_failed", **said, path=shown,
                            reason=result.error))
    return list(result.source_ids)


def _shown(line: str) -> str:
    text = _CONTROL.sub("?", one_line(line, limit=500))
    if not isinstance(line, ProblemLine):
        return text
    # The values are the export's text too (a chat's name, a path): made as safe to show as the line.
    return ProblemLine(text, kind=line.kind, **{name: _CONTROL.sub("?", one_line(value, limit=200))
                                                if isinstance(value, str) and not isinstance(value, ProblemLine)
                                                else value for name, value in line.values.items()})


def relative_parts(value: object) -> tuple[str, ...]:
    """The components of a media path, refusing anything that could leave the export folder.

    Backslashes count as separators too: an export written on Windows, or a
    crafted one, must not smuggle ``..\\`` past the check.
    """
    if not isinstance(value, str) or not value.strip():
        raise IngestError("is empty or not a path", kind="telegram.path_unsafe")
    if "\x00" in value:
        raise IngestError("contains a NUL character; refused", kind="telegram.path_unsafe")
    normal = value.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise IngestError("is an absolute path; only files inside the export are read", kind="telegram.path_unsafe")
    parts = tuple(part for part in normal.split("/") if part not in ("", "."))
    if ".." in parts:
        raise IngestError("climbs out of the export folder with '..'; only files inside the export are read",
                          kind="telegram.path_unsafe")
    if not parts:
        raise IngestError("names no file", kind="telegram.path_unsafe")
    return parts


def open_export(path: Path, *, max_file_size: int) -> ExportFiles:
    """The export's files: a folder, the folder of a given ``result.json``, or a ZIP."""
    info = lstat_input(path)
    if stat.S_ISDIR(info.st_mode):
        return FolderExport(path, max_file_size=max_file_size)
    if stat.S_ISLNK(info.st_mode):
        raise IngestError("is a symbolic link; links are not followed, give the export itself")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file or folder")
    if path.name.lower().endswith(".json"):
        if path.name != RESULT_JSON:
            raise IngestError(f"a Telegram export's JSON file is named {RESULT_JSON}")
        return FolderExport(path.parent, max_file_size=max_file_size)
    if path.suffix.lower() == ".zip" or _is_zip(path):
        return ZipExport(path, max_file_size=max_file_size)
    raise IngestError("expected a Telegram export folder, its result.json, or a .zip of that folder")


def _is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class FolderExport:
    """An unpacked export folder, read only through a descriptor of the folder itself."""

    def __init__(self, root: Path, *, max_file_size: int) -> None:
        self.name = str(root)
        self._max = max_file_size
        try:
            # The folder the person named may be reached through a link of theirs; what is inside may not.
            self._root = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError as error:
            raise IngestError(f"cannot open the export folder: {error.strerror or error}") from None

    def close(self) -> None:
        os.close(self._root)

    def read(self, parts: tuple[str, ...]) -> bytes:
        fds: list[int] = []
        try:
            here = self._root
            for position, part in enumerate(parts):
                last = position == len(parts) - 1
                # Errors read after the path: "photos/a.jpg is a symbolic link", "... passes through photos, ...".
                through = "" if last else f"passes through {'/'.join(parts[: position + 1])}, which "
                kind = self._kind(here, part, through=through)
                if not last and kind != "dir":
                    raise MissingFile(through)  # a file or device where the export has a folder
                if last and kind == "dir":
                    raise IngestError("is a folder, not a file", kind="telegram.path_not_file")
                if last and kind != "file":
                    raise IngestError("is not a regular file (a device, pipe or socket)", kind="telegram.path_not_file")
                fd = self._open(part, here, directory=not last, through=through)
                fds.append(fd)
                here = fd
            return self._read(fds[-1])
        finally:
            for fd in fds:
                os.close(fd)

    def _kind(self, folder: int, part: str, *, through: str) -> str:
        try:
            info = os.stat(part, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            raise MissingFile(through) from None
        except OSError as error:
            raise IngestError(f"{through}cannot be read: {error.strerror or error}", kind="telegram.path_unreadable",
                              detail=str(error.strerror or error)) from None
        if stat.S_ISLNK(info.st_mode):
            raise IngestError(f"{through}is a symbolic link; links in an export are not followed",
                              kind="telegram.path_link")
        if stat.S_ISDIR(info.st_mode):
            return "dir"
        return "file" if stat.S_ISREG(info.st_mode) else "other"

    def _open(self, part: str, folder: int, *, directory: bool, through: str) -> int:
        try:
            return os.open(part, _DIR_FLAGS if directory else _FILE_FLAGS, dir_fd=folder)
        except FileNotFoundError:
            raise MissingFile(through) from None
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.EMLINK):  # swapped for a link after the check
                raise IngestError(f"{through}is a symbolic link; links in an export are not followed",
                                  kind="telegram.path_link") from None
            raise IngestError(f"{through}cannot be read: {error.strerror or error}", kind="telegram.path_unreadable",
                              detail=str(error.strerror or error)) from None

    def _read(self, fd: int) -> bytes:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise IngestError("is not a regular file (a device, pipe or socket)", kind="telegram.path_not_file")
        _check_size(opened.st_size, self._max)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, 1024 * 1024):
            total += len(chunk)
            _check_size(total, self._max)  # the file may grow while it is read
            chunks.append(chunk)
        return b"".join(chunks)


class ZipExport:
    """A zipped export: ``result.json`` at the top or in one folder (Telegram names it ChatExport_…)."""

    def __init__(self, path: Path, *, max_file_size: int) -> None:
        self.name = str(path)
        self._zip: SafeZip = open_zip(path, limits=ArchiveLimits.for_max_file_size(max_file_size))
        try:
            self._prefix = self._find_root()
        except BaseException:
            self._zip.close()
            raise

    def _find_root(self) -> str:
        found = [name for name in self._zip.names() if PurePosixPath(name).name == RESULT_JSON]
        if not found:
            raise IngestError(f"the archive holds no {RESULT_JSON}; is it a Telegram Desktop JSON export?")
        shallowest = min(name.count("/") for name in found)
        top = [name for name in found if name.count("/") == shallowest]
        if len(top) > 1:
            raise IngestError(f"the archive holds several exports ({', '.join(sorted(top)[:3])}); zip one at a time")
        return top[0][: -len(RESULT_JSON)]

    def close(self) -> None:
        self._zip.close()

    def read(self, parts: tuple[str, ...]) -> bytes:
        name = self._prefix + "/".join(parts)
        if name not in self._zip:
            raise MissingFile(name)
        try:
            return self._zip.read(name)
        except IngestError as error:
            raise IngestError(f"could not be read from the archive: {error}", kind="telegram.path_unreadable",
                              detail=str(error)) from None


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise IngestError(f"is {size} bytes, over the size limit of {limit} bytes", kind="ingest.too_large",
                          size_bytes=size, limit_bytes=limit)
