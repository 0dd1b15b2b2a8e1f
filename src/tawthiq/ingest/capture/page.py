"""Observing a web page: fetch its redirect chain, decode the body, screenshot it, and describe it all.

Nothing here writes to the workspace: ``services.capture`` stores the body as an
original (through the ingest pipeline) and the records made here as its working
copies. See that module for what is kept, and as what.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ...domain.enums import DerivativeKind
from ...store.vault.derived import DerivedFile
from .addresses import AddressPolicy
from .browser import DEFAULT_CHROMIUM, Screenshot, ScreenshotError, take_screenshot
from .guard_proxy import GuardProxy
from .http import CaptureError, FetchOptions, Hop, decode_content, fetch_chain
from .record import headers_json, warc_bytes

__all__ = ["TOOL", "CaptureError", "CaptureOptions", "Observation", "observe", "user_agent"]

TOOL = "tawthiq capture"


def user_agent() -> str:
    from ... import __version__

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
    # Public addresses only (page, redirects, the screenshot's every request) unless private ones are
    # allowed, or these exact (IP, port) pairs: see .addresses.
    allow_private: bool = False
    allowed_addresses: frozenset[tuple[str, int]] = frozenset()

    @property
    def addresses(self) -> AddressPolicy:
        return AddressPolicy(allow_private=self.allow_private, allowed=self.allowed_addresses)


@dataclass(slots=True)
class Observation:
    """One look at a URL: what was fetched, what to keep, and what the person should know."""

    url: str
    hops: list[Hop]
    content: bytes  # the final body, decoded when the server compressed it anyway
    meta: dict[str, Any]  # the source's ``capture`` metadata
    reason: str  # for every custody entry the capture writes
    name: str  # a file name whose extension picks the right reader
    working_copies: list[DerivedFile]
    notes: list[str]

    @property
    def final(self) -> Hop:
        return self.hops[-1]


def observe(url: str, *, options: CaptureOptions, limit: int) -> Observation:
    """Fetch ``url`` (bodies up to ``limit`` bytes) and make the capture's records; raises :class:`CaptureError`."""
    if options.ca_file is not None and not Path(options.ca_file).is_file():
        raise CaptureError(f"--ca-file {options.ca_file}: no such file")
    hops = fetch_chain(url, options=FetchOptions(user_agent=user_agent(), timeout=options.timeout,
                                                 max_bytes=limit, ca_file=options.ca_file,
                                                 insecure=options.insecure,
                                                 addresses=options.addresses))
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
    return Observation(url=url, hops=hops, content=content, meta=meta, reason=reason, name=_name(final),
                       working_copies=_working_copies(hops, url=url, meta=meta, shot=shot, insecure=options.insecure,
                                                      reason=reason),
                       notes=notes)


def _working_copies(hops: list[Hop], *, url: str, meta: dict[str, Any], shot: Screenshot | None, insecure: bool,
                    reason: str) -> list[DerivedFile]:
    """Headers JSON, WARC, certificates and screenshot, each saying which capture made it."""
    from ... import __version__

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
        with GuardProxy(policy=options.addresses, timeout=options.timeout + 5) as proxy:
            shot = take_screenshot(final.url, chromium=options.chromium, timeout=options.timeout,
                                   trusted_spki=trusted, proxy=proxy.url)
    except ScreenshotError as error:
        return None, str(error)
    notes = []
    if proxy.refused:  # the page asked for non-public addresses: the picture lacks whatever they held
        shot.params["refused_connections"] = list(proxy.refused)
        notes.append(f"the screenshot is missing {len(proxy.refused)} resource(s) the page asked for at"
                     f" non-public addresses, not loaded: {proxy.refused[0]}")
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
