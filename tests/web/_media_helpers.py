"""Media sources for the web tests: images made with Pillow, stored as ingest stores them.

The original goes into the originals store and its source row through the
media store (facts, hashes, near-duplicates in one transaction); working
copies go through ``store_derivative``, as the derive stage stores them.
"""
from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from PIL import Image

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.enums import DerivativeKind
from tawthiq.domain.originals import Derivative, MediaFrameHash, MediaInfo
from tawthiq.services import Workspace
from tawthiq.store.media import add_media_source
from tawthiq.store.vault.derived import DerivedFile, derived_store, store_derivative


def picture(*, colour: tuple[int, int, int] = (190, 20, 20), size: tuple[int, int] = (96, 64),
            fmt: str = "JPEG") -> bytes:
    """A small image with a bright block, so a blurred one looks different from a sharp one."""
    image = Image.new("RGB", size, colour)
    for x in range(size[0] // 3, 2 * size[0] // 3):
        for y in range(size[1] // 3, 2 * size[1] // 3):
            image.putpixel((x, y), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def add_image(ws: Workspace, data: bytes, *, name: str = "photo.jpg", phash: str = "f0f0f0f0f0f0f0f0",
              metadata: dict[str, Any] | None = None, latitude: float | None = None,
              longitude: float | None = None, source_metadata: dict[str, Any] | None = None) -> tuple[int, str]:
    """Store an image original with its media facts; (source id, sha256)."""
    sha = ws.blobs.put(data)
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    source = Source(kind=SourceKind.IMAGE, sha256=sha, text="", original_name=name, media_type="image/jpeg",
                    size=len(data), metadata=dict(source_metadata or {}))
    info = MediaInfo(sha256=sha, kind="image", width=width, height=height,
                     taken_at=datetime(2016, 3, 12, 9, 41, 7, tzinfo=UTC), latitude=latitude, longitude=longitude,
                     hashes=[MediaFrameHash(hash=phash)], metadata=dict(metadata or {}))
    source_id, created = add_media_source(ws.db, source, info, actor="test")
    assert created
    return source_id, sha


def add_copy(ws: Workspace, *, source_id: int, original_sha256: str, data: bytes, media_type: str,
             kind: DerivativeKind = DerivativeKind.THUMBNAIL, params: dict[str, Any] | None = None) -> Derivative:
    """Store a working copy of an original, as the derive stage does."""
    made = DerivedFile(kind=kind, media_type=media_type, tool="tests.pillow", tool_version="1",
                       params=dict(params or {"max_side": 256}), data=data)
    return store_derivative(ws.db, derived=derived_store(ws.blobs),
                            original_sha256=original_sha256, made=made, source_id=source_id, actor="test")
