"""End to end in Chromium, in English and Arabic: an admin creates a tag, a documenter puts it on an incident
from the incident page, and the incidents list filtered by its facet shows only that incident with the tag's
chip; a duplicate label is refused in the page's language with what was typed kept."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location
from tawthiq.domain.access import Role
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TAGS = {
    "en": {"label_en": "Chemical attack", "label_ar": "هجوم كيماوي", "shown": "Chemical attack",
           "taken": "Another tag is already called “Chemical attack”", "dup_en": "chemical  ATTACK"},
    "ar": {"label_en": "Siege", "label_ar": "حصار", "shown": "حصار",
           "taken": "يوجد وسم آخر بالاسم «حصار»", "dup_en": "Blockade"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-tags"))) as running:
        for lang in ("en", "ar"):
            running.user(f"admin-{lang}", Role.ADMIN)
            running.user(f"doc-{lang}", Role.DOCUMENTER)
        yield running


def _incident(site: Site, place: str) -> int:
    return repository.add_incident(site.ws.db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        description=f"strike on {place}", location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))


def _open(browser: object, site: Site, username: str, lang: str) -> Page:
    return open_as(browser, site, username, lang=lang)  # type: ignore[arg-type]


def _add_tag(page: Page, label_en: str, label_ar: str, colour: str = "red") -> None:
    page.get_by_test_id("add-label-en").fill(label_en)
    page.get_by_test_id("add-label-ar").fill(label_ar)
    page.get_by_test_id("add-colour").locator(f'input[value="{colour}"]').check()
    with page.expect_navigation():
        page.get_by_test_id("add-tag-submit").click()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_create_a_tag_tag_an_incident_and_filter_the_list_by_it(browser: object, site: Site, lang: str) -> None:
    spec = TAGS[lang]
    tagged, other = _incident(site, f"Ariha {lang}"), _incident(site, f"Douma {lang}")
    admin = _open(browser, site, f"admin-{lang}", lang)
    try:
        with admin.expect_navigation():
            admin.click('nav.main-nav a[href="/admin/tags"]')
        _add_tag(admin, spec["label_en"], spec["label_ar"])
        assert admin.get_by_test_id("tags-done").is_visible()
        assert spec["shown"] in admin.get_by_test_id("tag-table").inner_text()
    finally:
        admin.context.close()
    page = _open(browser, site, f"doc-{lang}", lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/incidents/{tagged}")
        page.get_by_test_id("tag-choice").select_option(label=spec["shown"])
        with page.expect_navigation():
            page.get_by_test_id("tag-add").click()
        assert spec["shown"] in page.get_by_test_id("current-tags").inner_text()
        # Facet counts may be served up to a few seconds stale (store.queries.cached): look again until
        # the new tag is counted, as a user reloading would.
        option = page.get_by_test_id("facet-tag").locator("label", has_text=spec["shown"]).locator("input")
        for _ in range(40):
            page.goto(f"{site.url}/incidents")
            if option.count():
                break
            page.wait_for_timeout(500)
        with page.expect_navigation():
            option.check()  # the facet submits itself
        rows = page.get_by_test_id("result-row")
        assert rows.count() == 1 and rows.first.get_attribute("data-incident-id") == str(tagged)
        assert page.locator(f'tr[data-incident-id="{other}"]').count() == 0
        assert spec["shown"] in rows.first.get_by_test_id("row-tags").inner_text()
        chip = page.locator('li[data-filter="tag"]')
        assert chip.is_visible() and spec["shown"] in chip.inner_text()
        with page.expect_navigation():
            chip.get_by_test_id("chip-remove").click()
        assert page.locator(f'tr[data-incident-id="{other}"]').count() == 1
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_duplicate_label_is_refused_in_the_page_language(browser: object, site: Site, lang: str) -> None:
    spec = TAGS[lang]
    page = _open(browser, site, f"admin-{lang}", lang)
    try:
        page.goto(f"{site.url}/admin/tags")
        if spec["shown"] not in page.get_by_test_id("tag-table").inner_text():
            _add_tag(page, spec["label_en"], spec["label_ar"])
        before = page.get_by_test_id("tag-row").count()
        # English duplicate for the English run (case and spacing differ); Arabic one with short vowels for the Arabic.
        _add_tag(page, spec["dup_en"], "هجوم جديد" if lang == "en" else "حِصار", colour="blue")
        error = page.get_by_test_id("tags-error")
        assert error.is_visible() and spec["taken"] in error.inner_text()
        assert page.get_by_test_id("add-label-en").input_value() == spec["dup_en"]
        assert page.get_by_test_id("add-colour").locator('input[value="blue"]').is_checked()
        assert page.get_by_test_id("tag-row").count() == before
    finally:
        page.context.close()
