"""The derive stage: working copies made from a newly stored original.

Runs after a source is committed, on the stored (read-only) original, so a
failure here never loses the source: it is reported as a problem with the
file and the copy can be made again later with the same tool.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..domain import Source, SourceKind
from ..domain.enums import DerivativeKind
from ..store.vault.blobs import BlobStore
from ..store.vault.derived import DerivedFile, derived_store, store_derivative
from .errors import IngestError, one_line
from .media.thumbnails import (
    ImageThumbnailDeriver,
    VideoKeyframesDeriver,
    VideoThumbnailDeriver,
)
from .media.transcode import TranscodeDeriver
from .pdf_preview import PdfPreviewDeriver

if TYPE_CHECKING:
    from ..store.db import Database


@runtime_checkable
class Deriver(Protocol):
    """Makes working copies of one kind of original.

    A deriver must:
    - never modify ``original`` (it is the stored evidence, opened read-only);
    - be deterministic for the same bytes and tool version where the tool allows,
      and say in ``DerivedFile.params`` every setting that shapes the copy;
    - treat the original as hostile (decompression bombs, corrupt streams) and
      raise :class:`IngestError` with one line when it cannot make its copy;
    - return an empty list when there is nothing to make.

    A deriver whose copy is a temporary file (``DerivedFile.path``) may be a
    generator that removes the file when asked for its next copy: the derive
    stage stores each copy before asking for the next.
    """

    name: str

    def applies(self, source: Source) -> bool: ...

    def derive(self, original: Path, source: Source) -> Iterable[DerivedFile]: ...


class ExtractedTextDeriver:
    """The text a reader extracted from a formatted original, kept as a UTF-8 working copy.

    Evidence spans point into this text; keeping it as a file with the
    reader that made it lets anyone show how it came from the original.
    Plain-text files and batch rows are skipped: their text is the original
    or a slice of it. Pages of a web archive are records too, but their text
    is extracted from an HTTP payload (de-chunked, decompressed, HTML
    stripped), nowhere a slice of the WARC, so each page gets its copy.
    """

    name = "extracted-text"
    kinds = (SourceKind.HTML, SourceKind.PDF, SourceKind.EMAIL, SourceKind.WEB_ARCHIVE)

    def applies(self, source: Source) -> bool:
        kind = SourceKind(source.kind)
        per_record = kind == SourceKind.WEB_ARCHIVE
        return kind in self.kinds and (per_record or not source.record_key) and bool(source.text.strip())

    def derive(self, original: Path, source: Source) -> list[DerivedFile]:
        from .. import __version__

        reader = str((source.metadata or {}).get("reader", ""))
        params: dict[str, str] = {"reader": reader}
        if source.record_key:  # which page of the archive the text came from
            params["record_key"] = source.record_key
        return [DerivedFile(kind=DerivativeKind.TEXT, media_type="text/plain; charset=utf-8",
                            tool=f"tawthiq.ingest.readers:{reader or 'unknown'}", tool_version=__version__,
                            params=params, data=source.text.encode("utf-8"))]


# Explicit, ordered: media derivers (thumbnails, keyframes) are added here.
DERIVERS: list[Deriver] = [
    ExtractedTextDeriver(), PdfPreviewDeriver(), ImageThumbnailDeriver(), VideoThumbnailDeriver(),
    VideoKeyframesDeriver(), TranscodeDeriver(),
]


def derive_for_source(db: Database, *, blobs: BlobStore, source: Source, source_id: int, actor: str,
                      derivers: list[Deriver] | None = None, reason: str = "") -> list[str]:
    """Make and store every applicable working copy; one-line problems, never an exception.

    Copies already stored are found by their bytes and not stored again, so
    running this a second time on the same source (see :func:`derive_again`)
    adds only what was missing.
    """
    problems: list[str] = []
    store = derived_store(blobs)
    for deriver in DERIVERS if derivers is None else derivers:
        try:
            if not deriver.applies(source):
                continue
            # A sealed store's original is decrypted for the tool outside the workspace, and removed after.
            with blobs.local_path(source.sha256) as original:
                for made in deriver.derive(original, source):
                    store_derivative(db, derived=store, original_sha256=source.sha256, made=made,
                                     source_id=source_id, actor=actor, reason=reason)
        except IngestError as error:
            problems.append(f"{deriver.name}: {error}")
        except Exception as error:  # noqa: BLE001 - the source is stored; a copy can be made later
            problems.append(f"{deriver.name}: {type(error).__name__}: {one_line(str(error), limit=160)}")
    return problems


@dataclass(slots=True)
class DeriveOutcome:
    """What ``tawthiq derive`` did for one source."""

    source_id: int
    new_copies: int = 0
    problems: list[str] = field(default_factory=list)


def derive_again(db: Database, *, blobs: BlobStore, source_ids: Iterable[int], actor: str,
                 reason: str = "") -> Iterator[DeriveOutcome]:
    """Run the derive stage again on stored sources: the way to make copies an earlier run could not.

    A deriver that failed at ingest (a tool missing, a crash, a bug since
    fixed) left the source stored without its copy; this makes it from the
    stored original, with a "derived" entry carrying ``reason``.
    """
    from ..store.derivatives import derivatives_of
    from ..store.sources import get_source

    for source_id in source_ids:
        outcome = DeriveOutcome(source_id=source_id)
        source = get_source(db, source_id)
        if source is None:
            outcome.problems.append("no such source")
        elif not blobs.verify(source.sha256):
            outcome.problems.append(f"its original {source.sha256} is missing or changed; run tawthiq verify")
        else:
            before = len(derivatives_of(db, source.sha256))
            outcome.problems = derive_for_source(db, blobs=blobs, source=source, source_id=source_id, actor=actor,
                                                 reason=reason)
            outcome.new_copies = len(derivatives_of(db, source.sha256)) - before
        yield outcome
