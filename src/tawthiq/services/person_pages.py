"""What the pages for victim lists show: the people (one row per person cluster), one person's records side by
side with the judgements about them, and the linker's unsure pairs of person records.

Person records are names: everything here needs
:data:`~tawthiq.domain.access.Action.READ_NAMES` (reviewers, admins), checked
before anything is read. The decisions themselves are
:mod:`.person_linking`'s (``decide``, ``undo``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.access import Action, User, allowed
from ..domain.judgements import Judgement, pair
from ..domain.persons import PERSON_FIELDS, PersonRecord
from . import person_linking, persons
from .errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from . import Workspace

SKIP_HORIZON = 1000  # how far down the queue "skip" and "next" look
MAX_QUOTE = 500  # characters of a report's text quoted for a person it names
MAX_PER_CLUSTER = 50  # records of one person shown in the list of people


def _require(user: User | None) -> None:
    if user is not None and (user.disabled or not allowed(user.role, Action.READ_NAMES)):
        raise PermissionDenied(f"your role ({user.role}) may not see person records")


# ------------------------------------------------------------------ the people


@dataclass(slots=True)
class Person:
    """One person: the records judged to be them, each as its list wrote it."""

    cluster_id: int
    records: list[PersonRecord]


@dataclass(slots=True)
class PeoplePage:
    rows: list[Person]
    page: int
    per_page: int
    has_next: bool
    total: int  # people matching the filter
    counts: dict[str, int]  # records per list (all lists)


def people_page(ws: Workspace, *, user: User | None, lists: Sequence[str] = (), query: str = "", page: int = 1,
                per_page: int = 25) -> PeoplePage:
    """One page of distinct people (clusters), in cluster order, narrowed to ``lists`` and a name."""
    from ..store import person_clusters

    _require(user)
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 200))
    ids = person_clusters.cluster_page(ws.db, lists=lists, query=query, limit=per_page + 1,
                                       offset=(page - 1) * per_page)
    shown = ids[:per_page]
    by_cluster = person_clusters.records_of(ws.db, shown, per_cluster=MAX_PER_CLUSTER)
    return PeoplePage(rows=[Person(cluster_id=c, records=by_cluster.get(c, [])) for c in shown], page=page,
                      per_page=per_page, has_next=len(ids) > per_page,
                      total=person_clusters.count_people(ws.db, lists=lists, query=query),
                      counts=persons.list_counts(ws))


# ------------------------------------------------------------------ one person


@dataclass(slots=True)
class JudgementRow:
    judgement: Judgement
    left: PersonRecord | None
    right: PersonRecord | None


@dataclass(slots=True)
class PersonView:
    """A person: the record asked for, the records of its cluster side by side, and every judgement about them."""

    record: PersonRecord
    cluster: list[PersonRecord]
    fields: list[str]  # the person fields some record of the cluster gives, in PERSON_FIELDS order
    extra: list[str]  # the extra attributes some record gives, in first-seen order
    sources: dict[int, str]  # source id -> title
    quotes: dict[int, str]  # record id -> the words of the report naming the person
    judgements: list[JudgementRow]  # newest first, withdrawn ones too
    records: dict[int, PersonRecord] = field(default_factory=dict)  # every record a judgement names


def _given(records: Sequence[PersonRecord]) -> tuple[list[str], list[str]]:
    names = [f for f in PERSON_FIELDS if any(r.fields.get(f) for r in records)]
    extra = list(dict.fromkeys(k for r in records for k, v in r.extra.items() if v))
    return names, extra


def _quotes(ws: Workspace, records: Sequence[PersonRecord]) -> dict[int, str]:
    """For a person named in a report: the report's words at the name (the span), as written."""
    from ..store.sources import get_source

    out: dict[int, str] = {}
    for rec in records:
        if rec.id is None or rec.source_id is None or rec.span_start is None or rec.span_end is None:
            continue
        source = get_source(ws.db, rec.source_id)
        text = (source.text or "") if source is not None else ""
        start, end = max(0, rec.span_start), min(len(text), rec.span_end, rec.span_start + MAX_QUOTE)
        if start < end:
            out[int(rec.id)] = text[start:end]
    return out


def _titles(ws: Workspace, records: Sequence[PersonRecord]) -> dict[int, str]:
    from ..store.sources import get_source

    out: dict[int, str] = {}
    for rec in records:
        if rec.source_id is not None and rec.source_id not in out:
            source = get_source(ws.db, rec.source_id)
            out[rec.source_id] = (source.title or source.original_name or "") if source is not None else ""
    return out


