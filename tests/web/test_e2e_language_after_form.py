"""End to end in Chromium, in English and Arabic: pressing the language button on a page a form gave (the paste's
result, a refused paste, the 405 page of a form's address) lands on the page the form belongs to, in the other
language, with its header and navigation, never a 405 (issue 12 fixes B, 2)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, watch

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
OTHER = {"en": "ar", "ar": "en"}
ADD_TITLE = {"en": "Add material", "ar": "إضافة مواد"}
TEXTS = {"en": "Shelling hit Douma yesterday, killing 4 civilians, a medic said.",
         "ar": "قصفت قوات النظام مدينة دوما أمس، ما أدى إلى مقتل أربعة مدنيين، بحسب مسعف."}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-language-after-form"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _signed_in(browser: object, site: Site, lang: str) -> Page:
    page = new_page(browser)  # type: ignore[arg-type]
    sign_in(page, site, DOCUMENTER)
    if page.locator("html").get_attribute("lang") != lang:
        _switch(page)
    assert page.locator("html").get_attribute("lang") == lang
    return page


def _switch(page: Page) -> int:
    """Press the language button; the status of the page it lands on."""
    with page.expect_navigation() as landed:
        page.click('form[action="/language"] button[name="lang"]')
    response = landed.value
    return response.status if response else 0


def _on_add_page_in(page: Page, site: Site, lang: str) -> None:
    assert page.url == f"{site.url}/add"
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("nav.main-nav").is_visible()
    assert page.locator("h1").inner_text().strip() == ADD_TITLE[lang]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_language_button_after_a_paste_and_after_a_refused_paste(browser: object, site: Site,
                                                                     lang: str) -> None:
    page = _signed_in(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/add")
        page.get_by_test_id("paste-text").fill(TEXTS[lang])
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        assert page.url == f"{site.url}/add/text"  # the result page, rendered for the POST
        assert _switch(page) == 200
        _on_add_page_in(page, site, OTHER[lang])
        # A refused paste (a publication date that is no day) re-renders the form at the POST's address.
        page.get_by_test_id("paste-text").fill(TEXTS[lang] + " (2)")
        page.get_by_test_id("paste-published").fill("2024-02-30")
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        assert page.get_by_test_id("paste-error").is_visible()
        assert _switch(page) == 200
        _on_add_page_in(page, site, lang)
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_405_page_has_the_header_and_its_language_button_leads_to_a_page(browser: object, site: Site,
                                                                            lang: str) -> None:
    page = _signed_in(browser, site, lang)
    try:
        response = page.goto(f"{site.url}/add/text")
        assert response is not None and response.status == 405
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("nav.main-nav").is_visible()
        assert page.get_by_test_id("error-message").inner_text().strip() == {
            "en": "This address does not accept that kind of request.",
            "ar": "هذا العنوان لا يقبل هذا النوع من الطلبات."}[lang]
        assert _switch(page) == 200
        _on_add_page_in(page, site, OTHER[lang])
    finally:
        page.context.close()
