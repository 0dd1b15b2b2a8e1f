"""Working copies: stored apart from originals, each tied to its original with the tool that made it.

The Berkeley Protocol asks that working copies be kept separate from the
originals; here they live in their own content-addressed store
(``<data dir>/derived``), so nothing made from an original can ever be
written over it, and ``tawthiq verify`` re-hashes both stores.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...domain.enums import DerivativeKind
from ...domain.originals import Derivative
from .blobs import BlobStore

if TYPE_CHECKING:
    from ..db import Database

DERIVED_DIR = "derived"


def derived_store(originals: BlobStore) -> BlobStore:
    """The working-copy store beside an originals store (same data directory, own folder)."""
    return originals.with_root(originals.root / DERIVED_DIR)


@dataclass(slots=True)
class DerivedFile:
    """A working copy as made, before it is stored: exactly one of ``data`` and ``path`` is set.

    ``path`` is for copies too big to hold in memory (a transcoded video);
    the file is copied into the store, never moved, so the maker keeps it.
    """

    kind: DerivativeKind
    media_type: str
    tool: str
    tool_version: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    path: Path | None = None


def store_derivative(db: Database, *, derived: BlobStore, original_sha256: str, made: DerivedFile,
                     source_id: int | None, actor: str, reason: str = "") -> Derivative:
    """Write the copy's bytes (atomically), its row and a "derived" custody entry, once.

    The bytes go in first, then row and entry in one transaction: a crash in
    between leaves an unreferenced blob, never a row pointing at nothing.
    Storing the same copy again adds nothing.
    """
    from ..custody import append, this_machine
    from ..derivatives import insert_derivative

    if (made.data is None) == (made.path is None):
        raise ValueError("a derived file needs exactly one of data and path")
    if made.data is not None:
        sha, size = derived.put(made.data), len(made.data)
    else:
        assert made.path is not None
        sha, size = derived.put_file(made.path), made.path.stat().st_size  # the maker's plain file
    derivative = Derivative(original_sha256=original_sha256, sha256=sha, kind=made.kind,
                            media_type=made.media_type, size=size, tool=made.tool,
                            tool_version=made.tool_version, params=dict(made.params), source_id=source_id,
                            created_by=actor)
    with db.session(write=True) as session:
        derivative.id, created = insert_derivative(session, derivative)
        if created:
            append(session, item_sha256=sha, source_id=source_id, event="derived", actor=actor,
                   machine=this_machine(), reason=reason,
                   details={"original_sha256": original_sha256, "kind": str(made.kind), "tool": made.tool,
                            "tool_version": made.tool_version, "params": made.params,
                            "media_type": made.media_type, "size": size})
    return derivative
