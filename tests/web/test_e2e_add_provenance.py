"""End to end in Chromium, in English and Arabic: pasting a report with where it came from, which the source
page then shows, and a date in the future refused in the page's language with everything typed kept."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "salma.documenter"
TEXTS = {
    "en": "Shelling hit Douma yesterday, killing 4 civilians, a medic said.",
    "ar": "قصفت قوات النظام مدينة دوما أمس، ما أدى إلى مقتل أربعة مدنيين، بحسب مسعف.",
}
GIVEN = {
    "en": {"author": "Violations Documentation Center", "url": "https://vdc.example/reports/2016/douma",
           "received": "Signal message from a medic in Douma"},
    "ar": {"author": "مركز توثيق الانتهاكات", "url": "https://vdc.example/ar/reports/douma",
           "received": "رسالة عبر سيغنال من مسعف في دوما"},
}
EXPECT = {
    "en": {"future": "is in the future; nothing was stored", "received": "Received (how, from whom)"},
    "ar": {"future": "في المستقبل؛ لم يُحفظ شيء", "received": "طريقة الوصول ومصدره"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-add-provenance"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _open(browser: object, site: Site, lang: str) -> Page:
    page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    page.goto(f"{site.url}/add")
    return page


def _fill(page: Page, lang: str, *, text: str, published: str) -> None:
    given = GIVEN[lang]
    page.get_by_test_id("paste-title").fill(f"Douma ({lang})")
    page.get_by_test_id("paste-text").fill(text)
    page.get_by_test_id("paste-author").fill(given["author"])
    page.get_by_test_id("paste-published").fill(published)
    page.get_by_test_id("paste-url").fill(given["url"])
    page.get_by_test_id("paste-received").fill(given["received"])
    page.get_by_test_id("paste-reliability").select_option("B")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_paste_with_provenance_then_the_source_page_shows_it(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        _fill(page, lang, text=TEXTS[lang], published="2016-05-04")
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        with page.expect_navigation():
            page.get_by_test_id("new-source").first.click()
        meta = page.get_by_test_id("source-metadata")
        given = GIVEN[lang]
        assert page.get_by_test_id("source-author").inner_text().strip() == given["author"]
        published = page.get_by_test_id("source-published")
        assert published.inner_text().strip() == {"en": "2016-05-04", "ar": "4 أيار 2016"}[lang]
        assert published.locator("time").get_attribute("datetime") == "2016-05-04"
        assert page.get_by_test_id("source-url").inner_text().strip() == given["url"]
        assert page.get_by_test_id("source-received-from").inner_text().strip() == given["received"]
        assert page.get_by_test_id("source-evaluation").get_attribute("data-grade") == "B6"
        assert page.get_by_test_id("source-evaluation").inner_text().strip().startswith("B6: ")
        assert EXPECT[lang]["received"] in meta.inner_text()
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_future_date_is_refused_in_the_page_language_with_what_was_typed(browser: object, site: Site,
                                                                            lang: str) -> None:
    page = _open(browser, site, lang)
    future = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    text = TEXTS[lang] + " (future)"
    before = _sources(site)
    try:
        _fill(page, lang, text=text, published=future)
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        error = page.get_by_test_id("paste-error")
        assert error.is_visible() and EXPECT[lang]["future"] in error.inner_text()
        assert future in error.inner_text()
        given = GIVEN[lang]
        assert page.get_by_test_id("paste-author").input_value() == given["author"]
        assert page.get_by_test_id("paste-published").input_value() == future
        assert page.get_by_test_id("paste-url").input_value() == given["url"]
        assert page.get_by_test_id("paste-received").input_value() == given["received"]
        assert page.get_by_test_id("paste-reliability").input_value() == "B"
        assert page.get_by_test_id("paste-text").input_value() == text
        assert _sources(site) == before
    finally:
        page.context.close()


def _sources(site: Site) -> int:
    from tawthiq.store import repository

    return repository.count_sources(site.ws.db)
