"""The health check's service: the database answers, or it does not (and the check says so, never raises)."""
from __future__ import annotations

from pathlib import Path

from tawthiq.services import Workspace
from tawthiq.services.health import database_reachable
from tawthiq.store.db import connect


def test_a_working_database_is_reachable(ws: Workspace) -> None:
    assert database_reachable(ws) is True


def test_a_database_that_cannot_be_opened_is_unreachable(ws: Workspace, tmp_path: Path) -> None:
    gone = connect(f"sqlite:///{tmp_path / 'no-such-folder' / 'tawthiq.db'}")  # SQLite cannot create it there
    try:
        assert database_reachable(Workspace.open(ws.settings, db=gone)) is False
    finally:
        gone.dispose()
