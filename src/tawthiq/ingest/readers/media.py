"""Images, video and audio: originals that are evidence in themselves, with no report text.

The document read from a media file has empty text (there is nothing for
the extractor to read; a transcript would be a derived copy, not the
original's text). What the file says about itself is probed instead:
dimensions, EXIF or container tags, GPS, capture time and perceptual
hashes, returned beside the document for the pipeline to store with it.

The signature decides the format, not the name: a ``.jpg`` holding junk is
refused as "not a readable JPEG image", and a photo named ``.txt`` is still
a photo.
"""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ...domain import SourceKind
from ...domain.originals import MediaInfo
from ..errors import IngestError
from ..media import BY_EXTENSION, HEAD_BYTES, media_format, probe, sniff_media
from .base import ReadDocument, ReadResult

if TYPE_CHECKING:
    from .batches import ColumnMapping

_KINDS = {"image": SourceKind.IMAGE, "video": SourceKind.VIDEO, "audio": SourceKind.AUDIO}


class MediaReader:
    name = "media"
    extensions = tuple(sorted(BY_EXTENSION))
    content_decides: bool = True  # an image, video or audio signature is unambiguous

    def sniff(self, head: bytes) -> bool:
        return sniff_media(head[:HEAD_BYTES]) is not None

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        return self.read_media(data, name=name)[0]

    def read_media(self, source: Path | bytes, *, name: str) -> tuple[ReadResult, MediaInfo]:
        """The one document and the probed facts, from bytes in memory or a stored file (a large video)."""
        if isinstance(source, bytes):
            head = source[:HEAD_BYTES]
        else:
            with open(source, "rb") as handle:
                head = handle.read(HEAD_BYTES)
        fmt = media_format(PurePath(name).suffix, head)
        if fmt is None:
            raise IngestError("not an image, video or audio file this reader knows", kind="ingest.media_unknown")
        if not head:
            raise IngestError("empty file", kind="ingest.empty")
        info = probe(source, fmt)
        kind = _KINDS[info.kind]
        media_type = str(info.metadata.get("media_type") or fmt.media_type)
        document = ReadDocument(text="", kind=kind, media_type=media_type,
                                metadata={"media_format": fmt.label})
        return ReadResult(documents=[document]), info
