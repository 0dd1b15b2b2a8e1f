"""Working through the review queue at scale: decisions on many suggestions at once, and assignments.

A bulk decision is many single decisions: each suggestion is decided in its
own transaction and recorded on its own (who, when, the one comment), so a
suggestion that cannot be decided (gone from the user's sight, already
decided by someone else meanwhile) is refused by itself and the others
still go through. Nothing is decided that is no longer waiting for review:
a bulk accept never re-confirms a rejected incident.

Assigning a suggestion to a team member is a reviewer's decision
(:attr:`Action.ASSIGN`); the assignee must be an account that may review.
Each assignment and unassignment is written to the audit log.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.access import Action, User, allowed
from ..domain.enums import IncidentStatus
from ..domain.filters import IncidentFilter
from . import Workspace, reading
from .errors import Conflict, NotFound, ServiceError
from .review import CommentMissing, _load, _require

MAX_BULK = 200  # one page of the queue at most; more is a mistake, not a workflow
# Identical suggestions decided with their rows in one request (one source gives at most 200): the rest are
# counted as left, and stay folded in the queue for another pass.
MAX_IDENTICAL = 1000


class Verdict(enum.Enum):
    ACCEPT = "accept"
    REJECT = "reject"
    ASSIGN = "assign"


class Refusal(enum.Enum):
    """Why one suggestion of a bulk decision was left as it was (the value names the page's words)."""

    NOT_FOUND = "not_found"  # no such incident, or not one the user may see
    NOT_PENDING = "not_pending"  # decided already (by someone else, or a moment ago)


@dataclass(slots=True)
class BulkOutcome:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, Refusal]] = field(default_factory=list)
    left: int = 0  # identical suggestions chosen but beyond MAX_IDENTICAL, left for another pass


class AssigneeUnknown(ServiceError):
    """The account to assign to does not exist, is disabled, or may not review."""


def _decide_one(ws: Workspace, user: User, incident_id: int, verdict: Verdict, comment: str,
                assignee: str | None) -> Refusal | None:
    from ..store import assignments, edits

    with ws.db.session(write=True) as session:
        try:
            incident = _load(session, user, incident_id)
        except NotFound:
            return Refusal.NOT_FOUND
        if incident.status is not IncidentStatus.SUGGESTED:
            return Refusal.NOT_PENDING
        if verdict is Verdict.ASSIGN:
            assignments.set_assignee(session, incident_id, assignee=assignee, user=user.username, comment=comment)
        else:
            status = IncidentStatus.CONFIRMED if verdict is Verdict.ACCEPT else IncidentStatus.REJECTED
            edits.set_status(session, incident_id, status=status, user=user.username, comment=comment)
    return None


def decide_many(ws: Workspace, *, user: User, incident_ids: Iterable[int], verdict: Verdict | str,
                comment: str = "", assignee: str | None = None, identical_to: Iterable[int] = (),
                filters: IncidentFilter | None = None) -> BulkOutcome:
    """Accept, reject or assign each of ``incident_ids`` (at most MAX_BULK, repeats counted once).

    ``identical_to`` names rows of the queue ``filters`` selects whose identical suggestions (the
    others of the row's fold, :mod:`.queue_folds`) are decided the same way, each on its own; a row
    itself only when it is among ``incident_ids`` too (rejecting the copies of a repeated report
    keeps the one row for review). At most MAX_IDENTICAL of them; the rest are counted as left.

    Rejecting needs the comment (:class:`CommentMissing`), as one rejection does; assigning
    needs ASSIGN and an assignee who may review (:class:`AssigneeUnknown`), or None to unassign.
    """
    verdict = Verdict(verdict)
    _require(user, Action.ASSIGN if verdict is Verdict.ASSIGN else Action.EDIT)
    ids = list(dict.fromkeys(int(i) for i in incident_ids))
    rows = list(dict.fromkeys(int(i) for i in identical_to))
    if not ids and not rows:
        raise ServiceError("no suggestion was chosen")
    if len(rows) > MAX_BULK:
        raise ServiceError(f"at most {MAX_BULK} suggestions at once")
    if len(ids) > MAX_BULK:
        raise ServiceError(f"at most {MAX_BULK} suggestions at once")
    comment = (comment or "").strip()
    if verdict is Verdict.REJECT and not comment:
        raise CommentMissing("a comment is needed to reject a suggestion")
    if verdict is Verdict.ASSIGN and assignee is not None:
        assignee = _assignable(ws, assignee)
    outcome = BulkOutcome()
    if rows:
        folds = reading.queue_plan(ws, user=user, filters=filters)
        chosen = set(ids)
        extra = [i for row in rows for i in folds.fold_of(row) if i != row and i not in chosen]
        extra = list(dict.fromkeys(extra))
        outcome.left = max(0, len(extra) - MAX_IDENTICAL)
        ids += extra[:MAX_IDENTICAL]
    for incident_id in ids:
        refusal = _decide_one(ws, user, incident_id, verdict, comment, assignee)
        if refusal is None:
            outcome.done.append(incident_id)
        else:
            outcome.refused.append((incident_id, refusal))
    return outcome


