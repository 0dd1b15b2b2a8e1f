"""Reads for browsing sources: the sources list, user-aware search, and a source's evidence marks.

Each answer costs a fixed number of queries however many rows it covers: the
sources list counts every source's incidents in one grouped query, search
joins the ranked matches to the incidents a caller may see (so no hit is
loaded only to be dropped), and a source's marks are read from the claims
and evidence tables once each. Visibility arrives as the list of
confidentialities the caller may see; deciding it is the services' job.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select, union
from sqlalchemy.orm import Session

from ..domain import vocab
from ..domain.enums import IncidentStatus
from ..domain.search import SearchHit
from . import dialect
from .conditions import sight_terms
from .db import Database
from .tables import claims, evidence_spans, incidents, source_tags, sources
from .textnorm import MAX_INDEX_CHARS, QueryTerm, snippet

EXCERPT_CHARS = 160
MAX_SEARCH = 500
MAX_MARKS = 20_000  # per table; a source cited more often than this shows the first marks only
EVIDENCE_FIELD = "evidence"  # an incident's own evidence sentence, not one claim's words

_MERGED = IncidentStatus.MERGED.value


@dataclass(slots=True)
class SourceSummary:
    """One row of the sources list: what identifies a source, without its text."""

    id: int
    title: str
    original_name: str
    record_key: str
    kind: str
    language: str
    published: date | None
    sha256: str
    size: int
    created_at: datetime
    author: str
    url: str
    media_type: str
    retrieved_at: datetime | None
    excerpt: str  # the first EXCERPT_CHARS characters of the text, whitespace runs as one space
    incidents: int = 0  # incidents from or citing this source that the caller may see (merged ones left out)
    tags: list[Any] = field(default_factory=list)  # its current tags (domain.tags.Tag), filled by the services


@dataclass(frozen=True, slots=True)
class EvidenceMark:
    """One span of a source's text that supports an incident: a claim's words or an evidence sentence."""

    incident_id: int
    field: str  # a ClaimField value, or EVIDENCE_FIELD
    start: int
    end: int
    claim_id: int | None = None


def _visible(session: Session, confidentialities: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """Incidents a caller may see in lists: as :func:`.conditions.sight_terms` decides (their
    confidentialities, and the team's second-review rule), and not folded into another."""
    return [*sight_terms(session, confidentialities), incidents.c.status != _MERGED]


# ------------------------------------------------------------------- sources


_SOURCE_COLUMNS = (
    sources.c.id, sources.c.title, sources.c.original_name, sources.c.record_key, sources.c.kind,
    sources.c.language, sources.c.published, sources.c.sha256, sources.c.size, sources.c.created_at,
    sources.c.author, sources.c.url, sources.c.media_type, sources.c.retrieved_at,
    func.substr(sources.c.text, 1, EXCERPT_CHARS).label("excerpt"),
)


def page_sources(db: Database, *, confidentialities: tuple[str, ...], terms: tuple[QueryTerm, ...] = (),
                 tags: tuple[int, ...] = (), limit: int, offset: int) -> tuple[list[SourceSummary], int]:
    """(one page of sources newest first, how many match); ``terms`` narrow to sources containing them,
    ``tags`` to sources carrying any of these tag ids now."""
    with db.session() as session:
        conditions: list[ColumnElement[bool]] = []
        if tags:
            conditions.append(sources.c.id.in_(select(source_tags.c.source_id).where(
                source_tags.c.tag_id.in_(sorted(set(tags))), source_tags.c.withdrawn_at.is_(None))))
        if terms:
            matches = dialect.search_matches(session, terms, kind="source", ranked=False)
            conditions.append(sources.c.id.in_(select(matches.c.ref_id)))
        total = int(session.scalar(select(func.count()).select_from(sources).where(*conditions)) or 0)
        rows = session.execute(select(*_SOURCE_COLUMNS).where(*conditions).order_by(sources.c.id.desc())
                               .limit(max(0, limit)).offset(max(0, offset))).all()
        found = [_summary(r) for r in rows]
        counts = _incident_counts(session, [s.id for s in found], confidentialities)
    for s in found:
        s.incidents = counts.get(s.id, 0)
    return found, total


def _summary(row: Any) -> SourceSummary:
    return SourceSummary(
        id=row.id, title=row.title, original_name=row.original_name, record_key=row.record_key,
        kind=row.kind, language=row.language, published=row.published, sha256=row.sha256, size=int(row.size or 0),
        created_at=row.created_at, author=row.author, url=row.url, media_type=row.media_type,
        retrieved_at=row.retrieved_at, excerpt=" ".join((row.excerpt or "").split()),
    )


def _incident_counts(session: Session, source_ids: list[int], confidentialities: tuple[str, ...]) -> dict[int, int]:
    """Per source: the visible incidents drawn from it or with a claim citing it, as the incidents
    list's source filter counts them. UNION (not UNION ALL) counts an incident once per source."""
    if not source_ids:
        return {}
    links = union(
        select(incidents.c.source_id.label("source_id"), incidents.c.id.label("incident_id"))
        .where(incidents.c.source_id.in_(source_ids)),
        select(claims.c.source_id.label("source_id"), claims.c.incident_id.label("incident_id"))
        .where(claims.c.source_id.in_(source_ids)),
    ).subquery("links")
    stmt = (select(links.c.source_id, func.count())
            .select_from(links.join(incidents, incidents.c.id == links.c.incident_id))
            .where(*_visible(session, confidentialities)).group_by(links.c.source_id))
    return {int(sid): int(n) for sid, n in session.execute(stmt)}


# -------------------------------------------------------------------- search


def search(db: Database, terms: tuple[QueryTerm, ...], *, confidentialities: tuple[str, ...],
           with_sources: bool, limit: int) -> list[SearchHit]:
    """Sources (when ``with_sources``) and visible incidents matching every term, best first.

    The ranked matches are joined to the tables in SQL, so the limit counts
    only hits the caller may see. Each kind is ranked and cut on its own and
    the two lists merged by rank (both engines rank every document of the
    index on one scale).
    """
    limit = max(0, min(int(limit), MAX_SEARCH))
    if not terms or not limit:
        return []
    with db.session() as session:
        found: list[tuple[float, str, int, SearchHit]] = []
        if with_sources:
            matches = dialect.search_matches(session, terms, kind="source")
            rows = session.execute(
                select(sources.c.id, sources.c.title, sources.c.original_name, sources.c.url,
                       func.substr(sources.c.text, 1, MAX_INDEX_CHARS * 2).label("text"), matches.c.rank)
                .join(matches, matches.c.ref_id == sources.c.id)
                .order_by(matches.c.rank.desc(), sources.c.id).limit(limit)).all()
            for r in rows:
                title = r.title or r.original_name or r.url or f"source {r.id}"
                found.append((float(r.rank), "source", r.id, _hit("source", r.id, title, r.text, terms, r.rank)))
        if confidentialities:
            matches = dialect.search_matches(session, terms, kind="incident")
            rows = session.execute(
                select(incidents.c.id, incidents.c.event_type, incidents.c.loc_name, incidents.c.loc_text,
                       incidents.c.date_edtf, incidents.c.description, matches.c.rank)
                .join(matches, matches.c.ref_id == incidents.c.id)
                .where(*_visible(session, confidentialities))
                .order_by(matches.c.rank.desc(), incidents.c.id).limit(limit)).all()
            for r in rows:
                label = vocab.event_types().get(r.event_type)
                parts = [label.en if label else r.event_type, r.loc_name or r.loc_text, r.date_edtf or ""]
                title = " — ".join(p for p in parts if p)
                found.append((float(r.rank), "incident", r.id,
                              _hit("incident", r.id, title, r.description or r.loc_text or "", terms, r.rank)))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    return [hit for *_, hit in found[:limit]]


def _hit(kind: Literal["source", "incident"], ref_id: int, title: str, text: str,
         terms: tuple[QueryTerm, ...], rank: float) -> SearchHit:
    return SearchHit(kind=kind, id=ref_id, title=title, snippet=snippet(text or "", list(terms)), rank=float(rank))


# ------------------------------------------------------------------ evidence


def source_exists(db: Database, source_id: int) -> bool:
    with db.session() as session:
        return session.scalar(select(sources.c.id).where(sources.c.id == source_id)) is not None


def evidence_marks(db: Database, *, source_id: int, confidentialities: tuple[str, ...],
                   limit: int = MAX_MARKS) -> list[EvidenceMark]:
    """Every span pointing into ``source_id`` on the visible incidents, by incident then position.

    A claim without its own source came from its incident's source (the
    extractor leaves it unset); evidence sentences always quote the
    incident's own source.
    """
    if not confidentialities:
        return []
    with db.session() as session:
        claim_rows = session.execute(
            select(claims.c.incident_id, claims.c.field, claims.c.span_start, claims.c.span_end, claims.c.id)
            .join(incidents, incidents.c.id == claims.c.incident_id)
            .where(or_(claims.c.source_id == source_id,
                       and_(claims.c.source_id.is_(None), incidents.c.source_id == source_id)),
                   claims.c.span_start.is_not(None), claims.c.span_end.is_not(None),
                   *_visible(session, confidentialities))
            .order_by(claims.c.incident_id, claims.c.id).limit(limit)).all()
        evidence_rows = session.execute(
            select(evidence_spans.c.incident_id, evidence_spans.c.span_start, evidence_spans.c.span_end)
            .join(incidents, incidents.c.id == evidence_spans.c.incident_id)
            .where(incidents.c.source_id == source_id, *_visible(session, confidentialities))
            .order_by(evidence_spans.c.incident_id, evidence_spans.c.position).limit(limit)).all()
    marks = [EvidenceMark(incident_id=int(r.incident_id), field=str(r.field), start=int(r.span_start),
                          end=int(r.span_end), claim_id=int(r.id)) for r in claim_rows]
    marks += [EvidenceMark(incident_id=int(r.incident_id), field=EVIDENCE_FIELD, start=int(r.span_start),
                           end=int(r.span_end)) for r in evidence_rows]
    return marks
