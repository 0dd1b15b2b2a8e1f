"""Actors added from the interface, and the team's settings: stored, mirrored, audited.

A recorded actor is written to ``recorded_actors`` and mirrored into
``actors`` (the table the perpetrator filter reads factions from) in the same
transaction, with an ``audit_log`` entry saying who, when, why, and the
fields before and after. Nothing is deleted: retiring sets a flag.

The caller's ``check`` runs inside the write transaction with the recorded
actors as they are then, so two admins adding the same alias at once cannot
both pass the check on a stale copy (the second waits for the first's lock
on PostgreSQL; SQLite has one writer).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.model import Actor
from . import dialect
from .db import Database
from .history import NotFoundError, record
from .mapping import now
from .tables import actors as actors_table
from .tables import recorded_actors, team_settings

Check = Callable[[list[Actor]], None]
_FIELDS = ("label_en", "label_ar", "aliases_en", "aliases_ar", "parent", "kind", "retired")


class DuplicateActor(ValueError):
    """An actor with that code exists already (two admins adding it at once)."""


def _actor(row: Any) -> Actor:
    m = row._mapping
    return Actor(code=m["code"], label_en=m["label_en"], label_ar=m["label_ar"],
                 aliases_en=list(m["aliases_en"] or []), aliases_ar=list(m["aliases_ar"] or []),
                 parent=m["parent"] or None, kind=m["kind"], recorded=True, retired=bool(m["retired"]))


def _fields(actor: Actor) -> dict[str, Any]:
    return {"label_en": actor.label_en, "label_ar": actor.label_ar, "aliases_en": list(actor.aliases_en),
            "aliases_ar": list(actor.aliases_ar), "parent": actor.parent or None, "kind": actor.kind,
            "retired": bool(actor.retired)}


def _all(session: Session) -> list[Actor]:
    return [_actor(r) for r in session.execute(select(recorded_actors).order_by(recorded_actors.c.id))]


def list_recorded(db: Database) -> list[Actor]:
    """Every recorded actor, retired ones included, in the order they were added."""
    with db.session() as session:
        return _all(session)


def stamp(db: Database) -> tuple[int, str]:
    """A cheap fingerprint of the recorded actors: changes whenever one is added, edited or retired."""
    with db.session() as session:
        count, latest = session.execute(
            select(func.count(), func.max(recorded_actors.c.updated_at))).one()
    return int(count or 0), str(latest or "")


def _mirror(session: Session, actor: Actor) -> None:
    # The perpetrator filter's "with its factions" walks ``actors``; a retired actor stays there
    # (past incidents still name it).
    session.execute(dialect.upsert(session, actors_table, values={
        "code": actor.code, "label_en": actor.label_en, "label_ar": actor.label_ar,
        "aliases_en": list(actor.aliases_en), "aliases_ar": list(actor.aliases_ar),
        "parent": actor.parent or None, "description": actor.description,
    }, conflict_columns=["code"]))


def add_actor(db: Database, actor: Actor, *, user: str, comment: str, check: Check) -> int:
    """Store a new actor (after ``check``); returns its row id."""
    when = now()
    try:
        with db.session(write=True) as session:
            check(_all(session))
            actor_id = int(session.execute(recorded_actors.insert().values(
                code=actor.code, created_at=when, created_by=user, updated_at=when, updated_by=user,
                **_fields(actor)).returning(recorded_actors.c.id)).scalar_one())
            _mirror(session, actor)
            record(session, user=user, entity="actor", entity_id=actor_id, action="add", before=None,
                   after={"code": actor.code, **_fields(actor)}, comment=comment, at=when)
            return actor_id
    except IntegrityError:
        raise DuplicateActor(actor.code) from None


def change_actor(db: Database, code: str, *, change: Callable[[Actor], Actor], user: str, comment: str,
                 check: Check, action: str = "edit") -> bool:
    """Apply ``change`` to the stored actor (then ``check``); returns whether anything changed."""
    when = now()
    with db.session(write=True) as session:
        row = session.execute(select(recorded_actors).where(recorded_actors.c.code == code)
                              .with_for_update()).first()
        if row is None:
            raise NotFoundError(f"no recorded actor {code!r}")
        old = _actor(row)
        new = change(old)
        before, after = _fields(old), _fields(new)
        changed = {k for k in _FIELDS if before[k] != after[k]}
        if not changed:
            return False
        check([new if a.code == code else a for a in _all(session)])
        session.execute(update(recorded_actors).where(recorded_actors.c.id == row.id)
                        .values(updated_at=when, updated_by=user, **after))
        _mirror(session, new)
        record(session, user=user, entity="actor", entity_id=int(row.id), action=action,
               before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)},
               comment=comment, at=when)
        return True


def actor_id(db: Database, code: str) -> int | None:
    with db.session() as session:
        found = session.scalar(select(recorded_actors.c.id).where(recorded_actors.c.code == code))
    return int(found) if found is not None else None


# ------------------------------------------------------------------ settings


def get_setting(db: Database, key: str, default: Any = None) -> Any:
    with db.session() as session:
        row = session.execute(select(team_settings.c.value).where(team_settings.c.key == key)).first()
    return default if row is None else row[0]


def set_setting(db: Database, key: str, value: Any, *, user: str, comment: str, default: Any = None) -> bool:
    """Store a setting with who, when and why; returns whether it changed."""
    when = now()
    with db.session(write=True) as session:
        row = session.execute(select(team_settings).where(team_settings.c.key == key).with_for_update()).first()
        old = default if row is None else row.value
        if old == value:
            return False
        if row is None:
            setting_id = int(session.execute(team_settings.insert().values(
                key=key, value=value, updated_at=when, updated_by=user).returning(team_settings.c.id)).scalar_one())
        else:
            setting_id = int(row.id)
            session.execute(update(team_settings).where(team_settings.c.id == setting_id)
                            .values(value=value, updated_at=when, updated_by=user))
        record(session, user=user, entity="setting", entity_id=setting_id, action="set",
               before={key: old}, after={key: value}, comment=comment, at=when)
        return True


def setting_id(db: Database, key: str) -> int | None:
    with db.session() as session:
        found = session.scalar(select(team_settings.c.id).where(team_settings.c.key == key))
    return int(found) if found is not None else None


__all__ = ["DuplicateActor", "NotFoundError", "actor_id", "add_actor", "change_actor", "get_setting",
           "list_recorded", "set_setting", "setting_id", "stamp"]
