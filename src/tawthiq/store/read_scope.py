"""One page's reads share what every read checks first: the data version and the team's review rule.

A list page opens several sessions (its rows, its facets, the tags, the saved
searches); each cached value checks the data version (the newest audit-log
id, see :func:`.queries.cached`) and each session the team's second-review
rule (it changes what a viewer may see). Read per session, that was eight of
the nineteen statements of a search page on PostgreSQL, where each is a round
trip. Inside :func:`read_scope` both are read once, in one statement, by the
first session that needs them, and shared by the others.

Only for reads: a write inside the scope would not move the version the
reads after it see. Scopes belong to the running context (a thread, a task),
so two requests never share one.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.access import SECOND_REVIEW
from .tables import audit_log, team_settings

__all__ = ["ReadFacts", "facts", "read_scope"]


@dataclass(frozen=True, slots=True)
class ReadFacts:
    version: int  # the newest audit-log id: every write through the store appends one
    second_review: bool  # whether the team requires a second reviewer before publishing


_memo: ContextVar[dict[str, ReadFacts] | None] = ContextVar("tawthiq_read_scope", default=None)


@contextmanager
def read_scope() -> Iterator[None]:
    """Within: :func:`facts` reads the database once per database, whatever the sessions."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def facts(session: Session) -> ReadFacts:
    """The data version and the review rule, in one statement (or from the enclosing scope)."""
    memo = _memo.get()
    key = str(session.get_bind().url) if memo is not None else ""
    if memo is not None and key in memo:
        return memo[key]
    version, rule = session.execute(select(
        select(func.max(audit_log.c.id)).scalar_subquery(),
        select(team_settings.c.value).where(team_settings.c.key == SECOND_REVIEW).scalar_subquery(),
    )).one()
    found = ReadFacts(version=int(version or 0), second_review=rule is True)
    if memo is not None:
        memo[key] = found
    return found
