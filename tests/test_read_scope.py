"""One page's reads share the data version and the review rule (store/read_scope.py).

Counted on the wire: a list page reads them in one statement however many
sessions it opens; outside a scope each session reads them again; a write
between two pages is seen by the second; and a change of the team's rule is
seen by the next page, never served from another page's scope.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from tawthiq.domain.access import Role, User
from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Incident, IncidentDate, Location
from tawthiq.services import Workspace, reading, second_review
from tawthiq.store import queries, repository
from tawthiq.store.read_scope import facts, read_scope

ADMIN = User(id=1, username="amal", role=Role.ADMIN)
VIEWER = User(id=2, username="vera", role=Role.VIEWER)


def _add(ws: Workspace, **kwargs: object) -> int:
    return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", location=Location(name="Raqqa", name_ar="الرقة", admin1="Ar-Raqqa"),
        date=IncidentDate(edtf="2019-05-12"), **kwargs))


@contextmanager
def _statements(ws: Workspace) -> Iterator[list[str]]:
    seen: list[str] = []

    def _count(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", _count)


def _reads_of_the_version(statements: list[str]) -> int:
    return sum("audit_log" in s for s in statements)


def test_a_list_page_reads_the_version_and_rule_once(ws: Workspace) -> None:
    _add(ws)
    queries.clear_cache()
    with _statements(ws) as seen:
        listed = reading.list_page(ws, user=ADMIN, filters=IncidentFilter())
    assert listed.page.total == 1
    assert _reads_of_the_version(seen) == 1
    assert not any("team_settings" in s and "audit_log" not in s for s in seen)  # the rule came with it


def test_without_a_scope_each_session_reads_them(ws: Workspace) -> None:
    _add(ws)
    queries.clear_cache()
    with _statements(ws) as seen:
        reading.query_incidents(ws, user=ADMIN, filters=IncidentFilter())
        reading.facet_counts(ws, user=ADMIN, filters=IncidentFilter())
    assert _reads_of_the_version(seen) >= 2  # one per session that checks a cached value


def test_a_write_between_two_pages_is_seen(ws: Workspace) -> None:
    _add(ws)
    assert reading.list_page(ws, user=ADMIN, filters=IncidentFilter()).page.total == 1
    _add(ws)
    second = reading.list_page(ws, user=ADMIN, filters=IncidentFilter())
    assert second.page.total == 2 and len(second.page.items) == 2


def test_the_team_rule_changed_between_two_pages_is_seen(ws: Workspace) -> None:
    _add(ws, status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC)
    assert reading.list_page(ws, user=VIEWER, filters=IncidentFilter()).page.total == 1
    second_review.set_required(ws, user=ADMIN, on=True, comment="publish only what two people checked")
    # Accepted but not verified: no longer published to a viewer once the team requires a second review.
    assert reading.list_page(ws, user=VIEWER, filters=IncidentFilter()).page.total == 0


def test_a_scope_keeps_what_it_read_and_forgets_it_on_leaving(ws: Workspace) -> None:
    with ws.db.session() as session:
        before = facts(session).version
    with read_scope():
        with ws.db.session() as session:
            assert facts(session).version == before
        _add(ws)  # a write inside a scope: the scope's reads do not see it (scopes are for reads only)
        with ws.db.session() as session:
            assert facts(session).version == before
    with ws.db.session() as session:
        assert facts(session).version > before
