"""The derive stage: working copies (extracted text, previews, thumbnails) of a newly stored original."""

from __future__ import annotations

from ..derive import derive_for_source
from .base import IngestContext


class DeriveStage:
    """Make and store every applicable working copy of the new source's original.

    Runs after the source is committed, on the stored read-only original,
    so a copy that cannot be made never loses the source: each is one line
    on ``ctx.problems`` (the file is "partial") and can be made again later
    with ``tawthiq derive``.
    """

    name = "derive"
    per_document = True
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        doc = ctx.document
        if doc.source_id is None:
            raise RuntimeError("no stored source: the index stage comes before this one")
        ctx.problems.extend(f"{doc.where}{problem}" for problem in derive_for_source(
            ctx.db, blobs=ctx.blobs, source=doc.record(), source_id=doc.source_id, actor=ctx.actor))
