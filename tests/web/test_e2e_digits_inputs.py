"""End to end in Chromium: counts and dates typed with Arabic-Indic digits into the correction form and the
hand entry form are kept by the browser (the number fields are text fields: an <input type=number> sends ""
for "٣"), stored as 3, and shown back as ٣ to a reader who chose Arabic-Indic digits; in English the same
forms work as before, Western digits typed and shown (and an Arabic-Indic digit typed there is read too).

The records are made directly in the store, so the test knows what each page starts from.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, add_market_sources, add_market_suggestion, open_as, open_hand_entry, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.store.incidents import get_incident
from tawthiq.web.digits import DIGITS_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

TEXT = "On 2 March 2017 a barrel bomb hit the market in Saraqib, killing twelve civilians."
# What each reader types, and what the incident page then shows: the Arabic reader chose Arabic-Indic digits.
CASES = {
    "ar": {"digits": "arab", "min": "٣", "children": "٢", "date": "٢٠١٧-٠٣-٠٢", "count": "٣–١٢",
           "of_whom": "منهم ٢ من الأطفال", "date_shown": "٢ آذار ٢٠١٧", "hand": ("١", "۴"), "hand_count": "١–٤"},
    "en": {"digits": "latn", "min": "3", "children": "٢", "date": "2017-03-02", "count": "3–12",
           "of_whom": "of whom 2 children", "date_shown": "2 March 2017", "hand": ("1", "4"), "hand_count": "1–4"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-digits-inputs"))) as running:
        for lang in CASES:
            running.user(f"doc.{lang}", Role.DOCUMENTER)
        yield running


@pytest.fixture(scope="module")
def sources(site: Site) -> dict[str, int]:
    return add_market_sources(site, text=TEXT)


def _open(browser: Browser, site: Site, lang: str) -> Page:
    cookie = {"name": DIGITS_COOKIE, "value": CASES[lang]["digits"], "url": site.url}
    page = open_as(browser, site, f"doc.{lang}", lang=lang, cookies=[cookie])  # type: ignore[list-item]
    assert page.locator("body").get_attribute("data-numerals") == ("arab" if lang == "ar" else "latn")
    return page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_count_and_a_date_typed_in_the_reader_s_digits_are_stored_and_shown(
        browser: Browser, site: Site, sources: dict[str, int], lang: str) -> None:
    case = CASES[lang]
    incident_id = add_market_suggestion(site, source_id=sources["text"])
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/review/{incident_id}")
        form = page.get_by_test_id("edit-form")
        row = form.get_by_test_id("victim-row").first
        lowest = row.get_by_test_id("edit-victim-min")
        assert lowest.get_attribute("inputmode") == "numeric" and lowest.get_attribute("type") == "text"
        lowest.fill("")
        lowest.press_sequentially(case["min"])  # typed key by key, as a person types it
        row.get_by_test_id("edit-victim-children").press_sequentially(case["children"])
        date = form.get_by_test_id("edit-date")
        assert date.get_attribute("placeholder") == ("٢٠١٥-١٠-٠٧" if lang == "ar" else "2015-10-07")
        date.press_sequentially(case["date"])
        # The browser kept what was typed: a number field would hold "" here and send nothing.
        assert lowest.input_value() == case["min"] and date.input_value() == case["date"]
        form.get_by_test_id("edit-comment").fill("counted again")
        with page.expect_navigation():
            form.get_by_test_id("edit-save").click()
        assert not page.get_by_test_id("form-error").count(), page.get_by_test_id("form-error").all_inner_texts()

        stored = get_incident(site.ws.db, incident_id)
        assert stored is not None and stored.date is not None and stored.date.edtf == "2017-03-02"
        assert (stored.victims[0].count_min, stored.victims[0].count_max, stored.victims[0].children) == (3, 12, 2)
        page.goto(f"{site.url}/incidents/{incident_id}")
        victims = page.get_by_test_id("field-victims")
        assert victims.locator("strong.count").first.inner_text().strip() == case["count"]
        assert case["of_whom"] in victims.inner_text()
        assert case["date_shown"] in page.get_by_test_id("field-date").inner_text()
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hand_entry_takes_counts_typed_in_the_reader_s_digits(browser: Browser, site: Site,
                                                              sources: dict[str, int], lang: str) -> None:
    case = CASES[lang]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        form = open_hand_entry(page, site, source_id=sources["photo"])
        form.get_by_test_id("edit-event-type").select_option("shelling-artillery-missile-attack")
        row = form.get_by_test_id("victim-row").first
        row.get_by_test_id("edit-victim-outcome").select_option("injured")
        low, high = case["hand"]  # the Arabic reader's upper bound in Persian digits: read the same
        row.get_by_test_id("edit-victim-min").press_sequentially(low)
        row.get_by_test_id("edit-victim-max").press_sequentially(high)
        with page.expect_navigation():
            form.get_by_test_id("hand-submit").click()
        assert "/incidents/" in page.url, page.get_by_test_id("hand-error").all_inner_texts()
        stored = get_incident(site.ws.db, int(page.url.rsplit("/", 1)[1]))
        assert stored is not None and [(v.count_min, v.count_max) for v in stored.victims] == [(1, 4)]
        count = page.get_by_test_id("field-victims").locator("strong.count").first.inner_text().strip()
        assert count == case["hand_count"]
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()
