"""Sources attached to incidents as evidence: rows of ``incident_media``, each written with its audit entry
(on the incident) and its custody entry (on the source's original) in one transaction.

Withdrawing an attachment sets its ``withdrawn_*`` columns and writes the
same two entries again; the row stays, so what an incident was once backed
by, and who took it away and why, can always be read.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from ..domain.attachments import Attachment, Part, Region, TimeRange
from . import custody, history
from .db import Database
from .mapping import now
from .source_panels import SourceRef
from .tables import incident_media, incidents, sources

__all__ = ["AttachmentConflict", "add_attachment", "attachments_for_incident", "attachments_for_incidents",
           "attachments_for_source", "get_attachment", "recent_sources", "withdraw_attachment"]


class AttachmentConflict(LookupError):
    """The attachment is not there to change (unknown, or withdrawn already)."""


def _from_row(row: Any) -> Attachment:
    part = Part(row.part)
    region = (Region(row.region_x, row.region_y, row.region_w, row.region_h)
              if part is Part.REGION and row.region_w is not None else None)
    time = TimeRange(row.start_seconds, row.end_seconds) if part is Part.TIME and row.end_seconds is not None else None
    return Attachment(id=int(row.id), incident_id=int(row.incident_id), source_id=int(row.source_id), part=part,
                      reason=row.reason, created_by=row.created_by, region=region, time=time,
                      page=int(row.page) if row.page is not None else None, created_at=row.created_at,
                      withdrawn_at=row.withdrawn_at, withdrawn_by=row.withdrawn_by or "",
                      withdrawn_why=row.withdrawn_why or "")


def add_attachment(db: Database, attachment: Attachment, *, machine: str) -> Attachment:
    """Store ``attachment`` with an "attach-media" audit entry and an "attached" custody entry, all or nothing."""
    at = now()
    values: dict[str, Any] = {
        "incident_id": attachment.incident_id, "source_id": attachment.source_id, "part": attachment.part.value,
        "page": attachment.page, "reason": attachment.reason, "created_by": attachment.created_by, "created_at": at,
    }
    if attachment.region is not None:
        r = attachment.region
        values.update(region_x=r.x, region_y=r.y, region_w=r.w, region_h=r.h)
    if attachment.time is not None:
        values.update(start_seconds=attachment.time.start, end_seconds=attachment.time.end)
    described = attachment.describe()
    with db.session(write=True) as session:
        sha = session.scalar(select(sources.c.sha256).where(sources.c.id == attachment.source_id))
        if sha is None or session.scalar(select(incidents.c.id).where(incidents.c.id == attachment.incident_id)) is None:
            raise AttachmentConflict("the incident or the source is not there")
        new_id = int(session.execute(incident_media.insert().values(**values)
                                     .returning(incident_media.c.id)).scalar_one())
        history.record(session, user=attachment.created_by, entity="incident", entity_id=attachment.incident_id,
                       action="attach-media", after={"attachment": new_id, **described},
                       comment=attachment.reason, at=at)
        custody.append(session, item_sha256=sha, event="attached", actor=attachment.created_by, machine=machine,
                       source_id=attachment.source_id, reason=attachment.reason, at=at,
                       details={"attachment": new_id, **described})
        row = session.execute(select(incident_media).where(incident_media.c.id == new_id)).one()
    return _from_row(row)


def withdraw_attachment(db: Database, attachment_id: int, *, actor: str, reason: str, machine: str) -> Attachment:
    """Mark the attachment withdrawn (who, when, why), with its audit and custody entries; the row stays."""
    at = now()
    with db.session(write=True) as session:
        row = session.execute(select(incident_media).where(incident_media.c.id == attachment_id)).first()
        if row is None or row.withdrawn_at is not None:
            raise AttachmentConflict(f"no attachment {attachment_id} in force")
        session.execute(update(incident_media).where(incident_media.c.id == attachment_id,
                                                     incident_media.c.withdrawn_at.is_(None))
                        .values(withdrawn_at=at, withdrawn_by=actor, withdrawn_why=reason))
        described = _from_row(row).describe()
        history.record(session, user=actor, entity="incident", entity_id=int(row.incident_id),
                       action="withdraw-media", before={"attachment": attachment_id, **described},
                       comment=reason, at=at)
        sha = session.scalar(select(sources.c.sha256).where(sources.c.id == row.source_id))
        custody.append(session, item_sha256=str(sha), event="detached", actor=actor, machine=machine,
                       source_id=int(row.source_id), reason=reason, at=at,
                       details={"attachment": attachment_id, **described})
        row = session.execute(select(incident_media).where(incident_media.c.id == attachment_id)).one()
    return _from_row(row)


def get_attachment(db: Database, attachment_id: int) -> Attachment | None:
    with db.session() as session:
        row = session.execute(select(incident_media).where(incident_media.c.id == attachment_id)).first()
    return _from_row(row) if row is not None else None


def _list(db: Database, condition: Any, *, withdrawn: bool) -> list[Attachment]:
    query = select(incident_media).where(condition)
    if not withdrawn:
        query = query.where(incident_media.c.withdrawn_at.is_(None))
    with db.session() as session:
        return [_from_row(r) for r in session.execute(query.order_by(incident_media.c.id))]


def attachments_for_incident(db: Database, incident_id: int, *, withdrawn: bool = False) -> list[Attachment]:
    """The incident's attachments in the order they were made (withdrawn ones too when asked)."""
    return _list(db, incident_media.c.incident_id == incident_id, withdrawn=withdrawn)


