"""Web archives: WARC files and WACZ packages, one document per archived web page.

A WARC (ISO 28500) holds every HTTP exchange of a capture: the page, its
images, scripts, redirects, requests. Only the pages are reports: each
``response`` (or ``resource``) record whose payload is HTML or plain text,
with a 2xx status, becomes a document keyed by its ``WARC-Record-ID``; its
text comes from the same extraction as :mod:`.html`. Every other record
(images, scripts, redirects, revisits) is *not* ingested as a document: it
stays in the stored original and is listed in the metadata of the pages
(``warc_contents``), so the record shows what else the capture held.

A WACZ is a ZIP of WARCs (``archive/*.warc[.gz]``) with a ``datapackage.json``
listing each member's hash. It is opened through :mod:`..safe_archive`, and
each listed hash is checked against the member's bytes; a mismatch or a
missing member is reported as a problem line (the pages are still read: the
file is kept as received, and the problem is said, not hidden).

Both are hostile input: gzip members are inflated under a cap before warcio
sees them, page payloads (which may be gzip- or brotli-encoded over HTTP) are
read under a cap, and a record shorter than its ``Content-Length`` makes the
whole file malformed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..decoding import decode
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language
from ..safe_archive import ArchiveLimits, open_zip
from .base import ReadDocument, ReadResult
from .html import HtmlReader, read_html

if TYPE_CHECKING:
    from .batches import ColumnMapping

_MiB = 1024 * 1024
MAX_PAGE_BYTES = 16 * _MiB  # one page's decoded payload; a news article is well under 1 MiB
MAX_INFLATED = 1024 * _MiB  # a whole WARC after gzip; bounds CPU and warcio's line reads
MAX_PAGES = 5000  # pages read per file: each is a source with its own extraction run
MAX_LISTED = 200  # records listed in warc_contents.not_ingested; the rest are only counted
# A WACZ member is read into memory, so the members are capped below the general default.
WACZ_LIMITS = ArchiveLimits(max_member_size=512 * _MiB, max_total_size=MAX_INFLATED)
_CHUNK = _MiB
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_LISTED_TYPES = ("response", "resource", "revisit", "conversion", "continuation")
_HTTP_HEADERS = ("content-type", "content-language", "content-length", "date", "last-modified", "server", "location")
_WARC_HEADERS = {
    "WARC-Record-ID": "record_id",
    "WARC-Type": "type",
    "WARC-Date": "date",
    "WARC-Target-URI": "target_uri",
    "WARC-IP-Address": "ip_address",
    "WARC-Payload-Digest": "payload_digest",
    "WARC-Block-Digest": "block_digest",
    "WARC-Concurrent-To": "concurrent_to",
    "WARC-Warcinfo-ID": "warcinfo_id",
    "WARC-Truncated": "truncated",
}
_WARCINFO_FIELDS = ("software", "format", "conformsto", "http-header-user-agent", "operator", "hostname", "ispartof")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


class WarcReader:
    name: str = "warc"
    extensions: tuple[str, ...] = (".warc",)
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return _is_warc_head(head)

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("WARC"):
            scan = scan_warc(data)
        if not scan.documents:
            raise IngestError(scan.why_empty("WARC"))
        return ReadResult(scan.finished(), scan.problems)


class WaczReader:
    name: str = "wacz"
    extensions: tuple[str, ...] = (".wacz",)
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and (
            b"datapackage.json" in head or (b"archive/" in head and b".warc" in head)
        )

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("WACZ"):
            return _read_wacz(data)


@dataclass(slots=True)
class WarcScan:
    """What one pass over a WARC found: page documents, problem lines, and the other records."""

    documents: list[ReadDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    not_ingested: list[dict[str, Any]] = field(default_factory=list)
    not_ingested_count: int = 0
    page_failures: int = 0
    pages_over_limit: int = 0
    warcinfo: dict[str, str] = field(default_factory=dict)

    def contents(self) -> dict[str, Any]:
        return {
            "records": dict(self.counts),
            "not_ingested": list(self.not_ingested),
            "not_ingested_count": self.not_ingested_count,
            "pages_over_limit": self.pages_over_limit,
            "warcinfo": dict(self.warcinfo),
        }

    def finished(self, *, extra: dict[str, Any] | None = None) -> list[ReadDocument]:
        """The documents with the file's contents listed in each (every page is shown on its own)."""
        contents = self.contents()
        for document in self.documents:
            document.metadata["warc_contents"] = contents
            document.metadata.update(extra or {})
        return self.documents

    def why_empty(self, what: str) -> str:
        if self.page_failures and self.problems:
            return f"no readable web page in the {what}: {self.problems[0]}"
        return f"no web page found in the {what}"


