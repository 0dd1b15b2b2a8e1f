"""Through the app: setting up a TOTP second factor, the code step after the password, recovery codes,
limits on wrong codes, the team's rule for admins and reviewers, an admin's reset, the sign-in history."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from _client import PASSWORD, client_for, form_token, make_user, sign_in, signed_in
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, second_factor
from tawthiq.store.history import history
from tawthiq.store.tables import users


def _secret(html: str) -> str:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7]{32})<', html)
    assert match, "no secret on the set-up page"
    return match.group(1)


def _later(secret: str, steps: int = 1) -> str:
    """The code for a coming 30-second step (the one just used is never accepted again)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def set_up(client: TestClient) -> tuple[str, list[str]]:
    """Turn the factor on through the account page: the secret and the recovery codes shown."""
    page = client.get("/account/two-factor")
    secret = _secret(page.text)
    done = client.post("/account/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).now(),
                                                    "csrf_token": form_token(page.text)})
    assert done.status_code == 201, done.text
    codes = re.findall(r'data-testid="recovery-code">([a-z2-9]{5}-[a-z2-9]{5})<', done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def code_step(client: TestClient, code: str) -> object:
    page = client.get("/login/code")
    assert page.status_code == 200, page.text
    return client.post("/login/code", data={"code": code, "csrf_token": form_token(page.text), "next": "/"},
                       follow_redirects=False)


def test_set_up_then_sign_in_with_a_code(ws: Workspace) -> None:
    client = signed_in(ws, "rana", "documenter")
    page = client.get("/account/two-factor")
    secret = _secret(page.text)
    assert f"otpauth://totp/Tawthiq:rana?secret={secret}" in page.text
    wrong = client.post("/account/two-factor", data={"secret": secret, "code": "000000",
                                                     "csrf_token": form_token(page.text)})
    assert wrong.status_code == 400 and "wrong or too old" in wrong.text
    assert _secret(wrong.text) == secret  # the same key again: the app has it already
    done = client.post("/account/two-factor", data={"secret": secret, "code": pyotp.TOTP(secret).now(),
                                                    "csrf_token": form_token(page.text)})
    assert done.status_code == 201
    # Never shown again: not on the account pages, not in the account's history.
    for path in ("/account/two-factor", "/account"):
        assert secret not in client.get(path).text
    entries = history(ws.db, entity="user", entity_id=_user_id(ws, "rana"))
    assert "two-factor-on" in [e.action for e in entries]
    assert secret not in repr(entries)

    fresh = client_for(ws)
    first = sign_in(fresh, "rana")
    assert first.status_code == 303 and first.headers["location"] == "/login/code?next=%2F"
    # Half signed in: no page opens, the API neither.
    assert fresh.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert fresh.get("/api/me").status_code == 401
    assert code_step(fresh, "123456").status_code == 401
    assert code_step(fresh, "not a code").status_code == 401
    ok = code_step(fresh, _later(secret))
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert fresh.get("/account").status_code == 200
    # The same code cannot be used twice.
    again = client_for(ws)
    sign_in(again, "rana")
    assert code_step(again, _later(secret)).status_code == 401
    history_page = fresh.get("/account").text
    assert 'data-factor="totp"' in history_page and 'data-success="no"' in history_page


def _user_id(ws: Workspace, name: str) -> int:
    with ws.db.session() as session:
        return int(session.scalar(users.select().with_only_columns(users.c.id).where(users.c.username == name)))


def test_recovery_codes_work_once_each_and_arabic_digits_are_codes(ws: Workspace) -> None:
    client = signed_in(ws, "samir", "documenter")
    secret, codes = set_up(client)
    one = client_for(ws)
    sign_in(one, "samir")
    assert code_step(one, codes[0].upper().replace("-", " ")).status_code == 303
    two = client_for(ws)
    sign_in(two, "samir")
    assert code_step(two, codes[0]).status_code == 401  # used already
    arabic = _later(secret).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert code_step(two, arabic).status_code == 303
    assert "Recovery codes left: 9." in two.get("/account").text


def test_wrong_codes_are_limited_like_passwords(ws: Workspace) -> None:
    client = signed_in(ws, "huda", "documenter")
    secret, _ = set_up(client)
    fresh = client_for(ws)
    sign_in(fresh, "huda")
    statuses = [code_step(fresh, "111111").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert code_step(fresh, _later(secret)).status_code == 429  # even the right one, until the window passes


def test_turning_it_off_needs_a_current_code_and_an_admin_can_reset_it(ws: Workspace) -> None:
    client = signed_in(ws, "omar", "documenter")
    secret, _ = set_up(client)
    page = client.get("/account/two-factor")
    refused = client.post("/account/two-factor/disable", data={"code": "000000",
                                                               "csrf_token": form_token(page.text)})
    assert refused.status_code == 400
    off = client.post("/account/two-factor/disable", data={"code": _later(secret),
                                                           "csrf_token": form_token(page.text)},
                      follow_redirects=False)
    assert off.headers["location"] == "/account/two-factor?done=off"
    secret, _ = set_up(client)
    admin = signed_in(ws, "boss", "admin")
    users_page = admin.get("/admin/users")
    assert "/admin/users/omar/reset-two-factor" in users_page.text
    reset = admin.post("/admin/users/omar/reset-two-factor", data={"comment": "lost phone",
                                                                   "csrf_token": form_token(users_page.text)},
                       follow_redirects=False)
    assert reset.status_code == 303
    entries = history(ws.db, entity="user", entity_id=_user_id(ws, "omar"))
    assert [(e.action, e.user, e.comment) for e in entries if e.action == "two-factor-reset"] == [
        ("two-factor-reset", "boss", "lost phone")]
    assert secret not in repr(entries)
    assert sign_in(client_for(ws), "omar").headers["location"] == "/"
    # Not an admin: refused.
    other = signed_in(ws, "nour", "reviewer")
    page = other.get("/account")
    assert other.post("/admin/users/omar/reset-two-factor",
                      data={"csrf_token": form_token(page.text)}).status_code == 403


def test_the_team_rule_sends_admins_and_reviewers_to_set_up_first(ws: Workspace) -> None:
    admin = signed_in(ws, "lead", "admin")
    make_user(ws, "rev", "reviewer")
    make_user(ws, "doc", "documenter")
    settings = admin.get("/admin/settings")
    assert 'data-testid="second-factor-state" data-on="off"' in settings.text
    missing = admin.post("/admin/settings/second-factor", data={"required_on": "on", "comment": "",
                                                                "csrf_token": form_token(settings.text)})
    assert 'data-testid="second-factor-error"' in missing.text
    turned = admin.post("/admin/settings/second-factor", data={"required_on": "on", "comment": "issue 13",
                                                               "csrf_token": form_token(settings.text)})
    assert 'data-testid="second-factor-done"' not in turned.text  # the admin is sent to set up first
    assert second_factor.required(ws)
    # The admin who turned it on is sent to set it up too, on their next page.
    assert admin.get("/incidents", follow_redirects=False).headers["location"] == "/account/two-factor"
    rev = client_for(ws)
    assert sign_in(rev, "rev").headers["location"] == "/account/two-factor"
    for path in ("/", "/incidents", "/account", "/admin/settings"):
        assert rev.get(path, follow_redirects=False).headers["location"] == "/account/two-factor"
    assert rev.get("/api/me").status_code == 403
    page = rev.get("/account/two-factor")
    assert page.status_code == 200 and "Your team requires a second factor" in page.text
    set_up(rev)
    assert rev.get("/incidents").status_code == 200
    # A documenter is not asked.
    assert sign_in(client_for(ws), "doc").headers["location"] == "/"


def test_the_rule_is_on_unless_a_team_turns_it_off(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_factor, "REQUIRED_BY_DEFAULT", True)
    assert second_factor.required(ws)
    make_user(ws, "first", "admin")
    assert sign_in(client_for(ws), "first").headers["location"] == "/account/two-factor"


def test_a_changed_setup_form_is_one_line_not_a_traceback(ws: Workspace) -> None:
    client = signed_in(ws, "zaid", "documenter")
    page = client.get("/account/two-factor")
    bad = client.post("/account/two-factor", data={"secret": "not-base32!", "code": "123456",
                                                   "csrf_token": form_token(page.text)})
    assert bad.status_code == 400 and "The set-up form was changed" in bad.text
    assert 'data-on="off"' in client.get("/account").text  # nothing was turned on


def test_the_password_page_flow_still_signs_in_without_a_factor(ws: Workspace) -> None:
    make_user(ws, "plain", "documenter")
    assert sign_in(client_for(ws), "plain", PASSWORD).headers["location"] == "/"
