"""Perceptual hashes: 64-bit DCT hashes (imagehash.phash) that survive re-encoding and resizing."""
from __future__ import annotations

import imagehash
from PIL import Image

ALGORITHM = "phash"
HASH_SIZE = 8  # 8 × 8 = 64 bits, 16 hex digits: what the band index in the store expects


def phash_hex(image: Image.Image) -> str:
    """The hash of an upright RGB image as 16 hex digits."""
    value = str(imagehash.phash(image, hash_size=HASH_SIZE))
    if len(value) != 16:  # pragma: no cover - imagehash's format for 64 bits
        raise ValueError(f"unexpected hash {value!r}")
    return value


def phash_version() -> str:
    return f"imagehash {imagehash.__version__}"
