"""The stages that write a document's records, inside its one write transaction: index, then custody."""

from __future__ import annotations

from .base import NOTE, IngestContext


class IndexStage:
    """Store the source, its suggested incidents and their search-index entries.

    Writes the document's notes onto the source (``ingest_notes``) and onto
    the file's line first. The store inserts or ignores on (sha256, batch
    row), so two processes ingesting the same file at once store it once: a
    source another run stored in the meantime is counted and goes no
    further. A media source gets its probed facts, hashes and
    near-duplicates instead of incidents (also when it was already stored,
    which fills media probed before it was). Sets ``source_id``,
    ``created`` and ``incident_ids`` on the document.
    """

    name = "index"
    per_document = True
    in_transaction = True

    def run(self, ctx: IngestContext) -> None:
        from ...store.incidents import insert_incident
        from ...store.media import insert_media
        from ...store.sources import insert_source_row

        doc = ctx.document
        source = doc.record()
        if doc.notes:  # never silent: kept on the source and shown by ingest
            source.metadata["ingest_notes"] = [*source.metadata.get("ingest_notes", []), *doc.notes]
            ctx.notes.extend(f"{NOTE} {doc.where}{line}" for line in doc.notes)
        doc.source_id, doc.created = insert_source_row(ctx.session, source)
        if ctx.media is not None:
            insert_media(ctx.session, ctx.media)
        elif doc.created:
            chosen = ctx.stated.confidentiality if ctx.stated is not None else None
            for incident in doc.incidents if chosen is not None else ():
                incident.confidentiality = chosen  # set before the insert, so its audit entry says so
            doc.incident_ids = [insert_incident(ctx.session, incident, source_id=doc.source_id)
                                for incident in doc.incidents]
        if not doc.created:
            doc.end()


class CustodyStage:
    """Open the new source's chain of custody: its "received" and "ingested" ledger entries.

    In the same transaction as the source, so no source is ever stored
    without them; "received" says how it came (``ctx.via``), from whom
    (``ctx.actor``) and why (a command's ``--reason``).
    """

    name = "custody"
    per_document = True
    in_transaction = True

    def run(self, ctx: IngestContext) -> None:
        from ...store.sources import record_receipt

        doc = ctx.document
        if doc.source_id is None:
            raise RuntimeError("no stored source: the index stage comes before this one")
        record_receipt(ctx.session, doc.record(), doc.source_id, actor=ctx.actor)
