"""Accounts: creation rules, roles, tokens, and the history of account changes."""
from __future__ import annotations


import pytest

from tawthiq.domain.access import Action, Role, allowed, can_see
from tawthiq.services import PermissionDenied, ServiceError, Workspace, accounts
from tawthiq.store import repository

PASSWORD = "correct horse battery"


def test_roles_table() -> None:
    assert not can_see(Role.VIEWER, "restricted") and not can_see(Role.VIEWER, "confidential")
    assert can_see(Role.VIEWER, "public") and can_see(Role.DOCUMENTER, "confidential")
    assert not allowed(Role.DOCUMENTER, Action.VERIFY) and allowed(Role.REVIEWER, Action.VERIFY)
    assert [r for r in Role if allowed(r, Action.MANAGE_USERS)] == [Role.ADMIN]
    assert not allowed(Role.VIEWER, Action.READ_SOURCES)


def test_create_and_find_user(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="  Huda.K ", password=PASSWORD, role="Reviewer",
                                display_name="هدى")
    assert (user.username, user.role, user.display_name) == ("huda.k", Role.REVIEWER, "هدى")
    with pytest.raises(ServiceError, match="exists already"):
        accounts.create_user(ws, actor=None, username="HUDA.K", password=PASSWORD, role="viewer")
    arabic = accounts.create_user(ws, actor=None, username="سامي", password=PASSWORD, role="viewer")
    assert arabic.username == "سامي"
    for bad in ("a", "two words", "x" * 65, "semi;colon"):
        with pytest.raises(ServiceError, match="user name"):
            accounts.create_user(ws, actor=None, username=bad, password=PASSWORD, role="viewer")
    with pytest.raises(ServiceError, match="at least"):
        accounts.create_user(ws, actor=None, username="short", password="123456789", role="viewer")
    with pytest.raises(ServiceError, match="unknown role"):
        accounts.create_user(ws, actor=None, username="boss", password=PASSWORD, role="superuser")


def test_only_admins_manage_users_and_changes_are_recorded(ws: Workspace) -> None:
    admin = accounts.create_user(ws, actor=None, username="admin", password=PASSWORD, role="admin")
    doc = accounts.create_user(ws, actor=admin, username="doc", password=PASSWORD, role="documenter")
    with pytest.raises(PermissionDenied):
        accounts.create_user(ws, actor=doc, username="other", password=PASSWORD, role="admin")
    with pytest.raises(PermissionDenied):
        accounts.set_role(ws, actor=doc, username="doc", role="admin")
    accounts.set_role(ws, actor=admin, username="doc", role="reviewer", comment="trained")
    with pytest.raises(ServiceError, match="own admin role"):
        accounts.set_role(ws, actor=admin, username="admin", role="viewer")
    entries = repository.history(ws.db, entity="user", entity_id=doc.id)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].user == "admin"
    assert entries[1].before == {"role": "documenter"} and entries[1].after == {"role": "reviewer"}
    assert entries[1].comment == "trained"
    accounts.reset_password(ws, actor=admin, username="doc", password="another long one")
    last = repository.history(ws.db, entity="user", entity_id=doc.id)[-1]
    assert last.after is not None and last.after["password"] == "changed"
    assert "another long one" not in str(last.after) and "argon2" not in str(last.after)


def test_authenticate_and_sessions(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="rana", password=PASSWORD, role="viewer")
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(ws, username="rana", password="wrong password", ip="10.0.0.1")
    assert accounts.authenticate(ws, username="RANA", password=PASSWORD, ip="10.0.0.1").id == user.id
    token, csrf = accounts.start_session(ws, user=user, ip="10.0.0.1")
    found = accounts.session_user(ws, token)
    assert found is not None and found[0].id == user.id and found[1] == csrf
    assert accounts.session_user(ws, token + "x") is None
    accounts.end_session(ws, token)
    assert accounts.session_user(ws, token) is None


def test_failures_from_one_address_are_limited(ws: Workspace) -> None:
    for i in range(accounts.MAX_FAILURES_PER_IP):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(ws, username=f"guess{i}", password="nope nope nope", ip="10.9.9.9")
    with pytest.raises(accounts.RateLimited):
        accounts.authenticate(ws, username="someone", password="nope nope nope", ip="10.9.9.9")
    with pytest.raises(accounts.LoginFailed):  # another address is not blocked
        accounts.authenticate(ws, username="someone", password="nope nope nope", ip="10.9.9.10")


def test_api_tokens(ws: Workspace) -> None:
    user = accounts.create_user(ws, actor=None, username="script", password=PASSWORD, role="documenter")
    new = accounts.create_api_token(ws, user=user, name="nightly import")
    assert new.token.startswith("twq_") and new.info.prefix == new.token[:10]
    assert accounts.token_user(ws, new.token) == user
    assert accounts.token_user(ws, "twq_" + "x" * 43) is None
    tokens = accounts.list_api_tokens(ws, user=user)
    assert [t.name for t in tokens] == ["nightly import"] and tokens[0].last_used_at is not None
    other = accounts.create_user(ws, actor=None, username="other", password=PASSWORD, role="documenter")
    with pytest.raises(ServiceError):
        accounts.revoke_api_token(ws, user=other, token_id=new.info.id)
    assert accounts.token_user(ws, new.token) == user
    accounts.revoke_api_token(ws, user=user, token_id=new.info.id)
    assert accounts.token_user(ws, new.token) is None
    second = accounts.create_api_token(ws, user=user, name="second")
    accounts.set_disabled(ws, actor=None, username="script", disabled=True)
    assert accounts.token_user(ws, second.token) is None
