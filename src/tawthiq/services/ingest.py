"""Ingest as every edge asks for it: files and folders, pasted text, an upload, a capture, a Telegram export.

Each function runs the one pipeline (:mod:`tawthiq.ingest.pipeline`, its
stages in :mod:`tawthiq.ingest.stages`) wired to the workspace by
:func:`_wiring`: its database, its evidence store, its extractor and its
size limit. Nothing else wires ingest.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from ..domain.access import Action, User, allowed
from ..domain.dates_shown import typed_date
from ..domain.enums import Confidentiality, Reliability
from ..domain.printable import without_reordering
from . import Workspace
from .errors import PermissionDenied, ServiceError

if TYPE_CHECKING:
    from ..extract.base import Extractor
    from ..ingest.pipeline import IngestResult
    from ..ingest.readers import ColumnMapping
    from ..ingest.stages import Stated
    from ..ingest.telegram import TelegramImport
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore

UPLOAD_VIA = "web upload"  # how pasted text and uploads reach us, for their custody "received" entry
FILES_VIA = "tawthiq ingest"


MAX_URL = 2000
MAX_RECEIVED = 500  # "how and from whom": a sentence or two, not a report
MAX_AUTHOR = 500
# A typed title longer than this is refused with a one-line error, as a long author is: never cut
# without a word (the field is a name for the source, its text holds the rest).
MAX_TITLE = 500
# A suggestion is never public before a person has looked at it: at intake one may only make it stricter.
INTAKE_CONFIDENTIALITIES = (Confidentiality.RESTRICTED, Confidentiality.CONFIDENTIAL)
# "Not in the future" on the calendar of whoever typed it: today somewhere on Earth is at most UTC+14.
_LATEST_OFFSET = timedelta(hours=14)


class ProvenanceError(ServiceError):
    """A value said about where material came from cannot be used; nothing was stored.

    ``key`` names the problem for an interface that says it in its own language
    (``add.problem.<key>``), with ``values``; the message itself is one English line.
    """

    def __init__(self, message: str, *, key: str, **values: Any) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where pasted or uploaded material came from, as the person adding it says; every part optional.

    Checked when made (:meth:`from_form` also reads the date), so a bad value is
    refused before anything is stored. ``reliability`` and ``confidentiality``
    are a grading and a protection decision: they need the EDIT role.
    """

    author: str = ""
    published: date | None = None
    url: str = ""
    received_from: str = ""  # how and from whom it was received
    reliability: Reliability | None = None  # None: not graded (the source stays "F")
    confidentiality: Confidentiality | None = None  # None: the incidents' default

    def __post_init__(self) -> None:
        _check_provenance(self)

    @classmethod
    def from_form(cls, *, author: str = "", published: str = "", url: str = "", received_from: str = "",
                  reliability: str = "", confidentiality: str = "") -> Provenance:
        """From submitted text; "" is "not said". Raises :class:`ProvenanceError`."""
        # Bidi embedding, override and isolate controls are taken out of one-line fields (they
        # would reorder what is shown: "report\u202egnp.exe" reads "reportexe.png").
        return cls(author=without_reordering(author).strip(), published=_date(published.strip()), url=url.strip(),
                   received_from=without_reordering(received_from).strip(), reliability=_choice(Reliability, reliability, "reliability"),
                   confidentiality=_choice(Confidentiality, confidentiality, "confidentiality"))

    @property
    def grades(self) -> bool:
        return self.reliability is not None or self.confidentiality is not None

    def metadata(self) -> dict[str, Any] | None:
        return {"received_from": self.received_from} if self.received_from else None


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return typed_date(text)  # year-month-day, typed with Western or Arabic-Indic digits
    except ValueError:
        raise ProvenanceError(f"the publication date {text[:40]!r} is not a real date (year-month-day)",
                              key="date_invalid", value=text[:40]) from None


def _choice(kind: Any, value: str, what: str) -> Any:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return kind(value if what == "confidentiality" else value.upper())
    except ValueError:
        raise ProvenanceError(f"{value[:20]!r} is not a {what} this form offers", key=f"{what}_invalid") from None


def _check_provenance(p: Provenance) -> None:
    if len(p.author) > MAX_AUTHOR:
        raise ProvenanceError(f"the author is over {MAX_AUTHOR} characters", key="author_long", n=MAX_AUTHOR)
    if p.published is not None:
        latest = (datetime.now(UTC) + _LATEST_OFFSET).date()
        if p.published > latest:
            raise ProvenanceError(f"the publication date {p.published.isoformat()} is in the future",
                                  key="date_future", value=p.published.isoformat())
        if p.published.year < 1900:
            raise ProvenanceError(f"the publication date {p.published.isoformat()} is before 1900",
                                  key="date_invalid", value=p.published.isoformat())
    if p.url:
        if len(p.url) > MAX_URL:
            raise ProvenanceError(f"the URL is over {MAX_URL} characters", key="url_long", n=MAX_URL)
        try:
            parts = urlsplit(p.url)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
                or any(ch.isspace() or not ch.isprintable() for ch in p.url):
            raise ProvenanceError("the URL must be a web address starting with http:// or https://", key="url_invalid")
    if len(p.received_from) > MAX_RECEIVED:
        raise ProvenanceError(f"how and from whom it was received is over {MAX_RECEIVED} characters",
                              key="received_long", n=MAX_RECEIVED)
    if p.confidentiality is not None and p.confidentiality not in INTAKE_CONFIDENTIALITIES:
        raise ProvenanceError("new suggestions are restricted or confidential until someone has reviewed them",
                              key="confidentiality_invalid")