def scan_warc(data: bytes, *, member: str = "") -> WarcScan:
    """Read every record of a (possibly gzipped) WARC; raises :class:`IngestError` when malformed.

    Library failures propagate to the caller's ``reading(...)`` block.
    """
    from warcio.archiveiterator import ArchiveIterator

    if not data.strip():
        raise IngestError("empty WARC")
    _check_inflated_size(data)
    if not _is_warc_head(data[:4096]):
        raise IngestError("not a WARC file (no WARC/1.x header)")
    scan = WarcScan()
    seen: set[str] = set()
    # warcio reports two faults only on stderr: a record whose Content-Length is off
    # (also counted in err_count, refused below) and a compressed HTTP body that breaks
    # off midway (it then returns the body cut short). Both are caught here instead.
    chatter = io.StringIO()
    with contextlib.redirect_stderr(chatter):
        iterator = ArchiveIterator(io.BytesIO(data), check_digests=True)
        for record in iterator:
            kind = str(record.rec_type or "")
            scan.counts[kind] = scan.counts.get(kind, 0) + 1
            headers = _warc_headers(record)
            if kind == "warcinfo":
                scan.warcinfo = _warcinfo(record, headers)
            elif _is_page(record):
                _take_page(scan, record, headers, chatter=chatter, seen=seen, member=member)
            else:
                _list_other(scan, record, headers)
            _drain(record)
            _check_complete(record, headers)
        if iterator.err_count:
            raise IngestError("malformed WARC: a record's Content-Length does not match its content")
    return scan


def _take_page(scan: WarcScan, record: Any, headers: dict[str, str], *, chatter: io.StringIO, seen: set[str],
               member: str) -> None:
    """Read one page record into a document, or say in ``scan.problems`` why not."""
    where = f"{member}: {_label(headers)}" if member else _label(headers)
    if len(scan.documents) >= MAX_PAGES:
        scan.pages_over_limit += 1
        if scan.pages_over_limit == 1:
            scan.problems.append(f"{where}: more than {MAX_PAGES} pages in one WARC; this and later pages not read")
        return
    before = chatter.tell()
    payload = _payload(record)
    if payload is None or chatter.tell() != before:
        reason = f"page larger than {MAX_PAGE_BYTES} bytes" if payload is None else "the page's compressed body is corrupt"
        scan.problems.append(f"{where}: {reason}, not read")
        scan.page_failures += 1
        return
    _drain(record)  # the digests are checked once the whole record is read
    _check_complete(record, headers)
    key = headers.get("record_id", "")
    if key and key in seen:
        scan.problems.append(f"{where}: duplicate WARC-Record-ID, read once")
        return
    seen.add(key)
    try:
        document = _page(record, headers, payload, member=member)
    except IngestError as error:
        scan.problems.append(f"{where}: {error}")
        scan.page_failures += 1
        return
    problems = [one_line(str(p), limit=200) for p in (getattr(record.digest_checker, "problems", None) or [])]
    if problems:
        document.metadata["warc"]["digest_problems"] = problems
        scan.problems.append(f"warning: {where}: {problems[0]} (page kept)")
    scan.documents.append(document)


def _check_inflated_size(data: bytes) -> None:
    """Inflate every gzip member once, discarding the output, to refuse bombs and truncation early."""
    if not data.startswith(b"\x1f\x8b"):
        return
    total = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(31)
        pending = rest
        while not inflater.eof:
            out = inflater.decompress(pending, _CHUNK)
            total += len(out)
            if total > MAX_INFLATED:
                raise IngestError(f"WARC inflates to more than {MAX_INFLATED} bytes (a decompression bomb?)")
            pending = inflater.unconsumed_tail
            if not out and not pending and not inflater.eof:
                raise IngestError("truncated WARC: a gzip member ends early")
        rest = inflater.unused_data
        if rest and not rest.startswith(b"\x1f\x8b"):
            raise IngestError("malformed WARC: data after a gzip member is not gzip")


