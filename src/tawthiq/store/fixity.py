"""The ``fixity_runs`` table: one row per ``tawthiq fixity`` run, newest last."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..domain.custody import FixityRun
from . import dialect
from .db import Database
from .tables import fixity_runs


def insert_run(db: Database, run: FixityRun) -> int:
    with db.session(write=True) as session:
        new_id = session.execute(fixity_runs.insert().values(
            started_at=run.started_at, finished_at=run.finished_at, ok=run.ok, problems=run.problems,
            originals_checked=run.originals_checked, derivatives_checked=run.derivatives_checked,
            entries_checked=run.entries_checked, head_id=run.head_id, head_hash=run.head_hash,
            report_path=dialect.scrub(run.report_path), report_sha256=run.report_sha256,
            actor=dialect.scrub(run.actor), machine=dialect.scrub(run.machine),
        ).returning(fixity_runs.c.id)).scalar_one()
    return int(new_id)


def _run(row: Any) -> FixityRun:
    return FixityRun(id=int(row.id), started_at=row.started_at, finished_at=row.finished_at, ok=bool(row.ok),
                     problems=int(row.problems), originals_checked=int(row.originals_checked),
                     derivatives_checked=int(row.derivatives_checked), entries_checked=int(row.entries_checked),
                     head_id=None if row.head_id is None else int(row.head_id), head_hash=row.head_hash,
                     report_path=row.report_path, report_sha256=row.report_sha256, actor=row.actor,
                     machine=row.machine)


def last_run(db: Database) -> FixityRun | None:
    with db.session() as session:
        row = session.execute(select(fixity_runs).order_by(fixity_runs.c.id.desc()).limit(1)).first()
    return _run(row) if row is not None else None


def last_clean_run(db: Database) -> FixityRun | None:
    """The newest run that found nothing wrong: its head is the last one known good."""
    with db.session() as session:
        row = session.execute(select(fixity_runs).where(fixity_runs.c.ok.is_(True))
                              .order_by(fixity_runs.c.id.desc()).limit(1)).first()
    return _run(row) if row is not None else None


def list_runs(db: Database, *, limit: int = 50) -> list[FixityRun]:
    """The newest ``limit`` runs, newest first."""
    with db.session() as session:
        rows = session.execute(select(fixity_runs).order_by(fixity_runs.c.id.desc()).limit(limit)).all()
    return [_run(row) for row in rows]


def get_run(db: Database, run_id: int) -> FixityRun | None:
    with db.session() as session:
        row = session.execute(select(fixity_runs).where(fixity_runs.c.id == run_id)).first()
    return _run(row) if row is not None else None
