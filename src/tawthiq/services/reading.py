"""Reading the record for the web app and the API: lists, facets, pages, exports.

Visibility is decided here, once, from the user's role: a viewer is only
ever given public incidents, and an incident they may not see is "not
found" rather than "forbidden", so its existence does not leak. A viewer is
given each incident through the projection of :mod:`.public` (the current
public values: no claims, quotes, sources, history or staff names), because
reports may name people and claims keep what a reviewer replaced.

Lists take the one filter, :class:`~tawthiq.domain.filters.IncidentFilter`;
:func:`parse_filter` reads it from a query string.
"""
from __future__ import annotations

import bisect
import dataclasses
import io
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..domain.access import (
    Action,
    User,
    allowed,
    sees_provenance,
    visible_confidentialities,
)
from ..domain.audit import AuditEntry
from ..domain.enums import IncidentStatus, SourceKind
from ..domain.filters import DateNotUnderstood, FilterProblem, IncidentFilter
from ..domain.model import Claim, Incident, Person, Source
from ..store.queries import IncidentSummary
from . import Workspace, claim_pages, queue_folds
from .errors import BadFilterDate, NotFound, PermissionDenied, ServiceError
from .place_search import resolve
from .public import public_incident, public_summary

__all__ = [
    "IncidentSummary",
    "IncidentView",
    "ListPage",
    "Page",
    "SourceView",
    "export_incidents",
    "facet_counts",
    "get_incident_view",
    "get_source_view",
    "list_page",
    "next_suggestion",
    "parse_filter",
    "place_suggestions",
    "query_incidents",
    "review_queue",
]

T = TypeVar("T")
MAX_PER_PAGE = 200
SORTS = ("date", "-date", "id", "-id", "updated", "-updated", "relevance")
EXPORT_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                "geojson": "application/geo+json", "hxl": "text/csv; charset=utf-8"}
_EXPORT_CHUNK = 500


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int


def parse_filter(params: Mapping[str, str]) -> IncidentFilter:
    """The filter a query string asks for (:meth:`IncidentFilter.from_params`: blanks are "any",
    unknown keys are ignored); a malformed date, status or number is a one-line ServiceError."""
    try:
        return IncidentFilter.from_params(params)
    except DateNotUnderstood as exc:
        raise BadFilterDate(str(exc), field=exc.field, value=exc.value) from None
    except FilterProblem as exc:
        raise ServiceError(str(exc), kind=f"filter.{exc.kind}", **exc.values) from None
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _visible(user: User) -> tuple[str, ...]:
    return tuple(c.value for c in visible_confidentialities(user.role))


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


# --------------------------------------------------------------------- lists


def query_incidents(ws: Workspace, *, user: User, filters: IncidentFilter, sort: str = "-date", page: int = 1,
                    per_page: int = 50) -> Page[IncidentSummary]:
    """One page of the incidents the user may see that match ``filters``.

    Merged incidents are left out unless the status filter asks for them.
    "relevance" needs words in ``filters.q``; without them it sorts by date.
    """
    from ..store import queries

    _require(user, Action.READ_PUBLIC)
    if sort not in SORTS:
        raise ServiceError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}", kind="filter.unknown_sort",
                           value=str(sort)[:40])
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    items, total = queries.page_incidents(ws.db, filters=resolve(ws.db, filters), visible=_visible(user),
                                          sort=sort, limit=per_page, offset=(page - 1) * per_page)
    if not sees_provenance(user.role):
        items = [public_summary(s) for s in items]
    return Page(items=items, total=total, page=page, per_page=per_page, pages=math.ceil(total / per_page))


def facet_counts(ws: Workspace, *, user: User, filters: IncidentFilter) -> dict[str, list[tuple[str, int]]]:
    """For each of event_type, violation, perpetrator (top-level actor), victim_kind,
    governorate, status and confidentiality: (value, count) most frequent first.

    Each facet counts the incidents matching all the *other* filters, so the
    values a user could switch to stay visible with their counts.
    """
    from ..store import queries

    _require(user, Action.READ_PUBLIC)
    return queries.facet_counts(ws.db, filters=resolve(ws.db, filters), visible=_visible(user))