def person_view(ws: Workspace, *, user: User | None, record_id: int) -> PersonView:
    """The person the record belongs to; NotFound for an unknown record."""
    from ..store import person_records

    _require(user)
    detail = persons.show_person(ws, record_id=int(record_id), user=user)
    # The record asked for first (the rest by list and name), so it reads first in either direction.
    cluster = sorted(detail.cluster, key=lambda r: r.id != detail.record.id)
    found: dict[int, Judgement] = {}
    for rec in cluster:
        for j in person_linking.judgements_of(ws, user=user, record_id=int(rec.id or 0)):
            found[int(j.id or 0)] = j
    judgements = sorted(found.values(), key=lambda j: j.id or 0, reverse=True)  # ids grow with time
    known = {int(r.id or 0): r for r in cluster}
    missing = {i for j in judgements for i in (j.left_id, j.right_id)} - set(known)
    known.update({int(r.id or 0): r for r in person_records.get_many(ws.db, missing)})
    names, extra = _given(cluster)
    return PersonView(record=detail.record, cluster=cluster, fields=names, extra=extra, sources=detail.sources,
                      quotes=_quotes(ws, cluster), records=known,
                      judgements=[JudgementRow(judgement=j, left=known.get(j.left_id), right=known.get(j.right_id))
                                  for j in judgements])


# ------------------------------------------------------------------ the queue and one pair


@dataclass(slots=True)
class QueueRow:
    judgement: Judgement
    left: PersonRecord | None
    right: PersonRecord | None


@dataclass(slots=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    per_page: int
    has_next: bool


def queue_page(ws: Workspace, *, user: User | None, page: int = 1, per_page: int = 25) -> QueuePage:
    """One page of the linker's unsure pairs of person records, most probable first."""
    from ..store import person_records

    _require(user)
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 200))
    found = person_linking.review_queue(ws, user=user, limit=page * per_page + 1)
    chunk = found[(page - 1) * per_page:page * per_page]
    by_id = {int(r.id or 0): r for r in person_records.get_many(ws.db, {i for j in chunk
                                                                        for i in (j.left_id, j.right_id)})}
    return QueuePage(rows=[QueueRow(judgement=j, left=by_id.get(j.left_id), right=by_id.get(j.right_id))
                           for j in chunk], page=page, per_page=per_page, has_next=len(found) > page * per_page)


def next_pair(ws: Workspace, *, user: User | None, after: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The first pair of the queue, or the one after ``after`` (wrapping round); None when the queue is empty."""
    _require(user)
    queued = [(j.left_id, j.right_id) for j in person_linking.review_queue(ws, user=user, limit=SKIP_HORIZON)]
    if after is not None and after in queued:
        rest = queued[queued.index(after) + 1:] + queued[:queued.index(after)]
        return rest[0] if rest else None
    return queued[0] if queued else None


@dataclass(slots=True)
class PairView:
    """Two person records side by side, with everything said about the pair."""

    left: PersonRecord
    right: PersonRecord
    fields: list[str]
    extra: list[str]
    sources: dict[int, str]
    quotes: dict[int, str]
    history: list[Judgement]  # oldest first, withdrawn ones too
    comparison: Judgement | None  # the linker's latest judgement with its weights and levels
    in_force: Judgement | None
    same_person: bool  # the two are in one cluster now


def pair_view(ws: Workspace, *, user: User | None, a: int, b: int) -> PairView:
    """Both records whole and every judgement about the pair; NotFound for a record paired with itself."""
    from ..store import person_records

    _require(user)
    try:
        left_id, right_id = pair(int(a), int(b))
    except ValueError:
        raise NotFound(f"no pair of person records {a} and {b}") from None
    got = {int(r.id or 0): r for r in person_records.get_many(ws.db, (left_id, right_id))}
    if left_id not in got or right_id not in got:
        raise NotFound(f"no person record with id {right_id if left_id in got else left_id}")
    left, right = got[left_id], got[right_id]
    history = [j for j in person_linking.judgements_of(ws, user=user, record_id=left_id)
               if (j.left_id, j.right_id) == (left_id, right_id)]
    linker = [j for j in history if not j.by_person and j.weights]
    in_force = [j for j in history if j.in_force]
    names, extra = _given((left, right))
    return PairView(left=left, right=right, fields=names, extra=extra, sources=_titles(ws, (left, right)),
                    quotes=_quotes(ws, (left, right)), history=history, comparison=linker[-1] if linker else None,
                    in_force=in_force[-1] if in_force else None,
                    same_person=persons.cluster_of(left) == persons.cluster_of(right))
