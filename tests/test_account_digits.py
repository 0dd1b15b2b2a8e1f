"""The digits of the Arabic interface kept on the account (migration 0020), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tawthiq.services import ServiceError, Workspace, accounts
from tawthiq.store import repository

PASSWORD = "correct horse battery"


def test_digits_are_kept_on_the_account_and_each_change_is_recorded(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="huda", password=PASSWORD, role="documenter")
    assert user.digits == ""  # not chosen yet: the browser's cookie decides

    chosen = accounts.set_digits(ws, user=user, digits="arab")
    assert chosen.digits == "arab"
    assert accounts.authenticate(ws, username="huda", password=PASSWORD, ip="10.0.0.1").digits == "arab"
    token, _ = accounts.start_session(ws, user=user)
    found = accounts.session_user(ws, token)
    assert found is not None and found[0].digits == "arab"  # what every page's resolve_user reads

    accounts.set_digits(ws, user=chosen, digits="arab")  # no change: nothing recorded
    accounts.set_digits(ws, user=chosen, digits="latn")
    changes = [e for e in repository.history(ws.db, entity="user", entity_id=user.id) if e.action == "update"]
    assert [(e.user, e.before, e.after) for e in changes] == [
        ("huda", {"digits": ""}, {"digits": "arab"}),
        ("huda", {"digits": "arab"}, {"digits": "latn"}),
    ]


@pytest.mark.parametrize("bad", ["", "ARAB", "hindi", "arab ", "<b>", "x" * 5000])
def test_other_values_are_refused_and_change_nothing(ws: Workspace, bad: str) -> None:
    user = accounts.create_user(ws, actor=None, username="omar", password=PASSWORD, role="viewer")
    accounts.set_digits(ws, user=user, digits="arab")
    with pytest.raises(ServiceError, match="Western"):
        accounts.set_digits(ws, user=user, digits=bad)
    assert accounts.authenticate(ws, username="omar", password=PASSWORD, ip="10.0.0.2").digits == "arab"


def test_accounts_made_before_the_upgrade_have_no_choice_and_the_downgrade_drops_it(database_url: str) -> None:
    """A database at 0019 with an account: after 0020 the account has chosen nothing ("") and keeps
    working; going back to 0019 removes the column and keeps the account."""
    from alembic import command

    from tawthiq.store import dialect
    from tawthiq.store.db import alembic_config, connect

    db = connect(database_url)
    try:
        cfg = alembic_config(db)
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0019")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (username, role, password_hash) VALUES ('old', 'viewer', 'x')"))
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0020")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT digits FROM users WHERE username = 'old'")).scalar_one() == ""
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0019")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("users")}
            assert "digits" not in columns and "language" in columns
            assert conn.execute(text("SELECT count(*) FROM users WHERE username = 'old'")).scalar_one() == 1
    finally:
        db.dispose()