@dataclass(frozen=True, slots=True)
class ListPage:
    """The incidents list as a page shows it: one page of matches, and the facets beside it."""

    page: Page[IncidentSummary]
    facets: dict[str, list[tuple[str, int]]]
    tags: dict[int, list[Any]] = field(default_factory=dict)  # per incident on the page: its current tags
    tag_names: dict[str, Any] = field(default_factory=dict)  # the tags the user may see named, by id


def list_page(ws: Workspace, *, user: User, filters: IncidentFilter, sort: str = "-date", page: int = 1,
              per_page: int = 50) -> ListPage:
    """:func:`query_incidents` and :func:`facet_counts` for the same filter, with the tags of the
    page's incidents and the names of the tags the user may see (for the tag facet and its chips)."""
    from ..store.read_scope import read_scope
    from . import tags

    with read_scope():  # its parts' sessions read the data version and review rule once between them
        found = query_incidents(ws, user=user, filters=filters, sort=sort, page=page, per_page=per_page)
        return ListPage(page=found, facets=facet_counts(ws, user=user, filters=filters),
                        tags=tags.tags_on_incidents(ws, user=user, ids=[int(s.id) for s in found.items]),
                        tag_names=tags.tag_names(ws, user=user))


REVIEW_SORTS = ("-id", "id", "confidence", "source")
QUEUE_FACETS = ("event_type", "perpetrator", "governorate")  # what the queue filters by; only these are counted  # the store's names: newest, oldest, doubtful first, by source


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A suggestion in the review queue with the title of the source it came from."""

    summary: IncidentSummary
    source_title: str
    assignee: str = ""  # the team member it is assigned to, if any
    identical: int = 0  # the suggestions identical to it from its source, folded into its row (queue_folds)


def _queue_filter(filters: IncidentFilter) -> IncidentFilter:
    # Only suggestions wait for review, whatever status a hand-made link asks for.
    return dataclasses.replace(filters, status=(IncidentStatus.SUGGESTED.value,), q=None, q_place=None)


def _review_sort(sort: str) -> str:
    if sort not in REVIEW_SORTS:
        raise ServiceError(f"unknown review order {sort!r}; choose one of {', '.join(REVIEW_SORTS)}")
    return sort


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the review queue, and per facet the values the queue's suggestions have."""

    page: Page[QueueRow]  # its total and pages count rows: a fold of identical suggestions is one row
    facets: dict[str, list[tuple[str, int]]]  # suggestions, each counted
    suggestions: int = 0  # the suggestions the rows stand for (the total plus the folded ones)


def review_queue(ws: Workspace, *, user: User, filters: IncidentFilter | None = None, sort: str = "-id",
                 page: int = 1, per_page: int = 50, fold: bool = True) -> QueuePage:
    """Suggested incidents matching ``filters`` in ``sort`` order (REVIEW_SORTS): the machine's work
    waiting for a person, each with its source's title. With ``fold``, suggestions identical to one
    another (:func:`.queue_folds.identity`) are one row, the first of them in the order, with their number."""
    from ..store.read_scope import read_scope

    with read_scope():  # the folds, rows and facets read the data version and review rule once
        return _review_queue(ws, user=user, filters=filters, sort=sort, page=page, per_page=per_page, fold=fold)


