"""End to end in Chromium, in English and Arabic: a wrong password and a right one appear in the account's
sign-in history with the browser in a few words and the address; an admin reads the same history from the
users page; another account's page never shows it."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, switch_language

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WORDS = {"en": ("Recent sign-ins", "Succeeded", "Failed", "Address"),
         "ar": ("آخر عمليات الدخول", "نجح", "فشل", "العنوان")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-sign-in-history"))) as running:
        yield running


def _wrong_then_right(page: Page, site: Site, username: str, lang: str) -> None:
    page.goto(f"{site.url}/login?lang={lang}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', "not the password at all")
    with page.expect_navigation():
        page.click('form[action="/login"] button[type="submit"]')
    assert page.locator("html").get_attribute("lang") == lang
    sign_in(page, site, username)
    switch_language(page, lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_account_page_and_the_admin_show_the_sign_ins(browser: Browser, site: Site, lang: str) -> None:
    title, ok, failed, address = WORDS[lang]
    owner, other = f"amal.{lang}", f"omar.{lang}"
    site.user(owner, Role.DOCUMENTER)
    site.user(other, Role.VIEWER)
    site.user(f"boss.{lang}", Role.ADMIN)

    page = new_page(browser)
    try:
        _wrong_then_right(page, site, owner, lang)
        page.goto(f"{site.url}/account")
        history = page.get_by_test_id("sign-in-history")
        assert title in history.inner_text() and address in history.inner_text()
        rows = page.get_by_test_id("sign-in")
        assert rows.count() == 2
        assert rows.nth(0).get_attribute("data-outcome") == "ok" and ok in rows.nth(0).inner_text()
        assert rows.nth(1).get_attribute("data-outcome") == "failed" and failed in rows.nth(1).inner_text()
        assert page.get_by_test_id("sign-in-ip").first.inner_text() == "127.0.0.1"
        assert re.fullmatch(r"Chrom(e|ium) \d+ · Linux", page.get_by_test_id("sign-in-browser").first.inner_text())
        when = page.get_by_test_id("sign-in-at").first.inner_text()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", when), when  # the page's (Western) digits
    finally:
        page.context.close()

    # Another account's page lists its own sign-in only.
    page = new_page(browser)
    try:
        sign_in(page, site, other)
        switch_language(page, lang)
        page.goto(f"{site.url}/account")
        assert page.get_by_test_id("sign-in").count() == 1
        page.goto(f"{site.url}/admin/users/{owner}/sign-ins")
        assert page.get_by_test_id("sign-in").count() == 0
    finally:
        page.context.close()

    page = new_page(browser)
    try:
        sign_in(page, site, f"boss.{lang}")
        switch_language(page, lang)
        page.goto(f"{site.url}/admin/users")
        with page.expect_navigation():
            page.locator(f'tr[data-username="{owner}"]').get_by_test_id("user-sign-ins").click()
        assert owner in page.get_by_test_id("sign-ins-of").inner_text()
        rows = page.get_by_test_id("sign-in")
        assert rows.count() == 2 and failed in rows.nth(1).inner_text()
    finally:
        page.context.close()
