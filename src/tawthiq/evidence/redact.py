"""Redacted working copies: what a documenter may share without endangering the people in the material.

A redaction never touches the original; it makes a new working copy
(``DerivativeKind.REDACTED``) whose parameters say exactly what was hidden,
so anyone holding the original can make the same copy again and see that
nothing else changed.

Images: opaque black boxes painted on the upright picture (EXIF orientation
applied first, so the boxes are where the person marking them saw the
face), and a fresh image built from the pixels alone, so no EXIF (GPS,
camera serial), XMP, IPTC, ICC profile, comment or PNG text chunk can ride
along. Lossless originals (PNG, GIF, TIFF, BMP) give a PNG, whose pixels
outside the boxes equal the original's; photographic ones (JPEG, HEIC,
WebP, AVIF) give a JPEG at quality 95 without chroma subsampling, the same
family, at a size that can still be e-mailed. Either way the same inputs
give the same bytes.

Texts: each character of the spans [start, end) of the extracted text (the
text evidence spans point into) becomes "█", except line breaks, so every
offset into the text still points at the same place in the copy.
"""
from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..domain.enums import DerivativeKind
from ..store.vault.derived import DerivedFile

if TYPE_CHECKING:
    from PIL import Image

    from ..ingest.media.sniff import MediaFormat

TOOL = "tawthiq redact"
BLOCK = "█"
# Python's own line boundaries (str.splitlines): kept, so lines and offsets stay put.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
MAX_BOXES = 1000
MAX_SPANS = 10_000
JPEG_QUALITY = 95
# Formats whose pixels are exact: their copy stays lossless (PNG).
LOSSLESS_DECODERS = frozenset({"PNG", "GIF", "TIFF", "BMP"})
OutputFormat = Literal["auto", "png", "jpeg"]
FORMATS: tuple[OutputFormat, ...] = ("auto", "png", "jpeg")


class RedactionError(Exception):
    """A redaction that cannot be made, in one line for the person asking.

    ``kind`` ("redact.corrupt", …) names the problem for an interface in another language, with ``values``
    (as a service's error does); "" when it has none yet.
    """

    def __init__(self, message: str, *, kind: str = "", **values: object) -> None:
        super().__init__(message)
        self.kind = kind
        self.values: dict[str, object] = dict(values)


