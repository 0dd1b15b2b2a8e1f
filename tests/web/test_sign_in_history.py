"""The sign-in history: the account page lists the owner's latest checks (when, step, outcome, address,
browser) and nobody else's; an admin sees any account's on its own page, other roles never do."""
from __future__ import annotations

import re

from _client import BASE_URL, form_token, make_user, sign_in
from fastapi.testclient import TestClient

from tawthiq.domain.user_agents import short_user_agent
from tawthiq.services import Workspace, accounts, second_factor
from tawthiq.web.app import create_app

WRONG = "not the password at all"
# Planted markers: each account's browser and address appear on its own history alone.
ALICE_UA, ALICE_IP = "AliceMarkerBrowser/7 (planted)", "198.51.100.23"
BOB_UA, BOB_IP = "BobMarkerBrowser/9 (planted)", "203.0.113.77"


def client_as(ws: Workspace, *, ip: str, user_agent: str) -> TestClient:
    return TestClient(create_app(ws.settings, workspace=ws), base_url=BASE_URL, raise_server_exceptions=False,
                      client=(ip, 50000), headers={"user-agent": user_agent})


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="sign-in".*?</tr>', html, re.S)


def _history(ws: Workspace) -> tuple[TestClient, TestClient]:
    make_user(ws, "alice", "documenter")
    make_user(ws, "bob", "viewer")
    alice = client_as(ws, ip=ALICE_IP, user_agent=ALICE_UA)
    assert sign_in(alice, "alice", WRONG).status_code == 401
    assert sign_in(alice, "alice").status_code == 303
    bob = client_as(ws, ip=BOB_IP, user_agent=BOB_UA)
    assert sign_in(bob, "bob").status_code == 303
    return alice, bob


def test_each_account_sees_its_own_sign_ins_and_never_anothers(ws: Workspace) -> None:
    alice, bob = _history(ws)
    mine = alice.get("/account").text
    rows = _rows(mine)
    assert len(rows) == 2  # newest first: the right password, then the wrong one
    assert 'data-outcome="ok"' in rows[0] and 'data-outcome="failed"' in rows[1]
    assert all(ALICE_IP in r and "AliceMarkerBrowser/7" in r for r in rows)
    assert BOB_IP not in mine and "BobMarker" not in mine
    theirs = bob.get("/account").text
    assert len(_rows(theirs)) == 1 and BOB_IP in theirs and "BobMarkerBrowser/9" in theirs
    assert ALICE_IP not in theirs and "AliceMarker" not in theirs
    # Nor through the admin's page: a documenter or viewer is refused, and learns nothing.
    for client in (alice, bob):
        for name in ("alice", "bob"):
            refused = client.get(f"/admin/users/{name}/sign-ins")
            assert refused.status_code == 403
            assert "Marker" not in refused.text and ALICE_IP not in refused.text and BOB_IP not in refused.text


def test_an_admin_sees_one_accounts_history_on_its_own_page(ws: Workspace) -> None:
    _history(ws)
    make_user(ws, "boss", "admin")
    admin = client_as(ws, ip="192.0.2.5", user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    assert sign_in(admin, "boss").status_code == 303
    users = admin.get("/admin/users").text
    assert 'href="/admin/users/alice/sign-ins"' in users
    page = admin.get("/admin/users/alice/sign-ins")
    assert page.status_code == 200 and "Sign-ins of" in page.text
    assert len(_rows(page.text)) == 2 and ALICE_IP in page.text and "AliceMarkerBrowser/7" in page.text
    assert BOB_IP not in page.text and "BobMarker" not in page.text and "192.0.2.5" not in page.text
    assert admin.get("/admin/users/nobody/sign-ins").status_code == 404
    # The admin's own account page shows the admin's sign-in, with its browser in a few words.
    own = admin.get("/account").text
    assert "Firefox 128 · Linux" in own and "192.0.2.5" in own and ALICE_IP not in own


def test_locked_and_wrong_attempts_are_told_apart_and_only_the_latest_twenty_shown(ws: Workspace) -> None:
    make_user(ws, "carol", "documenter")
    attacker = client_as(ws, ip="203.0.113.200", user_agent="curl/8.5.0")
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        assert sign_in(attacker, "carol", WRONG).status_code == 401
    assert sign_in(attacker, "carol").status_code == 429  # locked: refused unchecked
    owner = client_as(ws, ip="198.51.100.8", user_agent="Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537")
    assert sign_in(owner, "carol").status_code == 303
    rows = _rows(owner.get("/account").text)
    outcomes = [re.search(r'data-outcome="(\w+)"', r).group(1) for r in rows]  # type: ignore[union-attr]
    assert outcomes[:2] == ["ok", "limited"] and set(outcomes[2:]) == {"failed"}
    assert "Refused (too many failures)" in rows[1] and "curl 8" in rows[1] and "Chrome 131 · Windows" in rows[0]
    for _ in range(second_factor.HISTORY_LENGTH):
        owner.cookies.clear()  # signed out in this browser: the sign-in form again
        assert sign_in(owner, "carol").status_code == 303
    assert len(_rows(owner.get("/account").text)) == second_factor.HISTORY_LENGTH == 20


def test_the_arabic_page_says_it_in_arabic_and_keeps_addresses_as_written(ws: Workspace) -> None:
    alice, _ = _history(ws)
    home = alice.get("/")
    alice.post("/language", data={"lang": "ar", "next": "/", "csrf_token": form_token(home.text)})
    alice.post("/digits", data={"digits": "arab", "next": "/account", "csrf_token": form_token(home.text)})
    page = alice.get("/account").text
    assert 'lang="ar"' in page and "آخر عمليات الدخول" in page and "العنوان" in page
    rows = _rows(page)
    assert "نجح" in rows[0] and "فشل" in rows[1]
    assert ALICE_IP in rows[0]  # an address is data: its digits stay as the server saw them
    when = re.search(r'data-testid="sign-in-at">([^<]+)<', rows[0]).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"[٠-٩]{4}-[٠-٩]{2}-[٠-٩]{2} [٠-٩]{2}:[٠-٩]{2}", when), when  # the page's digits


def test_a_browser_in_a_few_words() -> None:
    assert short_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1") == "Safari 17 · iOS"
    assert short_user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51") == "Edge 124 · macOS"
    assert short_user_agent("Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36") == "Chrome 120 · Android"
    odd = "x" * 200
    assert short_user_agent(odd) == "x" * 59 + "…" and short_user_agent("  ") == ""
