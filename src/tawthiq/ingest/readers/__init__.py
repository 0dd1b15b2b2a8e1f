"""Readers for each report format, and the explicit list the pipeline chooses from."""

from __future__ import annotations

from pathlib import PurePath

from .base import ReadDocument, Reader, ReadResult
from .batches import ColumnMapping, CsvReader, JsonLinesReader, JsonReader
from .email import EmailReader
from .html import HtmlReader
from .media import MediaReader
from .pdf import PdfReader
from .telegram import TelegramReader
from .text import TextReader
from .warc import WaczReader, WarcReader

# The registry: what each reader accepts is declared on it (extensions, sniffed first bytes, and
# whether those bytes outrank the name). Order matters only among readers that recognise the same
# content: the first wins. Plain text is the fallback for a file nothing else accepts.
READERS: list[Reader] = [
    PdfReader(),
    MediaReader(),
    WarcReader(),
    WaczReader(),
    HtmlReader(),
    EmailReader(),
    CsvReader(),
    TelegramReader(),
    JsonReader(),
    JsonLinesReader(),
    TextReader(),
]
FALLBACK: Reader = READERS[-1]


def reader_for(name: str, head: bytes) -> Reader:
    """The reader for a file: by unambiguous content, else by its extension, else by its first bytes, else text.

    Content wins over a misleading extension only for readers that declare
    ``content_decides`` (PDF, media, Telegram exports, whose first bytes are
    unambiguous); a ``.txt`` holding HTML is read as the text it claims to be.
    """
    suffix = PurePath(name).suffix.lower()
    for reader in READERS:
        if reader.content_decides and reader.sniff(head):
            return reader
    for reader in READERS:
        if suffix in reader.extensions:
            return reader
    for reader in READERS:
        if reader.sniff(head):
            return reader
    return FALLBACK


__all__ = [
    "READERS",
    "ColumnMapping",
    "ReadDocument",
    "ReadResult",
    "Reader",
    "reader_for",
]
