"""Opening a hostile image safely: the decoder the signature names, and a pixel limit checked first.

Pillow reads only the header on open, so the declared size can be checked
before a single pixel is decoded: a 50 KB PNG can declare 100,000 ×
100,000 pixels and take 30 GB to decode (a decompression bomb). The limit
is ours, explicit, and applied whatever Pillow's global default is.
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

from ..errors import IngestError
from .sniff import MediaFormat

# 120 megapixels: above any phone or camera's normal output (a 108 MP
# sensor writes 12,000 × 9,000), and as RGB about 360 MB, the most one
# ingest worker should decode at once.
MAX_IMAGE_PIXELS = 120_000_000
# JPEGs are decoded at a reduced scale (libjpeg's 1/2, 1/4, 1/8) no smaller
# than this: enough for a 32 × 32 perceptual hash and a 320 px thumbnail,
# and a 100 MP photo then costs a few MB, not hundreds.
DRAFT_SIZE = (640, 640)


@contextmanager
def open_image(source: Path | bytes, fmt: MediaFormat) -> Iterator[Image.Image]:
    """The image, header read and size checked; IngestError for anything that is not a readable ``fmt``."""
    Image.init()
    if fmt.decoder == "HEIF" and "HEIF" not in Image.OPEN:
        _register_heif()
    if fmt.decoder not in Image.OPEN:
        raise IngestError(f"{fmt.label}s cannot be decoded on this installation (no Pillow plugin for them)")
    stream = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning fires at its default limit; ours is the explicit one below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            try:
                image = Image.open(stream, formats=[fmt.decoder])
            except Image.DecompressionBombError:
                raise IngestError(f"refused: the {fmt.label} declares more pixels than the limit of "
                                  f"{MAX_IMAGE_PIXELS:,} (a decompression bomb?)", kind="ingest.media_too_many_pixels",
                                  format=fmt.label) from None
            except Exception:  # noqa: BLE001 - UnidentifiedImageError, SyntaxError, struct errors...
                raise IngestError(f"not a readable {fmt.label} (corrupt, truncated or another format)",
                                  kind="ingest.media_unreadable", format=fmt.label) from None
        with image:
            width, height = image.size
            if width <= 0 or height <= 0:
                raise IngestError(f"not a readable {fmt.label}: it declares no pixels", kind="ingest.media_unreadable",
                                  format=fmt.label)
            if width * height > MAX_IMAGE_PIXELS:
                raise IngestError(f"refused: the {fmt.label} declares {width:,} × {height:,} pixels, over the "
                                  f"limit of {MAX_IMAGE_PIXELS:,} (a decompression bomb?)",
                                  kind="ingest.media_too_many_pixels", format=fmt.label)
            yield image
    finally:
        stream.close()


def _register_heif() -> None:
    """HEIC/HEIF (an iPhone's default photo format) through pillow-heif's libheif, when it is installed."""
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a declared dependency; the caller then refuses HEIC clearly
        return
    pillow_heif.register_heif_opener()


def decoded(image: Image.Image, fmt: MediaFormat) -> Image.Image:
    """The first frame fully decoded (at draft scale for JPEG), upright as EXIF orientation says, in RGB.

    Decoding every byte is also the integrity check: a truncated or corrupt
    file fails here (Pillow's LOAD_TRUNCATED_IMAGES is never set).
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global someone else set
        raise IngestError("refusing to decode images while Pillow accepts truncated files")
    try:
        if image.format == "JPEG":
            image.draft("RGB", DRAFT_SIZE)
        image.load()
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))  # transparent parts shown as on a white page
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return upright.convert("RGB")
    except IngestError:
        raise
    except Exception:  # noqa: BLE001 - OSError "image file is truncated", broken data streams...
        raise IngestError(f"not a readable {fmt.label}: the image data is corrupt or truncated",
                          kind="ingest.media_unreadable", format=fmt.label) from None
