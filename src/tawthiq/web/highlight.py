"""Evidence highlighting: a source text cut into plain pieces, each knowing which claims cover it.

Report text is attacker-controlled, so nothing here produces HTML: the
template escapes every piece and wraps the marked ones in ``<mark>``.
Spans may overlap (a sentence-long evidence span holds a word-long claim),
so the text is cut at every span boundary and each piece carries all the
spans that cover it. Offsets are Python ``str`` indices into ``Source.text``;
a span outside the text (an edited source, a bad import) is skipped, never
an error, because one bad offset must not hide the rest of the evidence.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..domain import Incident
from ..domain.model import Span
from ..services.text_window import Excerpt, TextWindow

EVIDENCE_FIELD = "evidence"  # the incident's own evidence sentences, not tied to one claim
CONTEXT_FIELDS = frozenset({EVIDENCE_FIELD, "description"})


@dataclass(frozen=True, slots=True)
class Highlight:
    """One span to mark, and what it supports."""

    start: int
    end: int
    field: str  # a ClaimField value, or EVIDENCE_FIELD
    claim_id: int | None = None
    incident_id: int | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same set of highlights (none for plain text)."""

    text: str
    start: int
    fields: tuple[str, ...] = ()
    claim_ids: tuple[int, ...] = ()
    incident_ids: tuple[int, ...] = ()
    marked: bool = False
    # The fields whose own words cover this piece: not a claim read from the whole evidence sentence
    # (a violation often is), which would otherwise colour the sentence as one block.
    narrow_fields: tuple[str, ...] = ()

    @property
    def context_only(self) -> bool:
        """Covered only by sentence-long spans (evidence, description): shown fainter than a claim's words."""
        return self.marked and set(self.fields) <= CONTEXT_FIELDS

    @property
    def anchor(self) -> str:
        """The element id of this piece; stable for a span start on every page showing the text."""
        return anchor(self.start)


def anchor(start: int) -> str:
    return f"ev-{start}"


def span_anchor(span: Span | None) -> str:
    return anchor(span.start) if span is not None else ""


def _valid(h: Highlight, length: int) -> bool:
    return (isinstance(h.start, int) and isinstance(h.end, int)
            and not isinstance(h.start, bool) and not isinstance(h.end, bool)
            and 0 <= h.start < h.end <= length)


def segments(text: str, highlights: Iterable[Highlight]) -> list[Segment]:
    """Cut ``text`` into consecutive pieces; marked pieces list every highlight covering them.

    Joining the pieces' text gives back ``text`` exactly.
    """
    spans = [h for h in highlights if _valid(h, len(text))]
    if not text:
        return []
    sentences = [(h.incident_id, h.start, h.end) for h in spans if h.field == EVIDENCE_FIELD]
    broad = {id(h) for h in spans if h.field in CONTEXT_FIELDS or any(
        inc == h.incident_id and h.start <= start and h.end >= end for inc, start, end in sentences)}
    if not spans:
        return [Segment(text=text, start=0)]
    cuts = sorted({0, len(text)} | {h.start for h in spans} | {h.end for h in spans})
    starting: dict[int, list[Highlight]] = {}
    for h in spans:
        starting.setdefault(h.start, []).append(h)
    active: list[Highlight] = []
    out: list[Segment] = []
    for left, right in zip(cuts, cuts[1:]):
        active = [h for h in active if h.end > left] + starting.get(left, [])
        if not active:
            out.append(Segment(text=text[left:right], start=left))
            continue
        out.append(Segment(
            text=text[left:right],
            start=left,
            fields=tuple(sorted({h.field for h in active})),
            claim_ids=tuple(sorted({h.claim_id for h in active if h.claim_id is not None})),
            incident_ids=tuple(sorted({h.incident_id for h in active if h.incident_id is not None})),
            marked=True,
            narrow_fields=tuple(sorted({h.field for h in active if id(h) not in broad})),
        ))
    return out


def excerpt_segments(text: str, highlights: Sequence[Highlight],
                     excerpts: Iterable[tuple[int, int]]) -> list[list[Segment]]:
    """The pieces of each excerpt (start, end) of ``text``, marked as :func:`segments` marks the whole.

    Offsets stay those of the whole text (so each mark keeps its ``ev-<start>``
    anchor); a span crossing an excerpt's edge is marked for the part inside.
    Only the excerpts are sliced and cut: a page shows a few thousand
    characters of a text of millions without walking the rest.
    """
    out: list[list[Segment]] = []
    length = len(text)
    for lo, hi in excerpts:
        lo, hi = max(0, lo), min(length, hi)
        inside = [replace(h, start=max(h.start, lo) - lo, end=min(h.end, hi) - lo) for h in highlights
                  if _valid(h, length) and h.start < hi and h.end > lo]
        out.append([replace(piece, start=piece.start + lo) for piece in segments(text[lo:hi], inside)])
    return out


@dataclass(frozen=True, slots=True)
class ShownText:
    """A source text as a page shows it: what of it is shown, and the marked pieces of each excerpt."""

    window: TextWindow
    excerpts: list[tuple[Excerpt, list[Segment]]]
    first_mark: int | None = None  # where the first marked passage starts (for links to the whole text)

    @property
    def segments(self) -> list[Segment]:
        """Every piece shown, in order (all of the text's pieces when it is shown whole)."""
        return [piece for _, pieces in self.excerpts for piece in pieces]


def shown_text(text: str, highlights: Sequence[Highlight], window: TextWindow) -> ShownText:
    """The pieces of the excerpts ``window`` chose, marked."""
    pieces = excerpt_segments(text, highlights, [(e.start, e.end) for e in window.excerpts])
    starts = [h.start for h in highlights if _valid(h, len(text))]
    return ShownText(window=window, excerpts=list(zip(window.excerpts, pieces)),
                     first_mark=min(starts) if starts else None)


def incident_highlights(incident: Incident, *, source_id: int | None) -> list[Highlight]:
    """The spans of one incident's claims (and evidence) that point into source ``source_id``.

    A claim without its own source id came from the incident's first source.
    """
    out: list[Highlight] = []
    for claim in incident.claims:
        if claim.span is None:
            continue
        claim_source = claim.source_id if claim.source_id is not None else incident.source_id
        if claim_source != source_id:
            continue
        out.append(Highlight(start=claim.span.start, end=claim.span.end, field=str(claim.field),
                             claim_id=claim.id, incident_id=incident.id))
    if incident.source_id == source_id:
        out.extend(Highlight(start=span.start, end=span.end, field=EVIDENCE_FIELD, incident_id=incident.id)
                   for span in incident.evidence)
    return out


def highlighted_text(text: str, incidents: Iterable[Incident], *, source_id: int | None) -> list[Segment]:
    """The pieces of a source text with the evidence of every given incident marked."""
    found: list[Highlight] = []
    for incident in incidents:
        found.extend(incident_highlights(incident, source_id=source_id))
    return segments(text, found)
