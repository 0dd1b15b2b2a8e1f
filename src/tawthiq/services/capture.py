"""``tawthiq capture URL``: keep a web page as evidence while it is still online.

What is kept, and as what:

- the ORIGINAL is the final response's body (after any redirects), ingested
  through the normal pipeline (so an HTML page, a PDF or an image is read
  and its incidents are suggested) with the capture's facts in the source's
  metadata under ``capture``. The request asks for no compression, so the
  original is normally the exact bytes the server sent; a server that
  compresses anyway has its body decoded for the original and kept as sent
  in the WARC (``capture.content_encoding`` and ``capture.encoded_sha256``
  say so).
- working copies tied to that original: the WARC (every hop's request and
  response, byte for byte), the headers as JSON, the server's certificate
  as PEM, and a chromium screenshot.

Capturing the same URL again is a second observation. When the page's bytes
changed it is a new original (a new source). When they are identical the
pipeline reports the existing source, and this capture's WARC, headers and
screenshot are still stored as working copies of that original, each with
its own capture time in its parameters: the record then shows the page was
seen unchanged twice, rather than silently dropping the second look. (A
certificate byte-identical to one already stored adds nothing.)

Only public addresses are reached unless ``--allow-private`` (or
``--allow-address IP:PORT`` for exact pairs): the page, every redirect and
every request of the screenshot, each checked on the resolved address (see
``ingest.capture.addresses`` and ``ingest.capture.guard_proxy``).

This is the only command that touches the network; :func:`capture_page` is
the same capture asked for from the web's Add page, by a signed-in user, with
a shorter time-out, public addresses only (unless the server's settings allow
private ones, for tests) and no screenshot (see there).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.access import Action, User, allowed
from ..ingest.capture.addresses import parse_allowed
from ..ingest.capture.page import TOOL, CaptureError, CaptureOptions, observe
from ..store.vault.derived import derived_store, store_derivative

if TYPE_CHECKING:
    from . import Workspace

__all__ = ["CaptureError", "CaptureOptions", "CaptureResult", "capture", "capture_page", "parse_allowed"]

WEB_TIMEOUT = 20.0  # seconds for each response of a capture asked for over the web; the page waits for it
MAX_REASON = 500
WEB_NO_SCREENSHOT = ("no screenshot from the web form: the browser would load the page's other resources from"
                     " any address; run `tawthiq capture` on the server for one")


@dataclass(slots=True)
class CaptureResult:
    url: str
    final_url: str
    status: str  # the pipeline's: "new", "duplicate" or "partial"
    source_id: int
    sha256: str
    http_status: int
    http_reason: str
    redirects: int
    incidents: int = 0
    stored: list[str] = field(default_factory=list)  # "warc 8f3a…", one line each
    notes: list[str] = field(default_factory=list)  # what was not kept and why, what to know


def capture(ws: Workspace, url: str, *, options: CaptureOptions, actor: str) -> CaptureResult:
    """Fetch ``url``, store its body as an original and the capture's records as working copies.

    Raises :class:`CaptureError` (one line) when nothing could be stored.
    """
    from ..store.derivatives import derivatives_of
    from .ingest import ingest_bytes

    seen = observe(url, options=options, limit=ws.settings.max_file_size)
    final, notes, meta, reason = seen.final, seen.notes, seen.meta, seen.reason
    result = ingest_bytes(ws, seen.content, name=seen.name, actor=actor, via=TOOL, url=final.url,
                          extra_metadata={"capture": meta, "received_reason": reason})
    if result.status == "failed" or not result.source_ids or result.sha256 is None:
        raise CaptureError(f"fetched {final.url} (HTTP {final.status}) but could not store it: {result.error}")
    if result.status == "duplicate":
        notes.append(f"the same bytes are already stored as source {result.source_ids[0]}; this capture's records"
                     " are added to it as a further observation")
    elif result.status == "partial" and result.error:
        notes.append(f"stored, with problems: {result.error}")
    captured = CaptureResult(url=url, final_url=final.url, status=result.status, source_id=result.source_ids[0],
                             sha256=result.sha256, http_status=final.status, http_reason=final.reason,
                             redirects=len(seen.hops) - 1, incidents=result.incidents, notes=notes)
    made = seen.working_copies
    derived = derived_store(ws.blobs)
    before = {(str(d.kind), d.sha256): d for d in derivatives_of(ws.db, result.sha256)}
    if result.status == "new":  # what the pipeline made from the original (the extracted text)
        captured.stored.extend(f"{kind} {sha} (by the ingest pipeline)" for kind, sha in before)
    for copy in made:
        stored = store_derivative(ws.db, derived=derived, original_sha256=result.sha256, made=copy,
                                  source_id=captured.source_id, actor=actor, reason=reason)
        again = " (already stored, identical)" if (str(copy.kind), stored.sha256) in before else ""
        captured.stored.append(f"{copy.kind} {stored.sha256}{again}")
    return captured




def capture_page(ws: Workspace, *, user: User, url: str, reason: str = "") -> CaptureResult:
    """:func:`capture` for a person on the web: their role is checked, and the server protected.

    Only public addresses are fetched (every redirect hop too), unless the
    settings allow private ones (``capture_private``, for tests and closed
    labs). No screenshot is taken: chromium would load the page's images and
    scripts from wherever the page points, private addresses included, past
    that check. Raises :class:`CaptureError` (one line, with a ``key``) or
    PermissionDenied.
    """
    from .errors import PermissionDenied

    if user.disabled or not allowed(user.role, Action.INGEST):
        raise PermissionDenied(f"your role ({user.role}) may not add material")
    url = (url or "").strip()
    if not url:
        raise CaptureError("give the address of the page to capture", key="invalid_url")
    if len(url) > 2000 or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise CaptureError("not a valid web address", key="invalid_url")
    reason = " ".join((reason or "").split())[:MAX_REASON]
    options = CaptureOptions(reason=reason, screenshot=False, timeout=WEB_TIMEOUT,
                             allow_private=ws.settings.capture_private)
    result = capture(ws, url, options=options, actor=user.username)
    result.notes = [WEB_NO_SCREENSHOT if note.startswith("no screenshot") else note for note in result.notes]
    return result
