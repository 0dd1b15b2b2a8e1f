"""Adding material: pasted text, uploaded files, and an incident documented by hand.

Pasted text and uploads go through the same pipeline as ``tawthiq ingest``
(via the ingest service, which checks the role again). Uploads are read a
chunk at a time and dropped as soon as one passes the size limit, so a huge
file costs at most the limit in memory; the browser's file name is reduced
to its base name, because it is attacker-chosen and ends up in the custody
record. Ingest runs in a worker thread (see ``web/offload.py``), so the
server keeps answering everyone else while a large file is read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from ...domain.access import Action, User, allowed
from ...domain.enums import Reliability
from ...domain.errors import ProblemLine
from ...domain.printable import human_size
from ...services import Workspace, added, browse, hand_entry, ingest, reading
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import require, workspace
from ..choices import incident_choices
from ..forms import MAX_SHORT, FormProblem, IncidentForm, parse_changes, resolve_place
from ..i18n import translate
from ..offload import run_blocking
from ..problems import keyed_html, problem_html
from ..security import UPLOAD_FILES_PER_REQUEST
from ..sizes import size_text
from ..templating import render
from ..uploads import FIELD_SIZES, read_form

router = APIRouter()

MAX_FILES = UPLOAD_FILES_PER_REQUEST
CHUNK = 64 * 1024
LANGUAGES = ("auto", "en", "ar")


@dataclass(slots=True)
class ResultLine:
    """What happened to one paste or one file, for the result page."""

    name: str
    status: str  # new, duplicate, partial, failed, too_large
    error: str = ""
    source_ids: list[int] = field(default_factory=list)
    incidents: list[reading.IncidentSummary] = field(default_factory=list)
    incident_count: int = 0


def _text(form: FormData, name: str, limit: int = MAX_SHORT) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


PROVENANCE_FIELDS = ("author", "published", "url", "received_from", "reliability", "confidentiality")
_FIELD_LIMITS = {"url": ingest.MAX_URL + 1, "received_from": ingest.MAX_RECEIVED + 1,
                 "author": ingest.MAX_AUTHOR + 1}  # one over, so "too long" is said rather than cut silently


def _provenance_form(form: FormData) -> dict[str, str]:
    """Where the material came from, as typed (shown again when something is refused)."""
    return {name: _text(form, name, _FIELD_LIMITS.get(name, MAX_SHORT)) for name in PROVENANCE_FIELDS}


def _provenance(user: User, typed: dict[str, str]) -> ingest.Provenance:
    """The checked provenance; a ProvenanceError (its key is said in the page's language) otherwise."""
    provenance = ingest.Provenance.from_form(**typed)
    ingest.check_provenance(user=user, provenance=provenance)
    return provenance


def _problem(request: Request, exc: ServiceError) -> str:
    if isinstance(exc, ingest.ProvenanceError):
        return translate(request.state.lang, f"add.problem.{exc.key}", **exc.values)
    return problem_html(request.state.lang, exc)


def _add_page(request: Request, *, status_code: int = 200, **values: Any) -> Response:
    context: dict[str, Any] = {"error": "", "upload_error": "", "paste": {"title": "", "language": "auto",
                                                                             "text": ""},
                               "given": dict.fromkeys(PROVENANCE_FIELDS, ""),
                               "upload_given": dict.fromkeys(PROVENANCE_FIELDS, ""),
                               # the Telegram export and web capture forms (routes/intake.py)
                               "telegram_given": dict.fromkeys(PROVENANCE_FIELDS, ""), "telegram_error": "",
                               "telegram_detail": "", "capture": {"url": "", "reason": ""}, "capture_error": "",
                               "capture_detail": "",
                               "reliabilities": [r.value for r in Reliability],
                               "confidentialities": [c.value for c in ingest.INTAKE_CONFIDENTIALITIES],
                               "max_files": MAX_FILES,
                               "max_size": human_size(workspace(request).settings.max_file_size, drop_zero_decimal=True)}
    context.update(values)
    return render(request, "add.html", context, status_code=status_code)


@router.get("/add")
async def add_page(request: Request, user: User = Depends(require(Action.INGEST))) -> Response:
    return _add_page(request)


def _line(ws: Workspace, user: User, name: str, result: Any, lang: str) -> ResultLine:
    # A partial file's "skipped 2 of 5" is said by its kind, the rows' own lines kept as their detail.
    line = ResultLine(name=name, status=str(result.status), error=problem_html(lang, result.error) if result.error else "",
                      source_ids=list(result.source_ids), incident_count=int(result.incidents or 0))
    if line.status in ("new", "partial"):  # a duplicate's incidents were listed when it was first added
        line.incidents = added.incidents_from(ws, user=user, source_ids=line.source_ids)
    return line


@router.post("/add/text")
async def add_text(request: Request, user: User = Depends(require(Action.INGEST))) -> Response:
    ws = workspace(request)
    limit = ws.settings.max_file_size
    # Pasted text may be as long as a file: the parser keeps it up to the limit and counts the rest.
    form = await read_form(request, max_file_size=limit)
    text = form.get("text", "")
    # Read the title past its limit, so a long one is refused in words (and shown back whole), never cut.
    paste = {"title": _text(form, "title", 4 * ingest.MAX_TITLE).strip(), "language": _text(form, "language") or "auto",
             "text": text if isinstance(text, str) else ""}
    given = _provenance_form(form)
    if paste["language"] not in LANGUAGES:
        paste["language"] = "auto"
    size = getattr(request.state, FIELD_SIZES, {}).get("text") or len(paste["text"].encode("utf-8"))
    if size > limit:  # the text itself cannot be kept (it was cut as it arrived); the rest of the form is
        lang = request.state.lang
        paste["text"] = ""
        return _add_page(request, status_code=413, paste=paste, given=given,
                         error=translate(lang, "fixb.paste.too_large", size=size_text(lang, size),
                                         limit=size_text(lang, limit)))
    try:
        provenance = _provenance(user, given)
        lines = [await run_blocking("ingest", _paste, ws, user, paste, provenance, request.state.lang)]
    except PermissionDenied:
        raise
    except ServiceError as exc:
        return _add_page(request, status_code=400, paste=paste, given=given, error=_problem(request, exc))
    return render(request, "add_result.html", {"lines": lines})


def _paste(ws: Workspace, user: User, paste: dict[str, str], provenance: ingest.Provenance,
           lang: str) -> ResultLine:
    """Ingest pasted text and list what came of it (in a worker thread: extraction takes a while)."""
    result = ingest.ingest_text(ws, user=user, text=paste["text"], title=paste["title"],
                                language="" if paste["language"] == "auto" else paste["language"],
                                provenance=provenance)
    return _line(ws, user, paste["title"] or "pasted.txt", result, lang)


def _base_name(raw: str) -> str:
    """The last part of a browser-sent name, with either kind of slash; never a path."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name.strip()
    return name if name not in ("", ".", "..") else "upload"


def _read_limited(file: BinaryIO, size: int | None, limit: int) -> bytes | None:
    """The file's bytes, or None as soon as it is past ``limit`` (nothing more is read)."""
    if size is not None and size > limit:
        return None
    chunks: list[bytes] = []
    total = 0
    while chunk := file.read(CHUNK):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _upload_one(ws: Workspace, user: User, name: str, upload: UploadFile,
                provenance: ingest.Provenance, lang: str) -> ResultLine:
    """Read one spooled upload and ingest it, in a worker thread (reading, extraction and storing block).

    A refused file is one line in ``lang``, said by the kind of problem (its name is shown beside it)."""
    limit = ws.settings.max_file_size
    data = _read_limited(upload.file, upload.size, limit)
    if data is None:
        over = ProblemLine(f"{name} is over the size limit of {human_size(limit, drop_zero_decimal=True)}; not stored",
                           kind="ingest.over_limit", limit_bytes=limit)
        return ResultLine(name=name, status="too_large", error=problem_html(lang, over))
    try:
        result = ingest.ingest_upload(ws, user=user, filename=name, data=data, provenance=provenance)
    except PermissionDenied:
        raise
    except ServiceError as exc:  # one bad file is one line; the batch goes on
        return ResultLine(name=name, status="failed", error=problem_html(lang, exc))
    del data  # the ingested copy is in the store; do not hold it while listing what came of it
    return _line(ws, user, name, result, lang)


@router.post("/add/upload")
async def add_upload(request: Request, user: User = Depends(require(Action.INGEST))) -> Response:
    ws = workspace(request)
    form = await read_form(request, max_file_size=ws.settings.max_file_size)
    uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile) and (v.filename or v.size)]
    given = _provenance_form(form)
    if not uploads:
        return await _refused(request, uploads, given, translate(request.state.lang, "leftovers.upload.choose"))
    if len(uploads) > MAX_FILES:
        return await _refused(request, uploads, given, translate(request.state.lang, "leftovers.upload.too_many",
                                                                 n=len(uploads), limit=MAX_FILES))
    try:
        provenance = _provenance(user, given)  # once for the batch: a bad value stores none of the files
    except PermissionDenied:
        raise
    except ServiceError as exc:
        return await _refused(request, uploads, given, _problem(request, exc))
    lines: list[ResultLine] = []
    for upload in uploads:
        try:
            lines.append(await run_blocking("ingest", _upload_one, ws, user, _base_name(upload.filename or ""),
                                            upload, provenance, request.state.lang))
        finally:
            await upload.close()
    stored = any(line.status not in ("failed", "too_large") for line in lines)
    status = 200 if stored else (413 if all(line.status == "too_large" for line in lines) else 400)
    return render(request, "add_result.html", {"lines": lines}, status_code=status)


