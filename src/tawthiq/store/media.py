"""Media facts and perceptual hashes of originals, and the near-duplicates found among them.

Everything here is keyed by the original's SHA-256, not by a source row:
the facts belong to the bytes, whatever sources name them.

Near-duplicates come from an index lookup, not a scan. Each 64-bit hash is
split into eight 8-bit bands (``media_hash_bands``). Two hashes within
Hamming distance 7 differ in at most seven bands, so they agree exactly on
at least one (pigeonhole): looking up the eight (band, value) pairs of a
new hash finds every stored hash within 7, and the exact distance is then
computed on those candidates only. The threshold is therefore 7, the
largest distance the index is guaranteed to find: a larger one would flag
some pairs and silently miss others at the same distance, which a reviewer
could not rely on. A WhatsApp re-encode (quality ~30, resized) of a photo
stays well inside it (0-4 in the tests); unrelated photos are ~32 apart.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from ..domain.model import Source
from ..domain.originals import MediaFrameHash, MediaInfo, NearDuplicate
from . import dialect
from .db import Database
from .sources import insert_source
from .tables import media_hash_bands, media_hashes, media_items, near_duplicates, sources

BANDS = 8
BAND_BITS = 8
NEAR_DUPLICATE_MAX_DISTANCE = 7  # = BANDS - 1: every pair at or under it is guaranteed to be found (see above)
METHOD = "phash"
_CHUNK = 500


def hash_bands(value: int) -> list[int]:
    """The eight 8-bit bands of a 64-bit hash, most significant first."""
    return [(value >> (BAND_BITS * (BANDS - 1 - band))) & 0xFF for band in range(BANDS)]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _parse_hash(text: str) -> int:
    value = int(text, 16)
    if not 0 <= value < 1 << 64 or len(text) != 16:
        raise ValueError(f"not a 64-bit hash in 16 hex digits: {text!r}")
    return value


# -------------------------------------------------------------------- write


def insert_media(session: Session, info: MediaInfo) -> bool:
    """Store the facts, hashes and near-duplicates of one original in the caller's transaction.

    Idempotent: False (and nothing written) when these bytes were already
    probed, so a re-ingest never doubles hashes or pairs.
    """
    values = {
        "sha256": info.sha256, "kind": info.kind, "width": info.width, "height": info.height,
        "duration_seconds": info.duration_seconds, "taken_at": info.taken_at,
        "latitude": info.latitude, "longitude": info.longitude, "metadata": _safe(info.metadata),
    }
    inserted = session.execute(dialect.insert_ignore_keyless(
        session, media_items, values=values, conflict_columns=["sha256"]).returning(media_items.c.sha256)).scalar()
    if inserted is None:
        return False
    new_hashes: list[int] = []
    seen_frames: set[tuple[int, str]] = set()
    for frame_hash in info.hashes:
        value = _parse_hash(frame_hash.hash)
        key = (frame_hash.frame, frame_hash.algorithm)
        if key in seen_frames:
            continue
        seen_frames.add(key)
        hash_id = session.execute(media_hashes.insert().values(
            sha256=info.sha256, frame=frame_hash.frame, at_seconds=frame_hash.at_seconds,
            algorithm=frame_hash.algorithm, hash=f"{value:016x}").returning(media_hashes.c.id)).scalar_one()
        session.execute(media_hash_bands.insert(), [
            {"hash_id": hash_id, "band": band, "value": band_value}
            for band, band_value in enumerate(hash_bands(value))
        ])
        if frame_hash.algorithm == METHOD:
            new_hashes.append(value)
    if new_hashes:
        _record_near_duplicates(session, info.sha256, new_hashes)
    return True


# One statement for every lookup (values bound, not inlined), so SQLAlchemy
# compiles it once: building an 8-way OR afresh cost more than running it.
_CANDIDATES = (
    select(media_hashes.c.sha256, media_hashes.c.hash).distinct()
    .join(media_hash_bands, media_hash_bands.c.hash_id == media_hashes.c.id)
    .where(or_(*(and_(media_hash_bands.c.band == band, media_hash_bands.c.value == bindparam(f"v{band}"))
                 for band in range(BANDS))))
    .where(media_hashes.c.sha256 != bindparam("sha"), media_hashes.c.algorithm == METHOD)
)


def _record_near_duplicates(session: Session, sha: str, new_hashes: list[int]) -> None:
    """Pair ``sha`` with every other original whose hashes come within the threshold of one of ``new_hashes``."""
    closest: dict[str, int] = {}
    for value in new_hashes:  # one indexed lookup per hash: eight (band, value) pairs
        bands = {f"v{band}": band_value for band, band_value in enumerate(hash_bands(value))}
        for other_sha, other_hash in session.execute(_CANDIDATES, {"sha": sha, **bands}):
            distance = hamming(value, int(other_hash, 16))
            if distance <= NEAR_DUPLICATE_MAX_DISTANCE and distance < closest.get(other_sha, BANDS * BAND_BITS + 1):
                closest[other_sha] = distance
    for other_sha, distance in sorted(closest.items()):
        a, b = sorted((sha, other_sha))
        existing = session.scalar(select(near_duplicates.c.distance).where(
            near_duplicates.c.sha256_a == a, near_duplicates.c.sha256_b == b))
        if existing is None:
            session.execute(near_duplicates.insert().values(sha256_a=a, sha256_b=b, distance=distance,
                                                            method=METHOD))
        elif distance < existing:
            session.execute(update(near_duplicates).where(
                near_duplicates.c.sha256_a == a, near_duplicates.c.sha256_b == b).values(distance=distance))


def save_media(db: Database, info: MediaInfo) -> bool:
    """:func:`insert_media` in its own transaction."""
    with db.session(write=True) as session:
        return insert_media(session, info)


def add_media_source(db: Database, source: Source, info: MediaInfo, *, actor: str = "system") -> tuple[int, bool]:
    """Store a media source and its facts, hashes and near-duplicates all or nothing; (id, created).

    Media carries no report text, so there are no incidents to extract; a
    source already stored adds nothing (its media was stored with it).
    """
    with db.session(write=True) as session:
        source_id, created = insert_source(session, source, actor=actor)
        insert_media(session, info)  # also when the source existed: fills media probed before this was stored
        return source_id, created


def _safe(value: Any) -> Any:
    """JSON that both engines store: PostgreSQL's JSONB refuses NUL even when escaped."""
    if isinstance(value, str):
        return dialect.scrub(value)
    if isinstance(value, dict):
        return {dialect.scrub(str(k)): _safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return dialect.scrub(str(value))


# --------------------------------------------------------------------- read


def get_media(db: Database, sha256: str) -> MediaInfo | None:
    """The facts and hashes read from these bytes, or None when they are not media (or not probed)."""
    with db.session() as session:
        row = session.execute(select(media_items).where(media_items.c.sha256 == sha256)).first()
        if row is None:
            return None
        hashes = [
            MediaFrameHash(hash=h.hash, frame=int(h.frame), at_seconds=h.at_seconds, algorithm=h.algorithm)
            for h in session.execute(select(media_hashes).where(media_hashes.c.sha256 == sha256)
                                     .order_by(media_hashes.c.frame, media_hashes.c.algorithm))
        ]
    return MediaInfo(sha256=row.sha256, kind=row.kind, width=row.width, height=row.height,
                     duration_seconds=row.duration_seconds, taken_at=row.taken_at, latitude=row.latitude,
                     longitude=row.longitude, hashes=hashes, metadata=dict(row.metadata or {}))


def near_duplicates_of(db: Database, sha256: str) -> list[NearDuplicate]:
    """Every original flagged as looking like this one, closest first."""
    with db.session() as session:
        rows = session.execute(select(near_duplicates).where(or_(
            near_duplicates.c.sha256_a == sha256, near_duplicates.c.sha256_b == sha256,
        )).order_by(near_duplicates.c.distance, near_duplicates.c.id))
        return [NearDuplicate(sha256_a=r.sha256_a, sha256_b=r.sha256_b, distance=int(r.distance), method=r.method)
                for r in rows]


def source_ids_by_sha(db: Database, shas: Iterable[str]) -> dict[str, list[int]]:
    """The ids of the sources stored from each of ``shas`` (a near-duplicate's sources), lowest first."""
    wanted: Sequence[str] = sorted(set(shas))
    found: dict[str, list[int]] = defaultdict(list)
    with db.session() as session:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            for sha, source_id in session.execute(
                    select(sources.c.sha256, sources.c.id).where(sources.c.sha256.in_(chunk))
                    .order_by(sources.c.id)):
                found[sha].append(int(source_id))
    return {sha: found.get(sha, []) for sha in wanted}


def count_media(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(media_items)) or 0)


__all__ = [
    "NEAR_DUPLICATE_MAX_DISTANCE", "add_media_source", "get_media", "hamming", "hash_bands", "insert_media",
    "near_duplicates_of", "save_media", "source_ids_by_sha",
]
