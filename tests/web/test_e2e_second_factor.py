"""End to end in Chromium, in English and Arabic: setting up a second factor, signing in with its code,
a wrong code, a recovery code, and the team's rule sending a reviewer to set one up before anything else.
The secret is never on a page after set-up."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyotp
import pytest
from _e2e_helpers import PASSWORD, Site, new_page, running_site, sign_in, switch_language, watch

from tawthiq.domain.access import Role
from tawthiq.services import second_factor

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-second-factor"))) as running:
        yield running


def _password_step(page: Page, site: Site, username: str, lang: str) -> None:
    page.goto(f"{site.url}/login?lang={lang}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('form[action="/login"] button[type="submit"]')


def _code_step(page: Page, code: str) -> None:
    page.get_by_test_id("code-input").fill(code)
    with page.expect_navigation():
        page.get_by_test_id("code-submit").click()


def _set_up(page: Page, site: Site) -> tuple[str, list[str]]:
    """On /account/two-factor: read the key, type the app's code; the recovery codes shown."""
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert page.get_by_test_id("totp-uri").inner_text().startswith("otpauth://totp/")
    page.get_by_test_id("setup-code").fill(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_test_id("two-factor-confirm").click()
    codes = [c.strip() for c in page.get_by_test_id("recovery-code").all_inner_texts()]
    assert len(codes) == 10
    assert secret not in page.content()
    return secret, codes


def _is_lang(page: Page, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_set_up_then_sign_in_with_a_code_a_wrong_code_and_a_recovery_code(browser: Browser, site: Site,
                                                                           lang: str) -> None:
    username = f"rana.{lang}"
    site.user(username, Role.DOCUMENTER)
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, username)
        switch_language(page, lang)
        page.goto(f"{site.url}/account")
        assert page.get_by_test_id("two-factor-state").get_attribute("data-on") == "off"
        with page.expect_navigation():
            page.get_by_test_id("two-factor-link").click()
        _is_lang(page, lang)
        secret, codes = _set_up(page, site)
        for path in ("/account", "/account/two-factor", "/admin/users"):
            page.goto(f"{site.url}{path}")
            assert secret not in page.content()
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()

    fresh = new_page(browser)
    try:
        _password_step(fresh, site, username, lang)
        assert "/login/code" in fresh.url
        _is_lang(fresh, lang)
        fresh.goto(f"{site.url}/incidents")  # half signed in: nothing opens
        assert "/login" in fresh.url and "/incidents" not in fresh.url.split("?")[0]
        fresh.goto(f"{site.url}/login/code")
        _code_step(fresh, "000000")
        assert fresh.get_by_test_id("code-error").is_visible()
        _is_lang(fresh, lang)
        _code_step(fresh, pyotp.TOTP(secret).at(time.time() + 30))
        assert fresh.url.rstrip("/") == site.url
        fresh.goto(f"{site.url}/account")
        rows = fresh.get_by_test_id("sign-in")
        assert rows.first.get_attribute("data-factor") == "totp"
        assert secret not in fresh.content()
    finally:
        fresh.context.close()

    recovering = new_page(browser)
    try:
        _password_step(recovering, site, username, lang)
        _code_step(recovering, codes[0])
        assert recovering.url.rstrip("/") == site.url
    finally:
        recovering.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_required_reviewer_sets_up_before_reaching_anything(browser: Browser, site: Site, lang: str) -> None:
    username = f"rev.{lang}"
    site.user(username, Role.REVIEWER)
    second_factor.set_required(site.ws, user=None, on=True, comment="test: the rule on")
    page = new_page(browser)
    try:
        _password_step(page, site, username, lang)
        assert page.url.endswith("/account/two-factor")
        switch_language(page, lang)  # the account's own language (English) wins once signed in; the button works here
        assert page.url.endswith("/account/two-factor")
        assert page.get_by_test_id("two-factor-required").is_visible()
        page.goto(f"{site.url}/incidents")
        assert page.url.endswith("/account/two-factor")
        _set_up(page, site)
        with page.expect_navigation():
            page.get_by_test_id("two-factor-continue").click()
        page.goto(f"{site.url}/incidents")
        assert page.url.endswith("/incidents")
    finally:
        page.context.close()
        second_factor.set_required(site.ws, user=None, on=False, comment="test: the rule off again")
