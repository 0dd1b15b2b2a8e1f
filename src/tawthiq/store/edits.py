"""Reviewers' changes to incidents, inside the caller's transaction.

Every function here takes a session so that a service can combine several
(edit then accept) in one transaction. Each change appends to the audit log
with the changed fields before and after; claims are only ever added. The
ordered parts of an incident (violations, involvements, victim groups) are
rewritten whole on an edit, which loses nothing because the audit entry
holds what they were.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..domain.claims import supports, victim_groups_to_carry
from ..domain.enums import IncidentStatus, InvolvementRole
from ..domain.model import Claim, Incident
from ..domain.printable import without_reordering
from . import dialect
from .history import NotFoundError, record
from .incidents import _load, incident_index_body
from .mapping import claim_values, incident_values, involvement_values, now, victim_values
from .tables import audit_log, claims, incident_violations, incidents, involvements, sources, victim_groups
from .textnorm import index_text

# Which incidents-table columns each editable field owns.
_ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "event_type": ("event_type",),
    "description": ("description",),
    "confidentiality": ("confidentiality",),
    "date": ("date_edtf", "date_text", "date_precision", "date_start", "date_end"),
    "location": ("has_location", "loc_name", "loc_text", "loc_name_ar", "loc_country", "loc_admin1", "loc_admin2",
                 "loc_admin3", "loc_lat", "loc_lon", "loc_precision", "loc_place_id", "loc_keys"),
}


def load_incident(session: Session, incident_id: int, *, for_update: bool = False) -> Incident | None:
    """The whole incident with its parts and claims, read in this transaction."""
    stmt = select(incidents).where(incidents.c.id == incident_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # SQLite's write transaction already holds the only write lock
    found = _load(session, stmt)
    return found[0] if found else None


def set_status(session: Session, incident_id: int, *, status: IncidentStatus, user: str, comment: str,
               at: datetime | None = None) -> str:
    """Change the status and record the decision; returns the status before."""
    current = session.scalar(select(incidents.c.status).where(incidents.c.id == incident_id))
    if current is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    when = at or now()
    session.execute(update(incidents).where(incidents.c.id == incident_id)
                    .values(status=IncidentStatus(status).value, updated_at=when))
    record(session, user=user, entity="incident", entity_id=incident_id, action="status",
           before={"status": current}, after={"status": IncidentStatus(status).value}, comment=comment, at=when)
    return str(current)


# Why a verified incident went back to confirmed, for the history (the change itself is its own entry).
REVERIFY_REASON = ("changed after it was verified: the team requires a second reviewer, so it waits for "
                   "another verification (by someone other than {user}) before it is published again")


def reverify_after_change(session: Session, incident_id: int, *, user: str, at: datetime | None = None) -> bool:
    """Under the team's second-review rule, a verified incident whose content changed goes back to
    confirmed; returns whether it did.

    Without this a reviewer could change what a colleague verified (5 killed to 50, made public)
    and viewers would read it at once; confirmed, it is out of their sight until someone other than
    the editor (who is now the one who made it confirmed) verifies it again.
    """
    from .conditions import second_review

    if not second_review(session):
        return False
    current = session.scalar(select(incidents.c.status).where(incidents.c.id == incident_id))
    if current != IncidentStatus.VERIFIED.value:
        return False
    set_status(session, incident_id, status=IncidentStatus.CONFIRMED, user=user,
               comment=REVERIFY_REASON.format(user=user), at=at)
    return True


def apply_edit(session: Session, edited: Incident, *, changed: Iterable[str], before: dict[str, Any],
               after: dict[str, Any], new_claims: Sequence[Claim], user: str, comment: str,
               superseded: Iterable[int] = ()) -> bool:
    """Write the ``changed`` fields of ``edited`` (an incident read in this session); returns whether
    the change sent a verified incident back for a second verification (:func:`reverify_after_change`).

    ``changed`` names fields among event_type, description, confidentiality,
    date, location, violations, perpetrators, victims. The claims whose ids
    are in ``superseded`` are marked replaced by ``user`` now, for
    ``comment``, before ``new_claims`` are added.
    """
    if edited.id is None:
        raise ValueError("an edit needs a stored incident")
    incident_id = edited.id
    fields = set(changed)
    when = now()
    values = incident_values(edited, source_id=edited.source_id)
    row = {col: values[col] for name in fields & set(_ROW_FIELDS) for col in _ROW_FIELDS[name]}
    session.execute(update(incidents).where(incidents.c.id == incident_id).values(**row, updated_at=when))
    if "violations" in fields:
        _replace(session, incident_violations, incident_id, [{"code": c} for c in edited.violations])
    if "perpetrators" in fields:
        # Perpetrators first, then the targets as they were: only perpetrators are edited here.
        ordered = edited.perpetrators + [i for i in edited.involvements if i.role is not InvolvementRole.PERPETRATOR]
        _replace(session, involvements, incident_id, [involvement_values(i) for i in ordered])
    if "victims" in fields:
        _replace(session, victim_groups, incident_id, [victim_values(v) for v in edited.victims])
    supersede_claims(session, incident_id, claim_ids=superseded, user=user, note=comment, at=when)
    add_claims(session, incident_id, new_claims, default_source_id=None)  # a claim without a span cites no source
    dialect.index_document(session, kind="incident", ref_id=incident_id, body=incident_index_body(edited))
    record(session, user=user, entity="incident", entity_id=incident_id, action="edit",
           before=before, after=after, comment=comment, at=when)
    return reverify_after_change(session, incident_id, user=user, at=when)


def _replace(session: Session, table: Any, incident_id: int, rows: list[dict[str, Any]]) -> None:
    session.execute(delete(table).where(table.c.incident_id == incident_id))
    if rows:
        session.execute(table.insert(), [
            {"incident_id": incident_id, "position": i, **r} for i, r in enumerate(rows)
        ])


def supersede_claims(session: Session, incident_id: int, *, claim_ids: Iterable[int], user: str, note: str,
                     at: datetime) -> int:
    """Mark these current claims of the incident replaced (who, when, why); returns how many.
    A claim already replaced keeps its first mark."""
    wanted = sorted({int(i) for i in claim_ids})
    if not wanted:
        return 0
    c = claims.c
    result = session.execute(
        update(claims).where(c.incident_id == incident_id, c.id.in_(wanted), c.superseded_at.is_(None))
        .values(superseded_at=at, superseded_by=user, superseded_note=note))
    return int(result.rowcount or 0)


def add_claims(session: Session, incident_id: int, new_claims: Sequence[Claim], *,
               default_source_id: int | None) -> None:
    if new_claims:
        session.execute(claims.insert(), [
            claim_values(c, incident_id=incident_id, default_source_id=default_source_id) for c in new_claims
        ])


def merge(session: Session, incident_id: int, *, into_id: int, user: str, comment: str) -> int:
    """Fold one incident into another; returns how many claims were copied.

    The merged incident keeps everything and points at the target; its claims
    are copied (not moved) onto the target, citing the same sources and spans,
    so the target lists the extra source. The target's own fields, victim
    counts included, are left for a person to change deliberately; so a copied
    claim that was already replaced stays marked, and one that states another
    value than the target's is marked replaced by this merge. A victim group
    of a category the target does not count (5 killed merged into 8 injured)
    is added to the target whole: a different outcome is different people,
    and dropping it would change the published figures.
    """
    when = now()
    source = load_incident(session, incident_id, for_update=True)
    target = load_incident(session, into_id, for_update=True)
    if source is None or target is None:
        raise NotFoundError(f"no incident with id {incident_id if source is None else into_id}")
    carried = victim_groups_to_carry(source.victims, target.victims)
    if carried:
        target.victims = list(target.victims) + carried
        session.execute(victim_groups.insert(), [
            {"incident_id": into_id, "position": len(target.victims) - len(carried) + i, **victim_values(v)}
            for i, v in enumerate(carried)
        ])
        dialect.index_document(session, kind="incident", ref_id=into_id, body=incident_index_body(target))
    copies = []
    for c in source.claims:
        copy = Claim(field=c.field, value=c.value, span=c.span, method=c.method, confidence=c.confidence,
                     source_id=c.source_id if c.source_id is not None else source.source_id, created_by=c.created_by,
                     created_at=c.created_at, note=f"merged from #{incident_id}" + (f"; {c.note}" if c.note else ""),
                     superseded_at=c.superseded_at, superseded_by=c.superseded_by,
                     superseded_note=c.superseded_note)
        if copy.current and not supports(c, target):
            # The target keeps its own values: a carried claim stating something else is not current there.
            copy.superseded_at, copy.superseded_by = when, user
            copy.superseded_note = f"merged from #{incident_id}; #{into_id} keeps its own value" + (
                f"; {comment}" if comment else "")
        copies.append(copy)
    add_claims(session, into_id, copies, default_source_id=None)
    session.execute(update(incidents).where(incidents.c.id == incident_id)
                    .values(status=IncidentStatus.MERGED.value, merged_into_id=into_id, updated_at=when))
    session.execute(update(incidents).where(incidents.c.id == into_id).values(updated_at=when))
    record(session, user=user, entity="incident", entity_id=incident_id, action="merge",
           before={"status": str(source.status), "merged_into_id": source.merged_into_id},
           after={"status": IncidentStatus.MERGED.value, "merged_into_id": into_id}, comment=comment, at=when)
    added = {"victims_added": [victim_values(v) for v in carried]} if carried else {}
    record(session, user=user, entity="incident", entity_id=into_id, action="merge-in",
           after={"merged_from_id": incident_id, "claims_copied": len(copies), **added}, comment=comment, at=when)
    if carried:  # the target's figures changed
        reverify_after_change(session, into_id, user=user, at=when)
    return len(copies)


def unmerge(session: Session, incident_id: int, *, user: str, comment: str) -> int | None:
    """Undo :func:`merge` of ``incident_id``; returns the incident it had been merged into (None if it was not).

    It gets back the status it had before the merge (from the history); the
    claims the merge copied onto the other incident stay there, marked
    replaced by this decision, so the other incident reads as it did before
    and its history still shows what the merge brought.
    """
    row = session.execute(select(incidents.c.status, incidents.c.merged_into_id)
                          .where(incidents.c.id == incident_id).with_for_update()).first()
    if row is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    if row.status != IncidentStatus.MERGED.value or row.merged_into_id is None:
        return None
    into_id = int(row.merged_into_id)
    before = session.execute(select(audit_log.c.before).where(
        audit_log.c.entity == "incident", audit_log.c.entity_id == incident_id, audit_log.c.action == "merge",
    ).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    status = (before or {}).get("status") or IncidentStatus.SUGGESTED.value
    if status == IncidentStatus.MERGED.value:  # never restore into the state being undone
        status = IncidentStatus.SUGGESTED.value
    when = now()
    session.execute(update(incidents).where(incidents.c.id == incident_id)
                    .values(status=status, merged_into_id=None, updated_at=when))
    marker = f"merged from #{incident_id}"
    copied = session.scalars(select(claims.c.id).where(
        claims.c.incident_id == into_id, claims.c.superseded_at.is_(None),
        claims.c.note.startswith(marker, autoescape=True))).all()
    # "merged from #1" must not also catch "merged from #12": the marker ends the note or is followed by ";".
    notes = dict(session.execute(select(claims.c.id, claims.c.note).where(claims.c.id.in_(copied))).all())
    undone = [cid for cid, note in notes.items() if note == marker or note.startswith(marker + ";")]
    if undone:
        session.execute(update(claims).where(claims.c.id.in_(undone)).values(
            superseded_at=when, superseded_by=user,
            superseded_note=f"unmerged: #{incident_id} is its own incident again" + (f"; {comment}" if comment else "")))
    removed = _remove_carried_victims(session, incident_id, into_id=into_id, user=user)
    session.execute(update(incidents).where(incidents.c.id == into_id).values(updated_at=when))
    record(session, user=user, entity="incident", entity_id=incident_id, action="unmerge",
           before={"status": IncidentStatus.MERGED.value, "merged_into_id": into_id},
           after={"status": status, "merged_into_id": None}, comment=comment, at=when)
    record(session, user=user, entity="incident", entity_id=into_id, action="unmerge-out",
           after={"unmerged_id": incident_id, "claims_replaced": len(undone),
                  **({"victims_removed": removed} if removed else {})}, comment=comment, at=when)
    return into_id


def _remove_carried_victims(session: Session, incident_id: int, *, into_id: int, user: str
                            ) -> list[dict[str, Any]]:
    """Take off ``into_id`` the victim groups the merge of ``incident_id`` added, as they are still.

    A group a person has changed since is theirs now and stays; the rest go back with the
    unmerged incident (its own groups were never removed), so the figures read as before.
    """
    entries = session.scalars(select(audit_log.c.after).where(
        audit_log.c.entity == "incident", audit_log.c.entity_id == into_id, audit_log.c.action == "merge-in",
    ).order_by(audit_log.c.id.desc())).all()
    entry = next((e for e in entries if (e or {}).get("merged_from_id") == incident_id), None)
    added = list((entry or {}).get("victims_added") or [])
    if not added:
        return []
    target = load_incident(session, into_id)
    if target is None:
        return []
    kept, removed = [], []
    for group in target.victims:
        values = victim_values(group)
        if values in added:
            added.remove(values)
            removed.append(values)
        else:
            kept.append(group)
    if removed:
        target.victims = kept
        _replace(session, victim_groups, into_id, [victim_values(v) for v in kept])
        dialect.index_document(session, kind="incident", ref_id=into_id, body=incident_index_body(target))
        reverify_after_change(session, into_id, user=user)
    return removed


def merged_from(session: Session, incident_id: int) -> list[int]:
    return [int(i) for i in session.scalars(
        select(incidents.c.id).where(incidents.c.merged_into_id == incident_id).order_by(incidents.c.id))]


def source_text(session: Session, source_id: int) -> str | None:
    return session.scalar(select(sources.c.text).where(sources.c.id == source_id))


def record_upload(session: Session, source_id: int, *, user: str, after: dict[str, Any],
                  title: str = "") -> None:
    """Who added a source through the app; a title they typed replaces the reader's guess."""
    before: dict[str, Any] | None = None
    title = without_reordering(title)  # as every stored title (see mapping.source_values)
    if title:
        current = session.execute(select(sources.c.title, sources.c.text).where(sources.c.id == source_id)).first()
        if current is not None and current.title != title:
            session.execute(update(sources).where(sources.c.id == source_id).values(title=title))
            dialect.index_document(session, kind="source", ref_id=source_id, body=index_text(title, current.text))
            before, after = {"title": current.title}, {**after, "title": title}
    record(session, user=user, entity="source", entity_id=source_id, action="upload", before=before, after=after)


def set_confidentiality(session: Session, incident_id: int, *, level: str, user: str, action: str,
                        comment: str, at: datetime | None = None) -> str:
    """Change who may see an incident and record why; returns the level before.

    ``action`` names the decision in the history ("withdraw" when a change by
    someone who may not publish takes an incident out of publication,
    "confidentiality" when a merge sets it).
    """
    current = session.scalar(select(incidents.c.confidentiality).where(incidents.c.id == incident_id))
    if current is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    when = at or now()
    session.execute(update(incidents).where(incidents.c.id == incident_id)
                    .values(confidentiality=level, updated_at=when))
    record(session, user=user, entity="incident", entity_id=incident_id, action=action,
           before={"confidentiality": str(current)}, after={"confidentiality": level}, comment=comment, at=when)
    if str(current) != level:
        reverify_after_change(session, incident_id, user=user, at=when)
    return str(current)
