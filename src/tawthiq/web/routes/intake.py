"""The Add page's Telegram export upload and web page capture (the web side of ``tawthiq telegram`` and ``capture``).

Both need the role to add material, like the other Add forms. The export is
read with the same per-file limit as an upload (at most the limit plus one
byte is ever held; see ``web/uploads.py``) and imported in a worker thread;
the capture is the only thing on this page that touches the network, only
when its button is pressed, in a worker thread with a time-out on every
response, and only to public addresses unless the server's settings allow
private ones (tests). Failures that stop the whole thing are one line in
the page's language, with what was typed kept.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ...domain.access import Action, User
from ...domain.printable import human_size
from ...services import Workspace, added, telegram_upload
from ...services.capture import WEB_NO_SCREENSHOT, CaptureError, CaptureResult, capture_page
from ...services.errors import PermissionDenied, ServiceError
from ..auth import require, workspace
from ..forms import MAX_SHORT
from ..i18n import translate
from ..offload import run_blocking
from ..templating import render
from ..uploads import read_form
from .add import _add_page, _base_name, _problem, _provenance, _provenance_form, _read_limited, _text

router = APIRouter()

LISTED_MESSAGES = 100  # the result page lists the incidents of the first messages; the sources list has the rest
MAX_CAPTURE_URL = 2000


# ------------------------------------------------------------ Telegram export


def _telegram_refused(request: Request, given: dict[str, str], key: str, *, status_code: int = 400,
                      detail: str = "", **values: Any) -> Response:
    lang = request.state.lang
    return _add_page(request, status_code=status_code, telegram_given=given,
                     telegram_error=translate(lang, f"intake.telegram.problem.{key}", **values),
                     telegram_detail=detail)


def _import(ws: Workspace, user: User, name: str, upload: UploadFile,
            provenance: Any) -> telegram_upload.TelegramUpload | str:
    """Read the spooled upload and import it (in a worker thread); "too_large" when it is over the limit."""
    data = _read_limited(upload.file, upload.size, ws.settings.max_file_size)
    if data is None:
        return "too_large"
    return telegram_upload.import_telegram_upload(ws, user=user, filename=name, data=data, provenance=provenance)


def _listed(ws: Workspace, user: User, done: telegram_upload.TelegramUpload) -> dict[str, Any]:
    """The result page's values: counts, lines, and the incidents suggested from the first messages."""
    stored = done.stored_ids
    return {"done": done, "outcome": done.outcome,
            "incidents": added.incidents_from(ws, user=user, source_ids=stored, sources=LISTED_MESSAGES,
                                              per_source=20),
            "more_sources": max(0, len(stored) - LISTED_MESSAGES)}


@router.post("/add/telegram")
async def add_telegram(request: Request, user: User = Depends(require(Action.INGEST))) -> Response:
    ws = workspace(request)
    form = await read_form(request, max_file_size=ws.settings.max_file_size)
    uploads = [v for v in form.getlist("export") if isinstance(v, UploadFile) and (v.filename or v.size)]
    given = _provenance_form(form)
    try:
        if len(uploads) != 1:
            return _telegram_refused(request, given, "choose")
        upload = uploads[0]
        try:
            provenance = _provenance(user, given)
        except PermissionDenied:
            raise
        except ServiceError as exc:
            return _add_page(request, status_code=400, telegram_given=given, telegram_error=_problem(request, exc))
        name = _base_name(upload.filename or "")
        try:
            done = await run_blocking("ingest", _import, ws, user, name, upload, provenance)
        except telegram_upload.TelegramUploadError as exc:
            size = human_size(ws.settings.max_file_size, drop_zero_decimal=True)
            status = 413 if exc.key == "too_large" else 400
            return _telegram_refused(request, given, exc.key, status_code=status, detail=exc.detail, size=size)
        if done == "too_large":
            return _telegram_refused(request, given, "too_large", status_code=413,
                                     size=human_size(ws.settings.max_file_size, drop_zero_decimal=True))
    finally:
        for upload in uploads:
            await upload.close()
    assert isinstance(done, telegram_upload.TelegramUpload)
    values = await run_blocking("page", _listed, ws, user, done)
    return render(request, "add_telegram_result.html", values)


# ------------------------------------------------------------ web capture


def _capture_refused(request: Request, typed: dict[str, str], key: str, *, detail: str = "",
                     status_code: int = 400) -> Response:
    return _add_page(request, status_code=status_code, capture=typed, capture_detail=detail,
                     capture_error=translate(request.state.lang, f"intake.capture.problem.{key}"))


def _capture(ws: Workspace, user: User, url: str, reason: str) -> tuple[CaptureResult, list[Any]]:
    """Capture the page and list the incidents suggested from it (in a worker thread: network and extraction)."""
    result = capture_page(ws, user=user, url=url, reason=reason)
    found = added.incidents_from(ws, user=user, source_ids=[result.source_id]) if result.status != "duplicate" else []
    return result, found


@router.post("/add/capture")
async def add_capture(request: Request, user: User = Depends(require(Action.INGEST))) -> Response:
    ws = workspace(request)
    form = await request.form()
    typed = {"url": _text(form, "url", MAX_CAPTURE_URL + 1).strip(), "reason": _text(form, "reason", MAX_SHORT)}
    if not typed["url"]:
        return _capture_refused(request, typed, "empty")
    if len(typed["url"]) > MAX_CAPTURE_URL:
        return _capture_refused(request, typed, "invalid_url")
    try:
        result, found = await run_blocking("ingest", _capture, ws, user, typed["url"], typed["reason"])
    except PermissionDenied:
        raise
    except CaptureError as exc:
        key = getattr(exc, "key", "failed")
        status = {"too_large": 413, "refused_address": 400, "invalid_url": 400}.get(key, 502)
        return _capture_refused(request, typed, key, detail=str(exc), status_code=status)
    notes = [note for note in result.notes if note != WEB_NO_SCREENSHOT and not note.startswith("the same bytes")]
    return render(request, "add_capture_result.html", {"result": result, "incidents": found, "notes": notes})
