"""Fetching a page for capture: one HTTP/1.1 exchange per hop, kept byte for byte.

Written on ``socket``/``ssl`` rather than ``http.client`` because evidence
needs what ``http.client`` throws away: the status line and header block
exactly as the server sent them, and the body as it came off the wire
(chunk framing included) for the WARC. Only ``Transfer-Encoding: chunked``
is undone to get the body; ``Content-Encoding`` is kept in the body as sent
and decoded separately, with the size limit applied to the decoded output
so a compressed "bomb" cannot fill the disk.

Everything the server sends is hostile: header lines, header count, chunk
sizes and body length are all bounded, the size limit is enforced while
reading (never after), and the whole exchange of one hop must finish within
the time-out, so a server that trickles one byte at a time cannot hold the
capture open.
"""
from __future__ import annotations

import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urljoin, urlsplit

from ...domain.printable import human_size
from .addresses import AddressPolicy, AddressRefused, connect_checked
from .tls import TlsInfo, tls_info

MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_MAX_HEADER_LINE = 65_536
_MAX_HEADERS = 200
_MAX_HEAD_BYTES = 256 * 1024
_READ = 64 * 1024
_STATUS_LINE = re.compile(rb"^HTTP/(\d)\.(\d) (\d{3})(?: ([^\r\n]*))?\r?\n$")
_CHUNK_SIZE = re.compile(rb"^([0-9A-Fa-f]{1,16})[ \t]*(;[^\r\n]*)?\r?\n$")
# Path and query characters sent as they are; anything else (spaces, CR/LF,
# non-ASCII) is percent-encoded so a URL can never inject a header line.
_SAFE = "/%:@!$&'()*+,;=-._~?"


