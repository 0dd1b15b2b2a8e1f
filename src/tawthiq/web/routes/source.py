"""The source page: what was received, its text with every incident's evidence marked, the original, its
media facts and working copies, and its custody ledger.

The original file is attacker-supplied (HTML, PDF, anything), so it is never
rendered by the browser: it is only offered as a download, typed as opaque
bytes, with sniffing off (the app's CSP and no-store apply as on every response).
The only things drawn are working copies from the derived store: a still (a
thumbnail Tawthiq made), served as its JPEG/PNG/WebP type, and a transcoded
copy of a video or audio original for the page's player, both veiled on the
page until the reviewer asks. Opening the page and downloading anything are
custody events.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from ...domain.access import Action, User, allowed
from ...services import review, source_page, source_panels
from ...services.browse import EvidenceMark
from ...services.errors import NotFound
from ..auth import client_ip, current_user, workspace
from ..highlight import Highlight, shown_text
from ..i18n import translate
from ..ids import PathId
from ..listing import page_number
from ..offload import run_blocking
from ..templating import render

router = APIRouter()

# The query parameter naming the page of the source's incidents listed (a long report yields thousands).
INCIDENTS_PAGE = "incidents"
THUMBNAIL_CACHE = "private, max-age=300"  # the browser only; short, so a revoked role stops seeing it soon


async def _reader(request: Request, source_id: PathId) -> User:
    """The signed-in user if they may read sources; otherwise the source "does not exist" (404).

    Answering 404 rather than 403 tells a viewer nothing about which ids exist.
    """
    user = await current_user(request)
    if user.disabled or not allowed(user.role, Action.READ_SOURCES):
        raise NotFound(f"no source with id {source_id}")
    return user


def _highlights(marks: list[EvidenceMark]) -> list[Highlight]:
    return [Highlight(start=m.start, end=m.end, field=m.field, claim_id=m.claim_id, incident_id=m.incident_id)
            for m in marks]


@router.get("/sources/{source_id:int}")
async def show_source(request: Request, source_id: PathId) -> Response:
    user = await _reader(request, source_id)
    # A source's text can run to tens of millions of characters: reading, marking and rendering it
    # happen in a worker thread, never on the event loop.
    return await run_blocking("read", source_page_response, request, user, source_id)


DONE = frozenset({"attached", "redacted", "tagged", "untagged"})


def source_page_response(request: Request, user: User, source_id: int, *, status_code: int = 200,
                         error_for: str = "", error: str = "", values: dict[str, str] | None = None,
                         grade_error: str = "", grade_values: dict[str, str] | None = None) -> Response:
    """The source page; after a refused form, with its one-line error and the values as typed."""
    raw_at = request.query_params.get("at", "")
    at = int(raw_at) if raw_at.isascii() and raw_at.isdigit() and len(raw_at) < 12 else 0
    page = source_page.open_source(workspace(request), user=user, source_id=source_id,
                                   machine=client_ip(request), at=at,
                                   incidents_page=page_number(request.query_params.get(INCIDENTS_PAGE)))
    done = request.query_params.get("done", "") if status_code == 200 else ""
    graded = done == "graded" and not grade_error
    shown = shown_text(page.view.source.text, _highlights(page.marks), page.window)
    return render(request, "source.html", {
        "view": page.view, "source": page.view.source, "text_id": "source-text",
        "shown": shown, "segments": shown.segments, "page_href": f"/sources/{source_id}",
        "first_marks": page.first_marks,
        "plain_original": page.plain_original, "custody": page.custody, "evidence": page.evidence,
        "attached": page.attached, "incident_choices": page.incident_choices, "tags": page.tags,
        "error_for": error_for, "error": error, "values": values or {}, "done": done if done in DONE else "",
        "grade_error": grade_error, "grade_values": grade_values or {}, "graded": graded,
        "incidents_href": _incidents_href(source_id, at=at),
    }, status_code=status_code)


def _incidents_href(source_id: int, *, at: int) -> Callable[[int], str]:
    """The address of a page of the source's incidents: the same page of its text, opened at the incidents."""
    kept = {"at": str(at)} if at else {}

    def href(page: int) -> str:
        return f"/sources/{source_id}?" + urlencode({**kept, INCIDENTS_PAGE: str(page)}) + "#incidents"

    return href


MAX_GRADE_REASON = 2000  # characters; the form says so in the page's language, never a 422


@router.post("/sources/{source_id:int}/grade")
async def grade_source(request: Request, source_id: PathId, reliability: Annotated[str, Form(max_length=20)] = "",
                       credibility: Annotated[str, Form(max_length=20)] = "",
                       reason: Annotated[str, Form(max_length=20_000)] = "") -> Response:
    """Grade the source on the Admiralty scale; who, when and the reason given go into its history."""
    user = await _reader(request, source_id)
    return await run_blocking("page", _grade, request, user, source_id, reliability, credibility, reason)