def _review_queue(ws: Workspace, *, user: User, filters: IncidentFilter | None, sort: str, page: int,
                  per_page: int, fold: bool) -> QueuePage:
    from ..store import queries

    _require(user, Action.EDIT)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    queue = resolve(ws.db, _queue_filter(filters or IncidentFilter()))
    folds = (queue_folds.plan(ws.db, filters=queue, visible=_visible(user), sort=_review_sort(sort)) if fold
             else queue_folds.FoldPlan())
    items, total = queries.page_incidents(ws.db, filters=queue,
                                          visible=_visible(user), sort=_review_sort(sort), limit=per_page,
                                          offset=(page - 1) * per_page, hidden=folds.hidden)
    titles: dict[int, str] = {}
    assigned: dict[int, str] = {}
    if sees_provenance(user.role):
        from ..store.assignments import assignees

        titles = queries.source_titles(ws.db, [s.source_id for s in items if s.source_id is not None])
        assigned = assignees(ws.db, [s.id for s in items])
    else:
        items = [public_summary(s) for s in items]
    rows = [QueueRow(summary=s, source_title=titles.get(s.source_id, "") if s.source_id else "",
                     assignee=assigned.get(s.id, ""), identical=folds.others(s.id)) for s in items]
    return QueuePage(page=Page(items=rows, total=total, page=page, per_page=per_page,
                               pages=math.ceil(total / per_page)),
                     facets=queries.facet_counts(ws.db, filters=queue, visible=_visible(user), names=QUEUE_FACETS),
                     suggestions=total + len(folds.hidden))


def queue_plan(ws: Workspace, *, user: User, filters: IncidentFilter | None = None,
               sort: str = "-id") -> queue_folds.FoldPlan:
    """The folds of identical suggestions in the queue ``filters`` selects, as ``user`` sees it."""
    _require(user, Action.EDIT)
    queue = resolve(ws.db, _queue_filter(filters or IncidentFilter()))
    return queue_folds.plan(ws.db, filters=queue, visible=_visible(user), sort=_review_sort(sort))


def next_suggestion(ws: Workspace, *, user: User, filters: IncidentFilter | None = None, sort: str = "-id",
                    after_id: int, backwards: bool = False, fold: bool = False) -> int | None:
    """The suggestion that follows ``after_id`` (``backwards``: precedes it) in the queue ``filters``
    and ``sort`` make, if any. With ``fold`` (the queue folds identical suggestions into one row), the
    next row of that queue: the suggestions identical to ``after_id``, and those folded out of sight,
    are stepped over (:func:`.queue_folds.step_from`)."""
    from ..store import queries

    _require(user, Action.EDIT)
    queue = resolve(ws.db, _queue_filter(filters or IncidentFilter()))
    start, skip = int(after_id), frozenset[int]()
    if fold:
        start, skip = queue_folds.step_from(ws.db, incident_id=after_id, filters=queue, visible=_visible(user),
                                            sort=_review_sort(sort))
    return queries.next_after(ws.db, filters=queue, visible=_visible(user), sort=_review_sort(sort),
                              incident_id=start, backwards=backwards, skip=skip)


def summaries(ws: Workspace, *, user: User, ids: list[int]) -> list[IncidentSummary]:
    """List summaries of ``ids`` in id order, leaving out silently those the user may not see."""
    from ..store import queries

    _require(user, Action.READ_PUBLIC)
    visible = set(_visible(user))
    found = [s for s in queries.summaries_for_ids(ws.db, list(ids)) if s.confidentiality in visible]
    return found if sees_provenance(user.role) else [public_summary(s) for s in found]


def iter_incidents(ws: Workspace, *, user: User, filters: IncidentFilter) -> Iterator[Incident]:
    """Every matching incident the user may see, whole, loaded a chunk at a time."""
    from ..store import queries
    from ..store.incidents import incidents_by_ids

    _require(user, Action.READ_PUBLIC)
    ids = queries.matching_ids(ws.db, filters=resolve(ws.db, filters), visible=_visible(user), sort="id")
    for i in range(0, len(ids), _EXPORT_CHUNK):
        for incident in incidents_by_ids(ws.db, ids[i:i + _EXPORT_CHUNK]):
            yield _for(user, incident)


