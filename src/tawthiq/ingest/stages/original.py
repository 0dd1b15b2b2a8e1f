"""The store-original stage: the file's bytes go into the evidence store, named by their hash."""

from __future__ import annotations

from datetime import UTC, datetime

from ..errors import IngestError
from .base import IngestContext


class StoreOriginalStage:
    """Write the original, byte for byte, into the content-addressed evidence store.

    Runs only after something was read from the file, so the store does not
    fill with attacker-supplied bytes that no record points at. The write is
    an atomic rename, before anything goes into the database: a database
    failure can leave an original without a source, which is harmless (the
    next run stores the source against it). Sets ``ctx.stored``,
    ``ctx.size`` and ``ctx.retrieved_at``, and lets go of ``ctx.data``, so
    a large file's bytes are not held while its text is stored.
    """

    name = "store original"
    per_document = False
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        if not ctx.stored:  # streamed media went into the store as it was read
            data = ctx.data
            if data is None:
                raise RuntimeError("no bytes to store: the read stage comes first")
            if ctx.blobs.put(data) != ctx.original_sha256():
                raise IngestError("the stored original does not match its hash; check the disk")
            ctx.size = len(data)
            ctx.stored = True
            ctx.data = None
            del data
        ctx.retrieved_at = datetime.now(UTC)
