"""Full-text search over source text and incident descriptions, Arabic and English.

The query is untrusted: :func:`textnorm.query_terms` reduces it to words of
letters and digits, so FTS5 or tsquery operators typed by a user are just
separators and can never raise a syntax error. Matching is described in
:mod:`textnorm`; ranking is the engine's own (bm25 / ts_rank).
"""
from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from ..domain import vocab
from ..domain.search import SearchHit
from .db import Database
from .dialect import search_index
from .tables import incidents, sources
from .textnorm import query_terms, snippet

MAX_LIMIT = 500


def search(db: Database, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Sources and incidents matching every word of ``query``, best first."""
    terms = query_terms(query or "")
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not terms or not limit:
        return []
    with db.session() as session:
        ranked = search_index(session, terms, limit=limit)
        source_ids = [i for kind, i, _ in ranked if kind == "source"]
        incident_ids = [i for kind, i, _ in ranked if kind == "incident"]
        source_rows = {
            r.id: r for r in session.execute(
                select(sources.c.id, sources.c.title, sources.c.original_name, sources.c.url, sources.c.text)
                .where(sources.c.id.in_(source_ids))
            )
        } if source_ids else {}
        incident_rows = {
            r.id: r for r in session.execute(
                select(incidents.c.id, incidents.c.event_type, incidents.c.loc_name, incidents.c.loc_text,
                       incidents.c.date_edtf, incidents.c.description)
                .where(incidents.c.id.in_(incident_ids))
            )
        } if incident_ids else {}

    hits: list[SearchHit] = []
    for kind, ref_id, rank in ranked:
        if kind == "source" and ref_id in source_rows:
            src = source_rows[ref_id]
            title = src.title or src.original_name or src.url or f"source {ref_id}"
            hits.append(_hit("source", ref_id, title, snippet(src.text, terms), rank))
        elif kind == "incident" and ref_id in incident_rows:
            inc = incident_rows[ref_id]
            label = vocab.event_types().get(inc.event_type)
            parts = [label.en if label else inc.event_type, inc.loc_name or inc.loc_text, inc.date_edtf or ""]
            title = " — ".join(p for p in parts if p)
            body = inc.description or inc.loc_text or ""
            hits.append(_hit("incident", ref_id, title, snippet(body, terms), rank))
    return hits


def _hit(kind: Literal["source", "incident"], ref_id: int, title: str, text: str, rank: float) -> SearchHit:
    return SearchHit(kind=kind, id=ref_id, title=title, snippet=text, rank=rank)