def export_incidents(ws: Workspace, *, user: User, filters: IncidentFilter,
                     fmt: str, machine: str = "", via: str = "web",
                     profile: str | None = None) -> tuple[bytes, str, str]:
    """(body, media type, file name) of the matching incidents the user may see; logged in the custody ledger.

    With ``profile`` the export is for that audience (:mod:`tawthiq.domain.profiles`), built by its
    projection; one beyond the user's role needs a reviewer's unexpired approval
    (:mod:`.export_approvals`), which the ledger entry names.
    """
    from ..domain.profiles import profile_named
    from ..export.formats import FORMATS, write
    from .custody import record_export
    from .export_approvals import check_export
    from .exports import incidents_for_profile

    if fmt not in FORMATS:
        raise ServiceError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}",
                           kind="export.unknown_format", value=str(fmt)[:20])
    logged = dataclasses.asdict(filters) if dataclasses.is_dataclass(filters) else {}
    if profile:
        approval = check_export(ws, user=user, profile=profile)
        found: Iterator[Incident] = incidents_for_profile(ws, profile=profile_named(profile), filters=filters)
        logged = {**logged, "profile": profile, "approval": None if approval is None else approval.entry_id}
    else:
        found = iter_incidents(ws, user=user, filters=filters)
    out = io.StringIO()
    count = write(found, out, fmt=fmt)
    body = out.getvalue().encode("utf-8")
    record_export(ws, actor=user.username, body=body, incidents=count, fmt=fmt, machine=machine, via=via,
                  filters=logged or None)
    return body, EXPORT_MEDIA[fmt], f"tawthiq-incidents.{'hxl.csv' if fmt == 'hxl' else fmt}"


# -------------------------------------------------------------------- pages


@dataclass(slots=True)
class IncidentView:
    incident: Incident
    claims_by_field: dict[str, list[Claim]]  # empty for viewers: claims quote sources and name staff
    sources: list[Source]  # empty unless the user may read sources
    history: list[AuditEntry]  # empty for viewers: it names staff and quotes their reasons
    persons: list[Person]  # empty unless the user may read restricted records
    merged_into: int | None
    merged_from: list[int] = field(default_factory=list)
    cluster: list[int] = field(default_factory=list)  # the other incidents judged the same event, as the user may see
    media: Any = None  # attachments.IncidentMedia: attached sources (nothing for viewers) and what may be attached
    tags: Any = None  # tags.TagPanel: its tags as the user may see them, and what they may add
    # The page of its claims the incident page lists (a long report leaves thousands on one incident); none for
    # viewers, whose projection has no claims.
    claims: claim_pages.ClaimPage = field(default_factory=lambda: claim_pages.claim_page(()))
    # Which page of its named persons ``persons`` is (a victim list names thousands on one incident); None when
    # the user may not read them.
    person_page: Page[Person] | None = None


# Named persons the incident page lists at a time: 3,000 listed whole made the page 670 KB.
PERSONS_PER_PAGE = 50


# Incidents of one source its page lists at a time: a long report read by the extractor leaves thousands
# (3,000 listed whole made the source page 0.9 MB).
SOURCE_INCIDENTS_PER_PAGE = 50


@dataclass(slots=True)
class SourceView:
    source: Source
    incidents: list[IncidentSummary]  # every one the user may see, or the page of them asked for
    blob_path: Path | None  # where the original as received is stored (sealed bytes when encrypted), when it is
    # When stored: the store to read it through (``blob_path`` is opened directly only in a plain store).
    store: Any = None
    # When a page of them was asked for: which page (its items are ``incidents``); else None.
    incident_page: Page[IncidentSummary] | None = None


def _visible_incident(ws: Workspace, user: User, incident_id: int) -> Incident:
    from ..store.incidents import get_incident

    _require(user, Action.READ_PUBLIC)
    incident = get_incident(ws.db, int(incident_id))
    if incident is None or incident.id not in _seen(ws, user, [incident.id or 0]):
        raise NotFound(f"no incident with id {incident_id}")
    return incident


