"""End to end in Chromium: the digits chosen on the account page follow the user to another browser.

One browser context chooses Arabic-Indic digits on /account (from the English or the Arabic interface);
a fresh context, with no cookie, signs in and its Arabic pages are written in them, the figures the
page's scripts draw too; its English pages keep 0-9.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, switch_language, watch

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.model import Incident, IncidentDate, Location
from tawthiq.store import repository
from tawthiq.web.digits import DIGITS_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EASTERN = re.compile("[٠-٩]")
WESTERN = re.compile("[0-9]")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-account-digits"))) as running:
        for edtf in ("2016-09-23", "2018-02-01"):
            repository.add_incident(running.ws.db, Incident(  # type: ignore[arg-type]
                event_type="air-drone-strike", status=IncidentStatus.CONFIRMED,
                confidentiality=Confidentiality.PUBLIC,
                date=IncidentDate(edtf=edtf, text=edtf, precision=DatePrecision.DAY),
                location=Location(name="Aleppo", name_ar="حلب", text="Aleppo", admin1="Aleppo", lat=36.2,
                                  lon=37.16, precision=LocationPrecision.TOWN),
                description="Incident in Aleppo"))
        yield running


def _axis(page: Page, site: Site) -> list[str]:
    """The timeline's axis labels (written by the server, in the page's digits)."""
    page.goto(f"{site.url}/timeline")
    return page.locator("svg text.tl-label").evaluate_all("els => els.map(e => e.textContent)")


def _digits_cookie(page: Page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == DIGITS_COOKIE), None)


@pytest.mark.parametrize("chosen_in", ["en", "ar"])
def test_digits_chosen_on_the_account_hold_in_a_fresh_browser(browser: Browser, site: Site, chosen_in: str) -> None:
    username = f"huda.{chosen_in}"
    site.user(username, Role.DOCUMENTER)
    first = new_page(browser)
    seen = watch(first)
    try:
        sign_in(first, site, username)
        switch_language(first, chosen_in)
        first.goto(f"{site.url}/account")
        first.get_by_test_id("digits-arab").check()
        with first.expect_navigation():
            first.get_by_test_id("digits-save").click()
        assert first.get_by_test_id("digits-arab").is_checked()
        labels = _axis(first, site)
        if chosen_in == "en":  # the English interface always writes 0-9
            assert labels and all(WESTERN.search(t) and not EASTERN.search(t) for t in labels), labels
        else:
            assert labels and all(EASTERN.search(t) and not WESTERN.search(t) for t in labels), labels
        assert seen.errors == [], seen.errors
    finally:
        first.context.close()

    fresh = new_page(browser)  # another browser: no cookie at all
    seen = watch(fresh)
    try:
        assert _digits_cookie(fresh) is None
        sign_in(fresh, site, username)
        assert _digits_cookie(fresh) == "arab"  # the account's choice, given to this browser
        switch_language(fresh, "ar")
        assert fresh.locator("body").get_attribute("data-numerals") == "arab"
        labels = _axis(fresh, site)
        assert labels and all(EASTERN.search(t) and not WESTERN.search(t) for t in labels), labels
        fresh.goto(f"{site.url}/account")
        assert fresh.get_by_test_id("digits-arab").is_checked()
        assert fresh.get_by_test_id("digits-account-note").is_visible()

        # English pages are unaffected.
        switch_language(fresh, "en")
        assert fresh.locator("body").get_attribute("data-numerals") == "latn"
        labels = _axis(fresh, site)
        assert labels and all(WESTERN.search(t) and not EASTERN.search(t) for t in labels), labels
        assert not EASTERN.search(fresh.locator("main").inner_text())
        assert seen.errors == [], seen.errors
    finally:
        fresh.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_forged_or_bad_choice_changes_nothing(browser: Browser, site: Site, lang: str) -> None:
    username = f"omar.{lang}"
    site.user(username, Role.VIEWER)
    page = new_page(browser)
    try:
        sign_in(page, site, username)
        switch_language(page, lang)
        # A request without the form's token is refused and stores nothing.
        response = page.request.post(f"{site.url}/digits", form={"digits": "arab", "next": "/account"},
                                     max_redirects=0)
        assert response.status == 403
        # A value that is neither is ignored: the account page comes back as it was.
        page.goto(f"{site.url}/account")
        token = page.locator('form[action="/digits"] input[name="csrf_token"]').get_attribute("value")
        response = page.request.post(f"{site.url}/digits", form={"digits": "hindi", "next": "/account",
                                                                 "csrf_token": token or ""})
        assert response.status == 200 and response.url.endswith("/account")
        page.reload()
        assert page.get_by_test_id("digits-latn").is_checked()
    finally:
        page.context.close()

    fresh = new_page(browser)
    try:
        sign_in(fresh, site, username)
        switch_language(fresh, "ar")
        assert _digits_cookie(fresh) is None and fresh.locator("body").get_attribute("data-numerals") == "latn"
    finally:
        fresh.context.close()
