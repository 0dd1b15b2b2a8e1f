"""The admin's users page and the account page with personal API tokens, through the app."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tawthiq.domain.access import Role
from tawthiq.services import Workspace, accounts
from tawthiq.store.history import history

from _client import PASSWORD, client_for, form_token, make_user, signed_in


def test_admin_creates_a_user_who_must_change_the_one_time_password(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    admin = signed_in(ws, "boss")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "boss" in page.text
    created = admin.post("/admin/users", data={"username": "Layla", "display_name": "ليلى",
                                               "role": "reviewer", "csrf_token": form_token(page.text)})
    assert created.status_code == 200
    assert "no-store" in created.headers["cache-control"]
    one_time = re.search(r'id="one-time-password">([^<]+)<', created.text).group(1)
    row = re.search(r'<tr id="user-\d+" data-username="layla">(.*?)</tr>', created.text, re.S).group(1)
    assert "ليلى" in row and 'class="badge role-reviewer"' in row
    # The new account signs in with the one-time password and is sent to change it.
    newcomer = client_for(ws)
    login = newcomer.get("/login")
    response = newcomer.post("/login", data={"username": "layla", "password": one_time,
                                             "csrf_token": form_token(login.text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/password"
    assert newcomer.get("/account", follow_redirects=False).headers["location"] == "/password"
    # The page shows the password once: a reload does not.
    assert one_time not in admin.get("/admin/users").text


def test_create_user_errors_are_shown_in_the_form(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    taken = admin.post("/admin/users", data={"username": "boss", "role": "viewer", "csrf_token": token})
    assert taken.status_code == 400 and "exists already" in taken.text
    bad = admin.post("/admin/users", data={"username": "two words", "role": "viewer", "csrf_token": token})
    assert bad.status_code == 400 and "no spaces" in bad.text
    role = admin.post("/admin/users", data={"username": "x1", "role": "superuser", "csrf_token": token})
    assert role.status_code == 400 and "There is no role" in role.text


def test_role_change_is_reflected_and_recorded_with_its_comment(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    make_user(ws, "سامي", "viewer")
    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    response = admin.post(f"/admin/users/{quote('سامي')}/role",
                          data={"role": "documenter", "comment": "joined the team", "csrf_token": token},
                          follow_redirects=False)
    assert response.status_code == 303
    page = admin.get(response.headers["location"])
    assert "The role of سامي was changed." in page.text
    target = accounts.get_user(ws, actor=None, username="سامي")
    assert target.role is Role.DOCUMENTER
    entry = history(ws.db, entity="user", entity_id=target.id)[-1]
    assert entry.user == "boss" and entry.comment == "joined the team"
    assert entry.before == {"role": "viewer"} and entry.after == {"role": "documenter"}
    # The person's next page is rendered with the new role's permissions.
    assert "<dd>documenter</dd>" in signed_in(ws, "سامي").get("/account").text


def test_disabling_ends_sessions_and_tokens_and_enabling_restores_sign_in(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    make_user(ws, "rami", "documenter")
    rami = signed_in(ws, "rami")
    assert rami.get("/account").status_code == 200
    api_token = accounts.create_api_token(ws, user=accounts.get_user(ws, actor=None, username="rami"),
                                          name="script").token
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert rami.get("/api/me", headers=bearer).status_code == 200

    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    done = admin.post("/admin/users/rami/disable", data={"comment": "left", "csrf_token": token})
    assert done.status_code == 200 and "rami was disabled" in done.text
    assert rami.get("/account", follow_redirects=False).status_code == 303  # sent to sign in
    assert client_for(ws).get("/api/me", headers=bearer).status_code == 401
    login = client_for(ws)
    page = login.get("/login")
    refused = login.post("/login", data={"username": "rami", "password": PASSWORD,
                                         "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert refused.status_code == 401

    admin.post("/admin/users/rami/enable", data={"comment": "back", "csrf_token": token})
    assert signed_in(ws, "rami").get("/account").status_code == 200
    actions = [e.action for e in history(ws.db, entity="user",
                                         entity_id=accounts.get_user(ws, actor=None, username="rami").id)]
    assert actions.count("update") == 2


def test_admin_cannot_disable_or_demote_themselves(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    demote = admin.post("/admin/users/boss/role", data={"role": "viewer", "csrf_token": token})
    assert demote.status_code == 400 and "cannot take away" in demote.text
    assert admin.post("/admin/users/boss/disable", data={"csrf_token": token}).status_code == 400
    assert accounts.get_user(ws, actor=None, username="boss").role is Role.ADMIN
    missing = admin.post("/admin/users/nobody/disable", data={"csrf_token": token})
    assert missing.status_code == 404


def test_reset_password_shows_a_new_one_time_password_and_ends_sessions(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    make_user(ws, "huda", "reviewer")
    huda = signed_in(ws, "huda")
    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    reset = admin.post("/admin/users/huda/reset-password", data={"csrf_token": token})
    assert reset.status_code == 200
    new_password = re.search(r'id="one-time-password">([^<]+)<', reset.text).group(1)
    assert huda.get("/account", follow_redirects=False).status_code == 303
    again = client_for(ws)
    page = again.get("/login")
    response = again.post("/login", data={"username": "huda", "password": new_password,
                                          "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert response.headers["location"] == "/password"


@pytest.mark.parametrize("role", ["reviewer", "documenter", "viewer"])
def test_only_admins_reach_the_users_pages(ws: Workspace, role: str) -> None:
    make_user(ws, "someone", role)
    make_user(ws, "other", "viewer")
    client = signed_in(ws, "someone")
    assert client.get("/admin/users").status_code == 403
    token = form_token(client.get("/account").text)
    for path, data in [("/admin/users", {"username": "sneaky", "role": "admin"}),
                       ("/admin/users/other/role", {"role": "admin"}),
                       ("/admin/users/other/disable", {}),
                       ("/admin/users/other/reset-password", {})]:
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 403, path
    assert accounts.get_user(ws, actor=None, username="other").role is Role.VIEWER
    assert "/admin/users" not in client.get("/account").text  # no menu link either


def test_admin_forms_need_the_csrf_token(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    admin = signed_in(ws, "boss")
    response = admin.post("/admin/users", data={"username": "ghost", "role": "admin"})
    assert response.status_code == 403
    assert all(u.username != "ghost" for u in accounts.list_users(ws, actor=None))


def test_account_page_token_lifecycle(ws: Workspace) -> None:
    make_user(ws, "nour", "documenter")
    client = signed_in(ws, "nour")
    page = client.get("/account")
    assert page.status_code == 200 and "nour" in page.text and 'href="/password"' in page.text
    assert "You have no API tokens." in page.text
    token = form_token(page.text)
    created = client.post("/account/tokens", data={"name": "nightly <export>", "csrf_token": token})
    assert created.status_code == 201 and "no-store" in created.headers["cache-control"]
    secret = re.search(r'id="new-token">(twq_[^<]+)<', created.text).group(1)
    assert "nightly &lt;export&gt;" in created.text and "<export>" not in created.text
    # The token works for the API, and the account page never shows it again.
    me = client_for(ws).get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["username"] == "nour" and me.json()["via_token"] is True
    listed = client.get("/account").text
    assert secret not in listed and secret[:10] in listed
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', listed).group(1)
    assert re.search(r"<time datetime=", listed.split(f'id="token-{token_id}"')[1])  # last used shown

    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token},
                          follow_redirects=False)
    assert revoked.status_code == 303
    assert "The token was revoked." in client.get(revoked.headers["location"]).text
    assert client_for(ws).get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    # Revoking twice, or someone else's token, is a 404, not a silent success.
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token}).status_code == 404


def test_a_token_cannot_be_revoked_by_another_user(ws: Workspace) -> None:
    make_user(ws, "a1", "documenter")
    make_user(ws, "b2", "admin")
    owner = accounts.get_user(ws, actor=None, username="a1")
    new = accounts.create_api_token(ws, user=owner, name="mine")
    other = signed_in(ws, "b2")
    token = form_token(other.get("/account").text)
    assert other.post(f"/account/tokens/{new.info.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert client_for(ws).get("/api/me", headers={"Authorization": f"Bearer {new.token}"}).status_code == 200


def test_account_page_needs_a_token_name(ws: Workspace) -> None:
    make_user(ws, "nour", "viewer")
    client = signed_in(ws, "nour")
    token = form_token(client.get("/account").text)
    response = client.post("/account/tokens", data={"name": "   ", "csrf_token": token})
    assert response.status_code == 400 and "Give the token a name" in response.text
    assert accounts.list_api_tokens(ws, user=accounts.get_user(ws, actor=None, username="nour")) == []


def test_pages_render_in_arabic(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    admin = signed_in(ws, "boss")
    token = form_token(admin.get("/admin/users").text)
    admin.post("/language", data={"lang": "ar", "csrf_token": token})
    page = admin.get("/admin/users")
    assert 'dir="rtl"' in page.text and "مستخدم جديد" in page.text
    assert "رموز واجهة البرمجة الشخصية" in admin.get("/account").text
