"""End to end in Chromium, in English and Arabic: correcting a suggestion with the checkbox lists and a victim
breakdown, a refused breakdown (the typed values kept), and an incident documented by hand from a photo.

The records are made directly in the store (a text report with a suggestion, a photo without text), so the
test knows exactly what the page starts from.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, add_market_sources, add_market_suggestion, open_as, open_hand_entry, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.store.incidents import get_incident

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

TEXT = "On 3 March 2017 a barrel bomb hit the market in Saraqib, killing twelve civilians, among them 3 children."
EXPECT = {
    "en": {"of_whom": "of whom 3 children and 2 women",
           "over": "Children, women and men together are more than the group's largest count (12)."},
    "ar": {"of_whom": "منهم 3 من الأطفال و2 من النساء",
           "over": "مجموع الأطفال والنساء والرجال أكبر من العدد الأكبر للمجموعة (12)."},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-correct"))) as running:
        for lang in EXPECT:
            running.user(f"doc.{lang}", Role.DOCUMENTER)
        yield running


@pytest.fixture(scope="module")
def sources(site: Site) -> dict[str, int]:
    return add_market_sources(site, text=TEXT)


def _suggestion(site: Site, source_id: int) -> int:
    return add_market_suggestion(site, source_id=source_id, violations=("indiscriminate-attack",))


def _open(browser: Browser, site: Site, lang: str) -> Page:
    return open_as(browser, site, f"doc.{lang}", lang=lang)


def _box(page: Page, name: str, value: str) -> Locator:
    return page.locator(f'input[type="checkbox"][name="{name}"][value="{value}"]')


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_correct_with_checkbox_lists_and_a_breakdown(browser: Browser, site: Site, sources: dict[str, int],
                                                     lang: str) -> None:
    incident_id = _suggestion(site, sources["text"])
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/review/{incident_id}")
        form = page.get_by_test_id("edit-form")
        assert form.is_visible()  # open at once: nothing to unfold
        # On a wide screen the form is beside the source text, on the reading side's other half.
        text_box, form_box = page.get_by_test_id("source-text").bounding_box(), form.bounding_box()
        assert text_box and form_box and abs(text_box["y"] - form_box["y"]) < 200
        assert (form_box["x"] > text_box["x"]) == (lang == "en")
        # Type to filter, Enter ticks the match; the ticked choice stays, the rest is hidden meanwhile.
        violations = page.get_by_test_id("edit-violations")
        filter_box = violations.get_by_test_id("edit-violations-filter")
        filter_box.fill("pillage")
        assert _box(page, "violations", "killing").is_hidden()
        assert _box(page, "violations", "indiscriminate-attack").is_visible()
        filter_box.press("Enter")
        assert page.url.endswith(f"/review/{incident_id}")  # Enter did not send the form
        assert _box(page, "violations", "pillage").is_checked()
        assert _box(page, "violations", "indiscriminate-attack").is_checked()
        assert _box(page, "violations", "killing").is_visible()  # the filter is cleared
        # A plain click on another perpetrator adds it; the one already chosen stays chosen.
        page.locator("label.chip", has=_box(page, "perpetrators", "russia")).click()
        assert _box(page, "perpetrators", "russia").is_checked()
        assert _box(page, "perpetrators", "syrian-government").is_checked()
        # Space on a focused box toggles it (keyboard only).
        _box(page, "violations", "killing").focus()
        page.keyboard.press("Space")
        assert _box(page, "violations", "killing").is_checked()
        row = form.get_by_test_id("victim-row").first
        row.get_by_test_id("edit-victim-children").fill("3")
        row.get_by_test_id("edit-victim-women").fill("2")
        form.get_by_test_id("edit-comment").fill("the report: among them 3 children and 2 women")
        with page.expect_navigation():
            form.get_by_test_id("edit-accept").click()
        assert page.get_by_test_id("done").get_attribute("data-done") == "accepted"

        page.goto(f"{site.url}/incidents/{incident_id}")
        victims = page.get_by_test_id("field-victims")
        assert EXPECT[lang]["of_whom"] in victims.inner_text()
        stored = get_incident(site.ws.db, incident_id)
        assert stored is not None
        assert sorted(stored.violations) == ["indiscriminate-attack", "killing", "pillage"]
        assert sorted(i.actor for i in stored.perpetrators) == ["russia", "syrian-government"]
        assert (stored.victims[0].children, stored.victims[0].women) == (3, 2)
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_breakdown_above_the_total_is_refused_with_everything_kept(browser: Browser, site: Site,
                                                                     sources: dict[str, int], lang: str) -> None:
    incident_id = _suggestion(site, sources["text"])
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/review/{incident_id}")
        form = page.get_by_test_id("edit-form")
        page.locator("label.chip", has=_box(page, "perpetrators", "russia")).click()
        row = form.get_by_test_id("victim-row").first
        row.get_by_test_id("edit-victim-children").fill("10")
        row.get_by_test_id("edit-victim-men").fill("5")
        form.get_by_test_id("edit-comment").fill("counted twice?")
        with page.expect_navigation():
            form.get_by_test_id("edit-save").click()
        error = page.get_by_test_id("edit-form").get_by_test_id("form-error")
        assert error.inner_text().strip() == EXPECT[lang]["over"]
        row = page.get_by_test_id("edit-form").get_by_test_id("victim-row").first
        assert row.get_by_test_id("edit-victim-children").input_value() == "10"
        assert row.get_by_test_id("edit-victim-men").input_value() == "5"
        assert _box(page, "perpetrators", "russia").is_checked()
        assert page.get_by_test_id("edit-comment").input_value() == "counted twice?"
        stored = get_incident(site.ws.db, incident_id)
        assert stored is not None and stored.victims[0].children is None
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_hand_entry_from_a_photo_without_a_quote(browser: Browser, site: Site, sources: dict[str, int],
                                                 lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        form = open_hand_entry(page, site, source_id=sources["photo"])
        assert page.get_by_test_id("quote-optional").is_visible()
        form.get_by_test_id("edit-event-type").select_option("shelling-artillery-missile-attack")
        form.get_by_test_id("edit-perpetrators-filter").fill("isis")
        form.get_by_test_id("edit-perpetrators-filter").press("Enter")
        page.locator("label.chip", has=_box(page, "violations", "indiscriminate-attack")).click()
        row = form.get_by_test_id("victim-row").first
        row.get_by_test_id("edit-victim-outcome").select_option("injured")
        row.get_by_test_id("edit-victim-min").fill("2")
        row.get_by_test_id("edit-victim-max").fill("4")
        row.get_by_test_id("edit-victim-children").fill("1")
        with page.expect_navigation():
            form.get_by_test_id("hand-submit").click()
        assert "/incidents/" in page.url, page.content()[:500]
        incident_id = int(page.url.rsplit("/", 1)[1])
        stored = get_incident(site.ws.db, incident_id)
        assert stored is not None and stored.source_id == sources["photo"]
        assert [i.actor for i in stored.perpetrators] == ["isis"] and stored.violations == ["indiscriminate-attack"]
        assert [(str(v.outcome), v.count_min, v.count_max, v.children) for v in stored.victims] == [
            ("injured", 2, 4, 1)]
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()