def _is_warc_head(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/1.") or head.startswith(b"WARC/0.1")


def _warc_headers(record: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for header, key in _WARC_HEADERS.items():
        value = record.rec_headers.get_header(header)
        if value:
            found[key] = one_line(str(value), limit=2000 if key == "target_uri" else 300)
    return found


def _warcinfo(record: Any, headers: dict[str, str]) -> dict[str, str]:
    """The capturing software and its settings, as the crawler described itself."""
    body = record.raw_stream.read(64 * 1024)
    info = {"record_id": headers.get("record_id", ""), "filename": one_line(str(record.rec_headers.get_header("WARC-Filename") or ""))}
    for line in body.decode("utf-8", "replace").splitlines()[:50]:
        key, _, value = line.partition(":")
        if key.strip().lower() in _WARCINFO_FIELDS:
            info[key.strip().lower()] = one_line(value.strip(), limit=300)
    return {key: value for key, value in info.items() if value}


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return str(record.http_headers.get_header("Content-Type") or "")
    return str(record.content_type or "")


def _status(record: Any) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _is_page(record: Any) -> bool:
    if record.rec_type not in ("response", "resource"):
        return False
    if record.rec_type == "response":
        status = _status(record)
        if record.http_headers is None or status is None or not 200 <= status < 300:
            return False
    mime = _content_type(record).split(";", 1)[0].strip().lower()
    return mime in _PAGE_TYPES


def _payload(record: Any) -> bytes | None:
    """The decoded payload (chunking and content-encoding undone), or None when over the cap."""
    stream = record.content_stream()
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            return None
        parts.append(chunk)
    return b"".join(parts)


def _drain(record: Any) -> None:
    while record.raw_stream.read(_CHUNK):
        pass


def _check_complete(record: Any, headers: dict[str, str]) -> None:
    left = getattr(record.raw_stream, "limit", 0)
    if isinstance(left, int) and left > 0:
        raise IngestError(f"truncated WARC: {_label(headers)} ends {left} bytes before its Content-Length")


def _label(headers: dict[str, str]) -> str:
    uri = one_line(headers.get("target_uri", ""), limit=100)
    return f"record {headers.get('record_id', '(no id)')}" + (f" ({uri})" if uri else "")


def _list_other(scan: WarcScan, record: Any, headers: dict[str, str]) -> None:
    if record.rec_type not in _LISTED_TYPES:
        return  # requests, metadata, warcinfo: counted only
    scan.not_ingested_count += 1
    if len(scan.not_ingested) >= MAX_LISTED:
        return
    status = _status(record)
    entry: dict[str, Any] = {
        "record_id": headers.get("record_id", ""),
        "type": str(record.rec_type),
        "uri": headers.get("target_uri", ""),
        "content_type": one_line(_content_type(record), limit=200),
        "payload_digest": headers.get("payload_digest", ""),
    }
    if status is not None:
        entry["status"] = status
    scan.not_ingested.append(entry)


def _page(record: Any, headers: dict[str, str], payload: bytes, *, member: str) -> ReadDocument:
    content_type = one_line(_content_type(record), limit=200)
    match = _CHARSET.search(content_type)
    charset = match[1] if match else None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "text/plain" and not HtmlReader().sniff(payload[:2048]):
        decoded = decode(payload, declared=charset)
        text = decoded.text
        document = ReadDocument(text=text.strip(), kind=SourceKind.WEB_ARCHIVE, media_type="",
                                language=detect_language(text), metadata=decoded.metadata())
        if not document.text:
            raise IngestError("no readable text in the page")
    else:
        document = read_html(payload, declared_charset=charset)
    canonical = document.url
    document.kind = SourceKind.WEB_ARCHIVE
    document.media_type = "application/wacz" if member else "application/warc"
    document.url = headers.get("target_uri", "")
    document.record_key = headers.get("record_id", "")
    warc = dict(headers)
    if member:
        warc["member"] = member
    document.metadata.update({
        "warc": warc,
        "captured_at": headers.get("date", ""),
        "page_content_type": content_type,
        "page_sha256": hashlib.sha256(payload).hexdigest(),
    })
    if canonical and canonical != document.url:
        document.metadata["canonical_url"] = canonical
    if record.http_headers is not None:
        document.metadata["http"] = {
            "status": _status(record),
            "headers": {
                name: one_line(str(record.http_headers.get_header(name)), limit=300)
                for name in _HTTP_HEADERS
                if record.http_headers.get_header(name)
            },
        }
    return document


def _read_wacz(data: bytes) -> ReadResult:
    documents: list[ReadDocument] = []
    problems: list[str] = []
    failures = 0
    with open_zip(data, limits=WACZ_LIMITS) as archive:
        package = _datapackage(archive.read("datapackage.json")) if "datapackage.json" in archive else None
        if package is None:
            problems.append("warning: no datapackage.json, member hashes not checked")
        warcs = [n for n in archive.names() if n.startswith("archive/") and n.lower().endswith((".warc", ".warc.gz"))]
        if not warcs:
            raise IngestError("no WARC in the WACZ (archive/*.warc or *.warc.gz)")
        listed = _resources(package)
        about = _about(package)
        for name, resource in listed.items():
            if name not in archive:
                problems.append(f"datapackage.json lists {name!r}, which the WACZ lacks")
                continue
            problem = _hash_problem(name, resource, archive.read(name))
            if problem:
                problems.append(problem)
        seen: set[str] = set()
        for name in warcs:
            if package is not None and name not in listed:
                problems.append(f"warning: {name!r} is not listed in datapackage.json")
            try:
                scan = scan_warc(archive.read(name), member=name)
            except IngestError as error:
                problems.append(f"{name}: {error}")
                failures += 1
                continue
            except Exception as error:  # noqa: BLE001 - one bad WARC does not hide the others
                problems.append(f"{name}: malformed WARC: {type(error).__name__}: {one_line(str(error), limit=120)}")
                failures += 1
                continue
            failures += scan.page_failures
            problems.extend(scan.problems)
            for document in scan.finished(extra={"wacz": about}):
                if document.record_key in seen:
                    problems.append(f"{name}: record {document.record_key} appears in another WARC too, read once")
                    continue
                seen.add(document.record_key)
                documents.append(document)
    if not documents:
        errors = [p for p in problems if not p.startswith("warning:")]
        if failures and errors:
            raise IngestError(f"no readable web page in the WACZ: {errors[0]}")
        raise IngestError("no web page found in the WACZ")
    return ReadResult(documents, problems)


def _datapackage(raw: bytes) -> dict[str, Any]:
    try:
        package = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise IngestError("the WACZ's datapackage.json is not JSON") from None
    if not isinstance(package, dict):
        raise IngestError("the WACZ's datapackage.json is not a JSON object")
    return package


def _resources(package: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    resources = (package or {}).get("resources")
    if not isinstance(resources, list):
        return {}
    return {str(r["path"]): r for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str)}


def _about(package: dict[str, Any] | None) -> dict[str, str]:
    about = {key: one_line(str((package or {}).get(key) or ""), limit=300)
             for key in ("title", "created", "modified", "software", "wacz_version", "mainPageUrl")}
    return {key: value for key, value in about.items() if value}


def _hash_problem(name: str, resource: dict[str, Any], data: bytes) -> str:
    declared = str(resource.get("hash") or "")
    algorithm, _, expected = declared.partition(":")
    if not expected:
        return f"warning: datapackage.json gives no hash for {name!r}"
    if algorithm.lower() not in ("sha256", "md5", "sha1"):
        return f"warning: datapackage.json hashes {name!r} with {one_line(algorithm, limit=20)!r}, not checked"
    actual = hashlib.new(algorithm.lower(), data).hexdigest()
    if actual != expected.strip().lower():
        return f"{name}: its {algorithm.lower()} does not match datapackage.json (altered or corrupt; pages kept)"
    size = resource.get("bytes")
    if isinstance(size, int) and size != len(data):
        return f"{name}: {len(data)} bytes, datapackage.json says {size} (pages kept)"
    return ""