@dataclass(frozen=True, slots=True, order=True)
class Box:
    """A rectangle in pixels of the upright image: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @classmethod
    def parse(cls, text: str) -> Box:
        """"X,Y,W,H" as typed on the command line."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4 or not all(re.fullmatch(r"\d{1,9}", p) for p in parts):
            raise RedactionError(f"a box is X,Y,W,H in whole pixels (like 10,20,200,80), not {text!r}")
        return cls(*(int(p) for p in parts))

    @classmethod
    def of(cls, values: Sequence[object]) -> Box:
        """[x, y, w, h] as sent in JSON."""
        ints = _ints(values)
        if len(ints) != 4 or len(values) != 4:
            raise RedactionError(f"a box is [x, y, width, height] in whole pixels, not {list(values)!r}")
        return cls(*ints)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters [start, end) of a source's extracted text."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Span:
        """"START:END" as typed on the command line."""
        match = re.fullmatch(r"\s*(\d{1,12})\s*:\s*(\d{1,12})\s*", text)
        if not match:
            raise RedactionError(f"a span is START:END in characters (like 120:135), not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, values: Sequence[object]) -> Span:
        ints = _ints(values)
        if len(ints) != 2 or len(values) != 2:
            raise RedactionError(f"a span is [start, end] in characters, not {list(values)!r}")
        return cls(*ints)


def _ints(values: Sequence[object]) -> list[int]:
    """The whole numbers among ``values`` (JSON true/false are not numbers here)."""
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _versions() -> str:
    import PIL

    from .. import __version__

    return f"{__version__}; Pillow {PIL.__version__}"


# ----------------------------------------------------------------- images


def check_boxes(boxes: Iterable[Box], *, width: int, height: int) -> list[Box]:
    """The boxes sorted and without repeats, each inside the picture; at least one."""
    unique = sorted(set(boxes))
    if not unique:
        raise RedactionError("give at least one box to paint over")
    if len(unique) > MAX_BOXES:
        raise RedactionError(f"at most {MAX_BOXES} boxes in one redaction")
    for b in unique:
        if b.w < 1 or b.h < 1:
            raise RedactionError(f"box {b.x},{b.y},{b.w},{b.h} has no area")
        if b.x < 0 or b.y < 0 or b.x + b.w > width or b.y + b.h > height:
            raise RedactionError(f"box {b.x},{b.y},{b.w},{b.h} is not inside the {width} × {height} picture "
                                 "(boxes are in pixels of the upright image)")
    return unique


def _format(original: Path | bytes) -> MediaFormat:
    """The image format the original's signature names, refusing anything else."""
    from ..ingest.media.sniff import HEAD_BYTES, sniff_media

    head = original[:HEAD_BYTES] if isinstance(original, bytes) else _head(original, HEAD_BYTES)
    fmt = sniff_media(head)
    if fmt is None or not fmt.is_image:
        raise RedactionError("the original is not an image this installation can redact; "
                             "redact its text with spans instead", kind="redact.not_image")
    return fmt


def _head(path: Path, size: int) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _to_srgb(image: Image.Image, icc: bytes) -> tuple[Image.Image | None, str]:
    """Colours as the embedded profile meant them, in sRGB, so dropping the profile does not shift them.

    (None, why) when there is nothing to convert or it cannot be done: the
    pixel values are then kept as they are and the profile still dropped.
    """
    from PIL import ImageCms

    if image.mode not in ("RGB", "CMYK"):
        return None, f"embedded ICC profile dropped without conversion ({image.mode} pixels)"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # noqa: BLE001 - a broken or exotic profile: keep the numbers, drop the profile
        return None, "embedded ICC profile dropped without conversion (unreadable)"
    if converted is None:  # pragma: no cover - only with inPlace=True
        return None, "embedded ICC profile dropped without conversion"
    return converted, "converted from the embedded ICC profile to sRGB, profile dropped"


_TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def upright_size(original: Path | bytes) -> tuple[int, int]:
    """(width, height) of the picture as :func:`redact_image` paints it (EXIF orientation applied), read
    from the header only: boxes drawn as fractions of what the page showed become pixels of this."""
    from ..ingest.errors import IngestError
    from ..ingest.media.images import open_image

    fmt = _format(original)
    try:
        with open_image(original, fmt) as image, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except (IngestError, RedactionError) as error:
        raise RedactionError(str(error), kind=error.kind, **error.values) from None
    except Exception:  # noqa: BLE001 - a broken header
        raise RedactionError(f"not a readable {fmt.label}: the image data is corrupt or truncated",
                             kind="ingest.media_unreadable", format=fmt.label) from None
    return (height, width) if orientation in _TURNED else (width, height)


def redact_image(original: Path | bytes, boxes: Iterable[Box], *,
                 output: OutputFormat = "auto") -> DerivedFile:
    """The picture with ``boxes`` painted black and no metadata at all, as a REDACTED working copy."""
    from PIL import Image, ImageDraw, ImageFile, ImageOps

    from ..ingest.errors import IngestError
    from ..ingest.media.images import open_image

    if output not in FORMATS:
        raise RedactionError(f"output format is one of {', '.join(FORMATS)}, not {output!r}")
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global someone else set
        raise RedactionError("refusing to decode images while Pillow accepts truncated files")
    fmt = _format(original)
    try:
        with open_image(original, fmt) as image:
            frames = int(getattr(image, "n_frames", 1) or 1)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Pillow warns on odd EXIF; the pixels are what matter
                image.load()  # full resolution: never the draft scale used for thumbnails
                upright = ImageOps.exif_transpose(image)
            original_mode = upright.mode
            has_alpha = original_mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
                original_mode == "P" and "transparency" in upright.info)
            mode = "RGBA" if has_alpha else ("L" if original_mode in ("L", "1") else "RGB")
            icc = image.info.get("icc_profile")
            converted: Image.Image | None = None
            if not icc:
                colour_note = "no embedded ICC profile"
            elif fmt.decoder in LOSSLESS_DECODERS or has_alpha or mode == "L":
                # A lossless copy promises the original's pixel values outside the boxes, exactly.
                colour_note = "embedded ICC profile dropped, pixel values kept exactly"
            else:
                converted, colour_note = _to_srgb(upright, icc)
            pixels = converted if converted is not None else upright.convert(mode)
    except (IngestError, RedactionError) as error:
        raise RedactionError(str(error), kind=error.kind, **error.values) from None
    except Exception:  # noqa: BLE001 - OSError "image file is truncated", broken streams...
        raise RedactionError(f"not a readable {fmt.label}: the image data is corrupt or truncated",
                             kind="ingest.media_unreadable", format=fmt.label) from None

    width, height = pixels.size
    chosen = check_boxes(boxes, width=width, height=height)
    # A new image from the pixel values alone: nothing of the original's info
    # dictionary (EXIF, XMP, ICC, comments, text chunks) is carried over.
    clean = Image.frombytes(mode, (width, height), pixels.tobytes())
    draw = ImageDraw.Draw(clean)
    black = (0, 0, 0, 255) if mode == "RGBA" else (0 if mode == "L" else (0, 0, 0))
    for b in chosen:
        draw.rectangle((b.x, b.y, b.x + b.w - 1, b.y + b.h - 1), fill=black)

    lossless = fmt.decoder in LOSSLESS_DECODERS
    family = ("png" if lossless or has_alpha else "jpeg") if output == "auto" else output
    if family == "jpeg" and has_alpha:
        raise RedactionError("this picture has transparency, which JPEG cannot keep: ask for PNG",
                             kind="redact.transparency")
    out = io.BytesIO()
    if family == "png":
        clean.save(out, "PNG", optimize=False, compress_level=9)
        media_type, encoding = "image/png", {"format": "PNG", "compress_level": 9}
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False, progressive=False)
        media_type, encoding = "image/jpeg", {"format": "JPEG", "quality": JPEG_QUALITY, "subsampling": "4:4:4"}
    params: dict[str, object] = {
        "boxes": [[b.x, b.y, b.w, b.h] for b in chosen], "box_units": "pixels of the upright image (x, y, w, h)",
        "fill": "opaque black", "width": width, "height": height, "upright": True,
        "original_format": fmt.label, **encoding,
        "output": output, "lossless": family == "png",
        "metadata": "all stripped (EXIF incl. GPS, XMP, IPTC, ICC profile, comments, text chunks)",
        "colour": colour_note, "mode": mode, "original_mode": original_mode,
    }
    if frames > 1:
        params["frames"] = f"first of {frames} only"
    return DerivedFile(kind=DerivativeKind.REDACTED, media_type=media_type, tool=TOOL, tool_version=_versions(),
                       params=params, data=out.getvalue())


