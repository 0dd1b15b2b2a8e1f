"""A source's evidence beyond its text, for the source page and the API: media facts, working
copies, near-duplicates, linked sources, custody carried from another instance, and "viewed" entries.

Everything here needs READ_SOURCES. A caller without it is told the source
does not exist (NotFound), not that it is forbidden, so ids cannot be probed.
Working copies are served from the derived store only; the originals store
holds attacker-supplied bytes and is never given to the browser to render.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from ..domain.access import Action, User, allowed
from ..domain.custody import CustodyEntry
from ..domain.enums import DerivativeKind
from ..domain.model import Source
from ..domain.originals import Derivative, MediaInfo
from ..store.source_panels import MAX_RELATED, ImportedEntry, SourceRef
from . import Workspace
from .errors import NotFound

__all__ = ["INLINE_MEDIA_TYPES", "PLAYABLE_MEDIA_TYPES", "VIEW_WINDOW", "DerivativeFile", "ImportedEntry",
           "LinkedSource", "NearSource", "SourceEvidence", "SourceRef", "derivative_download", "display_copy",
           "playable_file", "player_copy",
           "record_view", "source_evidence", "thumbnail_file"]

# The only types a working copy may be served as for the browser to draw;
# anything else (an SVG could carry script) is offered as a download only.
INLINE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# The types a transcoded copy may be served as for the browser's <video>/<audio> player (what
# ingest.media.transcode makes); the type sent is the stored one, never guessed from the bytes.
PLAYABLE_MEDIA_TYPES = frozenset({"video/mp4", "video/webm", "audio/ogg", "audio/webm", "audio/mp4"})
DISPLAY_KINDS = (DerivativeKind.THUMBNAIL, DerivativeKind.PREVIEW, DerivativeKind.KEYFRAME,
                 DerivativeKind.SCREENSHOT)
# One "viewed" entry per user, source and hour: a reviewer reloading a page
# (or working through it all afternoon) would otherwise bury the entries
# that matter; the first view in each hour still shows who looked and when.
VIEW_WINDOW = timedelta(hours=1)
MAX_TAGS = 500  # metadata tags listed; a file with more is hostile or unusual
MAX_TAG_CHARS = 500
CAMERA_TAGS = ("make", "model")
# Facts a reviewer checks first come first; the rest follow in name order.
FIRST_FACTS = {
    "capture": ("url", "final_url", "status", "captured_at", "tls.sha256_fingerprint"),
    "telegram": ("chat_name", "message_id", "from", "forwarded_from", "date"),
    "pdf": ("title", "author", "pages", "creation_date_iso", "creation_date", "mod_date_iso", "mod_date"),
}


@dataclass(slots=True)
class NearSource:
    """Another source whose original was flagged as looking the same as this one's."""

    source: SourceRef
    distance: int
    method: str


@dataclass(slots=True)
class LinkedSource:
    """A relation to another source; ``direction`` says which end this source is."""

    relation: str
    direction: Literal["from", "to"]  # "to": this source points at ``other`` (a message to its photo)
    other_id: int
    source: SourceRef | None  # None when the other row is gone (it is never deleted, but be safe)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SourceEvidence:
    """What the source page and the API show about a source beyond its text."""

    media: MediaInfo | None
    camera: str
    taken_local: str  # capture time as the device wrote it, when it named no time zone (so taken_at is empty)
    tags: list[tuple[str, str]]  # every metadata tag read from the media, flattened and cut to length
    thumbnail: Derivative | None  # the working copy the page may draw (blurred until asked)
    derivatives: list[Derivative]
    near: list[NearSource]
    links: list[LinkedSource]
    imported: list[ImportedEntry]
    details: dict[str, list[tuple[str, str]]]  # "pdf", "capture", "telegram" facts from the source's metadata
    player: Derivative | None = None  # the transcoded copy the page plays (veiled until asked)


@dataclass(slots=True)
class DerivativeFile:
    path: Path
    derivative: Derivative
    store: Any = None  # the derived store, to stream a sealed copy from (``path`` then holds ciphertext)


