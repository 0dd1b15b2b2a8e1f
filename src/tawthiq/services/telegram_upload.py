"""A Telegram Desktop export uploaded from the web: its ``result.json`` alone, or a ZIP of the export folder.

The same import as ``tawthiq telegram`` (:mod:`tawthiq.ingest.telegram`),
by a signed-in user whose role is checked here, with the provenance the Add
forms ask for (:class:`~.ingest.Provenance`). The upload is written to a
private temporary folder under a name this module chooses (never the
browser's), because the importer reads an export from disk; the folder is
removed when the import is done.

A file that cannot be an export at all (not JSON, not a Telegram export, a
broken archive, too big) is refused whole with a :class:`TelegramUploadError`
whose ``key`` an interface says in its own language; anything wrong with
one message or one photo is a line of the outcome and the import goes on.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.access import User
from ..domain.errors import ProblemLine
from . import Workspace
from .errors import ServiceError
from .ingest import Provenance, check_provenance

if TYPE_CHECKING:
    from ..ingest.telegram import TelegramImport

__all__ = ["TelegramUpload", "TelegramUploadError", "import_telegram_upload"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive's end record


class TelegramUploadError(ServiceError):
    """The upload is not an export that can be read; nothing was stored.

    ``key`` is one of ``empty``, ``too_large``, ``not_json``, ``not_export``
    and ``bad_archive``; ``detail`` is the importer's own (English) line, if any.
    """

    def __init__(self, message: str, *, key: str, detail: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.detail = detail


@dataclass(slots=True)
class TelegramUpload:
    """What one uploaded export gave: the importer's outcome, for the result page."""

    name: str
    outcome: TelegramImport

    @property
    def stored_ids(self) -> list[int]:
        """Every source the export is now in (messages first), for listing the incidents suggested."""
        return list(dict.fromkeys([*self.outcome.source_ids, *self.outcome.media_ids]))


def import_telegram_upload(ws: Workspace, *, user: User, filename: str, data: bytes,
                           provenance: Provenance | None = None) -> TelegramUpload:
    """Import an uploaded export (``result.json`` or a ZIP of the export folder) as ``user``.

    Raises :class:`TelegramUploadError` for a file that is not a readable
    export, PermissionDenied for a role that may not add material (or grade
    it), and ProvenanceError never (``provenance`` is checked when made).
    """
    from ..ingest.telegram import RESULT_JSON, import_export
    from .ingest import _stated, _wiring

    given = provenance or Provenance()
    check_provenance(user=user, provenance=given)
    limit = ws.settings.max_file_size
    if not data:
        raise TelegramUploadError(f"{filename} is empty", key="empty")
    if len(data) > limit:
        raise TelegramUploadError(f"{filename} is over the size limit", key="too_large")
    archive = data.startswith(_ZIP_MAGIC)
    if not archive:
        _check_result_json(data)
    with tempfile.TemporaryDirectory(prefix="tawthiq-telegram-") as temp:
        path = Path(temp) / ("export.zip" if archive else RESULT_JSON)
        path.write_bytes(data)
        del data  # the bytes are on disk now; the importer reads each file as it needs it
        outcome = import_export(path, **_wiring(ws), actor=user.username, reason="web upload",
                                extra_metadata=given.metadata(), stated=_stated(_without_url(given)), url=given.url)
    # The server's temporary paths mean nothing to the person who uploaded the file (and are not theirs to see).
    outcome.export = Path(filename)
    outcome.problems = [_hidden(_hidden(line, str(path), filename), temp, filename) for line in outcome.problems]
    outcome.notes = [_hidden(_hidden(line, str(path), filename), temp, filename) for line in outcome.notes]
    opened = outcome.messages or outcome.source_ids or not outcome.problems
    if not opened:  # the archive could not be opened, or holds no export: nothing was stored
        detail = outcome.problems[0] if outcome.problems else ""
        raise TelegramUploadError(f"{filename}: {detail}", key="bad_archive" if archive else "not_export",
                                  detail=detail)
    if outcome.source_ids and given.reliability is not None:
        from .ingest import _grade

        _grade(ws, user, outcome.source_ids, given.reliability)
    _record_upload(ws, user=user, name=filename, outcome=outcome)
    return TelegramUpload(name=filename, outcome=outcome)


def _hidden(line: str, old: str, new: str) -> str:
    """``line`` with ``old`` replaced, its kind and values kept when it has them (see ProblemLine)."""
    return line.replaced(old, new) if isinstance(line, ProblemLine) else line.replace(old, new)


def _check_result_json(data: bytes) -> None:
    """Refuse at once what is not JSON, or is JSON but not a Telegram export (said apart, for the person)."""
    from ..ingest.errors import IngestError
    from ..ingest.readers.telegram import load_export

    try:
        json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply to read
        raise TelegramUploadError("the file is not JSON", key="not_json") from None
    try:
        load_export(data)
    except IngestError as error:
        raise TelegramUploadError(str(error), key="not_export", detail=str(error)) from None


def _without_url(given: Provenance) -> Provenance:
    """The provenance without its URL, which goes where a message has no link of its own instead."""
    return Provenance(author=given.author, published=given.published, received_from=given.received_from,
                      reliability=given.reliability, confidentiality=given.confidentiality)


def _record_upload(ws: Workspace, *, user: User, name: str, outcome: TelegramImport) -> None:
    """Who added the export's sources through the app (the history of each message's source)."""
    from ..store import edits

    after: dict[str, Any] = {"name": name, "kind": "telegram export", "messages": outcome.messages,
                             "media": len(outcome.media_ids), "incidents": outcome.incidents}
    with ws.db.session(write=True) as session:
        for source_id in outcome.source_ids:
            edits.record_upload(session, source_id, user=user.username, after=after)

