"""The extract stage: the extractor suggests incidents from each document's text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import IngestError, one_line
from .base import IngestContext

if TYPE_CHECKING:
    from ...domain import Incident
    from ...extract.base import Extractor
    from ..readers import ReadDocument

# Suggestions kept from one report. A 50 MB page gave 714: nobody reviews those one by one, and
# holding and storing them cost memory and minutes. What is left out is noted on the source.
MAX_SUGGESTIONS = 200


class ExtractStage:
    """Run the extractor on the current document's text (``ctx.document.incidents``).

    Keeps at most ``MAX_SUGGESTIONS`` incidents, and notes on the document
    each limit that applied (the extractor read only the start of a long
    text; suggestions were left out), so nothing is dropped silently. Media
    has no report text and gets none. An extractor that fails leaves the
    document unstored (one line), so a fixed extractor can run on it later.
    """

    name = "extract"
    per_document = True
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        doc = ctx.document
        try:
            incidents = _extract(ctx.extractor, doc.read)
        except Exception as error:  # noqa: BLE001 - left unstored so a fixed extractor can run on it later
            raise IngestError(f"extraction failed ({type(error).__name__}: {one_line(str(error), limit=120)})"
                              ) from error
        doc.incidents, limits = _bounded(ctx.extractor, doc.read, incidents)
        doc.notes.extend(limits)


def _extract(extractor: Extractor | None, document: ReadDocument) -> list[Incident]:
    if extractor is None or not document.text.strip():  # media has no report text to read
        return []
    return list(extractor.extract(document.text, language=document.language or None, published=document.published))


def _bounded(extractor: Extractor | None, document: ReadDocument,
             incidents: list[Incident]) -> tuple[list[Incident], list[str]]:
    """At most ``MAX_SUGGESTIONS`` incidents, and one line for each limit that applied."""
    notes: list[str] = []
    read = getattr(extractor, "max_chars", None)
    if extractor is not None and read is not None and len(document.text) > read:
        notes.append(f"the extractor read the first {read:,} of {len(document.text):,} characters; "
                     "the rest was not read for incidents")
    if len(incidents) > MAX_SUGGESTIONS:
        notes.append(f"{len(incidents)} incidents were found; the first {MAX_SUGGESTIONS} the extractor found are "
                     f"suggested and {len(incidents) - MAX_SUGGESTIONS} were left out")
        incidents = incidents[:MAX_SUGGESTIONS]
    return incidents, notes
