"""Sources: reports and files as received, stored once per (sha256, record_key)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..domain.enums import Credibility, Reliability
from ..domain.model import Source
from . import dialect, identity_vault
from .db import Database
from .history import NotFoundError, record
from .mapping import now, source_from_row, source_values
from .tables import sources
from .textnorm import index_text


def insert_source(session: Session, source: Source, *, actor: str = "system") -> tuple[int, bool]:
    """Insert unless the same bytes (and batch row) are stored; (id, created).

    Insert-or-ignore rather than look-then-insert, so two processes ingesting
    the same file at once still store it once. A new source gets its
    "received" and "ingested" custody entries in the same transaction, so no
    source is ever stored without them; a duplicate adds none.
    """
    source_id, created = insert_source_row(session, source)
    if created:
        record_receipt(session, source, source_id, actor=actor)
    return source_id, created


def insert_source_row(session: Session, source: Source) -> tuple[int, bool]:
    """The source's row and its search-index entry, unless already stored; (id, created).

    No custody entry: the caller records one with :func:`record_receipt` in
    the same transaction (as :func:`insert_source` does).
    """
    stmt = dialect.insert_ignore(session, sources, values=source_values(source),
                                 conflict_columns=["sha256", "record_key"])
    new_id = session.execute(stmt).scalar()
    if new_id is not None:
        dialect.index_document(session, kind="source", ref_id=new_id,
                               body=index_text(source.title, source.text))
        return int(new_id), True
    existing = session.scalar(
        select(sources.c.id).where(sources.c.sha256 == source.sha256,
                                   sources.c.record_key == (source.record_key or ""))
    )
    if existing is None:  # pragma: no cover - only if a conflict on another unique key appears
        raise RuntimeError("source insert was ignored but no existing row was found")
    return int(existing), False


CUSTODY_VAULT_KEYS = ("author", "from")  # "received" details kept encrypted


def record_receipt(session: Session, source: Source, source_id: int, *, actor: str) -> None:
    """A new source's "received" and "ingested" custody entries, in the caller's transaction."""
    from .custody import append, this_machine

    machine = this_machine()
    received = {"original_name": source.original_name, "size": source.size, "media_type": source.media_type,
                "url": source.url, "author": source.author, "record_key": source.record_key,
                "retrieved_at": source.retrieved_at, "how": (source.metadata or {}).get("received_via", ""),
                # from whom and how it was received, as the person adding it said (the Add forms)
                "from": (source.metadata or {}).get("received_from", "")}
    # Who wrote it and from whom it came identify people: in the ledger under the identity vault like the
    # source's own columns (the chain hashes the stored form; services.custody opens them for display).
    vault = identity_vault.of(session.get_bind())
    if vault is not None:
        for key in CUSTODY_VAULT_KEYS:
            if received[key]:
                received[key] = vault.encrypt(str(received[key]), context=f"custody_log.details.{key}")
    # The reason someone gave for taking it in (a command's --reason) is the ledger's "why".
    reason = str((source.metadata or {}).get("received_reason", ""))
    append(session, item_sha256=source.sha256, source_id=source_id, event="received", actor=actor,
           machine=machine, reason=reason, details={k: v for k, v in received.items() if v not in (None, "")})
    append(session, item_sha256=source.sha256, source_id=source_id, event="ingested", actor=actor,
           machine=machine, details={"kind": str(source.kind), "reader": (source.metadata or {}).get("reader", ""),
                                     "record_key": source.record_key or ""})


def add_source(db: Database, source: Source, *, actor: str = "system") -> tuple[int, bool]:
    """Store a source; (id, created). Idempotent on (sha256, record_key)."""
    with db.session(write=True) as session:
        return insert_source(session, source, actor=actor)


def grade_source(db: Database, source_id: int, *, reliability: Reliability, credibility: Credibility,
                 user: str, note: str = "") -> None:
    """Record a person's Admiralty grading of a source (who, when, and why in ``note``)."""
    new_r, new_c = Reliability(reliability).value, Credibility(credibility).value
    with db.session(write=True) as session:
        row = session.execute(
            select(sources.c.reliability, sources.c.credibility, sources.c.evaluation_note)
            .where(sources.c.id == source_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no source with id {source_id}")
        when = now()
        record(session, user=user, entity="source", entity_id=source_id, action="grade",
               before={"reliability": row.reliability, "credibility": row.credibility, "note": row.evaluation_note},
               after={"reliability": new_r, "credibility": new_c, "note": note}, comment=note, at=when)
        session.execute(
            update(sources).where(sources.c.id == source_id)
            .values(reliability=new_r, credibility=new_c, evaluation_note=note, graded_by=user.strip(), graded_at=when)
        )


def get_source(db: Database, source_id: int) -> Source | None:
    with db.session() as session:
        row = session.execute(select(sources).where(sources.c.id == source_id)).first()
    return source_from_row(row) if row is not None else None


def find_source(db: Database, *, sha256: str, record_key: str = "") -> Source | None:
    """The stored source for these bytes (and batch row), if any."""
    with db.session() as session:
        row = session.execute(
            select(sources).where(sources.c.sha256 == sha256, sources.c.record_key == record_key)
        ).first()
    return source_from_row(row) if row is not None else None


def sources_keyed(db: Database, *, record_key: str) -> list[Source]:
    """Every stored source with this record key, whatever its bytes, oldest first.

    An import keyed by another system's id (``acled:<event id>``) finds the
    row it stored before even when the row has changed since (other bytes);
    index ``ix_sources_record_key`` (0031) makes this one look-up.
    """
    if not record_key:
        return []  # "" is every whole file: not a key
    with db.session() as session:
        rows = session.execute(select(sources).where(sources.c.record_key == record_key)
                               .order_by(sources.c.id)).all()
    return [source_from_row(r) for r in rows]


def list_sources(db: Database, *, limit: int | None = None, offset: int = 0) -> list[Source]:
    """Sources in the order they were stored."""
    stmt = select(sources).order_by(sources.c.id).offset(max(0, offset))
    if limit is not None:
        stmt = stmt.limit(max(0, limit))
    with db.session() as session:
        return [source_from_row(r) for r in session.execute(stmt)]


def count_sources(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(sources)) or 0)


def source_hashes(db: Database) -> list[tuple[int, str]]:
    """(id, sha256 of its original) of every source, in id order (what ``verify`` re-hashes)."""
    with db.session() as session:
        return [(int(i), str(sha)) for i, sha in session.execute(select(sources.c.id, sources.c.sha256)
                                                                 .order_by(sources.c.id))]


def all_source_ids(db: Database) -> list[int]:
    """Every source id in storage order (ids only: cheap even for a large store)."""
    with db.session() as session:
        return [int(i) for i in session.scalars(select(sources.c.id).order_by(sources.c.id))]