# -------------------------------------------------------------- assignment


@dataclass(frozen=True, slots=True)
class Member:
    """A team member a suggestion can be assigned to."""

    username: str
    label: str  # display name, or the username


def team(ws: Workspace, *, user: User) -> list[Member]:
    """The enabled accounts that may review suggestions, by name (for the assignee choices)."""
    from ..store import accounts

    _require(user, Action.EDIT)
    members = [Member(username=u.username, label=u.label) for u in accounts.list_users(ws.db)
               if not u.disabled and allowed(u.role, Action.EDIT)]
    return sorted(members, key=lambda m: (m.label.casefold(), m.username))


def _assignable(ws: Workspace, username: str) -> str:
    from ..store import accounts

    name = (username or "").strip()
    found = accounts.find_user(ws.db, name) if name and len(name) <= 100 else None
    if found is None or found[0].disabled or not allowed(found[0].role, Action.EDIT):
        raise AssigneeUnknown(f"{name[:60]!r} is not a team member who may review")
    return found[0].username


def assign(ws: Workspace, *, user: User, incident_id: int, assignee: str | None, comment: str = "") -> bool:
    """Assign one suggestion to ``assignee`` (None: unassign). Returns False when it already was so.

    A suggestion no longer waiting for review is a :class:`Conflict`; one the user may not see, NotFound.
    """
    _require(user, Action.ASSIGN)
    from ..store import assignments

    name = _assignable(ws, assignee) if assignee is not None else None
    with ws.db.session(write=True) as session:
        incident = _load(session, user, incident_id)
        if incident.status is not IncidentStatus.SUGGESTED:
            raise Conflict(f"incident {incident_id} is {incident.status.value}, no longer waiting for review")
        return assignments.set_assignee(session, incident_id, assignee=name, user=user.username,
                                        comment=(comment or "").strip())


def assignee_of(ws: Workspace, *, user: User, incident_id: int) -> str | None:
    """Who a suggestion is assigned to (staff names: for those who review)."""
    from ..store import assignments

    _require(user, Action.EDIT)
    return assignments.assignees(ws.db, [incident_id]).get(int(incident_id))


# -------------------------------------------------------------------- page


@dataclass(frozen=True, slots=True)
class QueueWork:
    """The review queue page: one page of suggestions (with their assignees) and the team to assign to."""

    listed: reading.QueuePage
    team: list[Member]


def queue_page(ws: Workspace, *, user: User, filters: IncidentFilter, sort: str, page: int,
               per_page: int, fold: bool = True) -> QueueWork:
    """:func:`reading.review_queue` and :func:`team`, for the queue page."""
    return QueueWork(listed=reading.review_queue(ws, user=user, filters=filters, sort=sort, page=page,
                                                 per_page=per_page, fold=fold),
                     team=team(ws, user=user))
