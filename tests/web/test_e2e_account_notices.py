"""End to end in Chromium, in English and Arabic: a user changes their password from the account page and
the sign-in page they land on says it was changed (not an error); they sign in with the new password."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _e2e_helpers import PASSWORD, Site, open_as, running_site, watch

from tawthiq.domain.access import Role

pytestmark = pytest.mark.browser

NEW = "a much longer secret phrase"
SAID = {"en": "Your password was changed.", "ar": "غُيّرت كلمة المرور."}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-account-notices"))) as running:
        for lang in ("en", "ar"):
            running.user(f"huda-{lang}", Role.DOCUMENTER)
        yield running


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_password_change_is_confirmed_where_the_user_lands(browser: object, site: Site, lang: str) -> None:
    page = open_as(browser, site, f"huda-{lang}", lang=lang)  # type: ignore[arg-type]
    seen = watch(page)
    try:
        page.goto(f"{site.url}/account")
        with page.expect_navigation():
            page.click('a[href="/password"]')
        page.fill('input[name="current"]', PASSWORD)
        page.fill('input[name="new"]', NEW)
        page.fill('input[name="repeat"]', NEW)
        with page.expect_navigation():
            page.click('form[action="/password"] button[type="submit"]')
        assert page.url.startswith(f"{site.url}/login")
        notice = page.get_by_test_id("login-notice")
        assert notice.is_visible() and SAID[lang] in notice.inner_text()
        assert notice.get_attribute("role") == "status" and page.locator('[role="alert"]').count() == 0
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        page.fill('input[name="username"]', f"huda-{lang}")
        page.fill('input[name="password"]', NEW)
        with page.expect_navigation():
            page.click('form[action="/login"] button[type="submit"]')
        assert page.url.rstrip("/") == site.url and not seen.errors
    finally:
        page.context.close()
