"""Plain-text and Markdown reports."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from ...domain import SourceKind
from ..decoding import decode
from ..errors import IngestError
from ..metadata import detect_language
from .base import ReadDocument, ReadResult

if TYPE_CHECKING:
    from .batches import ColumnMapping

MARKDOWN_EXTENSIONS = (".md", ".markdown")


class TextReader:
    """Keeps the text exactly as written (Markdown markup included) so spans match the original."""

    name: str = "text"
    extensions: tuple[str, ...] = (".txt", ".text", ".md", ".markdown")
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return False  # the fallback for unknown names; chosen by the registry, not by sniffing

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        try:
            decoded = decode(data)
        except IngestError as error:
            suffix = PurePath(name).suffix.lower()
            if suffix and suffix not in self.extensions and data.strip():
                # A .docx or .jpg reached the plain-text fallback: say what kind of file was refused.
                raise IngestError(f"unsupported file type {suffix}: {error}", kind="ingest.unsupported_type",
                                  suffix=suffix) from None
            raise
        markdown = name.lower().endswith(MARKDOWN_EXTENSIONS)
        return ReadResult(
            [
                ReadDocument(
                    text=decoded.text,
                    kind=SourceKind.TEXT,
                    media_type="text/markdown" if markdown else "text/plain",
                    title=_title(decoded.text, markdown=markdown),
                    language=detect_language(decoded.text),
                    metadata=decoded.metadata(),  # which encoding, why, and any warning
                )
            ]
        )


def _title(text: str, *, markdown: bool) -> str:
    """The first non-blank line, which is how reports and articles are headed; trimmed."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            if markdown:
                line = line.lstrip("#").strip()
            return line[:200]
    return ""
