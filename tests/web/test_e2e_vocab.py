"""End to end in Chromium, in English and Arabic: an admin adds an armed group with an Arabic alias, then a pasted
report naming it gives an incident with that perpetrator; an alias another actor has is refused in the page's
language with what was typed kept."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain import vocab
from tawthiq.domain.access import Role
from tawthiq.services import vocabulary

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ADMIN = "nour.admin"
GROUPS = {
    "en": {"code": "liwa-al-tahrir", "label_en": "Liwa al-Tahrir", "label_ar": "لواء التحرير",
           "aliases_en": "Tahrir Brigade", "aliases_ar": "لواء التحرير\nكتائب التحرير"},
    "ar": {"code": "jaysh-al-fajr", "label_en": "Jaysh al-Fajr", "label_ar": "جيش الفجر",
           "aliases_en": "Dawn Army", "aliases_ar": "جيش الفجر\nفصيل الفجر"},
}
REPORTS = {
    "en": "Tahrir Brigade fighters shelled the village of Kafr Nabl in Idlib on 3 March 2021, killing two civilians.",
    "ar": "قصف فصيل الفجر قرية كفرنبل في ريف إدلب يوم 3 آذار 2021، ما أدى إلى مقتل مدنيين اثنين.",
}
EXPECT = {
    "en": {"taken": "already names another actor (syrian-government)", "label": "Liwa al-Tahrir"},
    "ar": {"taken": "اسم لجهة أخرى (syrian-government)", "label": "جيش الفجر"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-vocab"))) as running:
        running.user(ADMIN, Role.ADMIN)
        yield running
    vocab.use_recorded_actors([])  # the merged vocabulary is per process: leave none for other tests
    vocabulary._State.stamp = None


def _open(browser: object, site: Site, lang: str) -> Page:
    page = open_as(browser, site, ADMIN, lang=lang)  # type: ignore[arg-type]
    with page.expect_navigation():
        page.click('nav.main-nav a[href="/admin/actors"]')
    return page


def _fill(page: Page, group: dict[str, str]) -> None:
    page.get_by_test_id("add-code").fill(group["code"])
    page.get_by_test_id("add-label-en").fill(group["label_en"])
    page.get_by_test_id("add-label-ar").fill(group["label_ar"])
    page.get_by_test_id("add-aliases-en").fill(group["aliases_en"])
    page.get_by_test_id("add-aliases-ar").fill(group["aliases_ar"])
    page.get_by_test_id("add-parent").select_option("armed-opposition")
    page.get_by_test_id("add-kind").select_option("armed-group")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_add_an_actor_then_a_pasted_report_naming_it_yields_that_perpetrator(browser: object, site: Site,
                                                                              lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    group = GROUPS[lang]
    try:
        _fill(page, group)
        with page.expect_navigation():
            page.get_by_test_id("add-submit").click()
        assert page.get_by_test_id("vocab-done").is_visible()
        assert page.locator(f'tr[data-code="{group["code"]}"]').is_visible()
        page.goto(f"{site.url}/add")
        page.get_by_test_id("paste-text").fill(REPORTS[lang])
        with page.expect_navigation():
            page.get_by_test_id("paste-submit").click()
        found = page.get_by_test_id("found-incidents").locator("a").first
        with page.expect_navigation():
            found.click()
        assert EXPECT[lang]["label"] in page.locator("main").inner_text()
        # The list's perpetrator filter finds it under its coalition.
        page.goto(f"{site.url}/incidents?perpetrator=armed-opposition&status=all")
        assert EXPECT[lang]["label"] in page.locator("main").inner_text()
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_alias_another_actor_has_is_refused_in_the_page_language(browser: object, site: Site,
                                                                    lang: str) -> None:
    page = _open(browser, site, lang)
    group = {**GROUPS[lang], "code": f"taken-{lang}", "label_en": f"Taken {lang}", "label_ar": "جماعة أخرى",
             "aliases_en": "", "aliases_ar": "قوات النظام"}
    try:
        _fill(page, group)
        with page.expect_navigation():
            page.get_by_test_id("add-submit").click()
        error = page.get_by_test_id("vocab-error")
        assert error.is_visible() and EXPECT[lang]["taken"] in error.inner_text()
        assert page.get_by_test_id("add-code").input_value() == group["code"]
        assert page.get_by_test_id("add-label-ar").input_value() == "جماعة أخرى"
        assert page.get_by_test_id("add-aliases-ar").input_value() == "قوات النظام"
        assert page.get_by_test_id("add-parent").input_value() == "armed-opposition"
        assert f"taken-{lang}" not in vocab.actors()
    finally:
        page.context.close()