class CaptureError(Exception):
    """A capture that cannot go on, with one line for the person running it.

    ``key`` names the kind of failure (``invalid_url``, ``refused_address``,
    ``unreachable``, ``timeout``, ``tls``, ``too_large``, ``redirects`` or
    ``failed``) for an interface that says it in its own language; the
    message itself is one English line with the details.
    """

    def __init__(self, message: str, *, key: str = "failed") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: trust, time and size limits, and who we say we are."""

    user_agent: str
    timeout: float
    max_bytes: int
    ca_file: Path | None = None
    insecure: bool = False
    # Which addresses may be reached (see .addresses): public only unless allowed, for the command
    # line and the web alike: neither the server nor the laptop should fetch its own neighbours.
    addresses: AddressPolicy = AddressPolicy()


@dataclass(slots=True)
class Hop:
    """One request and its response, as sent and received.

    ``raw_head`` is the status line and header block byte for byte (its
    closing blank line included); ``raw_body`` the body as it came off the
    wire, chunk framing included; ``body`` the same with the chunking undone
    (still content-encoded). Header names and values are the raw bytes read
    as Latin-1, which maps every byte to one character and back.
    """

    url: str
    request: bytes
    started_at: datetime
    peer: str = ""
    http_version: str = ""
    status: int = 0
    reason: str = ""
    raw_head: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    interim: list[bytes] = field(default_factory=list)  # 1xx responses before the real one
    raw_body: bytes = b""
    body: bytes = b""
    tls: TlsInfo | None = None

    @property
    def status_line(self) -> str:
        return self.raw_head.split(b"\n", 1)[0].rstrip(b"\r").decode("latin-1")

    def values(self, name: str) -> list[str]:
        """Every value of a header (case-insensitive), in the order sent."""
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        """The last value of a header, as servers repeating a single-valued one mean the last."""
        found = self.values(name)
        return found[-1] if found else None

    @property
    def location(self) -> str | None:
        return self.header("Location") if self.status in REDIRECT_STATUSES else None


def fetch_chain(url: str, *, options: FetchOptions) -> list[Hop]:
    """Fetch ``url``, following up to five redirects; every hop is kept, the last is the page."""
    hops: list[Hop] = []
    current = url
    while True:
        hop = fetch_one(current, options=options)
        hops.append(hop)
        location = hop.location
        if location is None:
            return hops
        if len(hops) > MAX_REDIRECTS:
            raise CaptureError(f"more than {MAX_REDIRECTS} redirects (the last to {location[:200]!r})", key="redirects")
        current = urljoin(current, location.strip())


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, request target) of an http(s) URL, or a one-line refusal."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise CaptureError(f"not a valid URL: {url[:200]!r} ({error})", key="invalid_url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise CaptureError(f"only http and https URLs can be captured, not {scheme or 'a URL without a scheme'}"
                           f" ({url[:200]!r})", key="invalid_url")
    if parts.username is not None or parts.password is not None:
        raise CaptureError("URLs with a user name or password are not captured; the credentials would be stored",
                           key="invalid_url")
    host = parts.hostname or ""
    if not host:
        raise CaptureError(f"the URL has no host name: {url[:200]!r}", key="invalid_url")
    try:
        if ":" not in host:  # an IPv6 literal is already ASCII
            host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise CaptureError(f"not a valid host name: {host[:200]!r}", key="invalid_url") from None
    if any(ch in host for ch in " \t\r\n/\\@"):
        raise CaptureError(f"not a valid host name: {host[:200]!r}", key="invalid_url")
    target = quote(parts.path or "/", safe=_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE)
    return scheme, host, port or (443 if scheme == "https" else 80), target


def fetch_one(url: str, *, options: FetchOptions) -> Hop:
    """One GET of ``url``: connect, send, read the whole response within the time-out."""
    scheme, host, port, target = check_url(url)
    host_header = f"[{host}]" if ":" in host else host
    if port != (443 if scheme == "https" else 80):
        host_header += f":{port}"
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: {options.user_agent}\r\n"
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        # identity: the stored original is then the exact bytes the server sent, with no decoding
        # step to explain; a server that compresses anyway is still handled (decode_content).
        "Accept-Encoding: identity\r\nAccept-Language: ar,en;q=0.8\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    hop = Hop(url=f"{scheme}://{host_header}{target}", request=request, started_at=datetime.now(UTC))
    deadline = time.monotonic() + options.timeout
    where = f"{host}:{port}"
    try:
        sock = connect_checked(host, port, timeout=options.timeout, policy=options.addresses)
    except AddressRefused as error:
        raise CaptureError(str(error), key="refused_address") from None
    except socket.gaierror:
        raise CaptureError(f"cannot resolve host {host!r} (DNS lookup failed)", key="unreachable") from None
    except ConnectionRefusedError:
        raise CaptureError(f"connection refused by {where}", key="unreachable") from None
    except TimeoutError:
        raise CaptureError(f"timed out after {options.timeout:g}s connecting to {where}", key="timeout") from None
    except OSError as error:
        raise CaptureError(f"cannot connect to {where}: {error.strerror or error}", key="unreachable") from None
    try:
        hop.peer = _peer(sock)
        if scheme == "https":
            sock = _wrap_tls(sock, host=host, options=options, deadline=deadline)
            hop.tls = tls_info(sock, verified=not options.insecure)
        _settime(sock, deadline, options.timeout, where)
        sock.sendall(request)
        with sock.makefile("rb") as stream:
            _read_response(stream, hop, sock=sock, deadline=deadline, options=options, where=where)
    except TimeoutError:
        raise CaptureError(f"timed out after {options.timeout:g}s waiting for {where}", key="timeout") from None
    except ssl.SSLError as error:
        raise CaptureError(f"TLS error talking to {where}: {error.reason or error}", key="tls") from None
    except ConnectionResetError:
        raise CaptureError(f"the connection was reset by {where}", key="unreachable") from None
    except OSError as error:
        raise CaptureError(f"network error talking to {where}: {error.strerror or error}", key="unreachable") from None
    finally:
        sock.close()
    return hop


def _peer(sock: socket.socket) -> str:
    try:
        address = sock.getpeername()
    except OSError:
        return ""
    return f"[{address[0]}]:{address[1]}" if ":" in str(address[0]) else f"{address[0]}:{address[1]}"


def _wrap_tls(sock: socket.socket, *, host: str, options: FetchOptions, deadline: float) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    if options.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(options.ca_file))
        except (OSError, ssl.SSLError) as error:
            raise CaptureError(f"cannot use --ca-file {options.ca_file}: {getattr(error, 'strerror', None) or error}"
                               ) from None
    if options.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    _settime(sock, deadline, options.timeout, host)
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as error:
        why = error.verify_message or error.reason or "not trusted"
        raise CaptureError(
            f"the TLS certificate of {host} was not accepted ({why}); if the site uses a private CA, pass"
            " --ca-file PATH with that CA, or --insecure to capture without checking (recorded in the capture)",
            key="tls") from None


def _settime(sock: socket.socket, deadline: float, timeout: float, where: str) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise CaptureError(f"timed out after {timeout:g}s waiting for {where}", key="timeout")
    sock.settimeout(left)


def _read_response(stream: BinaryIO, hop: Hop, *, sock: socket.socket, deadline: float, options: FetchOptions,
                   where: str) -> None:
    def tick() -> None:
        _settime(sock, deadline, options.timeout, where)

    while True:
        head = _read_head(stream, tick)
        match = _STATUS_LINE.match(head.split(b"\n", 1)[0] + b"\n")
        if match is None:
            raise CaptureError(f"{where} did not answer with HTTP (first bytes {head[:40]!r})")
        status = int(match[3])
        if 100 <= status < 200 and status != 101:
            hop.interim.append(head)  # "100 Continue", "103 Early Hints": the real answer follows
            continue
        break
    hop.raw_head = head
    hop.http_version = f"HTTP/{match[1].decode()}.{match[2].decode()}"
    hop.status = status
    hop.reason = (match[4] or b"").decode("latin-1").strip()
    hop.headers = _parse_headers(head)
    if status in (101, 204, 304):
        return
    encodings = [v.strip().lower() for v in ",".join(hop.values("Transfer-Encoding")).split(",") if v.strip()]
    if encodings and encodings[-1] == "chunked":
        hop.raw_body, hop.body = _read_chunked(stream, tick, limit=options.max_bytes)
        return
    if encodings:
        raise CaptureError(f"{where} used an unsupported Transfer-Encoding: {', '.join(encodings)[:100]}")
    lengths = {v.strip() for v in hop.values("Content-Length")}
    if len(lengths) > 1:
        raise CaptureError(f"{where} sent conflicting Content-Length headers")
    if lengths:
        text = lengths.pop()
        if not text.isdigit():
            raise CaptureError(f"{where} sent an invalid Content-Length: {text[:40]!r}")
        length = int(text)
        if length > options.max_bytes:
            raise CaptureError(f"the response is {human_size(length)}, over the size limit of"
                               f" {human_size(options.max_bytes)}", key="too_large")
        hop.body = hop.raw_body = _read_exact(stream, tick, length, where)
        return
    hop.body = hop.raw_body = _read_to_close(stream, tick, limit=options.max_bytes)


def _read_head(stream: BinaryIO, tick: Callable[[], None]) -> bytes:
    lines: list[bytes] = []
    total = 0
    while True:
        tick()
        line = stream.readline(_MAX_HEADER_LINE + 1)
        if not line:
            raise CaptureError("the server closed the connection before a complete response"
                               if lines else "the server closed the connection without answering")
        if len(line) > _MAX_HEADER_LINE or not line.endswith(b"\n"):
            raise CaptureError("the server sent a header line that is too long or cut off")
        if not lines and line not in (b"\r\n", b"\n") and not line.startswith(b"HTTP/"):
            raise CaptureError(f"the server did not answer with HTTP (it sent {line[:40]!r})")
        lines.append(line)
        total += len(line)
        if total > _MAX_HEAD_BYTES or len(lines) > _MAX_HEADERS:
            raise CaptureError("the server sent too many or too large headers")
        if line in (b"\r\n", b"\n"):
            if len(lines) == 1:  # tolerate blank lines before the status line, as browsers do
                lines.clear()
                continue
            return b"".join(lines)


def _parse_headers(head: bytes) -> list[tuple[str, str]]:
    """Headers in order; a continuation line (obsolete folding) joins the header before it."""
    headers: list[tuple[str, str]] = []
    for raw in head.split(b"\n")[1:]:
        line = raw.rstrip(b"\r").decode("latin-1")
        if not line:
            continue
        if line[0] in " \t" and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if sep and name and name == name.strip():
            headers.append((name, value.strip()))
    return headers


def _read_exact(stream: BinaryIO, tick: Callable[[], None], length: int, where: str) -> bytes:
    parts: list[bytes] = []
    left = length
    while left:
        tick()
        part = stream.read(min(left, _READ))
        if not part:
            raise CaptureError(f"{where} closed the connection after {length - left} of {length} body bytes")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _read_to_close(stream: BinaryIO, tick: Callable[[], None], *, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        tick()
        try:
            part = stream.read1(_READ)  # type: ignore[attr-defined]
        except ssl.SSLEOFError:
            # Closed without a TLS close_notify: many servers do this, and browsers take it as the end.
            # With no length to compare against, the end of the connection is the end of the body.
            part = b""
        if not part:
            return b"".join(parts)
        total += len(part)
        if total > limit:
            raise CaptureError(f"the response is over the size limit of {human_size(limit)}", key="too_large")
        parts.append(part)


def _read_chunked(stream: BinaryIO, tick: Callable[[], None], *, limit: int) -> tuple[bytes, bytes]:
    """(wire bytes with framing, body without): the size limit counts the body, the framing at most twice it."""
    raw: list[bytes] = []
    body: list[bytes] = []
    size_total = raw_total = 0
    while True:
        tick()
        line = stream.readline(1025)
        match = _CHUNK_SIZE.match(line)
        if match is None:
            raise CaptureError("the server sent a malformed chunked body")
        raw.append(line)
        size = int(match[1], 16)
        if size == 0:
            break
        size_total += size
        raw_total += len(line) + size
        if size_total > limit or raw_total > 2 * limit + _READ:
            raise CaptureError(f"the response is over the size limit of {human_size(limit)}", key="too_large")
        data = _read_exact(stream, tick, size, "the server")
        end = stream.readline(3)
        if end not in (b"\r\n", b"\n"):
            raise CaptureError("the server sent a malformed chunked body")
        raw.extend((data, end))
        body.append(data)
    trailer = _read_head_trailer(stream, tick)
    raw.append(trailer)
    return b"".join(raw), b"".join(body)


def _read_head_trailer(stream: BinaryIO, tick: Callable[[], None]) -> bytes:
    lines: list[bytes] = []
    while True:
        tick()
        line = stream.readline(_MAX_HEADER_LINE + 1)
        if not line:  # a missing final CRLF after the last chunk: the body is complete anyway
            return b"".join(lines)
        lines.append(line)
        if line in (b"\r\n", b"\n") or len(lines) > _MAX_HEADERS:
            return b"".join(lines)


def decode_content(body: bytes, encoding: str | None, *, limit: int) -> bytes:
    """The body with its Content-Encoding undone (gzip, deflate, br), refusing output over ``limit``."""
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    data = body
    for coding in reversed(codings):
        if coding in ("identity", "none"):
            continue
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, wbits=16 + zlib.MAX_WBITS, limit=limit)
        elif coding == "deflate":  # servers send both zlib-wrapped and raw deflate under this name
            try:
                data = _inflate(data, wbits=zlib.MAX_WBITS, limit=limit)
            except zlib.error:
                data = _inflate(data, wbits=-zlib.MAX_WBITS, limit=limit)
        elif coding == "br":
            data = _unbrotli(data, limit=limit)
        else:
            raise CaptureError(f"the server used an unknown Content-Encoding: {coding[:40]!r}")
    return data


def _inflate(data: bytes, *, wbits: int, limit: int) -> bytes:
    out: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest:  # gzip allows several members one after another
            inflater = zlib.decompressobj(wbits)
            chunk = inflater.decompress(rest, limit + 1 - total)
            while True:
                total += len(chunk)
                if total > limit:
                    raise CaptureError(f"the decompressed response is over the size limit of {human_size(limit)}",
                                       key="too_large")
                out.append(chunk)
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, limit + 1 - total)
            if not inflater.eof:
                raise CaptureError("the compressed response is cut off")
            rest = inflater.unused_data if wbits > 16 else b""
    except zlib.error as error:
        if wbits == zlib.MAX_WBITS:
            raise  # deflate: the caller retries as raw deflate
        raise CaptureError(f"the compressed response is corrupt ({error})") from None
    return b"".join(out)


def _unbrotli(data: bytes, *, limit: int) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        raise CaptureError("the server sent a brotli-compressed body and the 'brotli' package is not installed"
                           ) from None
    inflater = brotli.Decompressor()
    out: list[bytes] = []
    total = 0
    try:
        for start in range(0, len(data), _READ):  # fed in pieces so the limit stops a bomb early
            chunk = inflater.process(data[start:start + _READ])
            total += len(chunk)
            if total > limit:
                raise CaptureError(f"the decompressed response is over the size limit of {human_size(limit)}",
                                   key="too_large")
            out.append(chunk)
    except brotli.error as error:
        raise CaptureError(f"the compressed response is corrupt ({error})") from None
    return b"".join(out)