def _seen(ws: Workspace, user: User, ids: list[int]) -> set[int]:
    """Those of ``ids`` the user may see, decided where every list decides it
    (:func:`~tawthiq.store.conditions.sight_terms`: their role's levels, and the team's second-review rule)."""
    from ..store.conditions import visible_ids

    if not ids:
        return set()
    with ws.db.session() as session:
        return visible_ids(session, ids, _visible(user))


def _for(user: User, incident: Incident) -> Incident:
    """The incident as this user may see it: whole for staff, its public projection for viewers."""
    return incident if sees_provenance(user.role) else public_incident(incident)


def get_incident_view(ws: Workspace, *, user: User, incident_id: int, attach_choices: bool = False,
                      claims_page: int = 1, persons_page: int = 1,
                      persons_per_page: int = PERSONS_PER_PAGE) -> IncidentView:
    """The incident page's record for ``user``; ``attach_choices`` adds the sources they may attach to it,
    ``claims`` is page ``claims_page`` of its claims and ``persons`` page ``persons_page`` of its named persons
    (in id order; beyond the last: the last)."""
    from ..store import edits, repository
    from ..store.sources import get_source

    incident = _for(user, _visible_incident(ws, user, incident_id))
    staff = sees_provenance(user.role)
    by_field: dict[str, list[Claim]] = {}
    for claim in incident.claims:  # none in a viewer's projection
        by_field.setdefault(str(claim.field), []).append(claim)
    sources: list[Source] = []
    if staff:
        ids = dict.fromkeys(i for i in [incident.source_id, *(c.source_id for c in incident.claims)] if i)
        sources = [s for s in (get_source(ws.db, i) for i in ids) if s is not None]
    history = repository.incident_history(ws.db, incident.id) if staff else []  # type: ignore[arg-type]
    persons: list[Person] = []
    person_page: Page[Person] | None = None
    if staff:  # only the shown page's persons are read: the count alone says how many pages there are
        per_page = max(1, int(persons_per_page))
        total = repository.count_persons_for_incident(ws.db, int(incident.id or 0))
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, int(persons_page)), pages)
        persons = repository.persons_for_incident(ws.db, int(incident.id or 0), offset=(page - 1) * per_page,
                                                  limit=per_page)
        person_page = Page(items=persons, total=total, page=page, per_page=per_page, pages=pages)
    with ws.db.session() as session:
        merged = edits.merged_from(session, incident.id)  # type: ignore[arg-type]
    seen = _seen(ws, user, [*merged, *([incident.merged_into_id] if incident.merged_into_id else [])])
    merged = [i for i in merged if i in seen]
    merged_into = incident.merged_into_id if incident.merged_into_id in seen else None
    cluster: list[int] = []
    if staff and incident.cluster_id is not None:
        from ..store.judgements import Subject, cluster_members

        with ws.db.session() as session:
            members = [m for m in cluster_members(session, Subject.INCIDENT, int(incident.id or 0))
                       if m != incident.id]
        shown = _seen(ws, user, members)
        cluster = [m for m in members if m in shown]
    from .attachments import incident_media
    from .tags import incident_panel

    return IncidentView(incident=incident, claims_by_field=by_field, sources=sources, history=history,
                        persons=persons, merged_into=merged_into, merged_from=merged, cluster=cluster,
                        media=incident_media(ws, user=user, incident_id=int(incident.id or 0), choices=attach_choices),
                        tags=incident_panel(ws, user=user, incident_id=int(incident.id or 0)),
                        claims=claim_pages.claim_page(incident.claims, page=claims_page), person_page=person_page)


def _summaries(ws: Workspace, ids: list[int]) -> list[IncidentSummary]:
    from ..store.queries import summaries_for_ids

    return summaries_for_ids(ws.db, ids)