class _Wiring(TypedDict):
    db: Database
    blobs: BlobStore
    extractor: Extractor
    max_file_size: int


def _wiring(ws: Workspace) -> _Wiring:
    """The one place ingest is wired to a workspace (and its evidence folder made, the first time)."""
    from ..store.vault.private import private_dir

    private_dir(ws.settings.data_dir)
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
                 extra_metadata: dict[str, Any] | None = None, stated: Stated | None = None) -> IngestResult:
    """One file held in memory (a capture's body, say); ``name`` is its name as received.

    ``url`` and ``extra_metadata`` are kept on every source read from it
    (see :func:`tawthiq.ingest.pipeline.ingest_bytes`); ``stated`` wins over the reader's values.
    """
    from ..ingest import pipeline

    return pipeline.ingest_bytes(data, name=name, **_wiring(ws), actor=actor, via=via, url=url,
                                 extra_metadata=extra_metadata, stated=stated)


def ingest_text(ws: Workspace, *, user: User, text: str, title: str = "", language: str = "",
                provenance: Provenance | None = None) -> IngestResult:
    """Pasted text through the same pipeline as ``tawthiq ingest``.

    ``title`` replaces the reader's guess (the first line); ``language`` is
    recorded with the upload (the reader detects the language it extracts with);
    ``provenance`` is where it came from (see :class:`Provenance`).
    """
    if not (text or "").strip():
        raise ServiceError("paste some text to add", kind="ingest.empty_paste")
    title = without_reordering(title or "").strip()
    if len(title) > MAX_TITLE:
        raise ProvenanceError(f"the title is over {MAX_TITLE} characters", key="title_long", n=MAX_TITLE)
    return _upload(ws, user, text.encode("utf-8"), "pasted.txt", title=title, language=language.strip(),
                   provenance=provenance)


def ingest_upload(ws: Workspace, *, user: User, filename: str, data: bytes,
                  provenance: Provenance | None = None) -> IngestResult:
    """An uploaded file; only its base name is kept, whatever path the browser sent."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:255]  # it is shown and logged
    if name in ("", ".", ".."):
        name = "upload"
    return _upload(ws, user, data, name, provenance=provenance)


def check_provenance(*, user: User, provenance: Provenance) -> None:
    """Whether ``user`` may add material with ``provenance`` (a grading needs EDIT); before anything is read."""
    _require(user, Action.INGEST)
    if provenance.grades:
        _require(user, Action.EDIT)


def _upload(ws: Workspace, user: User, data: bytes, name: str, *, title: str = "",
            language: str = "", provenance: Provenance | None = None) -> IngestResult:
    from ..domain.printable import human_size
    from ..store import edits

    given = provenance or Provenance()
    check_provenance(user=user, provenance=given)
    limit = ws.settings.max_file_size
    if len(data) > limit:
        raise ServiceError(f"{name} is {human_size(len(data))}, over the size limit of {human_size(limit)}",
                           kind="ingest.too_large", size_bytes=len(data), limit_bytes=limit)
    result = ingest_bytes(ws, data, name=name, actor=user.username, via=UPLOAD_VIA, extra_metadata=given.metadata(),
                          stated=_stated(given))
    if result.status == "failed":  # ingest's kind of problem (a file type it cannot read…) goes with it
        raise ServiceError(f"{name}: {result.error}", kind=getattr(result.error, "kind", ""),
                           **(getattr(result.error, "values", None) or {}))
    if given.reliability is not None and result.status != "duplicate":
        _grade(ws, user, result.source_ids, given.reliability)
    with ws.db.session(write=True) as session:
        for source_id in result.source_ids:
            edits.record_upload(session, source_id, user=user.username,
                                title=title if result.status != "duplicate" else "", after={
                "name": name, "status": result.status, "incidents": result.incidents,
                **({"language": language} if language else {})})
    return result


def _stated(given: Provenance) -> Stated | None:
    from ..ingest.stages import Stated

    if not (given.author or given.published or given.url or given.confidentiality):
        return None
    return Stated(author=given.author, published=given.published, url=given.url,
                  confidentiality=given.confidentiality)


def _grade(ws: Workspace, user: User, source_ids: list[int], reliability: Reliability) -> None:
    """The reliability the person adding it gave, through the grading service (its audit entry says who)."""
    from ..store import repository
    from .review import set_source_evaluation

    for source_id in source_ids:
        source = repository.get_source(ws.db, source_id)
        if source is None or source.evaluation.graded_by:  # a grading a person already made is not overwritten
            continue
        set_source_evaluation(ws, user=user, source_id=source_id, reliability=reliability.value,
                              credibility=source.evaluation.credibility.value,
                              note="reliability given by the person who added it")


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
