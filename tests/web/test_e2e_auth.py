"""End to end in Chromium: signing in, a wrong password, signing out, and what a signed-out visitor may reach."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from _e2e_helpers import PASSWORD, Site, new_page, running_site, sign_in

from tawthiq.domain.access import Role
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-auth"))) as running:
        running.user("rania.reviewer", Role.REVIEWER)
        yield running


def _session_cookies(page: object) -> list[dict]:
    return [c for c in page.context.cookies() if c["name"] == SESSION]  # type: ignore[attr-defined]


def test_sign_in_then_sign_out_then_protected_pages_ask_to_sign_in(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    try:
        sign_in(page, site, "rania.reviewer")
        assert "rania.reviewer" in page.locator("header .who").inner_text()
        assert page.locator('form[action="/logout"]').is_visible()
        cookie = _session_cookies(page)
        assert len(cookie) == 1 and cookie[0]["httpOnly"] and cookie[0]["secure"]
        # A protected page opens while signed in.
        response = page.goto(f"{site.url}/incidents")
        assert response is not None and response.status == 200
        assert page.url == f"{site.url}/incidents"

        with page.expect_navigation():
            page.click('form[action="/logout"] button[type="submit"]')
        assert urlsplit(page.url).path == "/login"
        assert page.locator('[role="alert"]').inner_text().strip() == "You are signed out."
        assert not page.locator('form[action="/logout"]').count()
        assert not _session_cookies(page)

        # Every protected page now sends the visitor back to sign in, remembering where they were going.
        for target in ("/incidents", "/review", "/"):
            page.goto(f"{site.url}{target}")
            parts = urlsplit(page.url)
            assert parts.path == "/login", f"{target} was shown after signing out"
            if target != "/":
                assert parse_qs(parts.query).get("next") == [target]
            assert page.locator('form[action="/login"]').is_visible()
    finally:
        page.context.close()


def test_the_old_session_cookie_is_dead_after_signing_out(browser: Browser, site: Site) -> None:
    """Signing out ends the session on the server, not only in this browser."""
    page = new_page(browser)
    try:
        sign_in(page, site, "rania.reviewer")
        stolen = _session_cookies(page)[0]
        with page.expect_navigation():
            page.click('form[action="/logout"] button[type="submit"]')
        page.context.add_cookies([stolen])
        page.goto(f"{site.url}/incidents")
        assert urlsplit(page.url).path == "/login"
    finally:
        page.context.close()


def test_wrong_password_stays_on_the_login_page(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    try:
        page.goto(f"{site.url}/login?next=/review")
        page.fill('input[name="username"]', "rania.reviewer")
        page.fill('input[name="password"]', PASSWORD + " but wrong")
        with page.expect_navigation() as navigation:
            page.click('form[action="/login"] button[type="submit"]')
        assert navigation.value is not None and navigation.value.status == 401
        assert urlsplit(page.url).path == "/login"
        assert page.locator('[role="alert"]').inner_text().strip() == "Wrong user name or password."
        # The form is offered again with the name kept and the password emptied.
        assert page.input_value('input[name="username"]') == "rania.reviewer"
        assert page.input_value('input[name="password"]') == ""
        assert not _session_cookies(page)
        page.goto(f"{site.url}/review")
        assert urlsplit(page.url).path == "/login"

        # The right password afterwards still works, and goes where the visitor was heading.
        page.fill('input[name="username"]', "rania.reviewer")
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('form[action="/login"] button[type="submit"]')
        assert urlsplit(page.url).path == "/review"
        assert _session_cookies(page)
    finally:
        page.context.close()


def test_unknown_user_is_told_the_same_as_a_wrong_password(browser: Browser, site: Site) -> None:
    """No hint whether the name exists."""
    page = new_page(browser)
    try:
        page.goto(f"{site.url}/login")
        page.fill('input[name="username"]', "nobody.here")
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('form[action="/login"] button[type="submit"]')
        assert urlsplit(page.url).path == "/login"
        assert page.locator('[role="alert"]').inner_text().strip() == "Wrong user name or password."
    finally:
        page.context.close()
