"""Through the app: sign-in limits per address and account, the admin's unlock (page and CLI), the
password page's limit, API token expiry and revocation."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

import tawthiq
from tawthiq.services import Workspace, accounts
from tawthiq.store.history import history
from tawthiq.store.mapping import now
from tawthiq.store.tables import api_tokens
from tawthiq.web.app import create_app

from _client import BASE_URL, PASSWORD, form_token, make_user, sign_in, signed_in

WRONG = "not the password at all"


def client_at(ws: Workspace, ip: str) -> TestClient:
    """A client whose requests come from ``ip``."""
    return TestClient(create_app(ws.settings, workspace=ws), base_url=BASE_URL, raise_server_exceptions=False,
                      client=(ip, 50000))


def _row(html: str, username: str) -> str:
    match = re.search(rf'<tr id="user-\d+" data-username="{re.escape(username)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {username}"
    return match.group(1)


def test_an_attackers_address_is_locked_while_the_owner_signs_in_elsewhere(ws: Workspace) -> None:
    make_user(ws, "admin", "admin")
    attacker = client_at(ws, "203.0.113.9")
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        assert sign_in(attacker, "admin", WRONG).status_code == 401
    refused = sign_in(attacker, "admin")  # even the right password, from there
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert "tawthiq_session" not in refused.headers.get("set-cookie", "")
    owner = client_at(ws, "198.51.100.7")
    assert sign_in(owner, "admin").status_code == 303
    page = owner.get("/admin/users")
    assert "Locked from 1 address(es)" in _row(page.text, "admin")
    assert "5 failed sign-ins in 15 minutes from 1 address(es)" in _row(page.text, "admin")


def test_admin_sees_a_distributed_lock_and_unlocks_it(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_ACCOUNT", 8)  # the real limit costs 50 Argon2 checks
    make_user(ws, "boss", "admin")
    make_user(ws, "huda", "reviewer")
    admin = signed_in(ws, "boss")
    for i in range(8):  # two guesses from each of four addresses
        assert sign_in(client_at(ws, f"10.20.{i // 2}.1"), "huda", WRONG).status_code == 401
    owner = client_at(ws, "198.51.100.8")
    assert sign_in(owner, "huda").status_code == 429
    page = admin.get("/admin/users")
    row = _row(page.text, "huda")
    assert "Locked for everyone" in row and "8 failed sign-ins in 15 minutes from 4 address(es)" in row
    assert 'action="/admin/users/huda/unlock"' in row
    assert "/unlock" not in _row(page.text, "boss")  # nothing to unlock there
    done = admin.post("/admin/users/huda/unlock", data={"comment": "she called from the office",
                                                        "csrf_token": form_token(page.text)},
                      follow_redirects=False)
    assert done.status_code == 303
    after = admin.get(done.headers["location"])
    assert "huda was unlocked" in after.text and "Locked" not in _row(after.text, "huda")
    assert sign_in(owner, "huda").status_code == 303
    target = accounts.get_user(ws, actor=None, username="huda")
    entry = [e for e in history(ws.db, entity="user", entity_id=target.id) if e.action == "unlock"][-1]
    assert (entry.user, entry.comment, entry.before) == ("boss", "she called from the office", {"failed_sign_ins": 8})
    assert abs(entry.at - now()) < timedelta(minutes=1)
    # In Arabic too.
    for i in range(8):
        sign_in(client_at(ws, f"10.21.{i // 2}.1"), "huda", WRONG)
    admin.post("/language", data={"lang": "ar", "csrf_token": form_token(page.text)})
    assert "مقفل للجميع" in _row(admin.get("/admin/users").text, "huda")


def test_only_an_admin_unlocks(ws: Workspace) -> None:
    make_user(ws, "rev", "reviewer")
    make_user(ws, "lina", "viewer")
    client = signed_in(ws, "rev")
    token = form_token(client.get("/account").text)
    assert client.post("/admin/users/lina/unlock", data={"csrf_token": token}).status_code == 403
    assert [e.action for e in history(ws.db, entity="user", entity_id=accounts.get_user(
        ws, actor=None, username="lina").id)] == ["create"]
    admin = signed_in(ws, "boss", "admin")
    missing = admin.post("/admin/users/nobody/unlock", data={"csrf_token": form_token(admin.get("/account").text)})
    assert missing.status_code == 404


def test_cli_unlock(ws: Workspace) -> None:
    make_user(ws, "omar", "documenter")
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(ws, username="omar", password=WRONG, ip="10.30.0.1")
    src = str(Path(tawthiq.__file__).resolve().parents[1])  # this checkout's code, whatever the cwd
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": ws.settings.database_url,
           "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir),
           "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "tawthiq", "users", "unlock", "Omar", "--comment", "checked"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "omar is unlocked (5 recent failed sign-ins set aside)"
    assert accounts.authenticate(ws, username="omar", password=PASSWORD, ip="10.30.0.1").username == "omar"
    entry = history(ws.db, entity="user", entity_id=accounts.get_user(ws, actor=None, username="omar").id)[-1]
    assert entry.action == "unlock" and entry.user.startswith("cli") and entry.comment == "checked"
    missing = subprocess.run([sys.executable, "-m", "tawthiq", "users", "unlock", "nobody"],
                             capture_output=True, text=True, env=env, timeout=300)
    assert missing.returncode == 1 and "no user named" in missing.stderr and "Traceback" not in missing.stderr


def test_the_password_page_is_limited(ws: Workspace) -> None:
    make_user(ws, "sami", "documenter")
    client = signed_in(ws, "sami")
    token = form_token(client.get("/password").text)
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        wrong = client.post("/password", data={"current": WRONG, "new": "a brand new secret",
                                               "repeat": "a brand new secret", "csrf_token": token})
        assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    limited = client.post("/password", data={"current": PASSWORD, "new": "a brand new secret",
                                             "repeat": "a brand new secret", "csrf_token": token})
    assert limited.status_code == 429 and "Too many wrong passwords" in limited.text
    client.post("/language", data={"lang": "ar", "csrf_token": token})
    arabic = client.post("/password", data={"current": PASSWORD, "new": "a brand new secret",
                                            "repeat": "a brand new secret", "csrf_token": token})
    assert arabic.status_code == 429 and "كلمات مرور خاطئة كثيرة" in arabic.text
    # The password was not changed.
    assert accounts.authenticate(ws, username="sami", password=PASSWORD, ip="10.40.0.1").username == "sami"


def _new_token(client: TestClient, *, name: str, days: str | None = None) -> tuple[int, str]:
    page = client.get("/account")
    data = {"name": name, "csrf_token": form_token(page.text)}
    if days is not None:
        data["days"] = days
    created = client.post("/account/tokens", data=data)
    assert created.status_code == 201, created.text
    secret = re.search(r'id="new-token">([^<]+)<', created.text).group(1)
    return created.status_code, secret


def test_token_lifetime_is_chosen_shown_and_enforced(ws: Workspace) -> None:
    make_user(ws, "nour", "viewer")
    client = signed_in(ws, "nour")
    page = client.get("/account")
    # A text field taking any digits (a browser's number field drops Arabic-Indic ones); the bounds are said
    # in the label and checked by the service.
    assert f'inputmode="numeric" autocomplete="off" data-number maxlength="6" name="days" required ' \
        f'value="{accounts.TOKEN_DEFAULT_DAYS}"' in page.text
    _, default_secret = _new_token(client, name="default")
    _, secret = _new_token(client, name="monthly", days="30")
    tokens = {t.name: t for t in accounts.list_api_tokens(ws, user=accounts.get_user(ws, actor=None,
                                                                                       username="nour"))}
    expected = (now() + timedelta(days=30)).strftime("%Y-%m-%d")
    row = re.search(rf'<tr id="token-{tokens["monthly"].id}">(.*?)</tr>', client.get("/account").text, re.S).group(1)
    assert expected in row and "Active" in row
    assert abs(tokens["default"].expires_at - (now() + timedelta(days=accounts.TOKEN_DEFAULT_DAYS))) \
        < timedelta(minutes=1)
    for bad in ("0", str(accounts.TOKEN_MAX_DAYS + 1)):
        refused = client.post("/account/tokens", data={"name": "too long", "days": bad,
                                                       "csrf_token": form_token(page.text)})
        assert refused.status_code == 400 and "A token lasts from 1 to 365 days." in refused.text
    bearer = {"Authorization": f"Bearer {secret}"}
    api = client_at(ws, "10.50.0.1")
    assert api.get("/api/me", headers=bearer).status_code == 200
    with ws.db.session(write=True) as session:
        session.execute(update(api_tokens).where(api_tokens.c.id == tokens["monthly"].id)
                        .values(expires_at=now() - timedelta(seconds=1)))
    expired = api.get("/api/me", headers=bearer)
    assert expired.status_code == 401 and "nour" not in expired.text
    assert api.get("/api/me", headers={"Authorization": f"Bearer {default_secret}"}).status_code == 200
    row = re.search(rf'<tr id="token-{tokens["monthly"].id}">(.*?)</tr>', client.get("/account").text, re.S).group(1)
    assert "Expired" in row and "/revoke" not in row


def test_disable_enable_reset_and_own_change_revoke_tokens(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    make_user(ws, "rami", "documenter")
    admin = signed_in(ws, "boss")
    admin_token = form_token(admin.get("/admin/users").text)
    api = client_at(ws, "10.60.0.1")

    def works(secret: str) -> bool:
        response = api.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code in (200, 401)
        return response.status_code == 200

    rami = signed_in(ws, "rami")
    _, first = _new_token(rami, name="first")
    assert works(first)
    admin.post("/admin/users/rami/disable", data={"comment": "laptop stolen", "csrf_token": admin_token})
    admin.post("/admin/users/rami/enable", data={"comment": "new laptop", "csrf_token": admin_token})
    assert not works(first)
    assert rami.get("/account", follow_redirects=False).status_code == 303  # the old session stays ended

    rami = signed_in(ws, "rami")
    _, second = _new_token(rami, name="second")
    reset = admin.post("/admin/users/rami/reset-password", data={"csrf_token": admin_token})
    assert "their sessions and API tokens were revoked" in reset.text
    assert not works(second)
    assert rami.get("/account", follow_redirects=False).status_code == 303
    one_time = re.search(r'id="one-time-password">([^<]+)<', reset.text).group(1)

    rami = signed_in(ws, "rami", password=one_time)

    def change(client: TestClient, current: str, new: str) -> None:
        page = client.get("/password")
        done = client.post("/password", data={"current": current, "new": new, "repeat": new,
                                              "csrf_token": form_token(page.text)}, follow_redirects=False)
        assert done.status_code == 303

    change(rami, one_time, "my own new secret")
    rami = signed_in(ws, "rami", password="my own new secret")
    _, third = _new_token(rami, name="third")
    assert works(third)
    change(rami, "my own new secret", "and yet another one")
    assert not works(third)
    actions = [(e.action, e.user, e.comment) for e in history(ws.db, entity="user", entity_id=accounts.get_user(
        ws, actor=None, username="rami").id) if e.action == "api-token-revoke"]
    assert actions == [("api-token-revoke", "boss", "account disabled"),
                       ("api-token-revoke", "boss", "password changed"),
                       ("api-token-revoke", "rami", "password changed")]


def test_api_tokens_are_made_from_a_session_with_a_lifetime(ws: Workspace) -> None:
    make_user(ws, "dana", "documenter")
    client = signed_in(ws, "dana")
    csrf = {"X-CSRF-Token": form_token(client.get("/account").text)}
    made = client.post("/api/tokens", json={"name": "ci job", "days": 7}, headers=csrf)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["token"].startswith("twq_") and body["active"] and body["name"] == "ci job"
    expires = datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (now() + timedelta(days=7))) < timedelta(minutes=1)
    bearer = {"Authorization": f"Bearer {body['token']}"}
    api = client_at(ws, "10.70.0.1")
    assert api.get("/api/me", headers=bearer).json()["username"] == "dana"
    # A token cannot make tokens (it could otherwise outlive its own expiry).
    refused = api.post("/api/tokens", json={"name": "renewal"}, headers=bearer)
    assert refused.status_code == 403 and "cannot make tokens" in refused.json()["error"]
    too_long = client.post("/api/tokens", json={"name": "x", "days": accounts.TOKEN_MAX_DAYS + 1}, headers=csrf)
    assert too_long.status_code == 400 and "1 to 365 days" in too_long.json()["error"]
    default = client.post("/api/tokens", json={"name": "default"}, headers=csrf).json()
    assert abs(datetime.fromisoformat(default["expires_at"]) - (now() + timedelta(days=accounts.TOKEN_DEFAULT_DAYS))) \
        < timedelta(minutes=1)
    listed = api.get("/api/tokens", headers=bearer).json()
    assert [(t["name"], t["active"]) for t in listed] == [("ci job", True), ("default", True)]
    assert all("token" not in t for t in listed)  # the secret is never listed
    assert api.post(f"/api/tokens/{body['id']}/revoke", headers=bearer).status_code == 204
    assert api.get("/api/me", headers=bearer).status_code == 401
    assert client.post(f"/api/tokens/{body['id']}/revoke", headers=csrf).status_code == 404
    assert [t["active"] for t in client.get("/api/tokens").json()] == [False, True]
