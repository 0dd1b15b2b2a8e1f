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

This is the only command that touches the network.
"""
from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..domain.enums import DerivativeKind
from .capture_browser import DEFAULT_CHROMIUM, Screenshot, ScreenshotError, take_screenshot
from .capture_http import CaptureError, FetchOptions, Hop, decode_content, fetch_chain
from .capture_record import headers_json, warc_bytes
from .derived import DerivedFile, derived_store, store_derivative

if TYPE_CHECKING:
    from ..services import Workspace

TOOL = "tawthiq capture"
__all__ = ["CaptureError", "CaptureOptions", "CaptureResult", "capture", "user_agent"]


def user_agent() -> str:
    from .. import __version__

    return f"tawthiq/{__version__} (evidence capture; human-rights documentation)"


@dataclass(frozen=True, slots=True)
class CaptureOptions:
    """What the person asked for; ``reason`` goes into every custody entry the capture writes."""

    reason: str = ""
    ca_file: Path | None = None
    insecure: bool = False
    screenshot: bool = True
    timeout: float = 60.0
    chromium: Path = DEFAULT_CHROMIUM


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
    from ..extract.contract import default_extractor
    from ..ingest.blobs import BlobStore
    from ..ingest.pipeline import ingest_bytes
    from ..store.derivatives import derivatives_of

    if options.ca_file is not None and not Path(options.ca_file).is_file():
        raise CaptureError(f"--ca-file {options.ca_file}: no such file")
    limit = ws.settings.max_file_size
    hops = fetch_chain(url, options=FetchOptions(user_agent=user_agent(), timeout=options.timeout,
                                                 max_bytes=limit, ca_file=options.ca_file,
                                                 insecure=options.insecure))
    final = hops[-1]
    encoding = ", ".join(final.values("Content-Encoding")) or None  # several codings may be listed
    content = decode_content(final.body, encoding, limit=limit)
    notes: list[str] = []
    if final.status >= 400:
        notes.append(f"the server answered {final.status} {final.reason}".rstrip()
                     + "; the page is captured all the same (an error page is evidence too)")
    if options.insecure and final.tls is not None:
        notes.append("the TLS certificate was NOT verified (--insecure); this is recorded with the capture")
    shot, shot_note = _screenshot(final, hops, options=options)
    if shot_note:
        notes.append(shot_note)
    captured_at = hops[0].started_at.isoformat()
    reason = _reason(options)
    meta = _capture_metadata(url, hops, content=content, encoding=encoding, options=options,
                             captured_at=captured_at, screenshot=shot_note or "taken")
    ws.settings.data_dir.mkdir(parents=True, exist_ok=True)
    blobs = BlobStore(ws.settings.data_dir)
    result = ingest_bytes(content, name=_name(final), db=ws.db, blobs=blobs, extractor=default_extractor(),
                          max_file_size=limit, actor=actor, via=TOOL, url=final.url,
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
                             redirects=len(hops) - 1, incidents=result.incidents, notes=notes)
    made = _working_copies(hops, url=url, meta=meta, shot=shot, insecure=options.insecure, reason=reason)
    derived = derived_store(blobs)
    before = {(str(d.kind), d.sha256): d for d in derivatives_of(ws.db, result.sha256)}
    if result.status == "new":  # what the pipeline made from the original (the extracted text)
        captured.stored.extend(f"{kind} {sha} (by the ingest pipeline)" for kind, sha in before)
    for copy in made:
        stored = store_derivative(ws.db, derived=derived, original_sha256=result.sha256, made=copy,
                                  source_id=captured.source_id, actor=actor, reason=reason)
        again = " (already stored, identical)" if (str(copy.kind), stored.sha256) in before else ""
        captured.stored.append(f"{copy.kind} {stored.sha256}{again}")
    return captured


def _working_copies(hops: list[Hop], *, url: str, meta: dict[str, Any], shot: Screenshot | None, insecure: bool,
                    reason: str) -> list[DerivedFile]:
    """Headers JSON, WARC, certificates and screenshot, each saying which capture made it."""
    from .. import __version__

    final = hops[-1]
    params = {"url": url, "final_url": final.url, "captured_at": meta["captured_at"], "status": final.status,
              "insecure": insecure}

    def copy(kind: DerivativeKind, media_type: str, data: bytes, **extra: Any) -> DerivedFile:
        return DerivedFile(kind=kind, media_type=media_type, tool=TOOL, tool_version=__version__,
                           params={**params, **extra}, data=data)

    made = [copy(DerivativeKind.HEADERS, "application/json", headers_json(hops, capture=meta), hops=len(hops)),
            copy(DerivativeKind.WARC, "application/warc",
                 warc_bytes(hops, software=f"tawthiq/{__version__} (warcio)", captured_at=meta["captured_at"],
                            reason=reason), warc_version="1.1", gzip=True)]
    certificates: dict[bytes, Hop] = {}  # each distinct server certificate met along the redirects
    for hop in hops:
        if hop.tls is not None and hop.tls.der:
            certificates.setdefault(hop.tls.der, hop)
    for hop in certificates.values():
        assert hop.tls is not None
        made.append(copy(DerivativeKind.CERTIFICATE, "application/x-pem-file", hop.tls.pem.encode("ascii"),
                         served_for=hop.url, fingerprint_sha256=hop.tls.details.get("sha256_fingerprint", "")))
    if shot is not None:
        made.append(copy(DerivativeKind.SCREENSHOT, "image/png", shot.png, **shot.params,
                         chromium=shot.chromium_version))
    return made


def _screenshot(final: Hop, hops: list[Hop], *, options: CaptureOptions) -> tuple[Screenshot | None, str]:
    if not options.screenshot:
        return None, "no screenshot: --no-screenshot"
    trusted: list[str] = []
    if options.ca_file is not None or options.insecure:
        trusted = sorted({hop.tls.spki_sha256_b64 for hop in hops if hop.tls and hop.tls.spki_sha256_b64})
    try:
        shot = take_screenshot(final.url, chromium=options.chromium, timeout=options.timeout, trusted_spki=trusted)
    except ScreenshotError as error:
        return None, str(error)
    notes = []
    if not shot.loaded:
        notes.append("screenshot taken before the page finished loading (time-out)")
    if shot.params.get("dialogs_dismissed"):
        notes.append(f"the page opened {len(shot.params['dialogs_dismissed'])} dialog(s), dismissed for the screenshot")
    return shot, "; ".join(notes)


def _reason(options: CaptureOptions) -> str:
    reason = options.reason.strip() or "web capture"
    if options.insecure:
        reason += " [TLS certificate not verified: --insecure]"
    return reason


def _capture_metadata(url: str, hops: list[Hop], *, content: bytes, encoding: str | None,
                      options: CaptureOptions, captured_at: str, screenshot: str) -> dict[str, Any]:
    import hashlib

    final = hops[-1]
    meta: dict[str, Any] = {
        "url": url,
        "final_url": final.url,
        "redirects": [{"url": hop.url, "status": hop.status, "location": hop.location or ""} for hop in hops[:-1]],
        "status": final.status,
        "reason_phrase": final.reason,
        "http_version": final.http_version,
        "captured_at": captured_at,
        "finished_at": datetime.now(UTC).isoformat(),
        "peer": final.peer,
        "content_type": final.header("Content-Type") or "",
        "user_agent": user_agent(),
        "insecure": options.insecure,
        "ca_file": str(options.ca_file) if options.ca_file else "",
        "tls": final.tls.as_metadata() if final.tls else None,
        "screenshot": screenshot,
        "reason": options.reason.strip(),
    }
    if encoding and content != final.body:
        meta.update(content_encoding=encoding, encoded_sha256=hashlib.sha256(final.body).hexdigest(),
                    encoded_size=len(final.body))
    return meta


_UNSAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


def _name(final: Hop) -> str:
    """A file name for the original: the URL's last path segment, with the extension its Content-Type implies.

    The pipeline picks a reader by extension, so a page at ``/report`` served
    as HTML must be named ``report.html``; a served type wins over what the
    URL's name claims, except a vague one (``application/octet-stream``).
    """
    parts = urlsplit(final.url)
    segment = PurePosixPath(parts.path).name
    stem, suffix = (segment.rsplit(".", 1)[0], "." + segment.rsplit(".", 1)[1]) if "." in segment else (segment, "")
    stem = _UNSAFE_NAME.sub("_", stem).strip("._")[:100] or _UNSAFE_NAME.sub("_", parts.hostname or "page")
    media_type = (final.header("Content-Type") or "").split(";", 1)[0].strip().lower()
    vague = media_type in ("", "application/octet-stream", "binary/octet-stream", "application/unknown")
    guessed = None if vague else mimetypes.guess_extension(media_type)
    if media_type in ("text/html", "application/xhtml+xml"):
        guessed = ".html"
    extension = guessed or _UNSAFE_NAME.sub("", suffix)[:10]
    return f"{stem}{extension}"
