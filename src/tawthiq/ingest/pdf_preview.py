"""A PNG of a PDF's first page, so a reviewer sees the document without opening the original.

Rendered by PDFium (the engine of Chromium) through pypdfium2, whose wheels
are built without a JavaScript engine or XFA forms: a hostile PDF's scripts
never run. The page is scaled so its longer side is at most ``MAX_SIDE``
pixels whatever size the file claims, so a page declared kilometres wide is
not a memory bomb. PDFium is not thread-safe, so renders are serialised.
"""
from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from ..domain import Source, SourceKind
from ..domain.enums import DerivativeKind
from ..store.vault.derived import DerivedFile
from .errors import IngestError, one_line

MAX_SIDE = 1024  # pixels on the longer side of the preview
_LOCK = threading.Lock()


class PdfPreviewDeriver:
    """First page of a PDF original as a PNG working copy (kind PREVIEW)."""

    name = "pdf-preview"

    def applies(self, source: Source) -> bool:
        return SourceKind(source.kind) == SourceKind.PDF and not source.record_key

    def derive(self, original: Path, source: Source) -> list[DerivedFile]:
        import pypdfium2
        from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

        with _LOCK:
            try:
                png, params = _render_first_page(pypdfium2, original)
            except IngestError:
                raise
            except Exception as error:  # noqa: BLE001 - PDFium reports hostile files in many ways
                raise IngestError(f"PDF preview failed: {type(error).__name__}: {one_line(str(error), limit=120)}") from None
        return [DerivedFile(kind=DerivativeKind.PREVIEW, media_type="image/png", tool="pypdfium2",
                            tool_version=f"{PYPDFIUM_INFO} (PDFium {PDFIUM_INFO})", params=params, data=png)]


def _render_first_page(pdfium: Any, original: Path) -> tuple[bytes, dict[str, Any]]:
    document = pdfium.PdfDocument(str(original))
    try:
        if len(document) < 1:
            raise IngestError("PDF preview failed: the PDF has no pages")
        page = document[0]
        try:
            width, height = page.get_size()
            if not (width > 0 and height > 0):
                raise IngestError("PDF preview failed: the first page has no size")
            scale = MAX_SIDE / max(width, height)
            bitmap = page.render(scale=scale, draw_annots=True, may_draw_forms=False)
            try:
                image = bitmap.to_pil()
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    params = {"page": 1, "max_side": MAX_SIDE, "scale": round(scale, 6), "format": "png",
              "annotations": True, "forms": False, "width": image.width, "height": image.height}
    return out.getvalue(), params
