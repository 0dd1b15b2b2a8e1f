"""End to end in Chromium (issue 12, part D2): dates typed with Arabic-Indic digits in the Arabic interface and
with Western digits in the English one, a date that is no day refused in the page's language with what was typed
kept, and Arabic-Indic digits chosen on the account page, then Western again."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "hala.documenter"
# "123" is the report's own number: whatever digits the reader chooses, the report reads "123".
# Pasted on the Add page: another day (May), so the March filter still finds the one incident above.
PASTED = "دوما، 4 أيار 2016: أصيب ثلاثة مدنيين بقصف مدفعي على سوق المدينة، بحسب مسعف."
REPORT = ("حلب، 12 آذار 2016: قتل خمسة مدنيين بينهم طفلان جراء قصف جوي لطائرات النظام على حي الشعار "
          "في مدينة حلب. رقم البلاغ 123.\n")
# What each interface is typed and shows: a range around the incident's day, a day that does not exist.
TYPED = {
    "en": {"from": "2016-03-01", "to": "2016-03-31", "miss": "2017-01-01", "bad": "2016-02-30",
           "published": "2016-05-04"},
    "ar": {"from": "٢٠١٦-٠٣-٠١", "to": "٢٠١٦-٠٣-٣١", "miss": "٢٠١٧-٠١-٠١", "bad": "٢٠١٦-٠٢-٣٠",
           "published": "٢٠١٦-٠٥-٠٤"},
}
SHOWN = {
    "en": {"date": "12 March 2016", "published": "2016-05-04", "bad": "is not a real day written year-month-day",
           "bad_published": "is not a real date", "count": "1"},
    "ar": {"date": "12 آذار 2016", "published": "4 أيار 2016", "bad": "ليس يوماً صحيحاً بصيغة السنة-الشهر-اليوم",
           "bad_published": "ليس تاريخاً صحيحاً", "count": "1"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-arabic-dates"))
    report = directory / "aleppo.txt"
    report.write_text(REPORT, encoding="utf-8")
    with running_site(directory) as running:
        running.ingest(report)
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _open(browser: Browser, site: Site, lang: str) -> Page:
    """Signed in, in ``lang`` (the choice is kept on the account: switched when needed)."""
    return open_as(browser, site, DOCUMENTER, lang=lang)


def _filter(page: Page, site: Site, *, date_from: str, date_to: str = "") -> None:
    page.goto(f"{site.url}/incidents")
    page.get_by_test_id("date-from").fill(date_from)
    page.get_by_test_id("date-to").fill(date_to)
    with page.expect_navigation():
        page.get_by_test_id("apply-filters").click()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_incidents_date_filter_takes_the_interface_digits(browser: Browser, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    typed, shown = TYPED[lang], SHOWN[lang]
    try:
        _filter(page, site, date_from=typed["from"], date_to=typed["to"])
        assert not page.get_by_test_id("filter-error").count()
        assert page.get_by_test_id("result-count").get_attribute("data-total") == "1"
        assert page.get_by_test_id("result-row").locator("td.date time").inner_text().strip() == shown["date"]
        assert page.get_by_test_id("date-from").input_value() == "2016-03-01"  # understood: written back as stored
        chips = page.locator("main").inner_text()
        assert shown["date"] in chips

        _filter(page, site, date_from=typed["miss"])  # the filter really applies: nothing after 2017
        assert page.get_by_test_id("result-count").get_attribute("data-total") == "0"

        _filter(page, site, date_from=typed["bad"])
        error = page.get_by_test_id("filter-error")
        assert error.is_visible() and shown["bad"] in error.inner_text() and typed["bad"] in error.inner_text()
        assert len(error.inner_text().strip().splitlines()) == 1
        assert "must be a date" not in error.inner_text() or lang == "en"
        assert page.get_by_test_id("date-from").input_value() == typed["bad"]
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_publication_date_on_add_takes_the_interface_digits(browser: Browser, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    typed, shown = TYPED[lang], SHOWN[lang]
    try:
        page.goto(f"{site.url}/add")
        page.get_by_test_id("paste-title").fill(f"Aleppo ({lang}, bad date)")
        page.get_by_test_id("paste-text").fill(f"{PASTED} ({lang})")
        page.get_by_test_id("paste-published").fill(typed["bad"])
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        error = page.get_by_test_id("paste-error")
        assert error.is_visible() and shown["bad_published"] in error.inner_text()
        assert typed["bad"] in error.inner_text() and len(error.inner_text().strip().splitlines()) == 1
        assert page.get_by_test_id("paste-published").input_value() == typed["bad"]

        page.get_by_test_id("paste-published").fill(typed["published"])
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        with page.expect_navigation():
            page.get_by_test_id("new-source").first.click()
        published = page.get_by_test_id("source-published")
        assert published.inner_text().strip() == shown["published"]
        assert published.locator("time").get_attribute("datetime") == "2016-05-04"
        assert not seen.errors
    finally:
        page.context.close()


def _choose_digits(page: Page, site: Site, digits: str) -> None:
    page.goto(f"{site.url}/account")
    page.get_by_test_id(f"digits-{digits}").check()
    with page.expect_navigation():
        page.get_by_test_id("digits-save").click()
    assert page.url.endswith("/account?done=digits")  # the account page, saying it was saved
    assert page.get_by_test_id(f"digits-{digits}").is_checked()


def test_arabic_indic_digits_chosen_on_the_account_page_then_western_again(browser: Browser, site: Site) -> None:
    page = _open(browser, site, "ar")
    seen = watch(page)
    try:
        _choose_digits(page, site, "arab")
        # The choice's own samples keep their digits.
        assert "(0–9)" in page.get_by_test_id("account-digits").inner_text()

        _filter(page, site, date_from="2016-03-01", date_to="٢٠١٦-٠٣-٣١")  # either digits may be typed
        assert page.get_by_test_id("result-count").inner_text().strip() == "حادثة واحدة مطابقة"  # one, in words
        row = page.get_by_test_id("result-row")
        assert row.locator("td.date time").inner_text().strip() == "١٢ آذار ٢٠١٦"
        assert page.get_by_test_id("date-from").input_value() == "2016-03-01"  # form values as typed
        incident_id = row.get_attribute("data-incident-id") or ""
        assert incident_id.isascii() and incident_id.isdigit()  # ids in addresses keep their digits

        with page.expect_navigation():
            row.locator(f'a[href="/incidents/{incident_id}"]').first.click()
        assert page.url.endswith(f"/incidents/{incident_id}")
        body = page.locator("main").inner_text()
        assert page.locator('[data-testid="victim-group"] strong.count').first.inner_text() == "٥"
        assert "١٢ آذار ٢٠١٦" in page.get_by_test_id("date-words").first.inner_text()
        assert "رقم البلاغ 123" in body and "١٢٣" not in body  # the report's own digits

        _choose_digits(page, site, "latn")
        page.goto(f"{site.url}/incidents/{incident_id}")
        assert page.locator('[data-testid="victim-group"] strong.count').first.inner_text() == "5"
        assert "12 آذار 2016" in page.get_by_test_id("date-words").first.inner_text()
        assert not seen.errors
    finally:
        page.context.close()
