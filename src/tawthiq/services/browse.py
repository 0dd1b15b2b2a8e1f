"""Browsing sources for the web app and the API: the sources list, search, a source's evidence.

The permission rules live here, not in the routes: sources (and so their
text, excerpts and search hits) need READ_SOURCES, and an incident counts,
matches or marks only at a confidentiality the user's role may see. Merged
incidents are left out as in the incidents list: they are shown through the
incident that absorbed them.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..domain.search import SearchHit
from ..store.browse import EXCERPT_CHARS, EvidenceMark, SourceSummary
from ..store.textnorm import QueryTerm
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError
from .reading import MAX_PER_PAGE, Page

__all__ = ["EXCERPT_CHARS", "EvidenceMark", "SearchHit", "SourceSummary", "search", "source_evidence", "source_page",
           "source_slice"]

MAX_SEARCH = 200
MAX_SLICE = 500  # sources in one answer
MAX_QUERY_CHARS = 500


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def _confidentialities(user: User) -> tuple[str, ...]:
    return tuple(c.value for c in visible_confidentialities(user.role))


def _terms(q: str | None) -> tuple[QueryTerm, ...] | None:
    """Search words of ``q``; () for no filter, None when ``q`` holds no word at all (nothing matches)."""
    from ..store.textnorm import query_terms

    if q is None or not q.strip():
        return ()
    terms = tuple(query_terms(q[:MAX_QUERY_CHARS]))
    return terms or None


def source_slice(ws: Workspace, *, user: User, limit: int, offset: int = 0,
                 q: str | None = None, tags: Sequence[int] = ()) -> tuple[list[SourceSummary], int]:
    """(sources newest first from ``offset``, how many match) with visible incident counts and their tags.

    ``q`` keeps the sources whose title or text holds every word, folded as
    search folds them (Arabic letter variants, diacritics, case); ``tags``
    those carrying any of these tag ids now.
    """
    from ..store import browse
    from ..store.tags import links_for

    _require(user, Action.READ_SOURCES)
    terms = _terms(q)
    if terms is None:
        return [], 0
    found, total = browse.page_sources(ws.db, confidentialities=_confidentialities(user), terms=terms,
                                       tags=tuple(tags), limit=max(0, min(int(limit), MAX_SLICE)),
                                       offset=max(0, int(offset)))
    on = links_for(ws.db, target="source", ids=[s.id for s in found])
    for s in found:
        s.tags = [link.tag for link in on.get(s.id, [])]
    return found, total


def source_page(ws: Workspace, *, user: User, page: int, per_page: int,
                q: str | None = None, tags: Sequence[int] = ()) -> Page[SourceSummary]:
    """One page of the sources list, newest first; a page past the end gives the last page."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    items, total = source_slice(ws, user=user, limit=per_page, offset=(page - 1) * per_page, q=q, tags=tags)
    pages = math.ceil(total / per_page)
    if not items and total and page > pages:
        page = pages
        items, total = source_slice(ws, user=user, limit=per_page, offset=(page - 1) * per_page, q=q, tags=tags)
    return Page(items=items, total=total, page=page, per_page=per_page, pages=pages)


@dataclass(frozen=True, slots=True)
class SourceList:
    """The sources list page: one page of sources, and every tag to filter them by."""

    page: Page[SourceSummary]
    tags: list[Any]  # domain.tags.Tag, current ones first


def source_list(ws: Workspace, *, user: User, page: int, per_page: int, q: str | None = None,
                tags: Sequence[int] = ()) -> SourceList:
    """:func:`source_page`, and the tags a filter offers (a role that reads sources reads every incident,
    so every tag may be named to it)."""
    from ..store.tags import all_tags

    found = source_page(ws, user=user, page=page, per_page=per_page, q=q, tags=tags)
    return SourceList(page=found, tags=sorted(all_tags(ws.db), key=lambda t: (t.retired, t.label_en.casefold())))


def search(ws: Workspace, *, user: User, query: str, limit: int = 50) -> list[SearchHit]:
    """Sources and incidents matching every word of ``query`` that the user may see, best first.

    Source hits need READ_SOURCES; incident hits are cut to the user's
    confidentialities in the query itself, so ``limit`` counts visible hits.
    """
    from ..store import browse

    _require(user, Action.READ_PUBLIC)
    if not (query or "").strip():
        raise ServiceError("give some words to search for")
    terms = _terms(query)
    if not terms:
        return []
    return browse.search(ws.db, terms, confidentialities=_confidentialities(user),
                         with_sources=allowed(user.role, Action.READ_SOURCES),
                         limit=max(1, min(int(limit), MAX_SEARCH)))


def source_evidence(ws: Workspace, *, user: User, source_id: int) -> list[EvidenceMark]:
    """Every claim span and evidence sentence in the source's text, on incidents the user may see."""
    from ..store import browse

    _require(user, Action.READ_SOURCES)
    if not browse.source_exists(ws.db, int(source_id)):
        raise NotFound(f"no source with id {source_id}")
    return browse.evidence_marks(ws.db, source_id=int(source_id),
                                 confidentialities=_confidentialities(user))