async def _refused(request: Request, uploads: list[UploadFile], given: dict[str, str], error: str) -> Response:
    for upload in uploads:  # the spooled files are not needed: drop them now
        await upload.close()
    return _add_page(request, status_code=400, upload_given=given, upload_error=error)


# ------------------------------------------------------------ by hand

SOURCE_CHOICES = 200  # the newest sources offered in the list; words narrow it to any older one
NOT_DOCUMENTED_FROM = ("person_list",)  # kept as originals, not read for incidents


def _hand_page(request: Request, user: User, values: IncidentForm, *, error: str = "",
               status_code: int = 200, q: str = "") -> Response:
    """The hand-entry page (in a worker thread: it reads the source, or lists the sources to choose from)."""
    ws, lang = workspace(request), request.state.lang
    source, sources = None, []
    source_id = values.source_number()
    if source_id is not None:
        try:
            source = reading.get_source_view(ws, user=user, source_id=source_id).source
        except NotFound:
            error = error or translate(lang, "correct.error.no_source")
            status_code = 404 if status_code == 200 else status_code
    elif values.source_id:
        error = error or translate(lang, "correct.error.choose_source")
        status_code = 400
    if source is None:
        found, _ = browse.source_slice(ws, user=user, limit=SOURCE_CHOICES, q=q or None)
        sources = [s for s in found if s.kind not in NOT_DOCUMENTED_FROM]
    return render(request, "add_incident.html", {
        "values": values, "form": values, "source": source, "sources": sources, "q": q, "error": error,
        "incident": None, "choices": incident_choices(lang),
        "quote_required": source is None or hand_entry.quote_required(str(source.kind)),
    }, status_code=status_code)