def _grade(request: Request, user: User, source_id: int, reliability: str, credibility: str,
           reason: str) -> Response:
    values = {"reliability": reliability, "credibility": credibility, "reason": reason}
    problem = "too_long" if len(reason) > MAX_GRADE_REASON else ""
    if not problem:
        try:
            review.set_source_evaluation(workspace(request), user=user, source_id=source_id,
                                         reliability=reliability.strip(), credibility=credibility.strip(),
                                         note=reason.strip())
        except review.GradeInvalid:
            problem = "invalid"
        except review.GradeReasonMissing:
            problem = "reason"
    if problem:
        error = translate(request.state.lang, f"plain.grade.error.{problem}")
        return source_page_response(request, user, source_id, status_code=400, grade_error=error, grade_values=values)
    return RedirectResponse(f"/sources/{source_id}?done=graded#grade", status_code=303)


def _download_name(name: str, sha256: str) -> str:
    """Content-Disposition value: an ASCII fallback and the real name (RFC 6266/5987)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or f"source-{sha256[:12]}"
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in base)[:150]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(base[:150], safe='')}"


@router.get("/sources/{source_id:int}/original")
async def download_original(request: Request, source_id: PathId) -> Response:
    user = await _reader(request, source_id)
    # Looking the source up reads its whole text (tens of MB at worst): in a worker thread. The file itself
    # is streamed by FileResponse in chunks, off the loop too.
    return await run_blocking("read", _original, request, user, source_id)


def _original(request: Request, user: User, source_id: int) -> Response:
    original = source_page.download_original(workspace(request), user=user, source_id=source_id,
                                              machine=client_ip(request))
    return _stored_file(original.path, original.store, original.sha256, media_type="application/octet-stream", headers={
        "Content-Disposition": _download_name(original.original_name, original.sha256),
        "X-Content-Type-Options": "nosniff",
    })


def _stored_file(path: Path, store: Any, sha256: str, *, media_type: str, headers: dict[str, str]) -> Response:
    """A stored file as it is on disk, or, from a sealed (encrypted) store, its plaintext decrypted chunk by chunk
    in worker threads (Starlette iterates a plain iterator off the loop). A sealed file has no byte ranges."""
    if store is None or not store.encrypted:
        return FileResponse(path, media_type=media_type, headers=headers)
    return StreamingResponse(store.iter_chunks(sha256), media_type=media_type,
                             headers={**headers, "Content-Length": str(store.size(sha256))})


def _inline_copy(found: source_panels.DerivativeFile) -> Response:
    """A working copy for the page to draw or play, as its stored (already allow-listed) type, never sniffed."""
    media_type = found.derivative.media_type.split(";")[0].strip().lower()
    return _stored_file(found.path, found.store, found.derivative.sha256, media_type=media_type, headers={
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": THUMBNAIL_CACHE,
    })


@router.get("/sources/{source_id:int}/thumbnail/{derivative_id:int}")
async def thumbnail(request: Request, source_id: PathId, derivative_id: PathId) -> Response:
    """A still working copy for the page to draw (blurred until asked): from the derived store only,
    as its stored JPEG/PNG/WebP type, never an original and never another type."""
    user = await _reader(request, source_id)
    return _inline_copy(source_panels.thumbnail_file(workspace(request), user=user, source_id=source_id,
                                                derivative_id=derivative_id))


@router.get("/sources/{source_id:int}/media/{derivative_id:int}")
async def playable(request: Request, source_id: PathId, derivative_id: PathId) -> Response:
    """A transcoded copy for the page's (veiled) player: from the derived store only, as its stored type.

    FileResponse answers Range requests (206 with Content-Range), which the
    browser's player needs to read the index and to seek. No custody entry:
    the player fetches in many pieces, and opening the page was recorded.
    """
    user = await _reader(request, source_id)
    return _inline_copy(source_panels.playable_file(workspace(request), user=user, source_id=source_id,
                                               derivative_id=derivative_id))


@router.get("/sources/{source_id:int}/derivatives/{derivative_id:int}")
async def download_derivative(request: Request, source_id: PathId, derivative_id: PathId) -> Response:
    """A working copy as a download, recorded in the ledger like the original's download."""
    user = await _reader(request, source_id)
    found = source_panels.derivative_download(workspace(request), user=user, source_id=source_id,
                                         derivative_id=derivative_id, machine=client_ip(request))
    d = found.derivative
    name = f"{d.kind}-{d.sha256[:12]}"
    return _stored_file(found.path, found.store, d.sha256, media_type="application/octet-stream", headers={
        "Content-Disposition": _download_name(name, d.sha256),
        "X-Content-Type-Options": "nosniff",
    })