# ------------------------------------------------------------------ texts


def check_spans(spans: Iterable[Span], *, length: int) -> list[Span]:
    """The spans sorted, overlapping or touching ones merged, each inside the text; at least one."""
    given = sorted(set(spans))
    if not given:
        raise RedactionError("give at least one span of the text to black out")
    if len(given) > MAX_SPANS:
        raise RedactionError(f"at most {MAX_SPANS} spans in one redaction")
    merged: list[Span] = []
    for s in given:
        if s.start < 0 or s.end <= s.start or s.end > length:
            raise RedactionError(f"span {s.start}:{s.end} is not inside the text of {length} characters "
                                 "(START:END, START before END)")
        if merged and s.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged


def blacken(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every character of ``spans`` but line breaks replaced by a block: same length."""
    chars = list(text)
    for s in spans:
        for i in range(s.start, s.end):
            if chars[i] not in LINE_BREAKS:
                chars[i] = BLOCK
    return "".join(chars)


def name_spans(text: str, names: Iterable[str]) -> list[Span]:
    """Every occurrence of each name in ``text`` (Latin letters in any case), as spans.

    Matching is literal: a name spelt differently in the text (another
    transliteration, an Arabic spelling variant) is not found, which is why
    the result is a starting point the person redacting must check.
    """
    found: list[Span] = []
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        pattern = re.compile(r"\s+".join(re.escape(part) for part in name.split()), re.IGNORECASE)
        found += [Span(m.start(), m.end()) for m in pattern.finditer(text)]
    return found


def redact_text(text: str, spans: Iterable[Span], *, extra: dict[str, object] | None = None) -> DerivedFile:
    """The extracted text with ``spans`` blacked out, as a REDACTED UTF-8 working copy."""
    from .. import __version__

    if not text:
        raise RedactionError("this source has no extracted text to redact", kind="redact.no_text")
    chosen = check_spans(spans, length=len(text))
    params: dict[str, object] = {
        "spans": [[s.start, s.end] for s in chosen], "span_units": "characters (code points) of the extracted text",
        "replacement": f"each character by {BLOCK} (U+2588), line breaks kept, so offsets are unchanged",
        "format": "text/plain UTF-8", "length": len(text),
        "metadata": "none: the copy is the blacked-out text only",
        **(extra or {}),
    }
    return DerivedFile(kind=DerivativeKind.REDACTED, media_type="text/plain; charset=utf-8", tool=TOOL,
                       tool_version=__version__, params=params, data=blacken(text, chosen).encode("utf-8"))