def _reader(ws: Workspace, user: User, source_id: int) -> Source:
    from ..store.sources import get_source

    if user.disabled or not allowed(user.role, Action.READ_SOURCES):
        raise NotFound(f"no source with id {source_id}")
    source = get_source(ws.db, int(source_id))
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    return source


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_TAG_CHARS else text[:MAX_TAG_CHARS] + "…"


def flatten(data: Any, prefix: str = "", *, limit: int = MAX_TAGS) -> list[tuple[str, str]]:
    """("exif.Make", "Canon")-style pairs from nested metadata, at most ``limit`` of them."""
    out: list[tuple[str, str]] = []

    def walk(value: Any, key: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(value, dict):
            for k in sorted(value, key=str):
                walk(value[k], f"{key}.{k}" if key else str(k))
        elif isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in value):
            for i, v in enumerate(value):
                walk(v, f"{key}[{i}]")
        elif isinstance(value, (list, tuple)):
            out.append((key, _text(", ".join(str(v) for v in value))))
        elif value is not None and value != "":
            out.append((key, _text(value)))

    walk(data, prefix)
    return out


def _first(pairs: list[tuple[str, str]], keys: tuple[str, ...]) -> list[tuple[str, str]]:
    rank = {key: i for i, key in enumerate(keys)}
    return sorted(pairs, key=lambda pair: rank.get(pair[0], len(keys)))  # stable: the rest keep name order


def _camera(tags: list[tuple[str, str]]) -> str:
    found: dict[str, str] = {}
    for key, value in tags:
        last = key.rsplit(".", 1)[-1].lower()
        if last in CAMERA_TAGS and last not in found and value.strip():
            found[last] = value.strip()
    return " ".join(found[k] for k in CAMERA_TAGS if k in found)


def source_evidence(ws: Workspace, *, user: User, source_id: int) -> SourceEvidence:
    """Everything the source page shows besides the text and the ledger, in a fixed number of queries."""
    from ..store.derivatives import derivatives_of, links_of
    from ..store.media import get_media, near_duplicates_of
    from ..store.source_panels import imported_entries, source_refs, sources_holding

    source = _reader(ws, user, source_id)
    db = ws.db
    media = get_media(db, source.sha256)
    tags = flatten(media.metadata) if media is not None else []
    # Rows of one batch file or pages of one web archive share an original: a copy made from one
    # row (its text, a redaction of it) says which in params["record_key"] and belongs to that row only.
    copies = [d for d in derivatives_of(db, source.sha256)
              if str(d.params.get("record_key", "")) in ("", source.record_key or "")]
    thumbnail, player = display_copy(copies), player_copy(copies)

    pairs = near_duplicates_of(db, source.sha256)[:MAX_RELATED]
    other = {(p.sha256_b if p.sha256_a == source.sha256 else p.sha256_a): p for p in pairs}
    near = sorted((NearSource(source=ref, distance=other[ref.sha256].distance, method=other[ref.sha256].method)
                   for ref in sources_holding(db, other) if ref.id != source.id),
                  key=lambda n: (n.distance, n.source.id))

    raw_links = links_of(db, int(source.id or 0))
    other_ids = [link.to_source_id if link.from_source_id == source.id else link.from_source_id
                 for link in raw_links]
    refs = source_refs(db, other_ids)
    links = [LinkedSource(relation=link.relation, direction="to" if link.from_source_id == source.id else "from",
                          other_id=other_id, source=refs.get(other_id), details=link.details)
             for link, other_id in zip(raw_links, other_ids, strict=True)]

    meta = source.metadata or {}
    details = {key: _first(flatten(meta[key]), FIRST_FACTS[key]) for key in FIRST_FACTS if meta.get(key)}
    # Custody another instance wrote for the original and for the working copies it sent along.
    imported = imported_entries(db, [source.sha256, *(d.sha256 for d in copies)])
    return SourceEvidence(media=media, camera=_camera(tags), taken_local=_taken_local(media), tags=tags,
                          thumbnail=thumbnail, derivatives=copies, near=near, links=links, imported=imported,
                          details=details, player=player)


def display_copy(copies: list[Derivative]) -> Derivative | None:
    """The still a page may draw of an original: the first drawable copy of the most fitting kind."""
    return next((d for kind in DISPLAY_KINDS for d in copies
                 if d.kind == kind and _bare(d.media_type) in INLINE_MEDIA_TYPES), None)


