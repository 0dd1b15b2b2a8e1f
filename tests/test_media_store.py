"""Media facts and near-duplicate pairs in the store: band lookup, exact distance, idempotence."""
from __future__ import annotations

from datetime import UTC, datetime

from tawthiq.domain.originals import MediaFrameHash, MediaInfo
from tawthiq.store.db import Database
from tawthiq.store.media import (
    NEAR_DUPLICATE_MAX_DISTANCE,
    get_media,
    hash_bands,
    near_duplicates_of,
    save_media,
    source_ids_by_sha,
)

A, B, C, D, V = ("a" * 64, "b" * 64, "c" * 64, "d" * 64, "e" * 64)
BASE = 0x0123456789ABCDEF


def _flip(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


def _image(sha: str, value: int) -> MediaInfo:
    return MediaInfo(sha256=sha, kind="image", width=4, height=3, hashes=[MediaFrameHash(hash=f"{value:016x}")])


def test_bands_split_most_significant_first() -> None:
    assert hash_bands(BASE) == [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]


def test_pairs_within_the_threshold_are_found_even_when_every_band_but_one_differs(db: Database) -> None:
    # Seven flipped bits, one in each of seven bands: only band 0 still matches, and that suffices.
    seven = _flip(BASE, [8, 16, 24, 32, 40, 48, 56])
    eight = _flip(BASE, [0, 8, 16, 24, 32, 40, 48, 56])  # one bit in every band: over the threshold
    assert save_media(db, _image(B, BASE))
    assert save_media(db, _image(A, seven))
    assert save_media(db, _image(C, eight))
    pairs = near_duplicates_of(db, B)
    assert [(p.sha256_a, p.sha256_b, p.distance, p.method) for p in pairs] == [(A, B, 7, "phash")]
    assert NEAR_DUPLICATE_MAX_DISTANCE == 7
    # C is 8 from B (not flagged) but 1 from A (flagged): the lookup found it through A's bands.
    assert [(p.sha256_a, p.sha256_b, p.distance) for p in near_duplicates_of(db, C)] == [(A, C, 1)]


def test_a_video_pairs_once_at_its_closest_keyframe_and_never_with_itself(db: Database) -> None:
    save_media(db, _image(A, BASE))
    video = MediaInfo(sha256=V, kind="video", duration_seconds=2.0, hashes=[
        MediaFrameHash(hash=f"{_flip(BASE, [1, 2, 3]):016x}", frame=1, at_seconds=0.0),
        MediaFrameHash(hash=f"{_flip(BASE, [1]):016x}", frame=25, at_seconds=1.0),
        MediaFrameHash(hash=f"{_flip(BASE, [1, 9]):016x}", frame=49, at_seconds=2.0),
    ])
    assert save_media(db, video)
    (pair,) = near_duplicates_of(db, V)
    assert (pair.sha256_a, pair.sha256_b, pair.distance) == (A, V, 1)
    # Saving the same bytes again adds nothing.
    assert not save_media(db, video)
    assert len(near_duplicates_of(db, A)) == 1
    stored = get_media(db, V)
    assert stored is not None and [h.frame for h in stored.hashes] == [1, 25, 49]
    assert stored.hashes[1].at_seconds == 1.0


def test_facts_round_trip_and_hostile_strings_are_stored_safely(db: Database) -> None:
    info = _image(D, BASE)
    info.taken_at = datetime(2016, 3, 12, 9, 30, tzinfo=UTC)
    info.latitude, info.longitude = 36.2, 37.15
    info.metadata = {"exif": {"Make": "Can\x00on", "Software": "x" * 10}}
    save_media(db, info)
    got = get_media(db, D)
    assert got is not None
    assert (got.width, got.height, got.taken_at, got.latitude, got.longitude) == (4, 3, info.taken_at, 36.2, 37.15)
    assert got.metadata["exif"]["Make"] == "Can\ufffdon"
    assert get_media(db, A) is None
    assert source_ids_by_sha(db, [D]) == {D: []}
