"""The append-only history of decisions, and the decisions that write it.

Nothing is deleted: rejecting an incident is a status change, and every
change records who made it, when, why, and the fields before and after. The
database itself refuses UPDATE and DELETE on ``audit_log`` (see
:func:`dialect.create_append_only_guard`).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.audit import AuditEntry
from ..domain.enums import IncidentStatus
from .db import Database
from .mapping import now
from .tables import audit_log, incidents


class NotFoundError(LookupError):
    """The entity a decision refers to does not exist."""


def record(session: Session, *, user: str, entity: str, entity_id: int, action: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           comment: str = "", at: datetime | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its id."""
    if not user or not user.strip():
        raise ValueError("a decision needs the name of who made it")
    return int(
        session.execute(
            audit_log.insert()
            .values(at=at or now(), user=user.strip(), entity=entity, entity_id=entity_id,
                    action=action, before=before, after=after, comment=comment or "")
            .returning(audit_log.c.id)
        ).scalar_one()
    )


def set_incident_status(db: Database, incident_id: int, *, status: IncidentStatus, user: str,
                        comment: str) -> None:
    """Confirm, verify or reject an incident, recording the decision.

    A decision that repeats the current status is still recorded: a second
    reviewer's confirmation is part of the record too.
    """
    new = IncidentStatus(status)
    with db.session(write=True) as session:
        current = session.scalar(select(incidents.c.status).where(incidents.c.id == incident_id))
        if current is None:
            raise NotFoundError(f"no incident with id {incident_id}")
        when = now()
        session.execute(
            update(incidents).where(incidents.c.id == incident_id).values(status=new.value, updated_at=when)
        )
        record(session, user=user, entity="incident", entity_id=incident_id, action="status",
               before={"status": current}, after={"status": new.value}, comment=comment, at=when)


def history(db: Database, *, entity: str, entity_id: int) -> list[AuditEntry]:
    """Every recorded decision about one entity, oldest first."""
    with db.session() as session:
        rows = session.execute(
            select(audit_log)
            .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
            .order_by(audit_log.c.at, audit_log.c.id)
        ).all()
    opened = _opener(db) if entity == "person_record" else None
    return [
        AuditEntry(id=r.id, at=r.at, user=r.user, entity=r.entity, entity_id=r.entity_id, action=r.action,
                   before=opened(r.before) if opened else r.before, after=opened(r.after) if opened else r.after,
                   comment=r.comment)
        for r in rows
    ]


def _opener(db: Database) -> Callable[[Any], Any] | None:
    """Decrypts the identity-vault values of a person record's entries (store.person_records._vaulted); the
    stored form, which the seals hash, stays as it is."""
    from . import identity_vault

    vault = db.vault
    if vault is None:
        return None

    def opened(values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {k: vault.decrypt(v, context=identity_vault.PERSON_RECORD_AUDIT) if identity_vault.is_encrypted(v) else v
                for k, v in values.items()}

    return opened


def incident_history(db: Database, incident_id: int) -> list[AuditEntry]:
    return history(db, entity="incident", entity_id=incident_id)


# The history entries that can make an incident "confirmed": a person's decision, a hand-made
# incident recorded as confirmed, or one brought in from a package. An unmerge restores the
# status an earlier decision gave, so it names no new accepter.
_ACCEPTING = ("status", "create", "import")


def accepted_by(session: Session, ids: list[int]) -> dict[int, str]:
    """Per incident, who last made it confirmed (accepted, corrected and accepted, or created it so),
    read from the history; incidents never confirmed are absent."""
    out: dict[int, str] = {}
    wanted = sorted({int(i) for i in ids})
    for chunk in range(0, len(wanted), 500):
        rows = session.execute(
            select(audit_log.c.entity_id, audit_log.c.user, audit_log.c.after)
            .where(audit_log.c.entity == "incident", audit_log.c.entity_id.in_(wanted[chunk:chunk + 500]),
                   audit_log.c.action.in_(_ACCEPTING))
            .order_by(audit_log.c.id))
        for entity_id, user, after in rows:
            if isinstance(after, dict) and after.get("status") == IncidentStatus.CONFIRMED.value:
                out[int(entity_id)] = str(user)
    return out
