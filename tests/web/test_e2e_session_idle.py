"""End to end in Chromium, in English and Arabic: a session left unused past a short idle limit ends, and
the sign-in page says so in the reader's language; a weak new password is refused on the password page
with one line in that language, and the old password still works."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from _e2e_helpers import PASSWORD, Site, open_as, running_site, sign_in, watch
from sqlalchemy import update

from tawthiq.domain.access import Role
from tawthiq.store.mapping import now
from tawthiq.store.tables import web_sessions
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

pytestmark = pytest.mark.browser

IDLE_MINUTES = 2
IDLE_SAID = {"en": "You were signed out after 2 minutes without activity.", "ar": "سُجّل خروجك بعد 2 دقيقة دون نشاط."}
WEAK_SAID = {"en": "one of the most common ones", "ar": "من أكثر كلمات المرور شيوعاً"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-session-idle")), session_idle_minutes=IDLE_MINUTES) as running:
        for lang in ("en", "ar"):
            running.user(f"mona-{lang}", Role.DOCUMENTER)
        yield running


def _leave_unused(site: Site, *, minutes: float) -> None:
    """As if every open session had last been used ``minutes`` ago (the test cannot wait that long)."""
    with site.ws.db.session(write=True) as session:
        session.execute(update(web_sessions).where(web_sessions.c.revoked_at.is_(None))
                        .values(last_used_at=now() - timedelta(minutes=minutes)))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_idle_session_ends_with_a_notice(browser: object, site: Site, lang: str) -> None:
    page = open_as(browser, site, f"mona-{lang}", lang=lang)  # type: ignore[arg-type]
    seen = watch(page)
    try:
        _leave_unused(site, minutes=IDLE_MINUTES - 1)
        page.goto(f"{site.url}/account")  # within the limit: still signed in
        assert page.url == f"{site.url}/account"
        _leave_unused(site, minutes=IDLE_MINUTES + 1)
        page.goto(f"{site.url}/account")
        assert page.url.startswith(f"{site.url}/login") and "idle=1" in page.url
        notice = page.get_by_test_id("login-notice")
        assert notice.is_visible() and IDLE_SAID[lang] in notice.inner_text()
        assert page.locator("html").get_attribute("lang") == lang
        assert not any(c["name"] == SESSION for c in page.context.cookies())
        # Signing in again goes back to the page that was asked for.
        page.fill('input[name="username"]', f"mona-{lang}")
        page.fill('input[name="password"]', PASSWORD)
        with page.expect_navigation():
            page.click('form[action="/login"] button[type="submit"]')
        assert page.url == f"{site.url}/account" and not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_weak_new_password_is_refused_in_one_line(browser: object, site: Site, lang: str) -> None:
    page = open_as(browser, site, f"mona-{lang}", lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/password")
        page.fill('input[name="current"]', PASSWORD)
        page.fill('input[name="new"]', "Password2024!")
        page.fill('input[name="repeat"]', "Password2024!")
        with page.expect_navigation():
            page.click('form[action="/password"] button[type="submit"]')
        alert = page.locator('[role="alert"]')
        assert alert.count() == 1 and WEAK_SAID[lang] in alert.inner_text()
        assert "Traceback" not in page.content()
        page.context.clear_cookies()
        sign_in(page, site, f"mona-{lang}")  # the old password still works
    finally:
        page.context.close()
