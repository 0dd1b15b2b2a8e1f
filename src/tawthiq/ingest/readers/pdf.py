"""PDF reports: the text layer only.

Scanned PDFs have no text layer; they are refused with a reason rather than
stored as an empty source, because OCR is not part of ingest.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language
from .base import ReadDocument, ReadResult

if TYPE_CHECKING:
    from .batches import ColumnMapping

MAX_PAGES = 2000


class PdfReader:
    name: str = "pdf"
    extensions: tuple[str, ...] = (".pdf",)
    content_decides: bool = True  # the %PDF- header is unambiguous

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        if not data.strip():
            raise IngestError("empty file", kind="ingest.empty")
        if b"%PDF-" not in data[:1024]:
            raise IngestError("not a PDF file (no %PDF- header)", kind="ingest.malformed", format="PDF")
        with reading("PDF"), _quiet_pypdf():
            return ReadResult([_read(data)])


def _read(data: bytes) -> ReadDocument:
    from pypdf import PdfReader as PypdfReader

    reader = PypdfReader(io.BytesIO(data), strict=False)
    encrypted = bool(reader.is_encrypted)
    if encrypted:
        # Many PDFs are "encrypted" with an empty user password only to stop editing.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - an unsupported cipher is as closed as a password
            opened = False
        if not opened:
            raise IngestError("encrypted PDF: it needs a password, remove it and ingest again", kind="ingest.pdf_encrypted")
    pages = reader.pages
    if len(pages) > MAX_PAGES:
        raise IngestError(f"PDF has {len(pages)} pages, more than the {MAX_PAGES} ingest reads", kind="ingest.pdf_pages",
                          pages=len(pages), n=MAX_PAGES)
    texts = [(page.extract_text() or "").strip() for page in pages]
    text = "\n\n".join(t for t in texts if t)
    if not text.strip():
        raise IngestError("PDF has no text layer (a scan?); OCR is not supported", kind="ingest.pdf_no_text")
    info: Any = _document_info(reader)
    title = _info(info, "/Title")
    author = _info(info, "/Author")
    return ReadDocument(
        text=text,
        kind=SourceKind.PDF,
        media_type="application/pdf",
        title=title,
        author=author,
        language=detect_language(text),
        # The creation date is when the file was made, which can be long after
        # the report; used as "published" it would misdate relative dates.
        metadata={
            "pages": len(pages),
            "producer": _info(info, "/Producer"),
            "created": _pdf_date(_info(info, "/CreationDate")),
            "pdf": _pdf_facts(info, pages=len(pages), encrypted=encrypted),
        },
    )


def _document_info(reader: Any) -> Any:
    try:
        return reader.metadata or {}
    except Exception:  # noqa: BLE001 - a broken /Info reference is not a broken document
        return {}


def _pdf_facts(info: Any, *, pages: int, encrypted: bool) -> dict[str, Any]:
    """The document information dictionary as the file states it, for the record.

    Every value is attacker-chosen: kept as a short single line with control
    and bidirectional-override characters removed, so it can neither break a
    log line nor reverse how a name reads on screen. Dates keep the PDF form
    (``D:20160214120000+02'00'``) as written, with an ISO reading beside it
    when the form is valid; the file's dates say when it was made or edited
    by the claimed software, which anyone can set.
    """
    facts: dict[str, Any] = {"pages": pages, "encrypted": encrypted}
    for key, name in _INFO_KEYS.items():
        value = _scrub(_info(info, key))
        if value:
            facts[name] = value
    for name in ("creation_date", "mod_date"):
        parsed = _pdf_datetime(facts.get(name, ""))
        if parsed:
            facts[f"{name}_iso"] = parsed
    return facts


_INFO_KEYS = {
    "/Title": "title",
    "/Author": "author",
    "/Subject": "subject",
    "/Keywords": "keywords",
    "/Creator": "creator",
    "/Producer": "producer",
    "/CreationDate": "creation_date",
    "/ModDate": "mod_date",
}
# C0/C1 controls, and the embedding/override/isolate controls that reorder text;
# the marks (LRM/RLM/ALM) are kept: Arabic titles use them as written.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PDF_DATETIME = re.compile(
    r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?"
)


def _scrub(value: str) -> str:
    return one_line(_UNSAFE.sub("", value), limit=300)


def _pdf_datetime(value: str) -> str:
    """``D:20160214120000+02'00'`` to ``2016-02-14T12:00:00+02:00``; "" when it is not a valid PDF date."""
    match = _PDF_DATETIME.match(value)
    if not match:
        return ""
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = match.groups()
    if not day:  # only as precise as the file says
        valid = month is None or 1 <= int(month) <= 12
        return (f"{year}-{month}" if month else year) if valid else ""
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                          int(second or 0))
        if sign:
            offset = timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
            moment = moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
        elif zulu:
            moment = moment.replace(tzinfo=UTC)
    except ValueError:
        return ""
    return moment.isoformat()


def _info(info: Any, key: str) -> str:
    try:
        value = info.get(key)
    except Exception:  # noqa: BLE001 - a broken info dictionary is not a broken document
        return ""
    return one_line(str(value), limit=300) if value else ""


def _pdf_date(value: str) -> str:
    """``D:20151007120000+03'00'`` to ``2015-10-07``."""
    digits = value.removeprefix("D:")[:8]
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return ""


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs and warns about every repair it makes; those are not the user's business."""
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)
