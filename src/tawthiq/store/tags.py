"""Tags stored: the vocabulary (added, renamed, retired, audited) and the tags on incidents and sources.

Every change writes an ``audit_log`` entry in the same transaction: a tag's
own changes under entity "tag", a tag put on or withdrawn from a record
under that record's entity ("incident" or "source"), so the record's history
shows it and the list caches (keyed on the audit log) see the change at once.

The caller's ``check`` runs inside the write transaction with the tags as
they are then; the folded-label columns are unique besides, so two admins
adding the same label at once cannot both succeed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.tags import Tag, TagLink, label_key
from .db import Database
from .history import NotFoundError, record
from .mapping import now
from .tables import incident_tags, incidents, source_tags, sources, tags

Target = Literal["incident", "source"]
Check = Callable[[list[Tag]], None]
_FIELDS = ("label_en", "label_ar", "colour", "retired", "shown_to_viewers")

__all__ = ["DuplicateTag", "NotFoundError", "Target", "add_link", "add_tag", "all_tags", "change_tag",
           "incidents_tagged", "links_for", "sources_tagged", "tags_on_public", "withdraw_link"]


class DuplicateTag(ValueError):
    """A tag with that label was stored meanwhile (two admins adding it at once)."""


def _tag(row: Any) -> Tag:
    m = row._mapping
    return Tag(id=int(m["id"]), label_en=m["label_en"], label_ar=m["label_ar"], colour=m["colour"] or "",
               retired=bool(m["retired"]), shown_to_viewers=bool(m["shown_to_viewers"]))


def _fields(tag: Tag) -> dict[str, Any]:
    return {"label_en": tag.label_en, "label_ar": tag.label_ar, "colour": tag.colour, "retired": bool(tag.retired),
            "shown_to_viewers": bool(tag.shown_to_viewers)}


def _all(session: Session) -> list[Tag]:
    return [_tag(r) for r in session.execute(select(tags).order_by(tags.c.id))]


def all_tags(db: Database) -> list[Tag]:
    """Every tag, retired ones included, in the order they were added."""
    with db.session() as session:
        return _all(session)


def add_tag(db: Database, tag: Tag, *, user: str, comment: str, check: Check) -> Tag:
    """Store a new tag (after ``check``); returns it with its id."""
    when = now()
    try:
        with db.session(write=True) as session:
            check(_all(session))
            tag_id = int(session.execute(tags.insert().values(
                key_en=label_key(tag.label_en), key_ar=label_key(tag.label_ar), created_at=when, created_by=user,
                updated_at=when, updated_by=user, **_fields(tag)).returning(tags.c.id)).scalar_one())
            record(session, user=user, entity="tag", entity_id=tag_id, action="add", before=None,
                   after=_fields(tag), comment=comment, at=when)
    except IntegrityError:
        raise DuplicateTag(tag.label_en) from None
    return Tag(id=tag_id, label_en=tag.label_en, label_ar=tag.label_ar, colour=tag.colour, retired=tag.retired,
               shown_to_viewers=tag.shown_to_viewers)


def change_tag(db: Database, tag_id: int, *, change: Callable[[Tag], Tag], user: str, comment: str, check: Check,
               action: str = "edit") -> bool:
    """Apply ``change`` to the stored tag (then ``check``); returns whether anything changed."""
    when = now()
    try:
        with db.session(write=True) as session:
            row = session.execute(select(tags).where(tags.c.id == tag_id).with_for_update()).first()
            if row is None:
                raise NotFoundError(f"no tag {tag_id}")
            old = _tag(row)
            new = change(old)
            before, after = _fields(old), _fields(new)
            changed = sorted(k for k in _FIELDS if before[k] != after[k])
            if not changed:
                return False
            check([new if t.id == tag_id else t for t in _all(session)])
            session.execute(update(tags).where(tags.c.id == tag_id).values(
                key_en=label_key(new.label_en), key_ar=label_key(new.label_ar), updated_at=when, updated_by=user,
                **after))
            record(session, user=user, entity="tag", entity_id=tag_id, action=action,
                   before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
                   comment=comment, at=when)
            return True
    except IntegrityError:
        raise DuplicateTag(str(tag_id)) from None


# ------------------------------------------------------------------- tags on records


def _links_table(target: Target) -> tuple[Table, Any, Table]:
    if target == "incident":
        return incident_tags, incident_tags.c.incident_id, incidents
    if target == "source":
        return source_tags, source_tags.c.source_id, sources
    raise ValueError(f"tags go on incidents and sources, not {target!r}")


def links_for(db: Database, *, target: Target, ids: Sequence[int],
              withdrawn: bool = False) -> dict[int, list[TagLink]]:
    """Per record id: its current tags (``withdrawn``: the withdrawn ones instead), oldest first."""
    table, column, _ = _links_table(target)
    if not ids:
        return {}
    wanted = table.c.withdrawn_at.is_not(None) if withdrawn else table.c.withdrawn_at.is_(None)
    out: dict[int, list[TagLink]] = {}
    with db.session() as session:  # one statement, whatever the number of records (a list page's rows)
        rows = session.execute(
            select(table.c.id, column.label("target_id"), table.c.created_by, table.c.created_at,
                   table.c.withdrawn_by, table.c.withdrawn_at, tags.c.id.label("tag_id"), tags.c.label_en,
                   tags.c.label_ar, tags.c.colour, tags.c.retired, tags.c.shown_to_viewers)
            .join(tags, tags.c.id == table.c.tag_id)
            .where(column.in_(sorted(set(ids))), wanted).order_by(table.c.created_at, table.c.id))
        for r in rows:
            tag = Tag(id=int(r.tag_id), label_en=r.label_en, label_ar=r.label_ar, colour=r.colour or "",
                      retired=bool(r.retired), shown_to_viewers=bool(r.shown_to_viewers))
            out.setdefault(int(r.target_id), []).append(TagLink(
                id=int(r.id), tag=tag, target_id=int(r.target_id), created_by=r.created_by,
                created_at=r.created_at, withdrawn_by=r.withdrawn_by or "", withdrawn_at=r.withdrawn_at))
    return out


def add_link(db: Database, *, target: Target, target_id: int, tag_id: int, user: str) -> int | None:
    """Put a tag on a record; None if it is on it already. The tag must exist and not be retired
    (a ``LookupError`` or ``ValueError`` otherwise)."""
    table, column, records = _links_table(target)
    when = now()
    with db.session(write=True) as session:
        # Locking the tag row serialises two people adding the same tag (PostgreSQL; SQLite has one writer).
        row = session.execute(select(tags).where(tags.c.id == tag_id).with_for_update()).first()
        if row is None:
            raise NotFoundError(f"no tag {tag_id}")
        tag = _tag(row)
        if tag.retired:
            raise ValueError(f"the tag {tag.label_en!r} is retired")
        if session.scalar(select(records.c.id).where(records.c.id == target_id)) is None:
            raise NotFoundError(f"no {target} {target_id}")
        current = session.scalar(select(table.c.id).where(column == target_id, table.c.tag_id == tag_id,
                                                          table.c.withdrawn_at.is_(None)))
        if current is not None:
            return None
        link_id = int(session.execute(table.insert().values(
            {"tag_id": tag_id, f"{target}_id": target_id, "created_by": user, "created_at": when})
            .returning(table.c.id)).scalar_one())
        record(session, user=user, entity=target, entity_id=target_id, action="tag", before=None,
               after={"tag": tag.label_en, "tag_ar": tag.label_ar}, at=when)
        return link_id


def withdraw_link(db: Database, *, target: Target, target_id: int, tag_id: int, user: str) -> bool:
    """Take a tag off a record (the row stays, with who and when); False if it was not on it."""
    table, column, _ = _links_table(target)
    when = now()
    with db.session(write=True) as session:
        row = session.execute(select(table.c.id).where(column == target_id, table.c.tag_id == tag_id,
                                                        table.c.withdrawn_at.is_(None)).with_for_update()).first()
        if row is None:
            return False
        tag = _tag(session.execute(select(tags).where(tags.c.id == tag_id)).one())
        session.execute(update(table).where(table.c.id == row.id).values(withdrawn_at=when, withdrawn_by=user))
        record(session, user=user, entity=target, entity_id=target_id, action="untag",
               before={"tag": tag.label_en, "tag_ar": tag.label_ar}, after=None, at=when)
        return True


def incidents_tagged(tag_ids: Iterable[int]) -> ColumnElement[bool]:
    """Incidents carrying any of ``tag_ids`` now (withdrawn tags do not count)."""
    return incidents.c.id.in_(select(incident_tags.c.incident_id).where(
        incident_tags.c.tag_id.in_(sorted(set(tag_ids))), incident_tags.c.withdrawn_at.is_(None)))


def sources_tagged(tag_ids: Iterable[int]) -> ColumnElement[bool]:
    """Sources carrying any of ``tag_ids`` now."""
    return sources.c.id.in_(select(source_tags.c.source_id).where(
        source_tags.c.tag_id.in_(sorted(set(tag_ids))), source_tags.c.withdrawn_at.is_(None)))


def tags_on_public(db: Database, *, confidentialities: Sequence[str]) -> set[int]:
    """The tags shown to viewers now on at least one incident of ``confidentialities`` (what a viewer
    may see named)."""
    with db.session() as session:
        return {int(i) for i in session.scalars(
            select(incident_tags.c.tag_id).join(incidents, incidents.c.id == incident_tags.c.incident_id)
            .join(tags, tags.c.id == incident_tags.c.tag_id)
            .where(incident_tags.c.withdrawn_at.is_(None), incidents.c.confidentiality.in_(list(confidentialities)),
                   tags.c.shown_to_viewers.is_(True))
            .distinct())}
