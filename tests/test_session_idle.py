"""Idle sessions end: the setting, the end (row kept, marked ended), and marks of use at most once a minute."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tawthiq.services import Workspace, accounts
from tawthiq.settings import DEFAULT_SESSION_IDLE_MINUTES, Settings
from tawthiq.store.mapping import now
from tawthiq.store.tables import web_sessions

PASSWORD = "correct horse battery"


def _row(ws: Workspace) -> dict[str, object]:
    with ws.db.session() as session:
        return dict(session.execute(select(web_sessions)).one()._mapping)


def _age(ws: Workspace, *, minutes: float) -> None:
    """Make the only session look last used ``minutes`` ago."""
    with ws.db.session(write=True) as session:
        session.execute(update(web_sessions).values(last_used_at=now() - timedelta(minutes=minutes)))


def test_the_setting() -> None:
    base = {"TAWTHIQ_DATABASE_URL": "sqlite:///x.db"}
    assert Settings.from_env(base).session_idle_minutes == DEFAULT_SESSION_IDLE_MINUTES
    assert Settings.from_env({**base, "TAWTHIQ_SESSION_IDLE_MINUTES": " 15 "}).session_idle_minutes == 15
    for bad in ("0", "-5", "half an hour", "100000"):
        with pytest.raises(ValueError, match="TAWTHIQ_SESSION_IDLE_MINUTES must be"):
            Settings.from_env({**base, "TAWTHIQ_SESSION_IDLE_MINUTES": bad})


def test_an_idle_session_ends_and_its_row_stays(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="huda", password=PASSWORD, role="viewer")
    token, _csrf = accounts.start_session(ws, user=user)
    limit = ws.settings.session_idle_minutes
    _age(ws, minutes=limit - 1)
    assert accounts.session_user(ws, token) is not None  # used in time: still live, and marked used now
    assert now() - _row(ws)["last_used_at"] < timedelta(seconds=30)  # type: ignore[operator]
    _age(ws, minutes=limit + 1)
    check = accounts.check_session(ws, token)
    assert check is not None and check.idle
    assert accounts.session_user(ws, token) is None
    row = _row(ws)
    assert row["revoked_at"] is not None and row["token_hash"]  # ended, not deleted
    assert accounts.check_session(ws, token) is None  # and stays ended


def test_use_is_marked_at_most_once_a_minute(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="sami", password=PASSWORD, role="viewer")
    token, _csrf = accounts.start_session(ws, user=user)
    check = accounts.check_session(ws, token)
    assert check is not None and not check.due and not check.idle  # just opened: nothing to write
    _age(ws, minutes=0.5)
    before = _row(ws)["last_used_at"]
    check = accounts.check_session(ws, token)
    assert check is not None and not check.due
    accounts.session_user(ws, token)
    assert _row(ws)["last_used_at"] == before  # within the minute: no write
    _age(ws, minutes=2)
    check = accounts.check_session(ws, token)
    assert check is not None and check.due and not check.idle
    accounts.settle_session(ws, token, check)
    marked = _row(ws)["last_used_at"]
    assert now() - marked < timedelta(seconds=30)  # type: ignore[operator]
    accounts.settle_session(ws, token, check)  # a second request with the same stale check writes nothing new
    assert _row(ws)["last_used_at"] == marked
