"""Sign-in limits (per account and address, per account, per address), admin unlock, the password
page's limit, counting under a lock; API tokens: expiry and revocation. On SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tawthiq.services import PermissionDenied, ServiceError, Workspace, accounts
from tawthiq.store import repository
from tawthiq.store.mapping import now
from tawthiq.store.tables import api_tokens, login_attempts

PASSWORD = "correct horse battery"
WRONG = "not the password at all"


def _fail(ws: Workspace, username: str, ip: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(ws, username=username, password=WRONG, ip=ip)


def test_an_attackers_address_is_locked_out_of_one_account_not_its_owner(ws: Workspace) -> None:
    admin = accounts.create_user(ws, actor=None, username="admin", password=PASSWORD, role="admin")
    _fail(ws, "admin", "203.0.113.9", accounts.MAX_FAILURES_PER_PAIR)
    # The attacker's address is refused even with the right password...
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="admin", password=PASSWORD, ip="203.0.113.9")
    # ...and may still try other names (up to the per-address limit), but not this one.
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(ws, username="someone-else", password=WRONG, ip="203.0.113.9")
    # The owner, at their own address, signs in: the account itself is not locked.
    assert accounts.authenticate(ws, username="admin", password=PASSWORD, ip="198.51.100.7").id == admin.id
    failures = accounts.sign_in_failures(ws, actor=admin)["admin"]
    assert (failures.total, failures.addresses, failures.locked_addresses, failures.locked_everywhere) == (
        accounts.MAX_FAILURES_PER_PAIR, 1, 1, False)


def test_a_refused_attempt_is_recorded_but_does_not_extend_the_lock(ws: Workspace) -> None:
    accounts.create_user(ws, actor=None, username="huda", password=PASSWORD, role="viewer")
    _fail(ws, "huda", "10.1.1.1", accounts.MAX_FAILURES_PER_PAIR)
    for _ in range(3):
        with pytest.raises(accounts.RateLimited):
            accounts.authenticate(ws, username="huda", password=WRONG, ip="10.1.1.1")
    with ws.db.session() as session:
        rows = session.execute(select(login_attempts.c.success, login_attempts.c.limited,
                                      login_attempts.c.purpose)
                               .where(login_attempts.c.username == "huda")).all()
    assert sorted(rows) == sorted([(False, False, "login")] * 5 + [(False, True, "login")] * 3)


def test_a_correct_password_starts_the_addresss_count_again(ws: Workspace) -> None:
    accounts.create_user(ws, actor=None, username="rana", password=PASSWORD, role="viewer")
    for _ in range(2):
        _fail(ws, "rana", "10.2.2.2", accounts.MAX_FAILURES_PER_PAIR - 1)
        accounts.authenticate(ws, username="rana", password=PASSWORD, ip="10.2.2.2")


def test_distributed_guessing_reaches_the_per_account_limit_and_an_admin_unlocks(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = accounts.create_user(ws, actor=None, username="admin", password=PASSWORD, role="admin")
    target = accounts.create_user(ws, actor=None, username="omar", password=PASSWORD, role="reviewer")
    # "Larger": only many addresses together reach it. A smaller value here spares the test
    # fifty Argon2 checks; the mechanism is the same.
    assert accounts.MAX_FAILURES_PER_ACCOUNT >= 5 * accounts.MAX_FAILURES_PER_PAIR
    limit = 3 * accounts.MAX_FAILURES_PER_PAIR
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_ACCOUNT", limit)
    # Three guesses from each of many addresses: no single address reaches its own limit.
    for i in range(limit):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(ws, username="omar", password=WRONG, ip=f"10.3.{i // 3}.1")
    # Now nobody signs in as omar, not even the owner at a fresh address.
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="omar", password=PASSWORD, ip="198.51.100.50")
    state = accounts.sign_in_failures(ws, actor=admin)["omar"]
    assert state.locked_everywhere and state.total == limit and state.locked_addresses == 0
    # Only an admin may unlock.
    with pytest.raises(PermissionDenied):
        accounts.unlock(ws, actor=target, username="omar")
    assert accounts.unlock(ws, actor=admin, username="OMAR", comment="owner phoned") == limit
    assert accounts.authenticate(ws, username="omar", password=PASSWORD, ip="198.51.100.50").id == target.id
    assert "omar" not in accounts.sign_in_failures(ws, actor=admin)
    entry = repository.history(ws.db, entity="user", entity_id=target.id)[-1]
    assert (entry.action, entry.user, entry.comment) == ("unlock", "admin", "owner phoned")
    assert entry.before == {"failed_sign_ins": limit} and abs(entry.at - now()) < timedelta(minutes=1)
    # The attempts themselves are kept (nothing is deleted).
    with ws.db.session() as session:
        kept = session.scalar(select(login_attempts.c.id).where(login_attempts.c.username == "omar",
                                                                  login_attempts.c.success.is_(False)).limit(1))
    assert kept is not None


def test_unlock_also_frees_a_locked_address(ws: Workspace) -> None:
    accounts.create_user(ws, actor=None, username="lina", password=PASSWORD, role="viewer")
    _fail(ws, "lina", "10.4.4.4", accounts.MAX_FAILURES_PER_PAIR)
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="lina", password=PASSWORD, ip="10.4.4.4")
    assert accounts.unlock(ws, actor=None, username="lina") == accounts.MAX_FAILURES_PER_PAIR
    accounts.authenticate(ws, username="lina", password=PASSWORD, ip="10.4.4.4")
    with pytest.raises(ServiceError, match="no user named"):
        accounts.unlock(ws, actor=None, username="nobody")


def test_an_address_spraying_many_names_is_stopped_and_an_unlock_lets_one_owner_back(ws: Workspace) -> None:
    admin = accounts.create_user(ws, actor=None, username="admin", password=PASSWORD, role="admin")
    accounts.create_user(ws, actor=None, username="nour", password=PASSWORD, role="documenter")
    office = "192.0.2.44"  # a shared address: an office, or a proxy the server was not told to trust
    for n in range(accounts.MAX_FAILURES_PER_IP):
        _fail(ws, f"ghost{n}", office, 1)
    # Past the per-address limit every name is refused from there, right password or not...
    for name in ("nour", "admin"):
        with pytest.raises(accounts.RateLimited):
            accounts.authenticate(ws, username=name, password=PASSWORD, ip=office)
    # ...until an admin unlocks an account: its owner is let back in from that address, and only them.
    accounts.unlock(ws, actor=admin, username="nour", comment="spraying from the office address")
    assert accounts.authenticate(ws, username="nour", password=PASSWORD, ip=office).username == "nour"
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="admin", password=PASSWORD, ip=office)


def test_the_password_page_check_is_limited_too(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="sami", password=PASSWORD, role="documenter")
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        with pytest.raises(ServiceError, match="current password is wrong"):
            accounts.change_password(ws, user=user, current=WRONG, new="a brand new secret", ip="10.5.5.5")
    with pytest.raises(accounts.RateLimited):
        accounts.change_password(ws, user=user, current=PASSWORD, new="a brand new secret", ip="10.5.5.5")
    # It is the same secret: signing in from that address is refused too, not from another.
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="sami", password=PASSWORD, ip="10.5.5.5")
    accounts.change_password(ws, user=user, current=PASSWORD, new="a brand new secret", ip="10.6.6.6")
    with ws.db.session() as session:
        purposes = set(session.scalars(select(login_attempts.c.purpose)
                                       .where(login_attempts.c.username == "sami")))
    assert purposes == {"login", "password"}
    # A new password too short is refused before any check, so it costs no attempt.
    for _ in range(accounts.MAX_FAILURES_PER_PAIR + 2):
        with pytest.raises(ServiceError, match="at least"):
            accounts.change_password(ws, user=user, current=WRONG, new="short", ip="10.7.7.7")
    accounts.authenticate(ws, username="sami", password="a brand new secret", ip="10.7.7.7")


@pytest.mark.parametrize("purpose", ["login", "password"])
def test_a_parallel_burst_lets_through_at_most_the_limit(ws: Workspace, purpose: str) -> None:
    """Many guesses at once (threads, each its own connection): the count is taken under a lock."""
    user = accounts.create_user(ws, actor=None, username="burst", password=PASSWORD, role="viewer")
    burst = 16
    barrier = threading.Barrier(burst)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        barrier.wait()
        try:
            if purpose == "login":
                accounts.authenticate(ws, username="burst", password=WRONG, ip="10.8.8.8")
            else:
                accounts.change_password(ws, user=user, current=WRONG, new="another long secret", ip="10.8.8.8")
            outcome = "ok"
        except accounts.RateLimited:
            outcome = "limited"
        except (accounts.LoginFailed, ServiceError):
            outcome = "checked"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess) for _ in range(burst)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["checked"] * accounts.MAX_FAILURES_PER_PAIR + ["limited"] * (
        burst - accounts.MAX_FAILURES_PER_PAIR)


# --------------------------------------------------------------- API tokens


def test_tokens_expire(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="script", password=PASSWORD, role="documenter")
    default = accounts.create_api_token(ws, user=user, name="default")
    assert default.info.expires_at is not None
    assert abs(default.info.expires_at - (now() + timedelta(days=accounts.TOKEN_DEFAULT_DAYS))) < timedelta(minutes=1)
    short = accounts.create_api_token(ws, user=user, name="one day", days=1)
    listed = {t.name: t for t in accounts.list_api_tokens(ws, user=user)}
    assert listed["one day"].expires_at is not None
    assert abs(listed["one day"].expires_at - (now() + timedelta(days=1))) < timedelta(minutes=1)
    for bad in (0, -3, accounts.TOKEN_MAX_DAYS + 1):
        with pytest.raises(ServiceError, match="1 to"):
            accounts.create_api_token(ws, user=user, name="bad", days=bad)
    assert accounts.token_user(ws, short.token) == user
    with ws.db.session(write=True) as session:  # a day later
        session.execute(update(api_tokens).where(api_tokens.c.id == short.info.id)
                        .values(expires_at=now() - timedelta(seconds=1)))
    assert accounts.token_user(ws, short.token) is None
    assert accounts.token_user(ws, default.token) == user


def test_disable_then_enable_does_not_bring_tokens_or_sessions_back(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="karim", password=PASSWORD, role="documenter")
    new = accounts.create_api_token(ws, user=user, name="nightly")
    session_token, _ = accounts.start_session(ws, user=user)
    accounts.set_disabled(ws, actor=None, username="karim", disabled=True, comment="laptop stolen")
    accounts.set_disabled(ws, actor=None, username="karim", disabled=False)
    assert accounts.token_user(ws, new.token) is None
    assert accounts.session_user(ws, session_token) is None
    assert [t.revoked_at is not None for t in accounts.list_api_tokens(ws, user=user)] == [True]
    entries = repository.history(ws.db, entity="user", entity_id=user.id)
    revoke = [e for e in entries if e.action == "api-token-revoke"]
    assert len(revoke) == 1 and revoke[0].after == {"token_ids": [new.info.id]}
    assert revoke[0].comment == "account disabled" and revoke[0].user.startswith("cli")
    # A token made after re-enabling works.
    again = accounts.create_api_token(ws, user=user, name="new one")
    assert accounts.token_user(ws, again.token) == user


def test_password_reset_and_own_change_revoke_tokens_and_end_sessions(ws: Workspace) -> None:
    admin = accounts.create_user(ws, actor=None, username="admin", password=PASSWORD, role="admin")
    user = accounts.create_user(ws, actor=None, username="nour", password=PASSWORD, role="documenter")
    first = accounts.create_api_token(ws, user=user, name="first")
    session_token, _ = accounts.start_session(ws, user=user)
    accounts.reset_password(ws, actor=admin, username="nour", password="a one time secret")
    assert accounts.token_user(ws, first.token) is None
    assert accounts.session_user(ws, session_token) is None
    last = repository.history(ws.db, entity="user", entity_id=user.id)[-1]
    assert (last.action, last.user, last.comment) == ("api-token-revoke", "admin", "password changed")
    second = accounts.create_api_token(ws, user=user, name="second")
    session_token, _ = accounts.start_session(ws, user=user)
    accounts.change_password(ws, user=user, current="a one time secret", new="my very own secret", ip="10.9.9.9")
    assert accounts.token_user(ws, second.token) is None
    assert accounts.session_user(ws, session_token) is None
    # Other accounts' tokens are untouched.
    admins = accounts.create_api_token(ws, user=admin, name="admin's")
    accounts.reset_password(ws, actor=admin, username="nour", password="yet another secret")
    assert accounts.token_user(ws, admins.token) == admin


def test_tokens_made_before_the_upgrade_get_an_expiry(database_url: str) -> None:
    """A database at 0007 with a live token: after the upgrade the token still works, for 90 days."""
    from alembic import command
    from sqlalchemy import text

    from tawthiq.store import dialect
    from tawthiq.store.db import alembic_config, connect, init_db

    db = connect(database_url)
    try:
        cfg = alembic_config(db)
        with dialect.write_engine(db.engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0007")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (username, role, password_hash) VALUES ('old', 'viewer', 'x')"))
            user_id = conn.execute(text("SELECT id FROM users WHERE username = 'old'")).scalar_one()
            conn.execute(text("INSERT INTO api_tokens (user_id, name, token_hash, prefix) "
                              "VALUES (:u, 'legacy', :h, 'twq_ab')"), {"u": user_id, "h": "h" * 64})
        init_db(db)  # to head
        with db.session() as session:
            row = session.execute(select(api_tokens.c.expires_at, api_tokens.c.revoked_at)).one()
        assert row.revoked_at is None and row.expires_at is not None
        assert abs(row.expires_at - (now() + timedelta(days=90))) < timedelta(minutes=5)
    finally:
        db.dispose()
