"""PDF reports: the text layer only.

Scanned PDFs have no text layer; they are refused with a reason rather than
stored as an empty source, because OCR is not part of ingest.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language
from .base import ReadDocument, ReadResult

if TYPE_CHECKING:
    from .records import ColumnMapping

MAX_PAGES = 2000


class PdfReader:
    name: str = "pdf"
    extensions: tuple[str, ...] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        if not data.strip():
            raise IngestError("empty file")
        if b"%PDF-" not in data[:1024]:
            raise IngestError("not a PDF file (no %PDF- header)")
        with reading("PDF"), _quiet_pypdf():
            return ReadResult([_read(data)])


def _read(data: bytes) -> ReadDocument:
    from pypdf import PdfReader as PypdfReader

    reader = PypdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        # Many PDFs are "encrypted" with an empty user password only to stop editing.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - an unsupported cipher is as closed as a password
            opened = False
        if not opened:
            raise IngestError("encrypted PDF: it needs a password, remove it and ingest again")
    pages = reader.pages
    if len(pages) > MAX_PAGES:
        raise IngestError(f"PDF has {len(pages)} pages, more than the {MAX_PAGES} ingest reads")
    texts = [(page.extract_text() or "").strip() for page in pages]
    text = "\n\n".join(t for t in texts if t)
    if not text.strip():
        raise IngestError("PDF has no text layer (a scan?); OCR is not supported")
    info: Any = reader.metadata or {}
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
        },
    )


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
