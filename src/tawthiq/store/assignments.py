"""Who is to review which suggestion: the current assignment, and the audit entry for each change.

One row per incident ever assigned holds the present assignee (NULL once
unassigned); each assignment and unassignment appends to the audit log with
the assignee before and after, who made the change and when, so the row can
be overwritten without losing anything.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import Database
from .history import NotFoundError, record
from .mapping import now
from .tables import incidents, review_assignments

__all__ = ["assignees", "current_assignee", "set_assignee"]


def current_assignee(session: Session, incident_id: int) -> str | None:
    return session.scalar(select(review_assignments.c.assignee)
                          .where(review_assignments.c.incident_id == incident_id))


def set_assignee(session: Session, incident_id: int, *, assignee: str | None, user: str, comment: str = "",
                 at: datetime | None = None) -> bool:
    """Assign ``incident_id`` to ``assignee`` (None: unassign), inside the caller's transaction.

    Returns False, recording nothing, when the assignment is already so.
    """
    if session.scalar(select(incidents.c.id).where(incidents.c.id == incident_id)) is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    exists = session.scalar(select(review_assignments.c.incident_id)
                            .where(review_assignments.c.incident_id == incident_id)) is not None
    before = current_assignee(session, incident_id) if exists else None
    if before == assignee:
        return False
    when = at or now()
    values = {"assignee": assignee, "assigned_by": user, "assigned_at": when}
    if exists:
        session.execute(update(review_assignments).where(review_assignments.c.incident_id == incident_id)
                        .values(**values))
    else:
        session.execute(review_assignments.insert().values(incident_id=incident_id, **values))
    record(session, user=user, entity="incident", entity_id=incident_id,
           action="assign" if assignee is not None else "unassign",
           before={"assignee": before}, after={"assignee": assignee}, comment=comment, at=when)
    return True


def assignees(db: Database, ids: Sequence[int]) -> dict[int, str]:
    """The current assignee of each of ``ids`` that has one."""
    if not ids:
        return {}
    with db.session() as session:
        return {int(i): str(a) for i, a in session.execute(
            select(review_assignments.c.incident_id, review_assignments.c.assignee)
            .where(review_assignments.c.incident_id.in_(sorted(set(ids))),
                   review_assignments.c.assignee.is_not(None)))}
