"""What a reader produces and the contract every reader fulfils."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ...domain import SourceKind

if TYPE_CHECKING:
    from .batches import ColumnMapping


# The most text one source's record keeps (about 1,000 printed pages). A longer text (a 50 MB page
# of visible text, a data dump saved as .txt) is cut here, said in the source's notes, and the
# original stays whole in the evidence store: holding tens of millions of characters in the
# record would cost several copies of it in memory while it is written, and nothing reads that
# far (the extractor reads 500,000 characters, search indexes 200,000).
MAX_RECORD_TEXT = 2_000_000


@dataclass(slots=True)
class ReadDocument:
    """One report's text and metadata, read out of a file.

    A file usually gives one; a CSV/JSON batch gives one per row, told apart
    by ``record_key`` so that a re-ingest finds the same rows again.
    """

    text: str
    kind: SourceKind
    media_type: str
    title: str = ""
    author: str = ""
    url: str = ""
    language: str = ""
    published: date | None = None
    record_key: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ReadResult:
    """The documents read from one file and the parts of it that were skipped.

    ``skipped`` holds one-line reasons (a batch row with no text, a JSON Lines
    line that is not JSON); the rest of the file is still ingested.
    """

    documents: list[ReadDocument]
    skipped: list[str] = field(default_factory=list)


@runtime_checkable
class Reader(Protocol):
    """Turns the bytes of one file format into report documents.

    A reader must:
    - treat ``data`` as hostile: never execute or keep scripts, never fetch
      anything over the network, never follow references to other files;
    - raise :class:`~tawthiq.ingest.errors.IngestError` with a one-line,
      user-facing reason when the file cannot be read at all (malformed,
      encrypted, no text), and never let any other exception escape;
    - return at least one document when it does not raise, with non-blank
      text, except for media kinds (image, video, audio), whose original is
      the evidence itself and whose text is empty (their facts are probed
      separately, see :mod:`tawthiq.ingest.media`);
    - keep text as written (no transliteration, no normalisation of names),
      since evidence spans point into it.

    ``name`` is the file name as received, used only to choose and to report.
    ``mapping`` is only used by batch readers (CSV/JSON/JSONL).

    What a reader accepts is declared, and :func:`~tawthiq.ingest.readers.reader_for`
    chooses from those declarations alone: the file name ``extensions`` it
    reads, the first bytes it recognises (``sniff``), and whether those
    bytes are unambiguous enough to choose it whatever the file is named
    (``content_decides``).
    """

    name: str
    extensions: tuple[str, ...]  # lower case, with the dot
    content_decides: bool  # its first bytes choose it even over a file name that says otherwise

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes show the file is this reader's format whatever its name."""
        ...

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult: ...