def player_copy(copies: list[Derivative]) -> Derivative | None:
    """The transcoded copy a page may play, if one was made."""
    return next((d for d in copies if d.kind == DerivativeKind.TRANSCODED
                 and _bare(d.media_type) in PLAYABLE_MEDIA_TYPES), None)


def _taken_local(media: MediaInfo | None) -> str:
    """The device's own clock reading (EXIF DateTimeOriginal carries no zone), unless a UTC time is known."""
    if media is None or media.taken_at is not None:
        return ""
    capture = media.metadata.get("capture")
    local = capture.get("local") if isinstance(capture, dict) else None
    return _text(local) if isinstance(local, str) else ""


def _bare(media_type: str) -> str:
    return (media_type or "").split(";")[0].strip().lower()


def record_view(ws: Workspace, *, user: User, source_id: int, machine: str,
                via: str = "page") -> CustodyEntry | None:
    """Record that ``user`` opened the source, unless they already did within :data:`VIEW_WINDOW`.

    Returns the new entry, or None when an earlier one in the window covers it.
    """
    from ..store.source_panels import record_view_once

    source = _reader(ws, user, source_id)
    details = {"page": "source"} if via == "page" else {"via": via}
    return record_view_once(ws.db, source_id=int(source.id or 0), sha256=source.sha256,
                            actor=user.username, machine=machine, since=datetime.now(UTC) - VIEW_WINDOW,
                            details=details)


def _copy(ws: Workspace, source: Source, derivative_id: int) -> DerivativeFile:
    from ..store.derivatives import get_derivative
    from ..store.vault.derived import derived_store

    derivative = get_derivative(ws.db, int(derivative_id))
    # A working copy belongs to the bytes it was made from, whichever source row names them.
    if derivative is None or derivative.original_sha256 != source.sha256:
        raise NotFound(f"source {source.id} has no working copy {derivative_id}")
    try:
        path = derived_store(ws.blobs).path(derivative.sha256)
    except Exception:  # noqa: BLE001 - a malformed hash on a row means no file to give
        path = None
    if path is None or not path.is_file():
        raise NotFound(f"working copy {derivative_id} is not in the derived store")
    return DerivativeFile(path=path, derivative=derivative, store=derived_store(ws.blobs))


def thumbnail_file(ws: Workspace, *, user: User, source_id: int, derivative_id: int) -> DerivativeFile:
    """A still working copy the browser may draw: only JPEG, PNG or WebP, never anything else."""
    source = _reader(ws, user, source_id)
    found = _copy(ws, source, derivative_id)
    if found.derivative.kind not in DISPLAY_KINDS or _bare(found.derivative.media_type) not in INLINE_MEDIA_TYPES:
        raise NotFound(f"working copy {derivative_id} is not an image that can be shown; download it instead")
    return found


def playable_file(ws: Workspace, *, user: User, source_id: int, derivative_id: int) -> DerivativeFile:
    """A transcoded copy the browser may play: only a TRANSCODED copy of this source's original, only as one of
    :data:`PLAYABLE_MEDIA_TYPES`. Not a custody event: opening the page that plays it already is one."""
    source = _reader(ws, user, source_id)
    found = _copy(ws, source, derivative_id)
    d = found.derivative
    if d.kind != DerivativeKind.TRANSCODED or _bare(d.media_type) not in PLAYABLE_MEDIA_TYPES:
        raise NotFound(f"working copy {derivative_id} is not a copy that can be played; download it instead")
    return found


def derivative_download(ws: Workspace, *, user: User, source_id: int, derivative_id: int,
                        machine: str) -> DerivativeFile:
    """A working copy to download, with a "downloaded" custody entry naming its bytes."""
    from ..store.custody import record

    source = _reader(ws, user, source_id)
    found = _copy(ws, source, derivative_id)
    d = found.derivative
    record(ws.db, item_sha256=d.sha256, source_id=source.id, event="downloaded", actor=user.username,
           machine=machine, details={"derivative_id": d.id, "kind": str(d.kind), "original_sha256": d.original_sha256})
    return found