def get_source_view(ws: Workspace, *, user: User, source_id: int, incidents_page: int | None = None,
                    per_page: int = SOURCE_INCIDENTS_PER_PAGE) -> SourceView:
    """The source and the incidents read from it that ``user`` may see: all of them, or page ``incidents_page``
    (1-based; beyond the last: the last) of ``per_page`` in id order."""
    from ..store import queries
    from ..store.sources import get_source

    _require(user, Action.READ_SOURCES)
    source = get_source(ws.db, int(source_id))
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    if source.kind is SourceKind.PERSON_LIST:  # a victim list's file is its names: for admins and reviewers only
        _require(user, Action.READ_NAMES)
    ids = queries.matching_ids(ws.db, filters=IncidentFilter(source_id=source.id),
                               visible=_visible(user), sort="id")
    blob: Path | None = None
    try:
        candidate = ws.blobs.path(source.sha256)
        blob = candidate if candidate.is_file() else None
    except Exception:  # noqa: BLE001 - a malformed hash on an old row means no original to offer
        blob = None
    if incidents_page is None:
        return SourceView(source=source, incidents=_summaries(ws, ids), blob_path=blob, store=ws.blobs)
    per_page = max(1, int(per_page))
    pages = max(1, math.ceil(len(ids) / per_page))
    page = min(max(1, int(incidents_page)), pages)
    # Only the page's summaries are read: the ids alone say how many there are.
    shown = _summaries(ws, ids[(page - 1) * per_page:page * per_page])
    return SourceView(source=source, incidents=shown, blob_path=blob, store=ws.blobs,
                      incident_page=Page(items=shown, total=len(ids), page=page, per_page=per_page, pages=pages))


# ---------------------------------------------------------------- gazetteer


def place_suggestions(prefix: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Gazetteer places whose name (Arabic or Latin, any listed variant) starts with ``prefix``.

    Names are folded as in search (case, accents, Arabic letter variants), and
    an Arabic article or a Latin "al-" need not be typed. Exact names come
    first, then bigger places. Each result carries what a Location needs.
    """
    from ..extract.places.mention import location_of

    key = _fold_place(prefix or "")
    limit = max(0, min(int(limit), 50))
    if not key or not limit:
        return []
    keys, entries = _place_index()
    best: dict[str, tuple[tuple[int, int], Any, str]] = {}
    for i in range(bisect.bisect_left(keys, key), len(keys)):
        if not keys[i].startswith(key):
            break
        place, name = entries[i]
        rank = (0 if keys[i] == key else 1, -place.population)
        if place.id not in best or rank < best[place.id][0]:
            best[place.id] = (rank, place, name)
    found = sorted(best.values(), key=lambda r: (r[0], r[1].id))[:limit]
    out: list[dict[str, Any]] = []
    for _, place, name in found:
        loc = location_of(place, text=name)
        out.append({"name": loc.name, "name_ar": loc.name_ar, "admin1": loc.admin1, "admin2": loc.admin2,
                    "admin3": loc.admin3, "lat": loc.lat, "lon": loc.lon, "precision": str(loc.precision),
                    "place_id": loc.place_id, "level": place.level, "matched": name})
    return out


_AR_ARTICLE = "\u0627\u0644"  # ال
_LATIN_ARTICLE = re.compile(r"^(?:al|el|ar|as|ash|at|ad|az|an|ed|es|et|er|ez|en)[- ]")


def _fold_place(name: str) -> str:
    from ..store.mapping import place_key

    return place_key(name)


@cache
def _place_index() -> tuple[list[str], list[tuple[Any, str]]]:
    """Folded names (and the same without a leading article), sorted for prefix search."""
    from ..extract.gazetteer import Gazetteer

    rows: list[tuple[str, Any, str]] = []
    for place in Gazetteer.load().places:
        for name in dict.fromkeys((place.name_en, place.name_ar, *place.names)):
            folded = _fold_place(name)
            if not folded:
                continue
            forms = {folded}
            if folded.startswith(_AR_ARTICLE) and len(folded) > 4:
                forms.add(folded[2:])
            forms.add(_LATIN_ARTICLE.sub("", folded))
            rows.extend((form, place, name) for form in forms if form)
    rows.sort(key=lambda r: r[0])
    return [r[0] for r in rows], [(r[1], r[2]) for r in rows]
