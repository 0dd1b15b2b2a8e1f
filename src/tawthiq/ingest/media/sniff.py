"""Which media format a file is, from its first bytes: the only thing about it that is not a claim.

Every format here has a signature at a fixed offset. The signature also
decides which decoder may look at the file (``decoder``): a Pillow plugin
or an FFmpeg demuxer named explicitly, so hostile bytes never reach a
decoder chosen by FFmpeg's own guessing (which knows playlist formats that
would open other files or URLs).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...domain import SourceKind

HEAD_BYTES = 64  # enough for every signature below


@dataclass(frozen=True, slots=True)
class MediaFormat:
    """What the signature says: the kind (refined by the probe for audio-only containers) and decoder."""

    kind: SourceKind
    media_type: str
    decoder: str  # Pillow format name for images, FFmpeg demuxer name for audio/video
    label: str  # named in one-line errors: "not a readable JPEG image"

    @property
    def is_image(self) -> bool:
        return self.kind == SourceKind.IMAGE


def _f(kind: SourceKind, media_type: str, decoder: str, label: str) -> MediaFormat:
    return MediaFormat(kind=kind, media_type=media_type, decoder=decoder, label=label)


JPEG = _f(SourceKind.IMAGE, "image/jpeg", "JPEG", "JPEG image")
PNG = _f(SourceKind.IMAGE, "image/png", "PNG", "PNG image")
GIF = _f(SourceKind.IMAGE, "image/gif", "GIF", "GIF image")
WEBP = _f(SourceKind.IMAGE, "image/webp", "WEBP", "WebP image")
TIFF = _f(SourceKind.IMAGE, "image/tiff", "TIFF", "TIFF image")
HEIC = _f(SourceKind.IMAGE, "image/heic", "HEIF", "HEIC/HEIF image")
AVIF = _f(SourceKind.IMAGE, "image/avif", "AVIF", "AVIF image")
MP4 = _f(SourceKind.VIDEO, "video/mp4", "mov", "MP4 video")
QUICKTIME = _f(SourceKind.VIDEO, "video/quicktime", "mov", "QuickTime video")
THREEGP = _f(SourceKind.VIDEO, "video/3gpp", "mov", "3GP video")
M4A = _f(SourceKind.AUDIO, "audio/mp4", "mov", "M4A audio")
WEBM = _f(SourceKind.VIDEO, "video/webm", "matroska", "WebM video")
MATROSKA = _f(SourceKind.VIDEO, "video/x-matroska", "matroska", "Matroska video")
AVI = _f(SourceKind.VIDEO, "video/x-msvideo", "avi", "AVI video")
MPEG_PS = _f(SourceKind.VIDEO, "video/mpeg", "mpeg", "MPEG video")
ASF = _f(SourceKind.VIDEO, "video/x-ms-asf", "asf", "ASF/WMV video")
FLV = _f(SourceKind.VIDEO, "video/x-flv", "flv", "Flash video")
MP3 = _f(SourceKind.AUDIO, "audio/mpeg", "mp3", "MP3 audio")
AAC = _f(SourceKind.AUDIO, "audio/aac", "aac", "AAC audio")
OGG = _f(SourceKind.AUDIO, "audio/ogg", "ogg", "Ogg audio")
WAV = _f(SourceKind.AUDIO, "audio/wav", "wav", "WAV audio")
FLAC = _f(SourceKind.AUDIO, "audio/flac", "flac", "FLAC audio")
AMR = _f(SourceKind.AUDIO, "audio/amr", "amr", "AMR audio")
AMR_WB = _f(SourceKind.AUDIO, "audio/amr-wb", "amr", "AMR-WB audio")

# What a name claims, for a file whose bytes match no signature: it is then
# refused as "not a readable <label>" instead of being read as text.
BY_EXTENSION: dict[str, MediaFormat] = {
    ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".jfif": JPEG, ".png": PNG, ".gif": GIF, ".webp": WEBP,
    ".tif": TIFF, ".tiff": TIFF, ".heic": HEIC, ".heif": HEIC, ".avif": AVIF,
    ".mp4": MP4, ".m4v": MP4, ".mov": QUICKTIME, ".3gp": THREEGP, ".3g2": THREEGP, ".m4a": M4A,
    ".webm": WEBM, ".mkv": MATROSKA, ".mka": MATROSKA, ".avi": AVI, ".mpg": MPEG_PS, ".mpeg": MPEG_PS,
    ".wmv": ASF, ".asf": ASF, ".flv": FLV, ".mp3": MP3, ".aac": AAC, ".ogg": OGG, ".oga": OGG,
    ".opus": OGG, ".ogv": OGG, ".wav": WAV, ".flac": FLAC, ".amr": AMR, ".awb": AMR_WB,
}

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def _ftyp(head: bytes) -> MediaFormat:
    brand = head[8:12]
    if brand in _HEIF_BRANDS:
        return HEIC
    if brand in _AVIF_BRANDS:
        return AVIF
    if brand == b"qt  ":
        return QUICKTIME
    if brand.startswith(b"3g"):
        return THREEGP
    if brand in (b"M4A ", b"M4B ", b"M4P "):
        return M4A
    return MP4


def _mpeg_audio(head: bytes) -> MediaFormat | None:
    """An MPEG audio frame header (an MP3 without ID3 tag) or an ADTS AAC header."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    layer = (head[1] >> 1) & 0b11
    version = (head[1] >> 3) & 0b11
    if layer == 0:  # ADTS: MPEG-4/2 AAC, layer bits always 00
        return AAC if head[1] & 0xF6 == 0xF0 else None
    if layer == 0b11:  # layer I is all but extinct, and FF FE is the UTF-16 byte order mark of text files
        return None
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    if version == 1 or bitrate in (0, 15) or rate == 3:  # reserved values: not a frame header
        return None
    return MP3


def sniff_media(head: bytes) -> MediaFormat | None:
    """The media format whose signature ``head`` starts with, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(head[8:12])
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:HEAD_BYTES] else MATROSKA
    if head.startswith(b"OggS\x00"):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"#!AMR-WB\n"):
        return AMR_WB
    if head.startswith(b"#!AMR\n"):
        return AMR
    if head.startswith(b"ID3") and len(head) >= 10 and head[3] in (2, 3, 4) and head[4] == 0 \
            and all(byte < 0x80 for byte in head[6:10]):  # the ID3v2 header, strictly: "ID3,name" is a CSV
        return MP3
    if head.startswith(b"\x00\x00\x01\xba"):
        return MPEG_PS
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return ASF
    if head.startswith(b"FLV\x01"):
        return FLV
    return _mpeg_audio(head)


def media_format(name_suffix: str, head: bytes) -> MediaFormat | None:
    """The format by signature, else the one the extension claims (to refuse it clearly), else None."""
    return sniff_media(head) or BY_EXTENSION.get(name_suffix.lower())