def attachments_for_source(db: Database, source_id: int, *, withdrawn: bool = False) -> list[Attachment]:
    return _list(db, incident_media.c.source_id == source_id, withdrawn=withdrawn)


def attachments_for_incidents(db: Database, incident_ids: Sequence[int], *,
                              exclude_kinds: Sequence[str] = ()) -> dict[int, list[tuple[Attachment, SourceRef]]]:
    """Per incident id: its attachments in force, each with its source, in the order they were made.

    One statement for the whole set (a list page's rows), joined to the
    sources so a source of an ``exclude_kinds`` kind is left out in SQL: its
    title never leaves the database for a caller who may not read it."""
    wanted = sorted({int(i) for i in incident_ids})
    if not wanted:
        return {}
    query = (select(incident_media, sources.c.sha256, sources.c.kind, sources.c.title, sources.c.original_name)
             .join(sources, sources.c.id == incident_media.c.source_id)
             .where(incident_media.c.incident_id.in_(wanted), incident_media.c.withdrawn_at.is_(None)))
    if exclude_kinds:
        query = query.where(sources.c.kind.not_in(list(exclude_kinds)))
    out: dict[int, list[tuple[Attachment, SourceRef]]] = {}
    with db.session() as session:
        for row in session.execute(query.order_by(incident_media.c.id)):
            ref = SourceRef(id=int(row.source_id), sha256=row.sha256, kind=row.kind, title=row.title,
                            original_name=row.original_name)
            out.setdefault(int(row.incident_id), []).append((_from_row(row), ref))
    return out



def recent_sources(db: Database, *, limit: int, exclude_kinds: tuple[str, ...] = ()) -> list[SourceRef]:
    """The newest sources, newest first, to choose one from (a person list's file is left out when asked)."""
    query = select(sources.c.id, sources.c.sha256, sources.c.kind, sources.c.title, sources.c.original_name)
    if exclude_kinds:
        query = query.where(sources.c.kind.not_in(exclude_kinds))
    with db.session() as session:
        return [SourceRef(id=int(r.id), sha256=r.sha256, kind=r.kind, title=r.title, original_name=r.original_name)
                for r in session.execute(query.order_by(sources.c.id.desc()).limit(limit))]

