"""Ingest as every edge asks for it: files and folders, pasted text, an upload, a capture, a Telegram export.

Each function runs the one pipeline (:mod:`tawthiq.ingest.pipeline`, its
stages in :mod:`tawthiq.ingest.stages`) wired to the workspace by
:func:`_wiring`: its database, its evidence store, its extractor and its
size limit. Nothing else wires ingest.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypedDict

from ..domain.access import Action, User, allowed
from . import Workspace
from .errors import PermissionDenied, ServiceError

if TYPE_CHECKING:
    from ..extract.base import Extractor
    from ..ingest.pipeline import IngestResult
    from ..ingest.readers import ColumnMapping
    from ..ingest.telegram import TelegramImport
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore

UPLOAD_VIA = "web upload"  # how pasted text and uploads reach us, for their custody "received" entry
FILES_VIA = "tawthiq ingest"


class _Wiring(TypedDict):
    db: Database
    blobs: BlobStore
    extractor: Extractor
    max_file_size: int


def _wiring(ws: Workspace) -> _Wiring:
    """The one place ingest is wired to a workspace (and its evidence folder made, the first time)."""
    ws.settings.data_dir.mkdir(parents=True, exist_ok=True)
    return _Wiring(db=ws.db, blobs=ws.blobs, extractor=ws.extractor, max_file_size=ws.settings.max_file_size)


def ingest_files(ws: Workspace, paths: Iterable[Path], *, mapping: ColumnMapping | None = None,
                 on_result: Callable[[IngestResult], None] | None = None, actor: str = "system",
                 reason: str = "", link: bool = False,
                 on_note: Callable[[str], None] | None = None) -> list[IngestResult]:
    """Every file under ``paths`` (``tawthiq ingest``); one bad file is one result and the batch goes on.

    ``reason`` (a command's ``--reason``) is kept in each new source's custody entry. With ``link``
    the batch's new incidents are linked with the record once it is stored (its line goes to ``on_note``).
    """
    from ..ingest.pipeline import ingest_paths

    return ingest_paths(paths, **_wiring(ws), mapping=mapping, on_result=on_result, actor=actor, via=FILES_VIA,
                        extra_metadata={"received_reason": reason} if reason else None,
                        stages=_stages(ws, link=link), on_note=on_note)


def _stages(ws: Workspace, *, link: bool) -> list[Any]:
    """The declared stages, and the link stage after them when asked for."""
    from ..ingest.stages import DEFAULT_STAGES

    if not link:
        return list(DEFAULT_STAGES)
    from .linking import LinkStage

    return [*DEFAULT_STAGES, LinkStage(ws)]


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files ``paths`` name, folders walked recursively (hidden files, symlinks and a folder's README
    skipped), in the order ingest takes them."""
    from ..ingest.pipeline import iter_input_files

    return list(iter_input_files(list(paths)))


def column_mapping(pairs: Iterable[str]) -> ColumnMapping:
    """``FIELD=COLUMN`` pairs for CSV/JSON batches; a bad pair is an IngestError (one line)."""
    from ..ingest.readers import ColumnMapping

    return ColumnMapping.parse(tuple(pairs))


def ingest_bytes(ws: Workspace, data: bytes, *, name: str, actor: str, via: str, url: str = "",
                 extra_metadata: dict[str, Any] | None = None) -> IngestResult:
    """One file held in memory (a capture's body, say); ``name`` is its name as received.

    ``url`` and ``extra_metadata`` are kept on every source read from it
    (see :func:`tawthiq.ingest.pipeline.ingest_bytes`).
    """
    from ..ingest import pipeline

    return pipeline.ingest_bytes(data, name=name, **_wiring(ws), actor=actor, via=via, url=url,
                                 extra_metadata=extra_metadata)


def ingest_text(ws: Workspace, *, user: User, text: str, title: str = "", language: str = "") -> IngestResult:
    """Pasted text through the same pipeline as ``tawthiq ingest``.

    ``title`` replaces the reader's guess (the first line); ``language`` is
    recorded with the upload (the reader detects the language it extracts with).
    """
    if not (text or "").strip():
        raise ServiceError("paste some text to add")
    return _upload(ws, user, text.encode("utf-8"), "pasted.txt", title=title.strip(), language=language.strip())


def ingest_upload(ws: Workspace, *, user: User, filename: str, data: bytes) -> IngestResult:
    """An uploaded file; only its base name is kept, whatever path the browser sent."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:255]  # it is shown and logged
    if name in ("", ".", ".."):
        name = "upload"
    return _upload(ws, user, data, name)


def _upload(ws: Workspace, user: User, data: bytes, name: str, *, title: str = "",
            language: str = "") -> IngestResult:
    from ..domain.printable import human_size
    from ..store import edits

    _require(user, Action.INGEST)
    limit = ws.settings.max_file_size
    if len(data) > limit:
        raise ServiceError(f"{name} is {human_size(len(data))}, over the size limit of {human_size(limit)}")
    result = ingest_bytes(ws, data, name=name, actor=user.username, via=UPLOAD_VIA)
    if result.status == "failed":
        raise ServiceError(f"{name}: {result.error}")
    with ws.db.session(write=True) as session:
        for source_id in result.source_ids:
            edits.record_upload(session, source_id, user=user.username,
                                title=title if result.status != "duplicate" else "", after={
                "name": name, "status": result.status, "incidents": result.incidents,
                **({"language": language} if language else {})})
    return result


def import_telegram(ws: Workspace, path: Path, *, actor: str, reason: str = "",
                    on_line: Callable[[str], None] | None = None) -> TelegramImport:
    """A Telegram Desktop export (its folder, its ``result.json``, or a ZIP of the folder).

    Never raises for bad input: what could not be done is a line in the
    outcome's ``problems``, passed to ``on_line`` as it happens.
    """
    from ..ingest.telegram import import_export

    return import_export(path, **_wiring(ws), actor=actor, reason=reason, on_line=on_line)


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")
