"""An incident a person documents by hand from a source they have read.

The person picks the words in the source that state the incident (or types
them); those words are located in the stored text and cited by every fact
the person records, as human claims, so the incident can be traced back to
the report as surely as one the extractor suggested. A photo, a video or a
sound recording is its own evidence: the words are optional there (its text,
if any, is a caption or a transcript), and without them the incident is tied
to the source and its facts are the person's claims, citing no words. The fields arrive as
:class:`~tawthiq.services.review.IncidentChanges`, the same input a
correction gives, read against no incident: every field given is recorded.
"""
from __future__ import annotations

from ..domain.access import User
from ..domain.enums import Confidentiality, InvolvementDegree, InvolvementRole, SourceKind
from ..domain.model import Incident, IncidentDate, Involvement, Location
from ..domain.quotes import QuoteMismatch, cited_span
from . import Workspace, reading, review
from .errors import ServiceError

__all__ = ["CITED_FIELDS", "MEDIA_KINDS", "QuoteMissing", "document", "quote_required"]

# The facts the cited words state: all of an incident's but its confidentiality (a decision, not a fact).
CITED_FIELDS = ("event_type", "violations", "perpetrators", "victims", "location", "date", "description")
# Sources whose evidence is the media itself, not words in a text.
MEDIA_KINDS = frozenset({SourceKind.IMAGE, SourceKind.VIDEO, SourceKind.AUDIO})


class QuoteMissing(ServiceError):
    """A text source was cited without any words: the incident would not be traceable to it."""


def quote_required(kind: str) -> bool:
    """Whether documenting from a source of ``kind`` needs the words that state the incident."""
    return kind not in MEDIA_KINDS


def document(ws: Workspace, *, user: User, source_id: int, fields: review.IncidentChanges, quote: str,
             offsets: tuple[int, int] | None = None, comment: str = "") -> int:
    """Record the incident ``fields`` describe, stated in ``source_id`` by ``quote``; returns its id.

    ``offsets`` are where the person selected ``quote`` in the text (checked
    to hold it); without them the quote's first occurrence is cited. A
    media source (photo, video, audio) may be cited without words. A
    confidentiality left unset is restricted.
    """
    source = reading.get_source_view(ws, user=user, source_id=source_id).source
    start, end = offsets if offsets is not None else (None, None)
    if not quote.strip() and offsets is None:
        if quote_required(str(source.kind)):
            raise QuoteMissing("select or type the words in the source that state this incident")
        return review.create_incident(ws, user=user, incident=_incident(fields), source_id=source_id,
                                      spans={}, comment=comment)
    try:
        span = cited_span(source.text, quote=quote, start=start, end=end)
    except QuoteMismatch as exc:
        raise ServiceError(str(exc)) from None
    return review.create_incident(ws, user=user, incident=_incident(fields), source_id=source_id,
                                  spans=dict.fromkeys(CITED_FIELDS, span), comment=comment)


def _incident(fields: review.IncidentChanges) -> Incident:
    """The new incident the fields state (codes and dates are checked by the review service)."""
    try:
        confidentiality = Confidentiality(fields.confidentiality or Confidentiality.RESTRICTED)
    except ValueError:
        raise ServiceError(f"unknown confidentiality {str(fields.confidentiality)[:40]!r}") from None
    return Incident(
        event_type=fields.event_type or "",
        violations=list(fields.violations or []),
        involvements=[p if isinstance(p, Involvement) else Involvement(
            actor=p, role=InvolvementRole.PERPETRATOR, degree=InvolvementDegree.CARRIED_OUT)
            for p in fields.perpetrators or []],
        victims=list(fields.victims or []),
        location=fields.location if isinstance(fields.location, Location) else None,
        date=fields.date if isinstance(fields.date, IncidentDate) else None,
        description=fields.description or "",
        confidentiality=confidentiality,
    )