def _document(ws: Workspace, user: User, values: IncidentForm, source_id: int) -> int:
    """Read the form (a typed place is looked up in the gazetteer) and record the incident: in a worker thread."""
    fields = parse_changes(values, None, resolve_place=resolve_place)
    return hand_entry.document(ws, user=user, source_id=source_id, fields=fields, quote=values.quote,
                               offsets=values.offsets(), comment=values.comment)


async def _hand_user(request: Request) -> User:
    """Documenting by hand reads the source text and creates an incident."""
    user = await require(Action.EDIT)(request)
    if not allowed(user.role, Action.READ_SOURCES):
        raise PermissionDenied("your role may not read sources")
    return user


@router.get("/add/incident")
async def hand_form(request: Request, user: User = Depends(_hand_user)) -> Response:
    values = IncidentForm(source_id=request.query_params.get("source_id", "")[:20].strip())
    q = request.query_params.get("q", "")[:200].strip()
    return await run_blocking("page", _hand_page, request, user, values, q=q)


@router.post("/add/incident")
async def hand_create(request: Request, user: User = Depends(_hand_user)) -> Response:
    values = IncidentForm.from_submitted(await request.form())
    lang = request.state.lang

    async def again(message: str) -> Response:
        return await run_blocking("page", _hand_page, request, user, values, error=message, status_code=400)

    source_id = values.source_number()
    if source_id is None:
        return await again(translate(lang, "correct.error.choose_source"))
    try:
        new_id = await run_blocking("read", _document, workspace(request), user, values, source_id)
    except FormProblem as problem:
        return await again(keyed_html(lang, problem.key, problem.values))
    except hand_entry.QuoteMissing:
        return await again(translate(lang, "correct.error.quote_missing"))
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        return await again(problem_html(lang, exc))
    return RedirectResponse(f"/incidents/{new_id}", status_code=303)
